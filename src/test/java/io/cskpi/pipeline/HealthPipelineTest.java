package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.Families;
import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.generate.GeneratorSettings;
import io.cskpi.generate.SyntheticData;
import io.cskpi.io.InputReader;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Health through the pipeline (revenue, engagement, health) on generated data. Point in time: the snapshot of
 * 2025-03-31 is the same in a run as of 2025-03-31, in a run as of 2025-06-30, and in a run as of 2025-03-31 whose
 * inputs hold nothing dated after it.
 */
class HealthPipelineTest extends SparkTest {
  private static final LocalDate MARCH = d("2025-03-31");
  private static final LocalDate JUNE = d("2025-06-30");
  private static FamilyPlan plan;
  private static List<String> segments;
  private static Map<String, Dataset<Row>> full;
  private static NightlyPipeline.Computed inJune;

  @BeforeAll
  static void generate() {
    CskpiConfig config = CskpiConfig.load(null, List.of("families=[revenue, engagement, health]",
        "segments=[plan, csm_owner]", "health.snapshot-months=6"));
    plan = FamilyPlan.of(Families.ALL, config);
    segments = config.segmentColumns();
    Map<String, Dataset<Row>> generated = SyntheticData.generate(spark, new GeneratorSettings(300, 18, 3, JUNE, 6));
    full = new LinkedHashMap<>();
    for (var spec : plan.inputs()) {
      full.put(spec.name(), InputReader.conform(spec, generated.get(spec.name()), false).cache());
    }
    inJune = NightlyPipeline.compute(full, JUNE, segments, plan);
  }

  private static Dataset<Row> healthScores(Map<String, Dataset<Row>> inputs, LocalDate asOf) {
    return NightlyPipeline.compute(inputs, asOf, segments, plan).output("health_scores").rows();
  }

  /** The inputs as they were at the end of {@code day}: later rows gone, later ends and answers not yet known. */
  private static Map<String, Dataset<Row>> asKnownOn(LocalDate day) {
    Timestamp end = Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    Column later = lit(java.sql.Date.valueOf(day));
    Map<String, Dataset<Row>> cut = new LinkedHashMap<>(full);
    cut.put("customers", full.get("customers").filter(col("signup_date").leq(later)));
    Dataset<Row> subs = full.get("subscriptions").filter(col("start_date").leq(later));
    cut.put("subscriptions", subs
        .withColumn("cancel_reason", when(col("end_date").gt(later), lit(null)).otherwise(col("cancel_reason")))
        .withColumn("end_date", when(col("end_date").gt(later), lit(null)).otherwise(col("end_date"))));
    cut.put("usage_events", full.get("usage_events").filter(col("event_ts").lt(lit(end))));
    cut.put("surveys", full.get("surveys").filter(col("responded_ts").lt(lit(end))));
    Column resolvedLater = col("resolved_ts").geq(lit(end));
    cut.put("tickets", full.get("tickets").filter(col("created_ts").lt(lit(end)))
        .withColumn("reopened", when(resolvedLater, lit(null)).otherwise(col("reopened")))
        .withColumn("contacts", when(resolvedLater, lit(null)).otherwise(col("contacts")))
        .withColumn("first_response_ts", when(col("first_response_ts").geq(lit(end)), lit(null))
            .otherwise(col("first_response_ts")))
        .withColumn("resolved_ts", when(resolvedLater, lit(null)).otherwise(col("resolved_ts"))));
    return cut;
  }

  @Test
  void aSnapshotIsTheSameInAnyLaterRunAndWithoutLaterData() {
    Dataset<Row> inMarch = healthScores(full, MARCH).filter(col("snapshot_date").equalTo(lit(MARCH))).cache();
    Dataset<Row> juneRun = inJune.output("health_scores").rows().filter(col("snapshot_date").equalTo(lit(MARCH)));
    Dataset<Row> cutInMarch = healthScores(asKnownOn(MARCH), MARCH)
        .filter(col("snapshot_date").equalTo(lit(MARCH))).cache();
    long customers = inMarch.count();
    assertTrue(customers > 50, "customers scored on 2025-03-31: " + customers);
    for (Dataset<Row> other : List.of(juneRun, cutInMarch)) {
      assertEquals(0, inMarch.exceptAll(other).count());
      assertEquals(0, other.exceptAll(inMarch).count());
    }
    // Not trivially equal: the scores differ between customers and some change since February.
    assertTrue(inMarch.select("score").distinct().count() > 10);
    assertTrue(inMarch.filter(col("score_change").isNotNull().and(col("score_change").notEqual(0))).count() > 10);
  }

  @Test
  void everyBandAndTheBacktestAppear() {
    NightlyPipeline.Computed computed = inJune;
    List<Row> bands = computed.output("health_scores").rows().groupBy("band").count().collectAsList();
    assertEquals(4, bands.size(), bands.toString());
    Dataset<Row> backtest = computed.output("health_backtest").rows().filter("band = 'all'");
    // Month ends Dec .. Mar have their 3 months by June 30.
    assertEquals(4, backtest.count());
    // A few hundred customers churn too rarely for each month's AUC to be stable: their mean shows the signal,
    // imperfect as the generator makes it (30% of churns come without warning).
    List<Double> aucs = backtest.collectAsList().stream().map(r -> r.<Double>getAs("auc")).toList();
    double mean = aucs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    assertTrue(mean > 0.55 && mean < 0.95, "AUCs " + aucs);
    Dataset<Row> alerts = computed.output("health_alerts").rows();
    assertEquals(3, alerts.select("alert").distinct().count());
    assertEquals(0, alerts.filter(col("recommended_action").isNull().or(col("reason").isNull())).count());
  }
}
