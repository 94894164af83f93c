package io.cskpi.kpi.revenue;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Money;
import io.cskpi.kpi.Segments;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;

/**
 * A customer's MRR for a month is the sum of the mrr of its subscriptions active on the month's reference
 * day: the last day of the month, or the as-of date in the as-of month. A subscription is active on day d
 * when start_date <= d and (end_date is null or end_date > d).
 */
public final class CustomerMrr {
  private CustomerMrr() {}

  /** First day of the as-of month. */
  public static Column asOfMonth(LocalDate asOf) {
    return trunc(lit(asOf), "month");
  }

  /** The day a month's MRR is measured on: its last day, or the as-of date in the as-of month. */
  public static Column referenceDay(Column periodMonth, LocalDate asOf) {
    return least(last_day(periodMonth), lit(asOf));
  }

  /**
   * One row per subscription and month it is active on the reference day, up to the as-of month: the
   * subscription's columns plus period_month. Needs customer_id, start_date, end_date, mrr.
   */
  public static Dataset<Row> activeSubscriptionMonths(Dataset<Row> subscriptions, LocalDate asOf) {
    Schemas.requireColumns(subscriptions, "customer_id", "start_date", "end_date", "mrr");
    Column first = trunc(col("start_date"), "month");
    // A subscription is never active on the last day of its end_date's month, so that month is the last
    // candidate only when it is the as-of month (whose reference day is the as-of date).
    Column last = least(asOfMonth(asOf), coalesce(trunc(col("end_date"), "month"), asOfMonth(asOf)));
    Column months = when(first.leq(last), sequence(first, last, expr("interval 1 month")));
    Column ref = referenceDay(col("period_month"), asOf);
    return subscriptions
        .withColumn("period_month", explode(months))
        .filter(col("start_date").leq(ref).and(col("end_date").isNull().or(col("end_date").gt(ref))));
  }

  /** customer_id × period_month with mrr > 0 (DECIMAL(18,2)), from {@link #activeSubscriptionMonths}. */
  public static Dataset<Row> toCustomerMonths(Dataset<Row> activeSubscriptionMonths) {
    return activeSubscriptionMonths
        .groupBy("customer_id", "period_month")
        .agg(Money.sum(col("mrr")).as("mrr"))
        .filter(col("mrr").gt(0));
  }

  /**
   * The cancel reason of each customer-month in which subscriptions stopped being active: the reason of the
   * highest-MRR subscription that ended ({@code unknown} when not given). Columns customer_id, period_month
   * (the first month it is no longer active), churn_reason. Derived from the dates alone, without the
   * month explosion: a subscription ending on day e (exclusive) was active on the last day of the month
   * before e's month if it started by then, and is inactive in e's month exactly when e <= as-of.
   */
  public static Dataset<Row> toEndedReasons(Dataset<Row> subscriptions, LocalDate asOf) {
    Schemas.requireColumns(subscriptions, "customer_id", "start_date", "end_date", "mrr", "cancel_reason");
    Column endMonth = trunc(col("end_date"), "month");
    return subscriptions
        .filter(col("end_date").leq(lit(asOf))
            .and(col("start_date").leq(last_day(add_months(endMonth, -1)))))
        .groupBy(col("customer_id"), endMonth.as("period_month"))
        .agg(max_by(coalesce(col("cancel_reason"), lit(Segments.UNKNOWN)), col("mrr")).as("churn_reason"));
  }
}
