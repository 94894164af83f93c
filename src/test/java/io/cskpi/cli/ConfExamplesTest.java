package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * The three worked examples of conf/examples run end to end as shipped ({@code cskpi run --conf
 * conf/examples/X.conf}, paths relative to the project directory as a user runs them) on their made-up exports in
 * src/test/resources/examples; every number below is computed by hand from those files.
 */
class ConfExamplesTest extends SparkTest {
  @TempDir static Path out;

  private static void run(String example) {
    Path output = out.resolve(example);
    CliTest.Result r = CliTest.cskpi("run", "--conf", "conf/examples/" + example + ".conf", "--as-of", "2024-06-30",
        "--output", output.toString());
    assertEquals(0, r.code(), r.err());
  }

  private static Dataset<Row> table(String example, String name) {
    return spark.read().format("delta").load(out.resolve(example).resolve(name).toString());
  }

  /** The rows of {@code sql} over table {@code name} (as {@code t}), each as its values joined by '|', sorted. */
  private static List<String> rows(String example, String name, String sql) {
    table(example, name).createOrReplaceTempView("t");
    return spark.sql(sql).collectAsList().stream()
        .map(r -> String.join("|", java.util.stream.IntStream.range(0, r.length())
            .mapToObj(i -> r.isNullAt(i) ? "null" : r.get(i).toString()).toList()))
        .sorted().toList();
  }

  @Test
  void stripeCentsEpochSecondsAndStatusesBecomeTheMrrBridge() {
    run("stripe");
    // sub_A1 2 x 49.00 from Jan 1; sub_A2 3 x 10.00 from Apr 1; sub_B1 1,000.00 a year = 83.33 a month from its
    // trial's end (Feb 3); sub_C1 19.00 from Feb 1, ended Apr 15. Filtered: incomplete sub_D1, trialing sub_F1.
    assertEquals(List.of(
            "cus_A|2024-01-01|98.00|new", "cus_A|2024-02-01|98.00|unchanged", "cus_A|2024-03-01|98.00|unchanged",
            "cus_A|2024-04-01|128.00|expansion", "cus_A|2024-05-01|128.00|unchanged",
            "cus_A|2024-06-01|128.00|unchanged",
            "cus_B|2024-02-01|83.33|new", "cus_B|2024-03-01|83.33|unchanged", "cus_B|2024-04-01|83.33|unchanged",
            "cus_B|2024-05-01|83.33|unchanged", "cus_B|2024-06-01|83.33|unchanged",
            "cus_C|2024-02-01|19.00|new", "cus_C|2024-03-01|19.00|unchanged", "cus_C|2024-04-01|0.00|churn"),
        rows("stripe", "customer_mrr_monthly", "SELECT customer_id, period_month, mrr, movement FROM t"));
    assertEquals(List.of(
            "2024-01-01|98.00|98.00|0.00|0.00|1", "2024-02-01|200.33|102.33|0.00|0.00|3",
            "2024-03-01|200.33|0.00|0.00|0.00|3", "2024-04-01|211.33|0.00|30.00|19.00|2",
            "2024-05-01|211.33|0.00|0.00|0.00|2", "2024-06-01|211.33|0.00|0.00|0.00|2"),
        rows("stripe", "revenue_monthly", "SELECT period_month, mrr_end, mrr_new, mrr_expansion, mrr_churned, "
            + "customers_end FROM t WHERE dimension = 'all'"));
    // Regions from the customers' countries; the churn reason from Stripe's cancellation reason.
    assertEquals(List.of("EU|83.33", "NA|128.00"), rows("stripe", "revenue_monthly",
        "SELECT segment, mrr_end FROM t WHERE dimension = 'region' AND period_month = '2024-06-01'"));
    assertEquals(List.of("cus_C|cancellation_requested"), rows("stripe", "customer_mrr_monthly",
        "SELECT customer_id, churn_reason FROM t WHERE movement = 'churn'"));
    // The weekly price gives no MRR: quarantined with the source row, not counted as 0.
    List<Row> bad = table("stripe", "quarantine").collectAsList();
    assertEquals(1, bad.size());
    assertEquals("subscriptions", bad.get(0).getAs("table_name"));
    assertTrue(bad.get(0).<String>getAs("rule_description").contains("mrr: CASE plan_interval"), bad.toString());
    // The row as the export has it (start_date the epoch seconds the mapping replaced), nothing the mapping made,
    // and of the export's other columns only those the mapping reads (currency is left out: conf
    // cskpi.quarantine.keep-source-columns).
    assertEquals("{\"id\":\"sub_E1\",\"customer\":\"cus_E\",\"status\":\"active\",\"plan_id\":\"basic_weekly\","
        + "\"plan_interval\":\"week\",\"plan_amount\":\"500\",\"quantity\":\"1\","
        + "\"start_date\":\"1709284200\",\"trial_end\":null,\"ended_at\":null,\"cancellation_reason\":null}",
        bad.get(0).getAs("raw_row"));
  }

  @Test
  void crmAccountsBecomeCustomersWithTheirSegments() {
    run("crm-accounts");
    // Accounts: 001A Ana gold, 001B Ben silver, 001C (former customer) Ana silver, 001F Ben bronze; prospect 001D
    // filtered out; 001E's created date 31/06/2024 does not exist: quarantined.
    assertEquals(List.of("001A|2024-01-01", "001B|2024-02-01", "001C|2024-02-01", "001F|2024-05-01"),
        rows("crm-accounts", "customer_mrr_monthly", "SELECT DISTINCT customer_id, cohort_month FROM t"));
    // The signup dates, read as day/month/year, and the mapped columns as cskpi check prints them.
    CliTest.Result check = CliTest.cskpi("check", "--conf", "conf/examples/crm-accounts.conf", "--rows", "10");
    assertEquals(0, check.code(), check.err());
    for (String line : List.of("001A | 2023-12-15 | outbound | null | NA | Manufacturing | 50-249 | Ana",
        "001B | 2024-01-20 | inbound | null | EU | Software | 1-49 | Ben",
        "001C | 2024-02-01 | partner | null | NA | Retail | 250+ | Ana",
        "001F | 2024-05-02 | event | null | ROW | Shipping | null | Ben", "rows read 5 = used 4 + rejected 1")) {
      assertTrue(check.out().contains(line), line + " in\n" + check.out());
    }
    assertFalse(check.out().contains("Elm Studio"), "the quarantine leaves out columns nothing reads by default");
    CliTest.Result keepAll = CliTest.cskpi("check", "--conf", "conf/examples/crm-accounts.conf",
        "--set", "quarantine.keep-source-columns=true");
    assertTrue(keepAll.out().contains("\"account name\":\"Elm Studio\"") && keepAll.out().contains("\"tier\":\"bronze\""),
        keepAll.out());
    // June: S1 98.00 (Ana, gold, NA, 50-249), S2 83.33 (Ben, silver, EU, 1-49), S4 19.00 (Ben, bronze, ROW, no
    // employee count); S3 19.00 (Ana, silver, NA, 250+, Retail) ended April 15: its segments that are left without
    // customers have no June row.
    assertEquals(List.of(
            "acquisition_channel|event|19.00", "acquisition_channel|inbound|83.33",
            "acquisition_channel|outbound|98.00",
            "company_size|1-49|83.33", "company_size|50-249|98.00",
            "company_size|unknown|19.00",
            "csm_owner|Ana|98.00", "csm_owner|Ben|102.33",
            "industry|Manufacturing|98.00", "industry|Shipping|19.00",
            "industry|Software|83.33",
            "region|EU|83.33", "region|NA|98.00", "region|ROW|19.00",
            "tier|bronze|19.00", "tier|gold|98.00", "tier|silver|83.33"),
        rows("crm-accounts", "revenue_monthly", "SELECT dimension, segment, mrr_end FROM t "
            + "WHERE dimension <> 'all' AND period_month = '2024-06-01'"));
    assertEquals(List.of("csm_owner|Ana|19.00", "tier|silver|19.00"), rows("crm-accounts", "revenue_monthly",
        "SELECT dimension, segment, mrr_churned FROM t WHERE dimension IN ('csm_owner', 'tier') "
            + "AND period_month = '2024-04-01' AND mrr_churned > 0"));
    List<Row> bad = table("crm-accounts", "quarantine").collectAsList();
    assertEquals(1, bad.size());
    // Without the account's name and tier: neither the data model's nor read by the mapping.
    assertEquals("{\"account id\":\"001E\",\"type\":\"Former Customer\","
        + "\"created date\":\"31/06/2024\",\"billing country\":\"France\",\"industry\":\"Design\",\"employees\":\"8\","
        + "\"account owner\":\"Ana\",\"lead source\":\"Inbound\"}", bad.get(0).getAs("raw_row"));
    assertTrue(bad.get(0).<String>getAs("rule_description").contains("signup_date: `Created Date` gives no DATE"),
        bad.toString());
  }

  @Test
  void helpDeskTicketsBecomeSupportMetrics() {
    run("helpdesk-tickets");
    // May: 101 (created 07:15 UTC from +02:00, first reply after 1.5 h, solved after 6 h, one reply), 102 (0.5 h,
    // 66 h, three replies), 103 (24 h, 48 h, one reply but reopened), 104 (no reply, open); 105 is deleted and 106's
    // submitted_at is no ISO timestamp (quarantined). June: 107 (20 min, 2 h, one reply).
    // FCR May: 101 only of the 3 resolved = 1/3; medians of {1.5, 0.5, 24} and {6, 66, 48}.
    assertEquals(List.of(
            "2024-05-01|4|3|1|1|1.5|8.666667|48.0|0.333333",
            "2024-06-01|1|1|1|0|0.333333|0.333333|2.0|1.0"),
        rows("helpdesk-tickets", "support_monthly", "SELECT period_month, tickets_created, tickets_resolved, "
            + "tickets_open_end, tickets_without_response, round(first_response_hours_median, 6), "
            + "round(first_response_hours_mean, 6), resolution_hours_median, round(fcr_rate, 6) "
            + "FROM t WHERE dimension = 'all'"));
    // The agent dimension from the numeric assignee id; the default priority for the unset one.
    assertEquals(List.of("agent_id|9001|2", "agent_id|9002|1", "agent_id|unknown|1", "priority|high|1",
            "priority|low|1", "priority|normal|1", "priority|urgent|1"),
        rows("helpdesk-tickets", "support_monthly", "SELECT dimension, segment, tickets_created FROM t "
            + "WHERE dimension IN ('agent_id', 'priority') AND period_month = '2024-05-01'"));
    // Times with a UTC offset are UTC from then on: ticket 101 was submitted at 09:15 +02:00.
    CliTest.Result check = CliTest.cskpi("check", "--conf", "conf/examples/helpdesk-tickets.conf", "--rows", "10");
    assertTrue(check.out().contains("101 | cus_A | 9001 | email | high | 2024-05-06T07:15:00Z | 2024-05-06T08:45:00Z | "
        + "2024-05-06T13:15:00Z | 1 | false"), check.out());
    List<Row> bad = table("helpdesk-tickets", "quarantine").collectAsList();
    assertEquals(1, bad.size());
    assertTrue(bad.get(0).<String>getAs("raw_row").contains("\"submitted_at\":\"28/05/2024 10:00\""), bad.toString());
  }
}
