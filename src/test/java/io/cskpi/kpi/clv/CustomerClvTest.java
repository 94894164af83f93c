package io.cskpi.kpi.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.InputReader;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.pipeline.FamilyPlan;
import io.cskpi.Families;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** customer_clv's historic part on hand-computed data, through the whole pipeline compute. */
class CustomerClvTest extends SparkTest {
  private static Map<String, Row> clv;
  private static Row model;

  @BeforeAll
  static void compute() {
    LocalDate asOf = LocalDate.parse("2024-04-15");
    Map<String, Dataset<Row>> raw = new LinkedHashMap<>();
    raw.put("customers", frame("customer_id STRING, signup_date DATE, plan STRING",
        row("A", d("2024-01-01"), "pro"), row("B", d("2024-01-01"), "pro"), row("Z", d("2024-03-01"), null)));
    raw.put("subscriptions", frame("subscription_id STRING, customer_id STRING, start_date DATE, end_date DATE, "
            + "mrr DECIMAL(18,2)",
        row("S1", "A", d("2024-01-10"), null, m("100")),
        row("S2", "B", d("2024-01-05"), d("2024-03-20"), m("50"))));
    raw.put("costs", frame("period_month DATE, category STRING, amount DECIMAL(18,2)",
        row(d("2024-01-01"), "marketing", m("300"))));
    raw.put("transactions", frame("transaction_id STRING, customer_id STRING, transaction_ts TIMESTAMP, "
            + "amount DECIMAL(18,2), kind STRING",
        row("T1", "A", ts("2024-01-10T09:00:00Z"), m("100"), "recurring"),
        row("T2", "A", ts("2024-01-10T15:00:00Z"), m("400"), "one_off"),
        row("T3", "A", ts("2024-02-10T09:00:00Z"), m("100"), "recurring"),
        row("T4", "A", ts("2024-02-12T09:00:00Z"), m("30"), "refund"),
        row("T5", "A", ts("2024-03-10T09:00:00Z"), m("100"), "recurring"),
        row("T6", "A", ts("2024-04-10T09:00:00Z"), m("100"), "recurring"),
        row("T7", "A", ts("2024-05-10T09:00:00Z"), m("100"), "recurring"),   // after the as-of date
        row("T8", "B", ts("2024-01-05T09:00:00Z"), m("50"), "recurring"),
        row("T9", "B", ts("2024-02-05T09:00:00Z"), m("50"), "recurring"),
        // Customer X has no customers row: its purchases are kept, under segment 'unknown'.
        row("T10", "X", ts("2024-02-01T09:00:00Z"), m("70"), "one_off"),
        row("T11", "X", ts("2024-03-01T09:00:00Z"), m("30"), "one_off")));
    Map<String, Dataset<Row>> conformed = new LinkedHashMap<>();
    raw.forEach((t, df) -> conformed.put(t, InputReader.conform(InputTables.byName(t), df, false)));
    CskpiConfig config = CskpiConfig.load(null, List.of("families=[revenue, economics, clv]"));
    List<NightlyPipeline.OutputTable> out = NightlyPipeline.compute(conformed, asOf, config.segmentColumns(),
        FamilyPlan.of(Families.ALL, config)).outputs();
    Dataset<Row> customerClv = out.stream().filter(o -> o.name().equals("customer_clv")).findFirst().orElseThrow()
        .rows();
    clv = new LinkedHashMap<>();
    customerClv.collectAsList().forEach(r -> clv.put(r.getAs("customer_id"), r));
    model = out.stream().filter(o -> o.name().equals("clv_model")).findFirst().orElseThrow().rows().first();
  }

  private static java.time.Instant ts(String iso) {
    return java.time.Instant.parse(iso);
  }

  @Test
  void historicRevenueIsMrrMonthsPlusOneOffMinusRefunds() {
    Row a = clv.get("A");
    // MRR months Jan..Apr at 100 = 400; one-off 400; refund 30.
    assertEquals(4L, a.<Long>getAs("tenure_months"));
    assertEquals(m("770"), a.getAs("historic_revenue"));
    assertEquals(m("192.50"), a.getAs("avg_monthly_revenue"));
    assertEquals(d("2024-01-10"), a.getAs("first_purchase_date"));
    assertEquals(d("2024-04-10"), a.getAs("last_purchase_date"), "May's invoice is after the as-of date");
    Row b = clv.get("B");
    assertEquals(2L, b.<Long>getAs("tenure_months"));                  // Jan, Feb (ends 03-20, before Mar 31)
    assertEquals(m("100"), b.getAs("historic_revenue"));
  }

  @Test
  void btydSummaryMergesSameDayPurchasesAndSkipsRefunds() {
    Row a = clv.get("A");
    // Purchase days 01-10 (100 + 400 merged), 02-10, 03-10, 04-10: x = 3, t_x = 91 days, T = 96 days.
    assertEquals(3L, a.<Long>getAs("frequency"));
    assertEquals(91 / 7.0, a.<Double>getAs("recency"), 1e-12);
    assertEquals(96 / 7.0, a.<Double>getAs("T"), 1e-12);
    assertEquals(m("100"), a.getAs("monetary_value"));
  }

  @Test
  void aCustomerMissingFromCustomersIsKeptUnderSegmentUnknown() {
    Row x = clv.get("X");
    assertEquals("unknown", x.getAs("formula_segment"));
    assertEquals(0L, x.<Long>getAs("tenure_months"));
    assertEquals(m("100"), x.getAs("historic_revenue"));               // 70 + 30 one-off
    assertEquals(1L, x.<Long>getAs("frequency"));                      // two purchase days
    assertEquals(m("30"), x.getAs("monetary_value"));
    assertEquals(4, clv.size(), "A, B, Z and X: " + clv.keySet());
  }

  @Test
  void customersWithoutPurchasesHaveNoPredictionAndTheModelIsReported() {
    Row z = clv.get("Z");
    assertEquals(0L, z.<Long>getAs("tenure_months"));
    assertEquals(m("0"), z.getAs("historic_revenue"));
    assertNull(z.getAs("avg_monthly_revenue"));
    assertNull(z.getAs("frequency"));
    assertNull(z.getAs("predicted_clv"));
    assertEquals("unknown", z.getAs("formula_segment"));
    assertEquals(3L, model.<Long>getAs("bgnbd_customers"));
    assertEquals("week", model.getAs("time_unit"));
  }
}
