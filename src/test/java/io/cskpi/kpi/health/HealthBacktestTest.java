package io.cskpi.kpi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The backtest: churn after a snapshot within the horizon, churn by band, lift and a rank AUC with ties. */
class HealthBacktestTest extends SparkTest {
  @Test
  void aucCountsTiesHalfAndLiftComparesRedWithGreen() {
    // churned scores 10 30 50 75, retained 10 30 60 70 80. Pairs where the churned scored lower (ties half):
    // 10: 0.5 + 4, 30: 0.5 + 3, 50: 3, 75: 1 = 12 of 4 × 5 = 20.
    Dataset<Row> outcomes = frame("snapshot_date DATE, customer_id STRING, score DOUBLE, band STRING, churned BOOLEAN",
        row(d("2025-01-31"), "a", 10.0, "red", true), row(d("2025-01-31"), "b", 10.0, "red", false),
        row(d("2025-01-31"), "c", 30.0, "red", true), row(d("2025-01-31"), "d", 30.0, "red", false),
        row(d("2025-01-31"), "e", 50.0, "yellow", true), row(d("2025-01-31"), "f", 60.0, "yellow", false),
        row(d("2025-01-31"), "g", 70.0, "green", false), row(d("2025-01-31"), "h", 75.0, "green", true),
        row(d("2025-01-31"), "i", 80.0, "thriving", false));
    Map<String, Row> rows = HealthBacktest.backtest(outcomes).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("band"), r -> r));
    assertEquals(Set.of("red", "yellow", "green", "thriving", "all"), rows.keySet());
    Row all = rows.get("all");
    assertEquals(0.6, all.<Double>getAs("auc"), 1e-12);
    assertEquals(9L, all.<Long>getAs("customers"));
    assertEquals(4L, all.<Long>getAs("churned_customers"));
    assertEquals(4.0 / 9, all.<Double>getAs("churn_rate"), 1e-12);
    assertEquals(0.5 / (1.0 / 3), all.<Double>getAs("red_over_green_lift_ratio"), 1e-12);   // green with thriving
    assertEquals(0.5, rows.get("red").<Double>getAs("churn_rate"), 1e-12);
    assertEquals(0.0, rows.get("thriving").<Double>getAs("churn_rate"), 1e-12);
    assertNull(rows.get("red").getAs("auc"));
  }

  @Test
  void aPerfectScoreHasAucOneAndNoChurnHasNone() {
    Dataset<Row> outcomes = frame("snapshot_date DATE, customer_id STRING, score DOUBLE, band STRING, churned BOOLEAN",
        row(d("2025-01-31"), "a", 10.0, "red", true), row(d("2025-01-31"), "b", 90.0, "green", false),
        row(d("2025-02-28"), "a", 10.0, "red", false));
    Map<String, Row> all = HealthBacktest.backtest(outcomes).filter("band = 'all'").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("snapshot_date").toString(), r -> r));
    assertEquals(1.0, all.get("2025-01-31").<Double>getAs("auc"), 1e-12);
    assertNull(all.get("2025-02-28").getAs("auc"));
  }

  @Test
  void churnCountsInTheWholeMonthsAfterTheSnapshotOnly() {
    Dataset<Row> scores = frame("snapshot_date DATE, snapshot_month DATE, is_month_end BOOLEAN, customer_id STRING",
        row(d("2025-01-31"), d("2025-01-01"), true, "feb"), row(d("2025-01-31"), d("2025-01-01"), true, "apr"),
        row(d("2025-01-31"), d("2025-01-01"), true, "may"), row(d("2025-01-31"), d("2025-01-01"), true, "jan"),
        row(d("2025-02-28"), d("2025-02-01"), true, "feb"),        // horizon to May 31: not over on Apr 30
        row(d("2025-01-15"), d("2025-01-01"), false, "feb"));      // not a month end
    Dataset<Row> mrr = frame("customer_id STRING, period_month DATE, movement STRING",
        row("feb", d("2025-02-01"), "churn"), row("apr", d("2025-04-01"), "churn"),
        row("may", d("2025-05-01"), "churn"), row("jan", d("2025-01-01"), "churn"));
    Map<String, Boolean> churned = HealthBacktest.outcomes(scores, mrr, 3, d("2025-04-30")).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id") + "/" + r.getAs("snapshot_date"),
            r -> r.<Boolean>getAs("churned")));
    assertEquals(Map.of("feb/2025-01-31", true, "apr/2025-01-31", true, "may/2025-01-31", false,
        "jan/2025-01-31", false), churned);
  }
}
