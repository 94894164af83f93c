package io.cskpi.kpi.engagement;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Active users and customers by month and by day, per dimension and segment: engagement_monthly and _daily. */
public final class EngagementMetrics {
  private EngagementMetrics() {}

  private static final String[] MONTH_KEY = {"period_month", "dimension", "segment"};
  private static final String[] DAY_KEY = {"dimension", "segment", "period_date"};

  /** Trailing windows of engagement_daily, in days, and the column prefix of each. */
  private static final int[] WINDOWS = {1, 7, 30};
  private static final String[] PREFIXES = {"dau", "wau", "mau"};

  /**
   * One row per user and day with events: customer_id, user_id, event_date, events. A user is the pair
   * (customer_id, user_id): two customers' user "u1" are two users. No segment columns: the tables join their
   * customers' segments to far fewer rows (customer-months, run deltas), and a cache of every user-day with four
   * segment strings cost more to build than those joins.
   */
  public static Dataset<Row> userDays(Dataset<Row> events) {
    return events.groupBy("customer_id", "user_id", "event_date").agg(count(lit(1)).as("events"));
  }

  /**
   * {@link #userDays} clustered by customer (from the events so clustered, so the aggregation keeps it):
   * engagement_daily's windows by user and by customer, its customer-days and engagement_monthly's customer-months
   * then need no shuffle of them; only the customers move to join them.
   */
  public static Dataset<Row> userDaysByCustomer(Dataset<Row> events) {
    return userDays(events.repartition(col("customer_id")));
  }

  /**
   * engagement_monthly: from {@link #userDays}, {@link UsageSessions#perMonth} with segment columns and the
   * customers (segments), one row per month, dimension and segment with an active user.
   */
  public static Dataset<Row> monthly(Dataset<Row> userDays, Dataset<Row> sessionMonthsWithSegments,
      Dataset<Row> customers, List<String> segments, LocalDate asOf) {
    // A user belongs to one customer and a customer to one segment tuple: users are counted per customer and
    // month, customers and sums per tuple and month, and only the tuple-month rows (never more than the
    // customer-months) are repeated per dimension. No distinct count over the exploded rows; the segments are joined
    // to the customer-months, not cached with every user-day.
    List<Column> tuple = new ArrayList<>();
    segments.forEach(d -> tuple.add(col(d)));
    List<Column> tupleMonth = new ArrayList<>(List.of(col("period_month")));
    tupleMonth.addAll(tuple);
    List<String> tupleMonthNames = new ArrayList<>(List.of("period_month"));
    tupleMonthNames.addAll(segments);
    Dataset<Row> sessionCounts = sessionMonthsWithSegments.groupBy(tupleMonth.toArray(Column[]::new))
        .agg(sum("sessions").as("sessions"));
    Dataset<Row> customerMonths = userDays.withColumn("period_month", trunc(col("event_date"), "month"))
        .groupBy("customer_id", "period_month")
        .agg(countDistinct("user_id").as("users"), count(lit(1)).as("user_days"), sum("events").as("events"));
    Dataset<Row> tupleMonths = Segments.withCustomerSegments(customerMonths, customers, segments)
        .groupBy(tupleMonth.toArray(Column[]::new))
        .agg(sum("users").as("users"), count(lit(1)).as("customers"), sum("user_days").as("user_days"),
            sum("events").as("events"))
        // A session counts in its first event's month, a month of the customer's events: every tuple-month of a
        // session has activity.
        .join(sessionCounts, tupleMonthNames.toArray(String[]::new), "left");
    Dataset<Row> activity = Segments.explodeDimensions(tupleMonths, segments)
        .groupBy(MONTH_KEY[0], MONTH_KEY[1], MONTH_KEY[2])
        .agg(sum("users").as("mau_users"), sum("customers").as("mau_customers"),
            sum("user_days").as("active_user_days"), sum("events").as("events"),
            coalesce(sum("sessions"), lit(0L)).as("sessions"));
    // Calendar days of the month, up to the as-of date in the as-of month.
    Column days = dayofmonth(least(last_day(col("period_month")), lit(asOf)));
    return activity
        .withColumn("days", days)
        .withColumn("dau_users_avg", col("active_user_days").cast("double").divide(days))
        .withColumn("stickiness_ratio", ratio(col("dau_users_avg"), col("mau_users")))
        .withColumn("sessions_per_active_day", ratio(col("sessions"), col("active_user_days")))
        .withColumn("events_per_active_user", ratio(col("events"), col("mau_users")));
  }

  /**
   * engagement_daily: for every day from a segment's first active day to the as-of date, the users and customers
   * active that day, in the 7 days and in the 30 days ending that day.
   *
   * <p>An entity active on day a counts in a trailing w-day window ending on days a .. a + w - 1. Its active days
   * merge into runs (the next active day within w days of the previous one): a run adds 1 on its first day and
   * removes it w days after its last. With the previous and next active day from one window pass, each active day
   * knows whether it starts or ends a run for every w, and a running sum over the days gives the distinct count
   * without repeating each active day w times.
   */
  public static Dataset<Row> daily(Dataset<Row> userDays, Dataset<Row> customers, List<String> segments,
      LocalDate asOf) {
    Dataset<Row> users = userDays.select("customer_id", "user_id", "event_date");
    // Deltas for both kinds of entity, repeated per dimension and summed per dimension, segment and day in one
    // aggregation: its keys (segments x days) stay few, where summing per segment tuple first (nearly one per
    // customer with several segment columns) kept a large hash map of wide keys.
    List<Column> sums = new ArrayList<>();
    for (Object m : METRICS) {
      sums.add(coalesce(sum((String) m), lit(0L)).as((String) m));
    }
    // Each kind's deltas get their customer's segments before the union (which loses the clustering by customer
    // that a join to a large customer table can use).
    Dataset<Row> byDay = Segments.explodeDimensions(
            Segments.withCustomerSegments(runDeltas(users, "users", "user_id"), customers, segments)
                // The customers' days are the user-days as they are (a day once per active user), not made
                // distinct: runDeltas counts a repeated day once, and a distinct over every customer-day cost more.
                .unionByName(Segments.withCustomerSegments(runDeltas(users, "customers", "customer_id"), customers,
                    segments)), segments)
        .groupBy(DAY_KEY[0], DAY_KEY[1], DAY_KEY[2])
        .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new));
    // A segment's first active day from the user-days, not from byDay: byDay read twice in one plan is computed
    // twice (its two uses differ in columns, so Spark does not reuse the exchange).
    Dataset<Row> calendar = Segments.explodeDimensions(Segments.withCustomerSegments(
            userDays.groupBy("customer_id").agg(min("event_date").as("_first")), customers, segments), segments)
        .groupBy("dimension", "segment").agg(min("_first").as("_first"))
        .select(col("dimension"), col("segment"), explode(sequence(col("_first"), lit(asOf))).as("period_date"));
    WindowSpec upToDay = Window.partitionBy("dimension", "segment").orderBy("period_date")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> daily = calendar.join(byDay, DAY_KEY, "left");
    for (Object m : METRICS) {
      daily = daily.withColumn((String) m, sum(coalesce(col((String) m), lit(0L))).over(upToDay));
    }
    return daily;
  }

  private static final List<Object> METRICS = List.of("dau_users", "dau_customers", "wau_users", "wau_customers",
      "mau_users", "mau_customers");

  /**
   * For each entity (a user: customer_id and user_id; a customer: customer_id) and each window w of 1, 7 and 30
   * days: +1 on the first day of each run of its active days and -1 w days after the run's last day, up to the
   * as-of date in the caller's calendar. Columns: customer_id, period_date and one delta column per metric
   * (0 for the other kind of entity): at most one row on an active day (the runs it starts) and one per window
   * after it (the run it ends), with numbers rather than a row per metric. An entity's day may repeat: the copies
   * are 0 days apart, so only the day's first row can start a run and only its last can end one.
   */
  private static Dataset<Row> runDeltas(Dataset<Row> entityDays, String kind, String entityColumn) {
    WindowSpec byEntity = Window.partitionBy("customer_id", entityColumn).orderBy("event_date");
    // Days since the entity's previous active day and until its next (null at either end): one window pass.
    Dataset<Row> days = entityDays
        .withColumn("_gap_before", datediff(col("event_date"), lag(col("event_date"), 1).over(byEntity)))
        .withColumn("_gap_after", datediff(lead(col("event_date"), 1).over(byEntity), col("event_date")));
    List<Column> rows = new ArrayList<>();
    rows.add(deltaRow(col("event_date"), kind, w -> when(col("_gap_before").isNull().or(col("_gap_before").gt(w)),
        lit(1L)).otherwise(lit(0L))));
    for (int end : WINDOWS) {
      rows.add(deltaRow(date_add(col("event_date"), end), kind, w -> w != end ? lit(0L)
          : when(col("_gap_after").isNull().or(col("_gap_after").gt(w)), lit(-1L)).otherwise(lit(0L))));
    }
    Column nonZero = lit(false);
    for (String prefix : PREFIXES) {
      nonZero = nonZero.or(col("_d." + prefix + "_" + kind).notEqual(0L));
    }
    List<Column> exploded = new ArrayList<>(List.of(col("customer_id")));
    exploded.add(explode(array(rows.toArray(Column[]::new))).as("_d"));
    List<Column> out = new ArrayList<>(List.of(col("customer_id")));
    out.add(col("_d.period_date").as("period_date"));
    METRICS.forEach(m -> out.add(col("_d." + m).as((String) m)));
    return days.select(exploded.toArray(Column[]::new)).filter(nonZero).select(out.toArray(Column[]::new));
  }

  /** One delta row: the day, then every metric: {@code delta} of each window for {@code kind}, 0 for the other. */
  private static Column deltaRow(Column day, String kind, java.util.function.IntFunction<Column> delta) {
    List<Column> fields = new ArrayList<>(List.of(day.as("period_date")));
    for (Object m : METRICS) {
      String metric = (String) m;
      int window = WINDOWS[java.util.Arrays.asList(PREFIXES).indexOf(metric.substring(0, 3))];
      fields.add((metric.endsWith("_" + kind) ? delta.apply(window) : lit(0L)).as(metric));
    }
    return struct(fields.toArray(Column[]::new));
  }
}
