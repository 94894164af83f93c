package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.Families;
import io.cskpi.SparkTest;
import io.cskpi.cli.Cskpi;
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
 * Runs publish all-or-nothing, as every reader sees it (cskpi export's reader, the catalog's views by name, the
 * *_current views): a run that fails during its fourth table write, the first run of a date or a rerun of the
 * published one, leaves everything at the previous succeeded run; a rerun succeeds and publishes without
 * re-registering anything; a rerun of the same date gives identical tables and no duplicate rows on disk; a
 * backfill or an older date keeps the published date; two runs never write at once, and a killed run's lock is
 * recovered and the run recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishingTest extends SparkTest {
  @TempDir static Path dir;
  private static CskpiConfig config;
  private static Location out;
  private static final LocalDate MARCH = LocalDate.parse("2024-03-31");
  private static final LocalDate APRIL = LocalDate.parse("2024-04-30");
  private static final List<String> TABLES = List.of("quarantine", "customer_mrr_monthly", "revenue_monthly",
      "churn_reasons_monthly", "cohort_retention");
  private static final String DB = "publishing_test";
  private static final Map<String, List<Row>> publishedInMarch = new HashMap<>();

  @BeforeAll
  static void input() throws Exception {
    Path input = Files.createDirectories(dir.resolve("input"));
    Files.writeString(input.resolve("customers.csv"), "customer_id,signup_date,plan,region\n"
        + "A,2024-01-01,pro,EU\nB,2024-01-15,basic,NA\nC,2024-02-01,basic,EU\n");
    Files.writeString(input.resolve("subscriptions.csv"), "subscription_id,customer_id,plan,start_date,end_date,mrr,"
        + "cancel_reason\nS1,A,pro,2024-01-01,,100.00,\nS2,B,basic,2024-01-15,2024-04-10,20.00,price\n"
        + "S3,C,basic,2024-02-01,,30.00,\nS4,A,pro,2024-04-01,,50.00,\n");
    config = conf();
    out = Location.of(spark, dir.resolve("out").toString());
  }

  private static CskpiConfig conf(String... more) {
    List<String> settings = new java.util.ArrayList<>(List.of("families=[revenue]", "input.format=csv",
        "input.dir=\"" + dir.resolve("input") + "\"", "output.dir=\"" + dir.resolve("out") + "\""));
    settings.addAll(List.of(more));
    return CskpiConfig.load(null, settings);
  }

  /**
   * Every table as each reader sees it: cskpi export's reader, the notebooks' query, the view <table>_current and
   * the view <table> (all as-of dates) by name in the catalog; the first three agree.
   */
  private static Map<String, List<Row>> asReadersSeeIt() {
    Map<String, List<Row>> tables = new HashMap<>();
    for (String t : TABLES) {
      List<Row> exported = sorted(RunLog.read(spark, out, t, null));
      List<Row> current = sorted(spark.table(DB + "." + t + "_current"));
      assertEquals(exported, current, t + ": cskpi export and " + t + "_current");
      NotebookQuery.publishedRowsSql(dir.resolve("out").toString(), t).ifPresent(sql -> assertEquals(current,
          sorted(spark.sql(sql).drop("run_id")), t + ": the notebooks' query and " + t + "_current"));
      tables.put(t, current);
      tables.put(t + " (all dates)", sorted(spark.table(DB + "." + t)));
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

  private static long rowsOnDisk(String table) {
    return spark.read().format("delta").load(out.child(table).toString()).count();
  }

  private static boolean revenueRow(List<Row> rows, LocalDate asOf, String mrrEnd) {
    return rows.stream().anyMatch(row -> "all".equals(row.getAs("dimension")) && asOf.equals(row.getAs("as_of_date"))
        && asOf.withDayOfMonth(1).equals(row.getAs("period_month"))
        && new java.math.BigDecimal(mrrEnd).equals(row.getAs("mrr_end")));
  }

  @Test
  @Order(1)
  void aSucceededRunIsPublishedAndReadByName() {
    NightlyPipeline.RunReport r = NightlyPipeline.run(spark, config, MARCH, Families.ALL);
    assertTrue(r.published());
    assertEquals(MARCH, RunLog.published(spark, out).orElseThrow().asOf());
    // Registered once: the views read the run log when queried, so later runs need no re-registration.
    CatalogTables.register(spark, DB, out, Families.ALL, List.of(), true);
    publishedInMarch.putAll(asReadersSeeIt());
    assertTrue(revenueRow(publishedInMarch.get("revenue_monthly"), MARCH, "150.00"));   // A 100, B 20, C 30
    assertFalse(List.of(spark.table(DB + ".revenue_monthly").columns()).contains("run_id"));
    // By default the quarantine (rows as read, maybe personal data) is not in the catalog at all.
    CatalogTables.register(spark, DB + "_private", out, Families.ALL, List.of(), false);
    assertFalse(spark.catalog().tableExists(DB + "_private", "quarantine"));
    assertFalse(spark.catalog().tableExists(DB + "_private", "quarantine_current"));
    assertTrue(spark.catalog().tableExists(DB + "_private", "revenue_monthly_current"));
    // Each data file records its row count and statistics of run_id alone (no other column's would prune).
    for (String table : List.of("revenue_monthly", "customer_mrr_monthly")) {
      Location path = out.child(table);
      List<java.util.Set<String>> files = statisticsColumns(path.child("_delta_log") + "/*.json");
      assertFalse(files.isEmpty(), table);
      assertEquals(java.util.Set.of(java.util.Set.of("run_id")), java.util.Set.copyOf(files), table);
      assertEquals("run_id", tableProperty(path, "delta.dataSkippingStatsColumns"), table);
    }
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
    // The first three tables hold April's rows on disk, yet every reader, by name too, still sees March only.
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
    // April: A 150 (expansion by S4), B churned April 10, C 30; the views show it with no re-registration.
    Map<String, List<Row>> april = asReadersSeeIt();
    assertTrue(revenueRow(april.get("revenue_monthly"), APRIL, "180.00"));
    assertTrue(april.get("revenue_monthly").stream().allMatch(row -> APRIL.equals(row.getAs("as_of_date"))));
    // The view of all dates keeps March as it was, next to April.
    List<Row> allDates = april.get("revenue_monthly (all dates)");
    assertEquals(publishedInMarch.get("revenue_monthly"), allDates.stream()
        .filter(row -> MARCH.equals(row.getAs("as_of_date"))).toList());
    // The failed run's rows were removed from disk when the rerun succeeded: one run's rows per date.
    assertEquals(1, spark.read().format("delta").load(out.child("revenue_monthly").toString())
        .filter("as_of_date = DATE'2024-04-30'").select("run_id").distinct().count());
  }

  @Test
  @Order(3)
  void aFailedRerunOfThePublishedDateLeavesThePublishedRowsThenARerunReplacesThem() {
    Map<String, List<Row>> april = asReadersSeeIt();
    long onDisk = rowsOnDisk("revenue_monthly");
    Location fourth = out.child("churn_reasons_monthly");
    String published = RunLog.published(spark, out).orElseThrow().runId();
    // Rows already there pass; the rerun's rows (another run_id) break the constraint in the fourth write.
    spark.sql("ALTER TABLE " + fourth.deltaIdentifier() + " ADD CONSTRAINT only_old_runs CHECK (as_of_date < "
        + "'2024-04-01' OR run_id = '" + published + "')");
    assertThrows(Exception.class, () -> NightlyPipeline.run(spark, config, APRIL, Families.ALL));
    assertSameTables(april, asReadersSeeIt());
    spark.sql("ALTER TABLE " + fourth.deltaIdentifier() + " DROP CONSTRAINT only_old_runs");
    NightlyPipeline.run(spark, config, APRIL, Families.ALL);
    assertSameTables(april, asReadersSeeIt());
    assertEquals(onDisk, rowsOnDisk("revenue_monthly"), "the published and the failed run's rows are gone");
  }

  @Test
  @Order(4)
  void aRerunOfTheSameDateGivesIdenticalTablesWithoutDuplicates() {
    Map<String, List<Row>> before = asReadersSeeIt();
    Map<String, Long> onDisk = new HashMap<>();
    TABLES.forEach(t -> onDisk.put(t, rowsOnDisk(t)));
    NightlyPipeline.run(spark, config, APRIL, Families.ALL);
    assertSameTables(before, asReadersSeeIt());
    TABLES.forEach(t -> assertEquals(onDisk.get(t), rowsOnDisk(t), t));
  }

  @Test
  @Order(5)
  void aBackfillKeepsThePublishedDateUnlessItIsInTheRange() {
    Map<String, List<Row>> april = asReadersSeeIt();
    List<NightlyPipeline.RunReport> reports = NightlyPipeline.backfill(spark, config,
        List.of(LocalDate.parse("2024-01-31"), LocalDate.parse("2024-02-29")), Families.ALL, r -> { });
    assertEquals(2, reports.size());
    assertTrue(reports.stream().noneMatch(NightlyPipeline.RunReport::published));
    assertEquals(APRIL, RunLog.published(spark, out).orElseThrow().asOf());
    Map<String, List<Row>> after = asReadersSeeIt();
    TABLES.forEach(t -> assertEquals(april.get(t), after.get(t), t));   // _current unchanged
    assertEquals(List.of(LocalDate.parse("2024-01-31"), LocalDate.parse("2024-02-29"), MARCH, APRIL),
        spark.table(DB + ".revenue_monthly").select("as_of_date").distinct().orderBy("as_of_date")
            .collectAsList().stream().map(r -> (LocalDate) r.get(0)).toList());
    // A backfill over the published date recomputes and republishes it.
    List<NightlyPipeline.RunReport> over = NightlyPipeline.backfill(spark, config, List.of(MARCH, APRIL),
        Families.ALL, r -> { });
    assertEquals(List.of(false, true), over.stream().map(NightlyPipeline.RunReport::published).toList());
    assertEquals(over.get(1).runId(), RunLog.published(spark, out).orElseThrow().runId());
    assertSameTables(after, asReadersSeeIt());
  }

  @Test
  @Order(6)
  void aRunOfAnOlderDateIsKeptButPublishedOnlyWhenAsked() {
    Map<String, List<Row>> april = asReadersSeeIt();
    NightlyPipeline.RunReport late = NightlyPipeline.run(spark, config, MARCH, Families.ALL);
    assertFalse(late.published());
    assertEquals(APRIL, RunLog.published(spark, out).orElseThrow().asOf());
    assertSameTables(april, asReadersSeeIt());
    assertEquals(0, Cskpi.execute("run", "--input-format", "csv", "--input", dir.resolve("input").toString(),
        "--output", dir.resolve("out").toString(), "--as-of", MARCH.toString(), "--publish",
        "--set", "cskpi.families=[revenue]"));
    assertEquals(MARCH, RunLog.published(spark, out).orElseThrow().asOf());
    assertTrue(asReadersSeeIt().get("revenue_monthly").stream().allMatch(r -> MARCH.equals(r.getAs("as_of_date"))));
  }

  @Test
  @Order(7)
  void twoRunsAtOnceAreRefusedAndAKilledRunsLockIsRecovered() throws Exception {
    Path lock = Path.of(java.net.URI.create(out.child(RunLock.FILE).toString()));
    // A run on another host: only the user can tell it is gone.
    Files.writeString(lock, "run_id=1234\nwhat=run as of 2024-05-31\nmode=run\nas_of=2024-05-31\n"
        + "started=2024-06-01T02:00:00Z\nhost=etl-1\npid=4242\n");
    RunLock.RunLockedException e = assertThrows(RunLock.RunLockedException.class,
        () -> NightlyPipeline.run(spark, config, APRIL, Families.ALL));
    assertTrue(e.getMessage().startsWith("another cskpi run is writing to " + out + ": run 1234 (run as of "
        + "2024-05-31) started 2024-06-01T02:00:00Z on etl-1 (pid 4242); two runs never write at once."),
        e.getMessage());
    assertTrue(e.getMessage().contains("'cskpi unlock --output " + out + "'"), e.getMessage());
    assertTrue(Files.exists(lock), "the other run's lock stays");
    assertEquals(Cskpi.EXIT_LOCKED, Cskpi.execute("run", "--input-format", "csv", "--input",
        dir.resolve("input").toString(), "--output", dir.resolve("out").toString(), "--as-of", APRIL.toString(), "--set", "cskpi.families=[revenue]"));
    assertEquals(0, Cskpi.execute("unlock", "--output", dir.resolve("out").toString()));
    assertFalse(Files.exists(lock));
    Row killed = spark.read().format("delta").load(RunLog.location(out).toString()).filter("run_id = '1234'").first();
    assertEquals("killed", killed.getAs("status"));
    assertEquals(LocalDate.parse("2024-05-31"), killed.getAs("as_of_date"));

    // A run on this host whose process is gone: the next run takes its lock over and records it.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(lock, "run_id=5678\nwhat=run as of 2024-04-30\nmode=run\nas_of=2024-04-30\n"
        + "started=2024-06-02T02:00:00Z\nhost=" + java.net.InetAddress.getLocalHost().getHostName() + "\npid="
        + gone.pid() + "\npid_namespace=" + Files.readSymbolicLink(Path.of("/proc/self/ns/pid")) + "\n");
    NightlyPipeline.RunReport recovered = NightlyPipeline.run(spark, config, APRIL, Families.ALL);
    assertTrue(recovered.published());
    assertFalse(Files.exists(lock), "a run removes its own lock");
    assertEquals("killed", spark.read().format("delta").load(RunLog.location(out).toString())
        .filter("run_id = '5678'").first().getAs("status"));
  }

  @Test
  @Order(8)
  void theRunLogRecordsEveryRun() {
    List<Row> log = spark.read().format("delta").load(RunLog.location(out).toString()).orderBy("run_seq")
        .collectAsList();
    assertEquals(List.of("run", "run", "run", "run", "run", "run", "backfill", "backfill", "backfill", "backfill",
        "run", "run", "run", "run", "run"), log.stream().map(r -> r.<String>getAs("mode")).toList());
    assertEquals(List.of("succeeded", "failed", "succeeded", "failed", "succeeded", "succeeded", "succeeded",
        "succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "killed", "killed", "succeeded"),
        log.stream().map(r -> r.<String>getAs("status")).toList());
    assertEquals(List.of(true, false, true, false, true, true, false, false, false, true, false, true, false, false,
        true), log.stream().map(r -> r.<Boolean>getAs("published")).toList());
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
  @Order(9)
  void maintainRemovesRunsNoReaderSeesAndOldAsOfDatesThenOptimizesAndVacuums() throws Exception {
    Path subscriptions = dir.resolve("input").resolve("subscriptions.csv");
    Files.writeString(subscriptions, Files.readString(subscriptions) + "S5,A,pro,2024-01-01,,-5.00,\n");   // bad
    NightlyPipeline.backfill(spark, config, List.of(LocalDate.parse("2024-02-10"), LocalDate.parse("2024-02-29"),
        LocalDate.parse("2024-04-20")), Families.ALL, r -> { });
    // A run that failed in its fourth write and was never rerun: its rows of three tables stay on disk.
    Location fourth = out.child("churn_reasons_monthly");
    spark.sql("ALTER TABLE " + fourth.deltaIdentifier() + " ADD CONSTRAINT not_25 CHECK (as_of_date <> '2024-04-25')");
    assertThrows(Exception.class, () -> NightlyPipeline.backfill(spark, config, List.of(LocalDate.parse("2024-04-25")),
        Families.ALL, r -> { }));
    spark.sql("ALTER TABLE " + fourth.deltaIdentifier() + " DROP CONSTRAINT not_25");
    Map<String, List<Row>> before = asReadersSeeIt();

    CskpiConfig keep15 = conf("output.keep-daily-as-of-days=15", "quarantine.retention-days=30");
    Map<String, Maintenance.Done> done = new HashMap<>();
    Maintenance.run(spark, keep15, Families.ALL).forEach(d -> done.put(d.table(), d));
    assertEquals(1, done.get("revenue_monthly").runsRemoved(), "the failed run of 2024-04-25");
    assertEquals(0, done.get("churn_reasons_monthly").runsRemoved(), "the failed run wrote nothing there");
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
    // On disk one run per as-of date is left in every table.
    for (String t : TABLES) {
      Dataset<Row> rows = spark.read().format("delta").load(out.child(t).toString());
      assertEquals(rows.select("as_of_date").distinct().count(), rows.select("as_of_date", "run_id").distinct()
          .count(), t);
    }
    // Readers read the latest version, not the versions the published run wrote: even a VACUUM that keeps no old
    // file leaves what they see as it was.
    spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    for (String t : TABLES) {
      spark.sql("VACUUM " + out.child(t).deltaIdentifier() + " RETAIN 0 HOURS");
    }
    spark.conf().unset("spark.databricks.delta.retentionDurationCheck.enabled");
    Map<String, List<Row>> after = asReadersSeeIt();
    TABLES.forEach(t -> assertEquals(before.get(t), after.get(t), t));
  }

  @Test
  @Order(10)
  void registeringOnRunNeedsACatalogThatOutlivesTheSession() {
    io.cskpi.config.InvalidSettingException e = assertThrows(io.cskpi.config.InvalidSettingException.class,
        () -> NightlyPipeline.run(spark, conf("catalog.register-on-run=true"), APRIL, Families.ALL));
    assertTrue(e.getMessage().startsWith("cskpi.catalog.register-on-run = true, but this session's catalog is "
        + "in-memory"), e.getMessage());
  }

  private static List<String> asOfDates(String table) {
    return spark.read().format("delta").load(out.child(table).toString()).select("as_of_date").distinct()
        .orderBy("as_of_date").collectAsList().stream().map(r -> r.get(0).toString()).toList();
  }
}
