package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cskpi.Families;
import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The voice and support families through the pipeline, from Parquet inputs and conf to results: the settings
 * reach the computations and the rules (a CSAT scale of 1-10 with positive >= 6, every response counted, working
 * hours in Amsterdam), the optional usage_events may be absent, bad rows are quarantined by name.
 */
class VoiceSupportPipelineTest extends SparkTest {
  @TempDir static Path dir;
  private static NightlyPipeline.Computed computed;
  private static Map<String, Dataset<Row>> conformed;

  @BeforeAll
  static void run() {
    Path input = dir.resolve("input");
    frame("customer_id STRING, signup_date DATE, plan STRING",
        row("c1", d("2024-06-01"), "basic"), row("c2", d("2024-06-01"), "pro"))
        .write().parquet(input.resolve("customers").toString());
    frame("response_id STRING, customer_id STRING, survey_type STRING, score INT, comment STRING, "
            + "responded_ts TIMESTAMP, touchpoint STRING, language STRING",
        row("r1", "c1", "CSAT", 8, null, t("2025-01-10T10:00:00Z"), "support", null),
        row("r2", "c1", "csat", 5, null, t("2025-01-20T10:00:00Z"), "support", null),
        row("r3", "c2", "CSAT", 11, null, t("2025-01-20T10:00:00Z"), "support", null),
        row("r4", "c2", "NPS", 9, null, t("2025-01-21T10:00:00Z"), "All", null),
        row("r5", "c2", "NPS", 10, "Great product, our team loves the dashboards.", t("2025-01-22T10:00:00Z"),
            "relationship", "en-US"),
        row("r6", "c1", "CES", 6, null, t("2025-01-23T10:00:00Z"), "onboarding", null))
        .write().parquet(input.resolve("surveys").toString());
    frame("ticket_id STRING, customer_id STRING, created_ts TIMESTAMP, first_response_ts TIMESTAMP, "
            + "resolved_ts TIMESTAMP, contacts INT, reopened BOOLEAN",
        row("t1", "c1", t("2025-01-08T08:00:00Z"), t("2025-01-08T12:30:00Z"), t("2025-01-09T12:00:00Z"), 1, false),
        row("t2", "c2", t("2025-01-08T08:00:00Z"), t("2025-01-08T07:00:00Z"), null, null, null))
        .write().parquet(input.resolve("tickets").toString());
    CskpiConfig config = CskpiConfig.load(null, List.of("input.dir=\"" + input + "\"", "input.format=parquet",
        "families=[voice, support]", "segments=[plan]", "voice.csat-scale-max=10", "voice.csat-positive-from=6",
        "voice.responses=all", "support.business-time-zone=\"Europe/Amsterdam\""));
    FamilyPlan plan = FamilyPlan.of(Families.ALL, config);
    conformed = NightlyPipeline.readInputs(spark, config, plan);   // no usage_events: read when present
    computed = NightlyPipeline.compute(conformed, LocalDate.parse("2025-01-31"), config.segmentColumns(), plan);
  }

  private static Timestamp t(String instant) {
    return Timestamp.from(java.time.Instant.parse(instant));
  }

  private static Row only(String table, String filter) {
    List<Row> rows = computed.output(table).rows().filter(filter).collectAsList();
    assertEquals(1, rows.size(), table + " where " + filter);
    return rows.get(0);
  }

  @Test
  void badRowsAreQuarantinedByRuleAndTheRestCounted() {
    Map<String, String> rules = new TreeMap<>();
    computed.output("quarantine").rows().collectAsList().forEach(r -> rules.put(
        r.getAs("table_name") + ":" + r.<String>getAs("raw_row").replaceAll(".*\"(r\\d|t\\d)\".*", "$1"),
        String.join(",", r.<String>getList(r.fieldIndex("rules")))));
    assertEquals(Map.of("surveys:r3", "score_out_of_scale", "surveys:r4", "reserved_touchpoint",
        "tickets:t2", "response_before_creation"), rules);
    assertEquals(0, conformed.get("usage_events").count(), "absent usage_events reads as empty");
  }

  @Test
  void settingsReachTheComputations() {
    // CSAT on 1-10, positive >= 6, every response: r1 (8) positive, r2 (5) not; r3 (11) quarantined.
    Row csat = only("csat_monthly", "dimension = 'all' AND touchpoint = 'support'");
    assertEquals(2L, csat.<Long>getAs("responses"));
    assertEquals(1L, csat.<Long>getAs("positive"));
    assertEquals(0.5, csat.<Double>getAs("csat_rate"), 1e-12);
    assertEquals(6.5, csat.<Double>getAs("mean_score"), 1e-12);
    Row nps = only("nps_monthly", "dimension = 'all' AND touchpoint = 'all'");
    assertEquals(1L, nps.<Long>getAs("responses"));
    assertEquals(100.0, nps.<Double>getAs("nps"), 1e-12);
    // Amsterdam is UTC+1 in January: t1 runs 09:00 to 13:30 local, all working time.
    Row support = only("support_monthly", "dimension = 'all'");
    assertEquals(4.5, support.<Double>getAs("first_response_business_hours_median"), 1e-9);
    assertEquals(4.5, support.<Double>getAs("first_response_hours_median"), 1e-9);
    assertEquals(1L, support.<Long>getAs("tickets_created"), "t2 is quarantined");
  }

  @Test
  void followUpsAndCommentsWithoutRevenueOrUsage() {
    Row followup = only("nps_followups", "customer_id = 'c2'");
    assertEquals("r5", followup.getAs("response_id"));
    assertEquals("ask_referral", followup.getAs("action"));
    assertNull(followup.getAs("is_churned"), "revenue does not run");
    assertNull(followup.getAs("unused_feature"));
    // 'en-US' is no two-letter code: the language is detected.
    List<String> languages = computed.output("feedback_terms").rows().filter(col("dimension").equalTo("all"))
        .select("language").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("en"), languages);
  }
}
