package io.cskpi.kpi.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.generate.GeneratorSettings;
import io.cskpi.generate.SyntheticData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

/** The optimizer sees distinct summaries, not customers: a million generated customers compress to few rows. */
class SummaryCompressionTest extends SparkTest {

  @Test
  void aMillionGeneratedCustomersCompressToFarFewerRows() {
    LocalDate end = LocalDate.parse("2026-06-30");
    Dataset<Row> transactions = SyntheticData.generate(spark, new GeneratorSettings(1_000_000, 24, 11, end, 0))
        .get("transactions");
    Dataset<Row> purchases = transactions.filter("kind != 'refund'")
        .select(col("customer_id"), to_date(col("transaction_ts")).as("purchase_date"), col("amount"));
    Dataset<Row> summary = PurchaseSummary.toCustomerSummary(PurchaseSummary.toPurchaseDays(purchases), end, null,
        TimeUnit.WEEK).cache();
    Dataset<Row> rows = PurchaseSummary.toFrequencyRows(summary, 1, TimeUnit.WEEK).cache();
    long customers = summary.count();
    long distinct = rows.count();
    long weekly = PurchaseSummary.toFrequencyRows(summary, 7, TimeUnit.WEEK).count();
    long spend = PurchaseSummary.toSpendRows(summary, 1e-3).count();
    long covered = rows.agg(org.apache.spark.sql.functions.sum("customers")).first().getLong(0);
    System.out.printf("1M generated customers: %,d buyers -> %,d distinct (x, t_x, T) rows at day resolution, "
        + "%,d at week resolution; %,d distinct (x, m) spend rows%n", customers, distinct, weekly, spend);
    assertTrue(customers > 200_000, customers + " buyers");
    assertEquals(customers, covered, "every customer is counted in exactly one row");
    assertTrue(distinct * 4 < customers, distinct + " distinct day rows for " + customers + " customers");
    assertTrue(weekly * 20 < customers, weekly + " distinct week rows for " + customers + " customers");
    summary.unpersist();
    rows.unpersist();
  }
}
