package io.cskpi.kpi.revenue;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/**
 * A small hand-computed book of subscriptions, as of 2024-04-15. The expected values in the tests below
 * are worked out from these rows by hand (see each test's comments).
 */
class RevenueFixture extends SparkTest {
  static final LocalDate AS_OF = LocalDate.parse("2024-04-15");
  static final List<String> DIMS = List.of("plan");
  static final String SUBS = "subscription_id STRING, customer_id STRING, plan STRING, start_date DATE, "
      + "end_date DATE, mrr DECIMAL(18,2), cancel_reason STRING";

  static Dataset<Row> subscriptions() {
    return frame(SUBS,
        // A: new in Jan, same-day plan switch on 03-05 is an expansion, still active: no churn at the end.
        row("S1", "A", "starter", d("2024-01-10"), d("2024-03-05"), m("100"), null),
        row("S2", "A", "growth", d("2024-03-05"), null, m("150"), null),
        // B: contraction in Feb (switch on 02-10), churn in Mar (S4 ends 03-20, before the 31st), reason price.
        row("S3", "B", "pro", d("2024-01-01"), d("2024-02-10"), m("200"), null),
        row("S4", "B", "starter", d("2024-02-10"), d("2024-03-20"), m("80"), "price"),
        // C: active on Jan 31 (end 02-01 is exclusive), churn in Feb without reason, reactivation in Apr.
        row("S5", "C", "starter", d("2024-01-15"), d("2024-02-01"), m("50"), null),
        row("S6", "C", "starter", d("2024-04-01"), null, m("60"), null),
        // D: ends on the last day of its only month, so it is never active on a month's last day.
        row("S7", "D", "starter", d("2024-01-05"), d("2024-01-31"), m("70"), "price"),
        // E: starts after the as-of date; F: starts before it in the as-of month.
        row("S8", "E", "starter", d("2024-04-20"), null, m("90"), null),
        row("S9", "F", "starter", d("2024-04-10"), null, m("40"), null),
        // G: a free subscription is not MRR.
        row("S10", "G", "free", d("2024-01-01"), null, m("0"), null),
        // H: two concurrent subscriptions: new 30 in Feb, +20 add-on in Mar, add-on gone by Apr.
        row("S11", "H", "starter", d("2024-02-01"), null, m("30"), null),
        row("S12", "H", "addon", d("2024-03-01"), d("2024-04-01"), m("20"), "missing_features"));
  }

  /** F and H have no customers row, C has no plan: all three are segment 'unknown'. */
  static Dataset<Row> customers() {
    return frame("customer_id STRING, signup_date DATE, plan STRING",
        row("A", d("2024-01-01"), "pro"),
        row("B", d("2024-01-01"), "starter"),
        row("C", d("2024-01-01"), null),
        row("D", d("2024-01-01"), "starter"),
        row("E", d("2024-04-01"), "starter"),
        row("G", d("2024-01-01"), "free"));
  }

  static Dataset<Row> movements() {
    return RevenueFamily.customerMovements(customers(), subscriptions(), DIMS, AS_OF);
  }
}
