package io.cskpi.kpi.revenue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

class RevenueMonthlyTest extends RevenueFixture {
  private static List<Row> all;
  private static Dataset<Row> revenue;

  @BeforeAll
  static void compute() {
    revenue = RevenueMonthly.toRevenueMonthly(movements(), DIMS).cache();
    all = revenue.filter("dimension = 'all'").orderBy("period_month").collectAsList();
  }

  private static double dbl(Row r, String c) {
    return r.<Double>getAs(c);
  }

  @Test
  void bridgeAmountsAndCountsPerMonth() {
    String cols = "period_month DATE, customers_start BIGINT, customers_new BIGINT, "
        + "customers_reactivated BIGINT, customers_churned BIGINT, customers_end BIGINT, "
        + "mrr_start DECIMAL(18,2), mrr_new DECIMAL(18,2), mrr_expansion DECIMAL(18,2), "
        + "mrr_contraction DECIMAL(18,2), mrr_churned DECIMAL(18,2), mrr_reactivation DECIMAL(18,2), "
        + "mrr_end DECIMAL(18,2), net_new_mrr DECIMAL(18,2), arpa DECIMAL(18,2)";
    Dataset<Row> expected = frame(cols,
        // Jan: A 100 + B 200 + C 50 all new; ARPA 350 / 3 = 116.67.
        row(d("2024-01-01"), 0L, 3L, 0L, 0L, 3L, m("0"), m("350"), m("0"), m("0"), m("0"), m("0"), m("350"),
            m("350"), m("116.67")),
        // Feb: H new 30; B 200 -> 80 contraction 120; C churns 50. 350 + 30 - 120 - 50 = 210.
        row(d("2024-02-01"), 3L, 1L, 0L, 1L, 3L, m("350"), m("30"), m("0"), m("120"), m("50"), m("0"),
            m("210"), m("-140"), m("70")),
        // Mar: A +50, H +20 expansion; B churns 80. 210 + 70 - 80 = 200.
        row(d("2024-03-01"), 3L, 0L, 0L, 1L, 2L, m("210"), m("0"), m("70"), m("0"), m("80"), m("0"), m("200"),
            m("-10"), m("100")),
        // Apr: F new 40, C back with 60, H -20. 200 + 40 + 60 - 20 = 280.
        row(d("2024-04-01"), 2L, 1L, 1L, 0L, 4L, m("200"), m("40"), m("0"), m("20"), m("0"), m("60"), m("280"),
            m("80"), m("70")));
    assertSameRows(expected, revenue.filter("dimension = 'all'"));
  }

  @Test
  void ratesFollowTheirDefinitions() {
    Row feb = all.get(1);
    assertEquals(1.0 / 3, dbl(feb, "logo_churn_rate"), 1e-12);
    assertEquals((3.0 - 1 - 0) / 3, dbl(feb, "customer_retention_rate"), 1e-12);
    assertEquals((350.0 + 0 - 120 - 50) / 350, dbl(feb, "nrr"), 1e-12);
    assertEquals((350.0 - 120 - 50) / 350, dbl(feb, "grr"), 1e-12);
    assertEquals(30.0 / (120 + 50), dbl(feb, "quick_ratio"), 1e-12);
    Row mar = all.get(2);
    assertEquals((210.0 + 70 - 80) / 210, dbl(mar, "nrr"), 1e-12);
    assertEquals((210.0 - 80) / 210, dbl(mar, "grr"), 1e-12);
    assertEquals(1 - Math.pow(1 - 1.0 / 3, 12), dbl(mar, "annualized_churn_rate"), 1e-12);
    Row apr = all.get(3);
    assertEquals(0.0, dbl(apr, "logo_churn_rate"), 0);
    assertEquals((4.0 - 1 - 1) / 2, dbl(apr, "customer_retention_rate"), 1e-12);
    assertEquals((40.0 + 60) / 20, dbl(apr, "quick_ratio"), 1e-12);
  }

  @Test
  void zeroDenominatorsGiveNullNotZero() {
    Row jan = all.get(0);
    assertNull(jan.getAs("logo_churn_rate"));
    assertNull(jan.getAs("annualized_churn_rate"));
    assertNull(jan.getAs("customer_retention_rate"));
    assertNull(jan.getAs("nrr"));
    assertNull(jan.getAs("grr"));
    assertNull(jan.getAs("quick_ratio"));
  }

  @Test
  void segmentsComeFromCustomersAndNullIsUnknown() {
    String cols = "period_month DATE, dimension STRING, segment STRING, customers_start BIGINT, "
        + "customers_new BIGINT, customers_reactivated BIGINT, customers_end BIGINT, mrr_start DECIMAL(18,2), "
        + "mrr_end DECIMAL(18,2)";
    // April by plan: A is 'pro'; C (null plan), F and H (no customers row) are 'unknown'.
    Dataset<Row> expected = frame(cols,
        row(d("2024-04-01"), "plan", "pro", 1L, 0L, 0L, 1L, m("150"), m("150")),
        row(d("2024-04-01"), "plan", "unknown", 1L, 1L, 1L, 3L, m("50"), m("130")));
    assertSameRows(expected, revenue.filter("dimension = 'plan' AND period_month = DATE'2024-04-01'"));
  }

  @Test
  void churnReasonsCountChurnedCustomersByReason() {
    Dataset<Row> expected = frame("period_month DATE, dimension STRING, segment STRING, cancel_reason STRING, "
            + "customers_churned BIGINT, mrr_churned DECIMAL(18,2)",
        row(d("2024-02-01"), "all", "all", "unknown", 1L, m("50")),
        row(d("2024-03-01"), "all", "all", "price", 1L, m("80")),
        row(d("2024-02-01"), "plan", "unknown", "unknown", 1L, m("50")),
        row(d("2024-03-01"), "plan", "starter", "price", 1L, m("80")));
    assertSameRows(expected, RevenueMonthly.toChurnReasonsMonthly(movements(), DIMS));
  }

  @Test
  void anyExtraCustomersColumnCanBeASegmentDimension() {
    Dataset<Row> customers = frame("customer_id STRING, signup_date DATE, tier STRING",
        row("A", d("2024-01-01"), "gold"), row("B", d("2024-01-01"), "gold"), row("H", d("2024-01-01"), "silver"));
    Dataset<Row> byTier = RevenueMonthly.toRevenueMonthly(
        RevenueFamily.customerMovements(customers, subscriptions(), List.of("tier"), AS_OF), List.of("tier"));
    // March: A 150 + B churned (0) are gold; H 50 is silver; C and F are unknown (no tier).
    Dataset<Row> expected = frame("period_month DATE, dimension STRING, segment STRING, customers_end BIGINT, "
            + "mrr_end DECIMAL(18,2), customers_churned BIGINT",
        row(d("2024-03-01"), "tier", "gold", 1L, m("150"), 1L),
        row(d("2024-03-01"), "tier", "silver", 1L, m("50"), 0L));
    assertSameRows(expected, byTier.filter("dimension = 'tier' AND period_month = DATE'2024-03-01'"));
  }

  @Test
  void amountsBeyondMoneyAreNullNotZero() {
    // Two new customers of 8e15 each: each fits DECIMAL(18,2), their month's total does not. The totals are
    // null (not a silent 0.00); movements without amounts still give 0.
    Dataset<Row> movements = frame("customer_id STRING, period_month DATE, mrr DECIMAL(18,2), "
            + "previous_mrr DECIMAL(18,2), movement STRING, mrr_change DECIMAL(18,2), churn_reason STRING",
        row("A", d("2024-01-01"), m("8000000000000000"), m("0"), "new", m("8000000000000000"), null),
        row("B", d("2024-01-01"), m("8000000000000000"), m("0"), "new", m("8000000000000000"), null));
    Row jan = RevenueMonthly.toRevenueMonthly(movements, List.of()).filter("dimension = 'all'").first();
    assertNull(jan.getAs("mrr_new"));
    assertNull(jan.getAs("mrr_end"));
    assertEquals(m("0"), jan.getAs("mrr_churned"));
    assertEquals(m("0"), jan.getAs("mrr_contraction"));
    assertEquals(2L, (long) jan.<Long>getAs("customers_new"));
  }
}
