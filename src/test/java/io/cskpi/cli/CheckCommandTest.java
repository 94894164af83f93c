package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@code cskpi check} on a good and a bad mapping of a Stripe-style export. */
class CheckCommandTest extends SparkTest {
  @TempDir static Path dir;

  @BeforeAll
  static void write() {
    frame("customer_id STRING, signup_date DATE, plan STRING", row("cus_1", d("2024-01-01"), "pro"),
        row("cus_2", d("2024-01-01"), "basic")).write().parquet(dir.resolve("customers").toString());
    frame("id STRING, customer STRING, plan_amount INT, quantity INT, period_start BIGINT, ended_at BIGINT, "
            + "status STRING",
        row("sub_1", "cus_1", 1999, 2, 1704067200L, null, "active"),
        row("sub_2", "cus_2", 1000, 1, 1706745600L, null, "active"),
        row("sub_3", "cus_2", 1001, 1, null, null, "active"),
        row("sub_4", "cus_2", 500, 1, 1706745600L, null, "incomplete"))
        .write().parquet(dir.resolve("subscriptions").toString());
  }

  private static CliTest.Result check(String customerId) {
    String t = "input.tables.subscriptions.";
    return CliTest.cskpi("check", "--input", dir.toString(), "--input-format", "parquet",
        "--set", "families=[revenue]", "--set", t + "where=\"status <> 'incomplete'\"",
        "--set", t + "columns.subscription_id=id", "--set", t + "columns.customer_id=\"" + customerId + "\"",
        "--set", t + "columns.mrr=\"plan_amount * quantity / 100\"",
        "--set", t + "columns.start_date=\"to_date(from_unixtime(period_start))\"",
        "--set", t + "columns.end_date=\"to_date(from_unixtime(ended_at))\"");
  }

  @Test
  void aGoodMappingPrintsItsCountsRulesAndCanonicalRows() {
    CliTest.Result r = check("customer");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("== subscriptions (parquet) file:" + dir.resolve("subscriptions")), r.out());
    assertTrue(r.out().contains("  where status <> 'incomplete'"), r.out());
    assertTrue(r.out().contains("mrr                  = plan_amount * quantity / 100"), r.out());
    // sub_4 is filtered out; sub_3 has no start date: the model's rule, quarantined.
    assertTrue(r.out().contains("rows in the source 4, kept by where 3\n  rows read 3 = used 2 + rejected 1"), r.out());
    assertTrue(r.out().contains("== customers (parquet) file:" + dir.resolve("customers"))
            && r.out().contains("rows read 2 = used 2 + rejected 0"),
        r.out());
    assertTrue(r.out().contains("sub_1 | cus_1 | null | 2024-01-01 | null | 39.98"), r.out());
  }

  @Test
  void aBadMappingIsAnErrorNamingTheExpressionAndTheSourceColumns() {
    CliTest.Result r = check("customer_ref");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("cskpi.input.tables.subscriptions.columns.customer_id = \"customer_ref\" cannot be "
        + "read") && r.err().contains("[id, customer, plan_amount, quantity, period_start, ended_at, status]"), r.err());
  }
}
