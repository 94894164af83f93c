package io.cskpi.kpi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cskpi.SparkTest;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.FamilySettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Health scores on hand-computed data, as of 2025-03-15 with 2 month-end snapshots (Jan 31, Feb 28; Dec 31 only
 * for the change) and the as-of date. Default weights usage 40, voice 10, support 20, billing 30.
 * <pre>
 * MRR      Nov  Dec  Jan  Feb        Mar
 * x basic  100  100  100  80 contr.  80
 * y basic            50   50         0 (churn)
 * z pro         200  200  200        200
 * active days (trailing mean)  Feb: x 10 (20), y 5 (-), z 20 (10); Mar (to the 15th): x 0 (15), z 6 (10)
 * surveys  x: NPS 9 02-10, CSAT 4 02-20, NPS 3 03-01; z: NPS 10 2024-06-01 (too old)
 * tickets  x: T1 created 02-25, open; z: T2 created 01-10, resolved 01-11, reopened (undated: not counted)
 * </pre>
 */
class HealthScoresTest extends SparkTest {
  private static final LocalDate AS_OF = d("2025-03-15");
  private static final HealthSettings DEFAULTS = settings("snapshot-months = 2");
  private static Map<String, Row> rows;

  @BeforeAll
  static void compute() {
    Dataset<Row> customers = frame("customer_id STRING, plan STRING, csm_owner STRING",
        row("x", "basic", "csm_1"), row("y", "basic", null), row("z", "pro", "csm_2"));
    Dataset<Row> mrr = frame("customer_id STRING, period_month DATE, mrr DECIMAL(18,2), previous_mrr DECIMAL(18,2), "
            + "movement STRING",
        row("x", d("2024-11-01"), m("100"), m("0"), "new"), row("x", d("2024-12-01"), m("100"), m("100"), "unchanged"),
        row("x", d("2025-01-01"), m("100"), m("100"), "unchanged"),
        row("x", d("2025-02-01"), m("80"), m("100"), "contraction"),
        row("x", d("2025-03-01"), m("80"), m("80"), "unchanged"),
        row("y", d("2025-01-01"), m("50"), m("0"), "new"), row("y", d("2025-02-01"), m("50"), m("50"), "unchanged"),
        row("y", d("2025-03-01"), m("0"), m("50"), "churn"),
        row("z", d("2024-12-01"), m("200"), m("0"), "new"), row("z", d("2025-01-01"), m("200"), m("200"), "unchanged"),
        row("z", d("2025-02-01"), m("200"), m("200"), "unchanged"),
        row("z", d("2025-03-01"), m("200"), m("200"), "unchanged"));
    Dataset<Row> engagement = frame("customer_id STRING, period_month DATE, active_days BIGINT, "
            + "active_days_trailing_3m_avg DOUBLE",
        row("x", d("2025-02-01"), 10L, 20.0), row("y", d("2025-02-01"), 5L, null), row("z", d("2025-02-01"), 20L, 10.0),
        row("x", d("2025-03-01"), 0L, 15.0), row("z", d("2025-03-01"), 6L, 10.0));
    Dataset<Row> surveys = frame("customer_id STRING, survey_type STRING, score INT, responded_ts TIMESTAMP",
        row("x", "NPS", 9, t("2025-02-10 10:00")), row("x", "CSAT", 4, t("2025-02-20 10:00")),
        row("x", "NPS", 3, t("2025-03-01 10:00")), row("z", "NPS", 10, t("2024-06-01 10:00")));
    Dataset<Row> tickets = frame("customer_id STRING, created_ts TIMESTAMP, resolved_ts TIMESTAMP, reopened BOOLEAN",
        row("x", t("2025-02-25 10:00"), null, false), row("z", t("2025-01-10 10:00"), t("2025-01-11 10:00"), true));
    rows = HealthScores.scores(HealthScores.snapshots(spark, AS_OF, 2), mrr, engagement, surveys, tickets, customers,
            DEFAULTS)
        .collectAsList().stream().collect(Collectors.toMap(
            r -> r.getAs("customer_id") + "/" + r.getAs("snapshot_date"), r -> r));
  }

  @Test
  void snapshotsAreMonthEndsAndTheAsOfDateForPayingCustomers() {
    // Dec 31 only feeds score_change; y has no MRR on Mar 15.
    assertEquals(Set.of("x/2025-01-31", "y/2025-01-31", "z/2025-01-31", "x/2025-02-28", "y/2025-02-28",
        "z/2025-02-28", "x/2025-03-15", "z/2025-03-15"), rows.keySet());
    assertEquals(true, rows.get("x/2025-02-28").getAs("is_month_end"));
    assertEquals(false, rows.get("x/2025-03-15").getAs("is_month_end"));
  }

  @Test
  void componentsAsDocumented() {
    Row x = rows.get("x/2025-02-28");
    // usage: level among basic (x 10, y 5): (1 + 1/2) / 2 = 75; trend 100 × 10 / 20 = 50
    assertComponents(x, 62.5, (90 + 75) / 2.0, 90.0, 60.0);
    // voice: no answer; support: no ticket; billing: no MRR 3 months before
    assertComponents(rows.get("y/2025-02-28"), 25.0, null, 100.0, null);
    // z alone in pro: level 50, trend capped at 100; the NPS is older than 180 days; T2: 100 - 10 (its reopening,
    // undated, does not count)
    assertComponents(rows.get("z/2025-02-28"), 75.0, null, 90.0, null);
    // As of Mar 15: x no usage (level 50 alone in basic, trend 0); NPS 3 and CSAT 4; T1 overdue; billing 80/100.
    assertComponents(rows.get("x/2025-03-15"), 25.0, (30 + 75) / 2.0, 65.0, 60.0);
    // z: 6 days in 15 scaled to 12.4 of 31, trend 100; Dec MRR 200 = now.
    assertComponents(rows.get("z/2025-03-15"), 75.0, null, 90.0, 100.0);
  }

  @Test
  void scoreRenormalisesMissingComponentsAndBands() {
    assertScore(rows.get("x/2025-02-28"), (62.5 * 40 + 82.5 * 10 + 90 * 20 + 60 * 30) / 100, "yellow");
    assertScore(rows.get("y/2025-02-28"), (25.0 * 40 + 100 * 20) / 60, "yellow");
    // z: 75 is green; active days 20 >= 1.25 × 10: an expansion signal.
    assertScore(rows.get("z/2025-02-28"), (75.0 * 40 + 90 * 20) / 60, "thriving");
    assertScore(rows.get("x/2025-03-15"), (25.0 * 40 + 52.5 * 10 + 65 * 20 + 60 * 30) / 100, "yellow");
    assertScore(rows.get("z/2025-03-15"), (75.0 * 40 + 90 * 20 + 100 * 30) / 90, "green");
    assertEquals(46.25 - 69.25, rows.get("x/2025-03-15").<Double>getAs("score_change"), 1e-9);
    assertEquals("usage", rows.get("x/2025-03-15").getAs("top_negative_driver"));   // 75 × 40 lost
    assertEquals("usage", rows.get("x/2025-02-28").getAs("top_negative_driver"));   // 37.5 × 40 = 1500 > 40 × 30
    // Jan 31: x usage 50 (both basic customers tie at 0 days), support 100, no voice or billing: 66.67.
    assertEquals(69.25 - (50.0 * 40 + 100 * 20) / 60, rows.get("x/2025-02-28").<Double>getAs("score_change"), 1e-9);
  }

  @Test
  void supportIsUnknownBeforeTheFirstTicketAndOpenTicketsAgeIntoOverdue() {
    Dataset<Row> scored = frame("customer_id STRING, snapshot_date DATE",
        row("x", d("2025-01-09")), row("x", d("2025-01-10")), row("x", d("2025-01-16")), row("x", d("2025-01-17")),
        row("x", d("2025-01-18")));
    Dataset<Row> tickets = frame("customer_id STRING, created_ts TIMESTAMP, resolved_ts TIMESTAMP",
        row("z", t("2025-01-10 10:00"), null), row("x", t("2025-01-10 12:00"), t("2025-01-18 09:00")));
    Map<String, Double> support = new java.util.HashMap<>();   // toMap refuses null values
    HealthScores.withSupport(scored, tickets, DEFAULTS).collectAsList()
        .forEach(r -> support.put(r.getAs("snapshot_date").toString(), r.getAs("support_score")));
    Map<String, Double> expected = new java.util.HashMap<>();
    expected.put("2025-01-09", null);    // no ticket anywhere yet: unknown, not 100
    expected.put("2025-01-10", 90.0);    // x's ticket of the day
    expected.put("2025-01-16", 90.0);    // open, created 6 days before: not yet overdue
    expected.put("2025-01-17", 65.0);    // open, created 7 days before: overdue
    expected.put("2025-01-18", 90.0);    // resolved that morning
    assertEquals(expected, support);
  }

  @Test
  void neutralCountsAMissingComponentAsFifty() {
    Dataset<Row> scored = frame("usage_score DOUBLE, voice_score DOUBLE, support_score DOUBLE, billing_score DOUBLE, "
            + "mrr DECIMAL(18,2), mrr_3m_ago DECIMAL(18,2), _baseline DOUBLE, _active_days_month DOUBLE",
        row(40.0, null, 100.0, 0.0, m("10"), m("20"), null, 0.0));
    Row renormalised = HealthScores.withScore(scored, DEFAULTS).first();
    Row neutral = HealthScores.withScore(scored, settings("missing-component = neutral")).first();
    assertScore(renormalised, 40.0, "red");     // (1600 + 2000 + 0) / 90: red up to 40 included
    assertScore(neutral, 41.0, "yellow");       // (1600 + 500 + 2000 + 0) / 100
    assertEquals("billing", renormalised.getAs("top_negative_driver"));
  }

  @Test
  void bandEdges() {
    Dataset<Row> scored = frame("usage_score DOUBLE, voice_score DOUBLE, support_score DOUBLE, billing_score DOUBLE, "
            + "mrr DECIMAL(18,2), mrr_3m_ago DECIMAL(18,2), _baseline DOUBLE, _active_days_month DOUBLE",
        row(40.0, 40.0, 40.0, 40.0, m("10"), m("10"), null, 0.0),
        row(40.01, 40.01, 40.01, 40.01, m("10"), m("10"), null, 0.0),
        row(70.0, 70.0, 70.0, 70.0, m("10"), m("10"), null, 0.0),
        row(70.01, 70.01, 70.01, 70.01, m("10"), m("10"), null, 0.0),
        row(100.0, 100.0, 100.0, 100.0, m("11"), m("10"), null, 0.0));
    List<String> bands = HealthScores.withScore(scored, DEFAULTS).collectAsList().stream()
        .map(r -> r.<String>getAs("band")).toList();
    assertEquals(List.of("red", "yellow", "yellow", "green", "thriving"), bands);
    assertNull(HealthScores.withScore(scored, DEFAULTS).collectAsList().get(4).getAs("top_negative_driver"));
  }

  @Test
  void weightsMustSumToOneHundred() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> settings("weights.usage = 50"));
    assertTrue(e.getMessage().contains("cskpi.health.weights") && e.getMessage().contains("sum to 100"),
        e.getMessage());
    assertThrows(InvalidSettingException.class, () -> settings("weights { usage = 0, billing = 70 }"));
    HealthSettings moved = settings("weights { usage = 50, billing = 20 }");
    assertEquals(50.0, moved.weight("usage"));
  }

  private static void assertComponents(Row r, Double usage, Double voice, Double support, Double billing) {
    assertClose(usage, r.getAs("usage_score"), "usage " + r);
    assertClose(voice, r.getAs("voice_score"), "voice " + r);
    assertClose(support, r.getAs("support_score"), "support " + r);
    assertClose(billing, r.getAs("billing_score"), "billing " + r);
  }

  private static void assertClose(Double expected, Double actual, String what) {
    if (expected == null) {
      assertNull(actual, what);
    } else {
      assertEquals(expected, actual, 1e-9, what);
    }
  }

  private static void assertScore(Row r, double score, String band) {
    assertEquals(score, r.<Double>getAs("score"), 1e-9, r.toString());
    assertEquals(band, r.getAs("band"), r.toString());
  }

  static HealthSettings settings(String conf) {
    return FamilySettings.read("health", ConfigFactory.parseString(conf), List.of(), HealthSettings::read);
  }

  private static Timestamp t(String utc) {
    return Timestamp.from(java.time.LocalDateTime.parse(utc.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC));
  }
}
