package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.Families;
import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.Location;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs publish all-or-nothing: a run that fails during its fourth table write leaves every table, as readers
 * see it, at the previous succeeded run; a rerun succeeds and publishes; a rerun of the same date gives identical
 * tables; a backfill keeps the published date; two runs never write at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishingTest extends SparkTest {
  @TempDir static Path dir;
  private static CskpiConfig config;
  private static Location out;
  private static final LocalDate MARCH = LocalDate.parse("2024-03-31");
  private static final LocalDate APRIL = LocalDate.parse("2024-04-30");
  private static final Map<String, List<Row>> publishedInMarch = new HashMap<>();

  @BeforeAll
  static void input() throws Exception {
    Path input = Files.createDirectories(dir.resolve("input"));
    Files.writeString(input.resolve("customers.csv"), "customer_id,signup_date,plan,region\n"
        + "A,2024-01-01,pro,EU\nB,2024-01-15,basic,NA\nC,2024-02-01,basic,EU\n");
    Files.writeString(input.resolve("subscriptions.csv"), "subscription_id,customer_id,plan,start_date,end_date,mrr,"
        + "cancel_reason\nS1,A,pro,2024-01-01,,100.00,\nS2,B,basic,2024-01-15,2024-04-10,20.00,price\n"
        + "S3,C,basic,2024-02-01,,30.00,\nS4,A,pro,2024-04-01,,50.00,\n");
    config = CskpiConfig.load(null, List.of("families=[revenue]", "input.format=csv",
        "input.dir=\"" + input + "\"", "output.dir=\"" + dir.resolve("out") + "\""));
    out = Location.of(spark, dir.resolve("out").toString());
  }

  /** Every result table as a reader sees it (the published run's rows, in the version it wrote). */
  private static Map<String, List<Row>> asReadersSeeIt() {
    Map<String, List<Row>> tables = new HashMap<>();
    for (String t : List.of("quarantine", "customer_mrr_monthly", "revenue_monthly", "churn_reasons_monthly",
        "cohort_retention")) {
      tables.put(t, sorted(RunLog.read(spark, out, t, null)));
    }
    return tables;
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().sorted(java.util.Comparator.comparing(Row::toString)).toList();
  }

  private static void assertSameTables(Map<String, List<Row>> expected, Map<String, List<Row>> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((t, rows) -> assertEquals(rows, actual.get(t), t));   // sorted lists: equal both ways
  }

  @Test
  @Order(1)
  void aSucceededRunIsPublished() {
    NightlyPipeline.RunReport r = NightlyPipeline.run(spark, config, MARCH, Families.ALL);
    assertTrue(r.published());
    assertEquals(MARCH, RunLog.published(spark, out).orElseThrow().asOf());
    publishedInMarch.putAll(asReadersSeeIt());
    // March: A 100, B 20, C 30.
    assertTrue(publishedInMarch.get("revenue_monthly").stream().anyMatch(row -> "all".equals(row.getAs("dimension"))
        && MARCH.withDayOfMonth(1).equals(row.getAs("period_month"))
        && new java.math.BigDecimal("150.00").equals(row.getAs("mrr_end"))));
  }

  @Test
  @Order(2)
  void aRunFailingInItsFourthWriteLeavesEveryTableAtThePreviousRunThenARerunPublishes() {
    // The fourth table written (after quarantine, customer_mrr_monthly, revenue_monthly) refuses April's rows.
    Location fourth = out.child("churn_reasons_monthly");
    spark.sql("ALTER TABLE " + fourth.deltaIdentifier() + " ADD CONSTRAINT no_april CHECK (as_of_date < '2024-04-01')");
    Exception failure = assertThrows(Exception.class,
        () -> NightlyPipeline.run(spark, config, APRIL, Families.ALL));
    assertTrue(String.valueOf(failure.getMessage()).contains("no_april"), String.valueOf(failure.getMessage()));
    // The first three tables hold April's rows on disk, yet readers still see March in all five.
    assertTrue(spark.read().format("delta").load(out.child("revenue_monthly").toString())
        .filter("as_of_date = DATE'2024-04-30'").count() > 0);
    assertSameTables(publishedInMarch, asReadersSeeIt());
    Row failed = spark.read().format("delta").load(RunLog.location(out).toString())
        .filter("status = 'failed'").first();
    assertEquals(APRIL, failed.getAs("as_of_date"));
    assertFalse(failed.<Boolean>getAs("published"));
    assertTrue(failed.<String>getAs("error").contains("no_april"), failed.toString());

    spark.sql("ALTER TABLE " + fourth.deltaIdentifier() + " DROP CONSTRAINT no_april");
    NightlyPipeline.RunReport rerun = NightlyPipeline.run(spark, config, APRIL, Families.ALL);
    assertEquals(APRIL, RunLog.published(spark, out).orElseThrow().asOf());
    assertEquals(rerun.versions(), RunLog.published(spark, out).orElseThrow().versions());
    // April: A 150 (expansion by S4), B churned April 10, C 30.
    Map<String, List<Row>> april = asReadersSeeIt();
    assertTrue(april.get("revenue_monthly").stream().anyMatch(row -> "all".equals(row.getAs("dimension"))
        && APRIL.withDayOfMonth(1).equals(row.getAs("period_month"))
        && new java.math.BigDecimal("180.00").equals(row.getAs("mrr_end"))
        && new java.math.BigDecimal("20.00").equals(row.getAs("mrr_churned"))));
    // Every table keeps both as-of dates, and March's rows are as they were.
    assertEquals(publishedInMarch.get("revenue_monthly"), sorted(RunLog.read(spark, out,
        "revenue_monthly", MARCH)));
  }

  @Test
  @Order(3)
  void aRerunOfTheSameDateGivesIdenticalTablesWithoutDuplicates() {
    Map<String, List<Row>> before = asReadersSeeIt();
    long rowsOnDisk = spark.read().format("delta").load(out.child("customer_mrr_monthly").toString()).count();
    NightlyPipeline.run(spark, config, APRIL, Families.ALL);
    assertSameTables(before, asReadersSeeIt());
    assertEquals(rowsOnDisk, spark.read().format("delta").load(out.child("customer_mrr_monthly").toString()).count());
  }

  @Test
  @Order(4)
  void aBackfillKeepsThePublishedDateUnlessItIsInTheRange() {
    Map<String, List<Row>> april = asReadersSeeIt();
    List<NightlyPipeline.RunReport> reports = NightlyPipeline.backfill(spark, config,
        List.of(LocalDate.parse("2024-01-31"), LocalDate.parse("2024-02-29")), Families.ALL, r -> { });
    assertEquals(2, reports.size());
    assertTrue(reports.stream().noneMatch(NightlyPipeline.RunReport::published));
    assertEquals(APRIL, RunLog.published(spark, out).orElseThrow().asOf());
    assertSameTables(april, asReadersSeeIt());
    assertEquals(List.of(LocalDate.parse("2024-01-31"), LocalDate.parse("2024-02-29"), MARCH, APRIL),
        spark.read().format("delta").load(out.child("revenue_monthly").toString()).select("as_of_date").distinct()
            .orderBy("as_of_date").collectAsList().stream().map(r -> (LocalDate) r.get(0)).toList());
    // A backfill over the published date recomputes and republishes it.
    List<NightlyPipeline.RunReport> over = NightlyPipeline.backfill(spark, config, List.of(MARCH, APRIL),
        Families.ALL, r -> { });
    assertEquals(List.of(false, true), over.stream().map(NightlyPipeline.RunReport::published).toList());
    assertEquals(over.get(1).runId(), RunLog.published(spark, out).orElseThrow().runId());
    assertSameTables(april, asReadersSeeIt());
  }

  @Test
  @Order(5)
  void twoRunsAtOnceAreRefused() throws Exception {
    Path lock = Path.of(java.net.URI.create(out.child(RunLock.FILE).toString()));
    Files.writeString(lock, "run 1234 (run as of 2024-05-31) started 2024-06-01T02:00:00Z on etl-1\n");
    RunLock.RunLockedException e = assertThrows(RunLock.RunLockedException.class,
        () -> NightlyPipeline.run(spark, config, APRIL, Families.ALL));
    assertTrue(e.getMessage().contains("another cskpi run is writing to " + out + ": run 1234 (run as of "
        + "2024-05-31) started 2024-06-01T02:00:00Z on etl-1"), e.getMessage());
    assertTrue(Files.exists(lock), "the other run's lock stays");
    Files.delete(lock);
    NightlyPipeline.run(spark, config, APRIL, Families.ALL);
    assertFalse(Files.exists(lock), "a run removes its own lock");
  }

  @Test
  @Order(6)
  void theRunLogRecordsEveryRun() {
    List<Row> log = spark.read().format("delta").load(RunLog.location(out).toString()).orderBy("finished_at")
        .collectAsList();
    assertEquals(List.of("run", "run", "run", "run", "backfill", "backfill", "backfill", "backfill", "run"),
        log.stream().map(r -> r.<String>getAs("mode")).toList());
    assertEquals(1, log.stream().filter(r -> "failed".equals(r.getAs("status"))).count());
    Row last = log.get(log.size() - 1);
    List<Row> inputs = last.getList(last.fieldIndex("inputs"));
    assertEquals(List.of("customers|3|3|0", "subscriptions|4|4|0"), inputs.stream().map(i -> i.getString(0) + "|"
        + i.getLong(1) + "|" + i.getLong(2) + "|" + i.getLong(3)).toList());
    assertEquals(List.of("revenue"), last.getList(last.fieldIndex("families")));
    assertTrue(last.<String>getAs("conf").contains("\"families\":[\"revenue\"]"), last.<String>getAs("conf"));
    assertTrue(last.getJavaMap(last.fieldIndex("stage_seconds")).containsKey("write revenue_monthly"));
    assertEquals(5, last.getJavaMap(last.fieldIndex("outputs")).size());
  }

  @Test
  @Order(7)
  void maintainDeletesAsOfDatesPastTheirRetentionThenOptimizesAndVacuums() throws Exception {
    Path subscriptions = dir.resolve("input").resolve("subscriptions.csv");
    Files.writeString(subscriptions, Files.readString(subscriptions) + "S5,A,pro,2024-01-01,,-5.00,\n");   // bad
    NightlyPipeline.backfill(spark, config, List.of(LocalDate.parse("2024-02-10"), LocalDate.parse("2024-02-29"),
        LocalDate.parse("2024-04-20")), Families.ALL, r -> { });
    CskpiConfig keep15 = CskpiConfig.load(null, List.of("families=[revenue]", "input.format=csv",
        "input.dir=\"" + dir.resolve("input") + "\"", "output.dir=\"" + dir.resolve("out") + "\"",
        "output.keep-daily-as-of-days=15", "quarantine.retention-days=30"));
    Map<String, Maintenance.Done> done = new HashMap<>();
    Maintenance.run(spark, keep15, Families.ALL).forEach(d -> done.put(d.table(), d));
    // Published 2024-04-30: daily dates before April 15 go, month ends and the published date stay.
    assertEquals(List.of("2024-01-31", "2024-02-29", "2024-03-31", "2024-04-20", "2024-04-30"),
        asOfDates("revenue_monthly"));
    assertEquals(1, done.get("revenue_monthly").asOfDatesDeleted());
    // The quarantine keeps 30 days, month ends included: of its dates 02-10, 02-29, 04-20 only 04-20 stays.
    assertEquals(List.of("2024-04-20"), asOfDates("quarantine"));
    assertEquals(2, done.get("quarantine").asOfDatesDeleted());
    List<String> operations = spark.sql("DESCRIBE HISTORY " + out.child("revenue_monthly").deltaIdentifier())
        .select("operation").collectAsList().stream().map(r -> r.getString(0)).toList();
    assertTrue(operations.containsAll(List.of("DELETE", "OPTIMIZE", "VACUUM START", "VACUUM END")), operations.toString());
    assertTrue(done.containsKey("run_log"));
    // Readers still see the published run.
    assertEquals(APRIL, RunLog.published(spark, out).orElseThrow().asOf());
    assertTrue(RunLog.read(spark, out, "revenue_monthly", null).count() > 0);
  }

  @Test
  @Order(8)
  void registeringOnRunNeedsACatalogThatOutlivesTheSession() {
    CskpiConfig register = CskpiConfig.load(null, List.of("families=[revenue]", "input.format=csv",
        "input.dir=\"" + dir.resolve("input") + "\"", "output.dir=\"" + dir.resolve("out") + "\"",
        "catalog.register-on-run=true"));
    io.cskpi.config.InvalidSettingException e = assertThrows(io.cskpi.config.InvalidSettingException.class,
        () -> NightlyPipeline.run(spark, register, APRIL, Families.ALL));
    assertTrue(e.getMessage().startsWith("cskpi.catalog.register-on-run = true, but this session's catalog is "
        + "in-memory"), e.getMessage());
  }

  private static List<String> asOfDates(String table) {
    return spark.read().format("delta").load(out.child(table).toString()).select("as_of_date").distinct()
        .orderBy("as_of_date").collectAsList().stream().map(r -> r.get(0).toString()).toList();
  }
}
