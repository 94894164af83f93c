package io.cskpi.kpi.engagement;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Months;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Each customer's usage per month and its change against the customer's own trailing three months: the rows of
 * customer_engagement_monthly.
 */
public final class CustomerEngagement {
  private CustomerEngagement() {}

  /** Months before a month that form its baseline. */
  public static final int TRAILING_MONTHS = 3;

  /**
   * Customer × month: every month with events, and each of the {@value #TRAILING_MONTHS} months after one (up to
   * the as-of month), so that a drop to no usage at all is a row with 0 events.
   *
   * @param events   events up to the as-of date with event_date
   * @param sessionMonths {@link UsageSessions#perMonth}
   * @param customers customers (signup_date): months before the signup month are no part of a baseline
   */
  public static Dataset<Row> monthly(Dataset<Row> events, Dataset<Row> sessionMonths, Dataset<Row> customers,
      LocalDate asOf) {
    Dataset<Row> activity = events.withColumn("period_month", trunc(col("event_date"), "month"))
        .groupBy("customer_id", "period_month")
        // A customer-month has few events: a day mask and the sizes of two sets are one aggregation and one
        // shuffle, where distinct counts repeat every event per count (Expand) and aggregate twice.
        .agg(count(lit(1)).as("events"), activeDays().as("active_days"),
            distinctCount("event_name").as("distinct_features"), distinctCount("user_id").as("active_users"),
            min("event_date").as("_first_event_date"));
    Column lastMonth = least(add_months(col("period_month"), TRAILING_MONTHS), lit(asOf.withDayOfMonth(1)));
    // Each month with events repeated over itself and the months after it, then one row per customer-month: the
    // month's own row brings its counts (none for a month without events). One pass over the activity, where a
    // grid of its months joined back to it computed the activity twice.
    String[] measures = {"events", "active_days", "distinct_features", "active_users"};
    List<Column> repeated = new ArrayList<>(List.of(col("customer_id"), col("period_month").as("_own_month"),
        explode(sequence(col("period_month"), lastMonth, expr("INTERVAL 1 MONTH"))).as("period_month"),
        col("_first_event_date")));
    for (String m : measures) {
      repeated.add(col(m));
    }
    List<Column> merged = new ArrayList<>();
    for (String m : measures) {
      merged.add(max(when(col("period_month").equalTo(col("_own_month")), col(m))).as(m));
    }
    Dataset<Row> grid = activity.select(repeated.toArray(Column[]::new))
        .groupBy("customer_id", "period_month")
        .agg(min("_first_event_date").as("_first_event_date"), merged.toArray(Column[]::new));
    WindowSpec byCustomer = Window.partitionBy("customer_id");
    Dataset<Row> rows = grid
        .join(sessionMonths, new String[] {"customer_id", "period_month"}, "left")
        .join(customers.select("customer_id", "signup_date"), new String[] {"customer_id"}, "left")
        .withColumn("_start_month", trunc(least(coalesce(col("signup_date"), lit(asOf)),
            min("_first_event_date").over(byCustomer)), "month"));
    for (String c : new String[] {"events", "active_days", "distinct_features", "active_users", "sessions"}) {
      rows = rows.withColumn(c, coalesce(col(c), lit(0L)));
    }
    Column monthIndex = Months.index(col("period_month"));
    Column startIndex = Months.index(col("_start_month"));
    WindowSpec trailing = Window.partitionBy("customer_id").orderBy(monthIndex).rangeBetween(-TRAILING_MONTHS, -1);
    // Months of the baseline: the trailing months on or after the customer's start (signup or first event).
    Column baselineMonths = least(lit(TRAILING_MONTHS), monthIndex.minus(startIndex));
    Column eventsAvg = when(baselineMonths.gt(0),
        coalesce(sum("events").over(trailing), lit(0L)).cast("double").divide(baselineMonths));
    Column daysAvg = when(baselineMonths.gt(0),
        coalesce(sum("active_days").over(trailing), lit(0L)).cast("double").divide(baselineMonths));
    return rows
        .withColumn("events_trailing_3m_avg", eventsAvg)
        .withColumn("active_days_trailing_3m_avg", daysAvg)
        .withColumn("events_change_ratio", ratio(col("events").cast("double"), col("events_trailing_3m_avg")).minus(1))
        .withColumn("active_days_change_ratio",
            ratio(col("active_days").cast("double"), col("active_days_trailing_3m_avg")).minus(1));
  }

  /**
   * Distinct event_date values of a customer-month, as a long: the days of one month are bits 0-30 of a long, so
   * the count is the number of bits set in their OR. A fixed-width aggregate, where a set of dates kept every
   * distinct day per group.
   */
  private static Column activeDays() {
    return expr("bit_count(bit_or(shiftleft(1L, dayofmonth(event_date) - 1)))").cast("long");
  }

  /** Distinct non-null values of the column in the group (as countDistinct), as a long. */
  private static Column distinctCount(String column) {
    return size(collect_set(col(column))).cast("long");
  }
}
