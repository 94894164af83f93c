package io.cskpi.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.InputReader;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.pipeline.KpiFamily;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.pipeline.OutputTable;
import io.cskpi.pipeline.RunContext;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

class QuarantineTest extends SparkTest {
  private static Map<String, Long> byRule;
  private static List<OutputTable> outputs;

  @BeforeAll
  static void runPipelineOnBadRows() {
    Dataset<Row> customers = frame("customer_id STRING, signup_date DATE, plan STRING",
        row("A", d("2024-01-01"), "pro"),
        row("A", d("2024-01-02"), "pro"),      // duplicate key: one of the two is kept
        row(null, d("2024-01-01"), "pro"),     // null key
        row("B", null, "pro"));                // null signup_date
    Dataset<Row> subscriptions = frame("subscription_id STRING, customer_id STRING, plan STRING, "
            + "start_date DATE, end_date DATE, mrr DECIMAL(18,2), cancel_reason STRING",
        row("S1", "A", "pro", d("2024-01-01"), null, m("100"), null),
        row("S2", "A", "pro", d("2024-01-01"), null, m("-5"), null),                    // negative mrr
        row("S3", "A", "pro", d("2024-02-01"), d("2024-01-01"), m("10"), null),         // end before start
        row("S4", "A", "pro", d("2024-01-01"), d("2024-01-01"), m("10"), null));        // zero length: fine
    List<KpiFamily> families = List.of(new RevenueFamily());
    Map<String, Dataset<Row>> conformed = Map.of(
        "customers", InputReader.conform(InputTables.CUSTOMERS, customers, false),
        "subscriptions", InputReader.conform(InputTables.SUBSCRIPTIONS, subscriptions, false));
    outputs = NightlyPipeline.compute(conformed,
        new RunContext(LocalDate.parse("2024-03-15"), CskpiConfig.defaults()), families);
    byRule = outputs.get(0).rows().collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.getString(0) + "/" + r.getString(1), Collectors.counting()));
  }

  @Test
  void everyBrokenRuleIsQuarantinedWithItsTableAndRule() {
    assertEquals(Map.of(
        "customers/duplicate_key", 1L,
        "customers/null_customer_id", 1L,
        "customers/null_signup_date", 1L,
        "subscriptions/negative_mrr", 1L,
        "subscriptions/end_before_start", 1L), byRule);
  }

  @Test
  void quarantineKeepsTheRawRowAndTheRuleText() {
    Row negative = outputs.get(0).rows().filter("rule = 'negative_mrr'").first();
    assertEquals("mrr must be >= 0", negative.getAs("rule_description"));
    assertTrue(negative.<String>getAs("raw_row").contains("\"subscription_id\":\"S2\""), negative.toString());
    assertTrue(negative.<String>getAs("raw_row").contains("\"mrr\":-5.00"), negative.toString());
  }

  @Test
  void cleanRowsStillFlowIntoTheKpis() {
    // Only S1 (100) counts: S2 and S3 are quarantined, S4 is never active on a month end.
    Row jan = outputs.stream().filter(o -> o.name().equals("revenue_monthly")).findFirst().orElseThrow().rows()
        .filter("dimension = 'all' AND period_month = DATE'2024-01-01'").first();
    assertEquals(m("100"), jan.getAs("mrr_end"));
    assertEquals(1L, jan.<Long>getAs("customers_end"));
  }

  @Test
  void unparseableCsvValuesAreQuarantinedWithTheTextAsRead() {
    Dataset<Row> text = frame("subscription_id STRING, customer_id STRING, start_date STRING, end_date STRING, "
            + "mrr STRING",
        row("S1", "A", "2024-01-01", null, "12.50"),
        row("S2", "A", "2024-01-01", null, "12,50"));
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS,
        InputReader.conform(InputTables.SUBSCRIPTIONS, text, true), InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    Row bad = Quarantine.rejected("subscriptions", checked, List.of()).first();
    assertEquals("invalid_value", bad.getAs("rule"));
    assertEquals("invalid value: mrr '12,50' is not a DECIMAL(18,2)", bad.getAs("rule_description"));
    assertTrue(bad.<String>getAs("raw_row").contains("\"mrr\":\"12,50\""), bad.toString());
    assertEquals(1, Quarantine.clean(checked).count());
  }
}
