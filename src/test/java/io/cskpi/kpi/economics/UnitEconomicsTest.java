package io.cskpi.kpi.economics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

class UnitEconomicsTest extends SparkTest {
  private static Map<String, Row> rows;

  @BeforeAll
  static void compute() {
    Dataset<Row> revenue = frame("period_month DATE, dimension STRING, segment STRING, customers_new BIGINT, "
            + "customers_start BIGINT, customers_churned BIGINT, customers_end BIGINT, arpa DECIMAL(18,2)",
        row(d("2024-01-01"), "all", "all", 10L, 0L, 0L, 10L, m("100")),
        row(d("2024-02-01"), "all", "all", 5L, 10L, 1L, 14L, m("100")),
        row(d("2024-03-01"), "all", "all", 0L, 14L, 0L, 14L, m("110")),
        row(d("2024-04-01"), "all", "all", 4L, 14L, 2L, 16L, m("120")),
        row(d("2024-01-01"), "acquisition_channel", "paid", 4L, 0L, 0L, 4L, m("100")),
        row(d("2024-01-01"), "acquisition_channel", "organic", 6L, 0L, 0L, 6L, m("100")),
        row(d("2024-01-01"), "plan", "pro", 3L, 0L, 0L, 3L, m("100")));
    Dataset<Row> costs = frame("period_month DATE, category STRING, acquisition_channel STRING, amount DECIMAL(18,2)",
        row(d("2024-01-01"), "marketing", "paid", m("1000")),
        row(d("2024-01-01"), "sales", null, m("500")),
        row(d("2024-01-01"), "support", null, m("300")),
        row(d("2024-02-01"), "marketing", "paid", m("600")),
        row(d("2024-02-01"), "marketing", "partner", m("200")),
        row(d("2024-03-01"), "marketing", "paid", m("300")),
        row(d("2024-03-01"), "customer_success", null, m("700")),
        row(d("2024-04-01"), "sales", "paid", m("800")));
    List<String> dims = List.of("plan", "acquisition_channel");
    Dataset<Row> result = UnitEconomics.toUnitEconomics(revenue, UnitEconomics.toCostsBySegment(costs, dims),
        new UnitEconomics.Settings(0.8, 2, 0.05));
    rows = result.collectAsList().stream().collect(Collectors.toMap(
        r -> r.getAs("period_month").toString().substring(0, 7) + "/" + r.getAs("dimension") + "/" + r.getAs("segment"),
        r -> r));
  }

  private static Row at(String key) {
    return rows.get(key);
  }

  @Test
  void cacIsAcquisitionSpendPerNewCustomer() {
    // All spend counts in 'all': Jan 1000 + 500 = 1500 for 10 new; Feb 600 + 200 = 800 for 5; Apr 800 for 4.
    assertEquals(m("1500"), at("2024-01/all/all").getAs("acquisition_spend"));
    assertEquals(m("150"), at("2024-01/all/all").getAs("cac"));
    assertEquals(m("160"), at("2024-02/all/all").getAs("cac"));
    assertNull(at("2024-03/all/all").getAs("cac"), "no new customers: null, not 0 and not an error");
    assertEquals(m("200"), at("2024-04/all/all").getAs("cac"));
    // Support (300) is not acquisition spend.
    assertEquals(m("300"), at("2024-01/all/all").getAs("cs_cost"));
  }

  @Test
  void trailingCacSumsThreeMonthsOfSpendAndNewCustomers() {
    assertEquals(m("150"), at("2024-01/all/all").getAs("cac_trailing_3m"));           // 1500 / 10
    assertEquals(m("153.33"), at("2024-02/all/all").getAs("cac_trailing_3m"));        // 2300 / 15
    assertEquals(m("173.33"), at("2024-03/all/all").getAs("cac_trailing_3m"));        // 2600 / 15
    assertEquals(m("211.11"), at("2024-04/all/all").getAs("cac_trailing_3m"));        // 1900 / 9
  }

  @Test
  void channelSpendGoesToItsSegmentAndOtherDimensionsHaveNone() {
    assertEquals(m("1000"), at("2024-01/acquisition_channel/paid").getAs("acquisition_spend"));
    assertEquals(m("250"), at("2024-01/acquisition_channel/paid").getAs("cac"));
    assertEquals(m("0"), at("2024-01/acquisition_channel/organic").getAs("acquisition_spend"));
    // Spend on a channel without customers still shows up (full outer join), with no CAC.
    Row partner = at("2024-02/acquisition_channel/partner");
    assertEquals(m("200"), partner.getAs("acquisition_spend"));
    assertEquals(0L, partner.<Long>getAs("new_customers"));
    assertNull(partner.getAs("cac"));
    assertNull(at("2024-01/plan/pro").getAs("acquisition_spend"));
    assertNull(at("2024-01/plan/pro").getAs("cac"));
  }

  @Test
  void formulaClvUsesTheTrailingChurnRateWithAFloor() {
    // Window: the 2 months before. Mar: (0 + 1) / (0 + 10) = 0.1; Apr: (1 + 0) / (10 + 14) = 1/24 < 0.05.
    Row mar = at("2024-03/all/all");
    assertEquals(0.1, mar.<Double>getAs("churn_rate_trailing"), 1e-12);
    assertFalse(mar.<Boolean>getAs("is_churn_floor_applied"));
    assertEquals(m("880"), mar.getAs("clv_formula"));                                // 110 × 0.8 / 0.1
    Row apr = at("2024-04/all/all");
    assertEquals(1.0 / 24, apr.<Double>getAs("churn_rate_trailing"), 1e-12);
    assertTrue(apr.<Boolean>getAs("is_churn_floor_applied"));
    assertEquals(0.05, apr.<Double>getAs("clv_churn_rate"), 1e-12);
    assertEquals(m("1920"), apr.getAs("clv_formula"));                               // 120 × 0.8 / 0.05
    assertNull(at("2024-01/all/all").getAs("clv_formula"), "no churn history yet");
  }

  @Test
  void ratiosPaybackProfitAndHealth() {
    Row apr = at("2024-04/all/all");
    assertEquals(1920.0 / 200, apr.<Double>getAs("clv_to_cac_ratio"), 1e-12);
    assertEquals("healthy", apr.getAs("clv_cac_health"));
    assertEquals(200 / (120 * 0.8), apr.<Double>getAs("cac_payback_months"), 1e-12);
    assertEquals(m("1720"), apr.getAs("profit_per_customer"));
    Row mar = at("2024-03/all/all");
    assertNull(mar.getAs("clv_to_cac_ratio"));
    assertNull(mar.getAs("clv_cac_health"));
    // Retention cost: 700 / ((14 + 14) / 2) = 50; CLV:CRC = 880 / 50.
    assertEquals(m("50"), mar.getAs("crc"));
    assertEquals(880.0 / 50, mar.<Double>getAs("clv_to_crc_ratio"), 1e-12);
    assertEquals(m("60"), at("2024-01/all/all").getAs("crc"));                       // 300 / ((0 + 10) / 2)
  }

  @Test
  void spendBeyondMoneyIsNullNotZero() {
    // Two marketing costs of 6e15 each fit DECIMAL(18,2); January's total does not. February has no costs: 0.
    Dataset<Row> revenue = frame("period_month DATE, dimension STRING, segment STRING, customers_new BIGINT, "
            + "customers_start BIGINT, customers_churned BIGINT, customers_end BIGINT, arpa DECIMAL(18,2)",
        row(d("2024-01-01"), "all", "all", 2L, 0L, 0L, 2L, m("100")),
        row(d("2024-02-01"), "all", "all", 1L, 2L, 0L, 3L, m("100")));
    Dataset<Row> costs = frame("period_month DATE, category STRING, acquisition_channel STRING, amount DECIMAL(18,2)",
        row(d("2024-01-01"), "marketing", null, m("6000000000000000")),
        row(d("2024-01-01"), "marketing", null, m("6000000000000000")));
    Map<String, Row> byMonth = UnitEconomics.toUnitEconomics(revenue,
            UnitEconomics.toCostsBySegment(costs, List.of()), new UnitEconomics.Settings(0.8, 2, 0.05))
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("period_month").toString(), r -> r));
    assertNull(byMonth.get("2024-01-01").getAs("acquisition_spend"));
    assertNull(byMonth.get("2024-01-01").getAs("cac"));
    assertEquals(m("0"), byMonth.get("2024-01-01").getAs("cs_cost"));
    assertEquals(m("0"), byMonth.get("2024-02-01").getAs("acquisition_spend"));
    assertEquals(m("0"), byMonth.get("2024-02-01").getAs("cs_cost"));
  }

  @Test
  void healthLabelBoundaries() {
    Dataset<Row> ratios = frame("ratio DOUBLE", row(3.0), row(2.99), row(1.01), row(1.0), row(0.2), row((Object) null));
    List<Object> labels = ratios.select(UnitEconomics.clvCacHealth(org.apache.spark.sql.functions.col("ratio")))
        .collectAsList().stream().map(r -> r.get(0)).toList();
    assertEquals(java.util.Arrays.asList("healthy", "thin", "thin", "losing_money", "losing_money", null), labels);
  }
}
