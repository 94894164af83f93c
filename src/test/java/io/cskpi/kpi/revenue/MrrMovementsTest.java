package io.cskpi.kpi.revenue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class MrrMovementsTest extends RevenueFixture {
  private static final String OUT = "customer_id STRING, period_month DATE, mrr DECIMAL(18,2), "
      + "previous_mrr DECIMAL(18,2), movement STRING, mrr_change DECIMAL(18,2), churn_reason STRING";

  @Test
  void classifiesEveryMovementOfTheHandComputedBook() {
    Dataset<Row> expected = frame(OUT,
        row("A", d("2024-01-01"), m("100"), m("0"), "new", m("100"), null),
        row("A", d("2024-02-01"), m("100"), m("100"), "unchanged", m("0"), null),
        row("A", d("2024-03-01"), m("150"), m("100"), "expansion", m("50"), null),
        row("A", d("2024-04-01"), m("150"), m("150"), "unchanged", m("0"), null),
        row("B", d("2024-01-01"), m("200"), m("0"), "new", m("200"), null),
        row("B", d("2024-02-01"), m("80"), m("200"), "contraction", m("-120"), null),
        row("B", d("2024-03-01"), m("0"), m("80"), "churn", m("-80"), "price"),
        row("C", d("2024-01-01"), m("50"), m("0"), "new", m("50"), null),
        row("C", d("2024-02-01"), m("0"), m("50"), "churn", m("-50"), "unknown"),
        row("C", d("2024-04-01"), m("60"), m("0"), "reactivation", m("60"), null),
        row("F", d("2024-04-01"), m("40"), m("0"), "new", m("40"), null),
        row("H", d("2024-02-01"), m("30"), m("0"), "new", m("30"), null),
        row("H", d("2024-03-01"), m("50"), m("30"), "expansion", m("20"), null),
        row("H", d("2024-04-01"), m("30"), m("50"), "contraction", m("-20"), null));
    assertSameRows(expected, movements());
  }

  @Test
  void zeroToPositiveIsNewOrReactivationNeverExpansion() {
    // The first month with MRR is new even when the subscription starts mid-month; a return after a gap
    // month is reactivation.
    Dataset<Row> subs = frame(SUBS,
        row("X1", "X", "p", d("2024-01-31"), d("2024-02-15"), m("10"), null),
        row("X2", "X", "p", d("2024-03-31"), null, m("25"), null));
    Dataset<Row> expected = frame(OUT,
        row("X", d("2024-01-01"), m("10"), m("0"), "new", m("10"), null),
        row("X", d("2024-02-01"), m("0"), m("10"), "churn", m("-10"), "unknown"),
        row("X", d("2024-03-01"), m("25"), m("0"), "reactivation", m("25"), null),
        row("X", d("2024-04-01"), m("25"), m("25"), "unchanged", m("0"), null));
    assertSameRows(expected, RevenueFamily.customerMovements(customers(), subs, DIMS, AS_OF));
  }

  @Test
  void stillActiveCustomerNeverChurnsAtTheEndOfTheData() {
    long churnsInAsOfMonthOrLater = movements()
        .filter("movement = 'churn' AND period_month >= DATE'2024-04-01'").count();
    assertEquals(0, churnsInAsOfMonthOrLater);
    // A subscription ending after the as-of date still counts in the as-of month.
    Dataset<Row> subs = frame(SUBS, row("Y1", "Y", "p", d("2024-03-01"), d("2024-04-20"), m("10"), null));
    Dataset<Row> expected = frame(OUT,
        row("Y", d("2024-03-01"), m("10"), m("0"), "new", m("10"), null),
        row("Y", d("2024-04-01"), m("10"), m("10"), "unchanged", m("0"), null));
    assertSameRows(expected, RevenueFamily.customerMovements(customers(), subs, DIMS, AS_OF));
  }

  @Test
  void subscriptionsActiveOnNoMonthEndAreNotMrr() {
    assertEquals(0, movements().filter("customer_id IN ('D', 'E', 'G')").count());
  }

  @Test
  void churnReasonComesFromASubscriptionThatWasActiveNotFromAShortOneInBetween() {
    // W2 (higher MRR) lives 03-02..03-09 and is never active on a month's last day: W1's reason counts.
    Dataset<Row> subs = frame(SUBS,
        row("W1", "W", "p", d("2024-01-01"), d("2024-03-10"), m("10"), "price"),
        row("W2", "W", "p", d("2024-03-02"), d("2024-03-09"), m("99"), "competitor"));
    Dataset<Row> churn = RevenueFamily.customerMovements(customers(), subs, DIMS, AS_OF)
        .filter("movement = 'churn'");
    assertEquals(1, churn.count());
    assertEquals("price", churn.first().getAs("churn_reason"));
    assertEquals(d("2024-03-01"), churn.first().getAs("period_month"));
  }

  @Test
  void eachChurnMonthHasTheReasonOfItsOwnEndedSubscriptions() {
    // Two churns of one customer: January's from V1, March's from the higher-MRR of V2 and V3.
    Dataset<Row> subs = frame(SUBS,
        row("V1", "V", "p", d("2023-12-01"), d("2024-01-20"), m("10"), "price"),
        row("V2", "V", "p", d("2024-02-01"), d("2024-03-15"), m("20"), "competitor"),
        row("V3", "V", "p", d("2024-02-01"), d("2024-03-10"), m("5"), "budget"));
    Dataset<Row> expected = frame(OUT,
        row("V", d("2023-12-01"), m("10"), m("0"), "new", m("10"), null),
        row("V", d("2024-01-01"), m("0"), m("10"), "churn", m("-10"), "price"),
        row("V", d("2024-02-01"), m("25"), m("0"), "reactivation", m("25"), null),
        row("V", d("2024-03-01"), m("0"), m("25"), "churn", m("-25"), "competitor"));
    assertSameRows(expected, RevenueFamily.customerMovements(customers(), subs, DIMS, AS_OF));
  }

  @Test
  void theExplodedMonthsAreNotShuffledAgainWithoutBroadcasts() {
    // As at 1,000,000 customers, where neither the customers nor the reasons are broadcast: the subscriptions are
    // clustered by customer once, and only the customers must be moved to join them. Moving the months again (to
    // join the segments, or the reasons by customer and month) is a required exchange on the movements' side.
    String threshold = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    try {
      String plan = movements().queryExecution().executedPlan().toString();
      assertEquals(1, plan.split("ENSURE_REQUIREMENTS", -1).length - 1, plan);
    } finally {
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    }
  }
}
