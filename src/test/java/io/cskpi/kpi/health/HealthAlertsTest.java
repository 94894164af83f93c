package io.cskpi.kpi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

/** Alerts: entering red (not staying red), a drop of more than the threshold (not exactly it), a contraction. */
class HealthAlertsTest extends SparkTest {
  @Test
  void eachAlertOnceWhereItsRuleHolds() {
    Dataset<Row> scores = frame("snapshot_date DATE, customer_id STRING, score DOUBLE, band STRING, "
            + "previous_score DOUBLE, previous_band STRING, previous_snapshot_date DATE, movement STRING, "
            + "mrr DECIMAL(18,2), previous_mrr DECIMAL(18,2), top_negative_driver STRING, owner STRING",
        row(d("2025-03-15"), "enters", 35.0, "red", 45.0, "yellow", d("2025-02-28"), "unchanged", m("10"), m("10"),
            "usage", "csm_1"),
        row(d("2025-03-15"), "stays", 30.0, "red", 35.0, "red", d("2025-02-28"), "unchanged", m("10"), m("10"),
            "support", null),
        row(d("2025-03-15"), "first", 20.0, "red", null, null, null, "new", m("10"), m("0"), "billing", null),
        row(d("2025-03-15"), "drops", 60.0, "yellow", 75.5, "green", d("2025-02-28"), "unchanged", m("10"), m("10"),
            "voice", "csm_2"),
        row(d("2025-03-15"), "by15", 60.0, "yellow", 75.0, "green", d("2025-02-28"), "unchanged", m("10"), m("10"),
            "voice", null),
        row(d("2025-03-15"), "cuts", 80.0, "green", 80.0, "green", d("2025-02-28"), "contraction", m("80"), m("100"),
            null, "csm_1"));
    Map<String, Row> alerts = HealthAlerts.alerts(scores, HealthScoresTest.settings("")).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id") + "/" + r.getAs("alert"), r -> r));
    assertEquals(java.util.Set.of("enters/entered_red", "first/entered_red", "drops/score_drop", "cuts/contraction"),
        alerts.keySet());
    assertEquals("score 35.0 is red (was 45.0, yellow); weakest: usage", alerts.get("enters/entered_red")
        .getAs("reason"));
    assertEquals("score fell 15.5 points, 75.5 -> 60.0 since 2025-02-28; weakest: voice",
        alerts.get("drops/score_drop").getAs("reason"));
    assertTrue(alerts.get("cuts/contraction").<String>getAs("reason").startsWith("MRR fell from 100.00 to 80.00"));
    assertEquals("csm_1", alerts.get("cuts/contraction").getAs("owner"));
  }
}
