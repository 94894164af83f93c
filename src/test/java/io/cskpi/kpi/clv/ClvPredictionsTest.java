package io.cskpi.kpi.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

class ClvPredictionsTest extends SparkTest {
  private static final BgNbd.Params BG = new BgNbd.Params(0.243, 4.414, 0.793, 2.426);
  private static final GammaGamma.Params GG = new GammaGamma.Params(6.25, 3.74, 15.44);

  private static Dataset<Row> customers() {
    return frame("customer_id STRING, frequency BIGINT, recency DOUBLE, T DOUBLE, monetary_value DOUBLE",
        row("repeat", 2L, 20.0, 30.0, 30.0),
        row("one-time", 0L, 0.0, 30.0, 0.0));
  }

  @Test
  void expectedSpendIsTheGammaGammaWeightedMean() {
    // (pγ + p·x·m) / (p·x + q - 1) = (6.25·15.44 + 6.25·2·30) / (6.25·2 + 3.74 - 1) = 471.5 / 15.24.
    assertEquals(471.5 / 15.24, GammaGamma.expectedSpend(GG, 2, 30), 1e-12);
    // x = 0: the population mean pγ / (q - 1) = 96.5 / 2.74.
    assertEquals(96.5 / 2.74, GammaGamma.expectedSpend(GG, 0, 0), 1e-12);
  }

  @Test
  void withoutDiscountPredictedClvIsPurchasesTimesSpend() {
    Row r = ClvPredictions.withPredictions(customers(), BG, GG, 52, TimeUnit.WEEK, 0.0)
        .filter("customer_id = 'repeat'").first();
    double purchases = BgNbd.expectedPurchases(BG, 52, 2, 20, 30);
    assertEquals(purchases, r.<Double>getAs("expected_purchases"), 1e-12);
    assertEquals(BgNbd.probabilityAlive(BG, 2, 20, 30), r.<Double>getAs("p_alive"), 1e-12);
    assertEquals(471.5 / 15.24, r.<Double>getAs("expected_avg_spend"), 1e-12);
    // The monthly increments telescope to E[Y(52)].
    assertEquals(BigDecimal.valueOf(purchases * 471.5 / 15.24).setScale(2, java.math.RoundingMode.HALF_UP),
        r.getAs("predicted_clv"));
  }

  @Test
  void discountingIsMonthlyAtTheEquivalentRate() {
    // Horizon 12 months in month units, 10% a year: month k's purchases are worth 1 / 1.1^(k/12).
    Row r = ClvPredictions.withPredictions(customers(), BG, GG, 12, TimeUnit.MONTH, 0.10)
        .filter("customer_id = 'repeat'").first();
    double spend = 471.5 / 15.24;
    double expected = 0;
    for (int k = 1; k <= 12; k++) {
      double bought = BgNbd.expectedPurchases(BG, k, 2, 20, 30) - BgNbd.expectedPurchases(BG, k - 1, 2, 20, 30);
      expected += bought * spend / Math.pow(1.1, k / 12.0);
    }
    assertEquals(BigDecimal.valueOf(expected).setScale(2, java.math.RoundingMode.HALF_UP), r.getAs("predicted_clv"));
  }

  @Test
  void withoutASpendModelThereIsNoValuePrediction() {
    Row r = ClvPredictions.withPredictions(customers(), BG, null, 52, TimeUnit.WEEK, 0.1)
        .filter("customer_id = 'one-time'").first();
    assertNull(r.getAs("expected_avg_spend"));
    assertNull(r.getAs("predicted_clv"));
    assertEquals(1.0, r.<Double>getAs("p_alive"), 0, "a one-time buyer has not had the chance to drop out");
  }
}
