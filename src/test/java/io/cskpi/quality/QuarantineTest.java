package io.cskpi.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.InputReader;
import io.cskpi.Families;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.pipeline.FamilyPlan;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

class QuarantineTest extends SparkTest {
  /** Quarantine rows by "table/first key value of raw_row" → rules. */
  private static Map<String, List<String>> rulesByRow;
  private static NightlyPipeline.Computed computed;

  @BeforeAll
  static void runPipelineOnBadRows() {
    Dataset<Row> customers = frame("customer_id STRING, signup_date DATE, plan STRING",
        row("A", d("2024-01-01"), "pro"),
        // Same key, null signup_date: invalid. Its JSON text sorts before the valid row's (no signup_date
        // field), so "first by content" alone would keep it and push the valid A out.
        row("A", null, "pro"),
        row("C", d("2024-01-03"), "basic"),
        row("C", d("2024-01-02"), "basic"),    // two valid rows: the first by content (2024-01-02) is kept
        row(null, d("2024-01-01"), "pro"),     // null key
        row("B", null, "pro"));                // null signup_date
    Dataset<Row> subscriptions = frame("subscription_id STRING, customer_id STRING, plan STRING, "
            + "start_date DATE, end_date DATE, mrr DECIMAL(18,2), cancel_reason STRING",
        row("S1", "A", "pro", d("2024-01-01"), null, m("100"), null),
        // An invalid copy of S1 that sorts first by content ("-" < "1"): it is quarantined, S1 is kept.
        row("S1", "A", "pro", d("2024-01-01"), null, m("-5"), null),
        row("S2", "A", "pro", d("2024-01-01"), null, m("-5"), null),                    // negative mrr
        row("S3", "A", "pro", d("2024-02-01"), d("2024-01-01"), m("-10"), null),        // two rules at once
        row("S4", "A", "pro", d("2024-01-01"), d("2024-01-01"), m("10"), null),         // zero length: fine
        row("S5", "Q", "pro", d("2024-01-01"), null, m("7"), null));  // customer Q has no customers row: kept
    Map<String, Dataset<Row>> conformed = Map.of(
        "customers", InputReader.conform(InputTables.CUSTOMERS, customers, false),
        "subscriptions", InputReader.conform(InputTables.SUBSCRIPTIONS, subscriptions, false));
    CskpiConfig config = CskpiConfig.load(null, List.of("families=[revenue]"));
    computed = NightlyPipeline.compute(conformed, LocalDate.parse("2024-03-15"), config.segmentColumns(),
        FamilyPlan.of(Families.ALL, config));
    rulesByRow = new TreeMap<>();
    computed.output("quarantine").rows().selectExpr("table_name", "rules",
            "coalesce(get_json_object(raw_row, '$.subscription_id'), get_json_object(raw_row, '$.customer_id'), "
                + "'null') AS key").collectAsList()
        .forEach(r -> rulesByRow.put(r.getString(0) + "/" + r.getString(2), r.getList(1)));
  }

  @Test
  void oneQuarantineRowPerRejectedRowListingEveryRuleItBroke() {
    assertEquals(Map.of(
        "customers/A", List.of("null_signup_date", "duplicate_key"),
        "customers/C", List.of("duplicate_key"),
        "customers/null", List.of("null_customer_id"),
        "customers/B", List.of("null_signup_date"),
        "subscriptions/S1", List.of("negative_mrr", "duplicate_key"),
        "subscriptions/S2", List.of("negative_mrr"),
        "subscriptions/S3", List.of("negative_mrr", "end_before_start")), rulesByRow);
  }

  @Test
  void aValidRowWinsItsKeyOverAnInvalidCopyThatSortsFirst() {
    List<Row> kept = Quarantine.clean(computed.checked().get("customers")).orderBy("customer_id").collectAsList();
    assertEquals(List.of("A", "C"), kept.stream().map(r -> r.<String>getAs("customer_id")).toList());
    assertEquals(d("2024-01-01"), kept.get(0).getAs("signup_date"));
    assertEquals(d("2024-01-02"), kept.get(1).getAs("signup_date"), "of two valid rows, the first by content");
    Row s1 = Quarantine.clean(computed.checked().get("subscriptions")).filter("subscription_id = 'S1'").first();
    assertEquals(m("100"), s1.getAs("mrr"));
  }

  @Test
  void quarantineDescribesEachRuleAndKeepsTheRawRow() {
    Row s3 = computed.output("quarantine").rows().filter("raw_row LIKE '%\"S3\"%'").first();
    assertEquals("negative_mrr: mrr must be >= 0; end_before_start: end_date must not be before start_date",
        s3.getAs("rule_description"));
    assertEquals("{\"subscription_id\":\"S3\",\"customer_id\":\"A\",\"plan\":\"pro\",\"start_date\":\"2024-02-01\","
        + "\"end_date\":\"2024-01-01\",\"mrr\":-10.00,\"cancel_reason\":null}", s3.getAs("raw_row"),
        "the row as read: every column, in the source's order, nulls included");
    assertNull(s3.getAs("source_file"));
    assertNull(s3.getAs("raw_line"));
    assertEquals(List.of("table_name", "rules", "rule_description", "source_file", "raw_line", "raw_row"),
        List.of(computed.output("quarantine").rows().columns()), "the quarantine's columns, as BI tools read them");
  }

  @Test
  void cleanRowsStillFlowIntoTheKpisAndOrphansCountUnderUnknown() {
    // A: S1 (100) counts; the -5 copy, S2 and S3 are quarantined, S4 is never active on a month end.
    // Q has no customers row: its S5 (7) is kept, in segment 'unknown' of every dimension.
    Dataset<Row> revenue = computed.output("revenue_monthly").rows();
    Row jan = revenue.filter("dimension = 'all' AND period_month = DATE'2024-01-01'").first();
    assertEquals(m("107"), jan.getAs("mrr_end"));
    assertEquals(2L, jan.<Long>getAs("customers_end"));
    Row unknownPlan = revenue.filter("dimension = 'plan' AND segment = 'unknown' AND period_month = DATE'2024-01-01'")
        .first();
    assertEquals(m("7"), unknownPlan.getAs("mrr_end"));
  }

  @Test
  void unparseableCsvValuesAreQuarantinedWithTheTextAsRead() {
    Dataset<Row> text = frame("subscription_id STRING, customer_id STRING, start_date STRING, end_date STRING, "
            + "mrr STRING",
        row("S1", "A", "2024-01-01", null, "12.50"),
        row("S2", "A", "2024-01-01", null, "12,50"));
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS,
        InputReader.conform(InputTables.SUBSCRIPTIONS, text, true), InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    Row bad = Quarantine.rejected(InputTables.SUBSCRIPTIONS, checked, List.of()).first();
    assertEquals(List.of("invalid_value"), bad.getList(bad.fieldIndex("rules")));
    assertEquals("invalid_value: values must parse as the column's type: mrr '12,50' is not a DECIMAL(18,2)",
        bad.getAs("rule_description"));
    assertTrue(bad.<String>getAs("raw_row").contains("\"mrr\":\"12,50\""), bad.toString());
    assertEquals(1, Quarantine.clean(checked).count());
  }

  @Test
  void aDuplicateKeyWithAnExtraMapColumnIsResolvedWithoutSortingTheMap() {
    // An extra source column Spark cannot sort (a map) is kept by conform; the duplicate check orders it by its
    // JSON text instead of failing the run.
    Dataset<Row> customers = spark.sql("SELECT 'M' AS customer_id, DATE'2024-01-01' AS signup_date, "
        + "map('k', 2) AS attributes UNION ALL SELECT 'M', DATE'2024-01-01', map('k', 1)");
    Dataset<Row> checked = io.cskpi.quality.InputChecks.check(InputTables.CUSTOMERS,
        InputReader.conform(InputTables.CUSTOMERS, customers, false), io.cskpi.quality.InputChecks.specRules(
            InputTables.CUSTOMERS));
    List<Row> kept = Quarantine.clean(checked).collectAsList();
    assertEquals(1, kept.size());
    assertEquals(Integer.valueOf(1), kept.get(0).<scala.collection.Map<String, Integer>>getAs("attributes").apply("k"),
        "the first by its JSON text, {\"k\":1}");
  }
}
