package io.cskpi.kpi.engagement;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
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
   * One row per user and day with events: customer_id, user_id, event_date, events and the customer's segment
   * columns. A user is the pair (customer_id, user_id): two customers' user "u1" are two users.
   */
  public static Dataset<Row> userDays(Dataset<Row> eventsWithSegments, List<String> segments) {
    List<String> key = new ArrayList<>(List.of("customer_id", "user_id", "event_date"));
    key.addAll(segments);
    return eventsWithSegments.groupBy(key.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(count(lit(1)).as("events"));
  }

  /**
   * engagement_monthly: from {@link #userDays} and sessions with segment columns, one row per month, dimension
   * and segment with an active user.
   */
  public static Dataset<Row> monthly(Dataset<Row> userDays, Dataset<Row> sessionsWithSegments, List<String> segments,
      LocalDate asOf) {
    Dataset<Row> activity = Segments.explodeDimensions(userDays, segments)
        .withColumn("period_month", trunc(col("event_date"), "month"))
        .groupBy(MONTH_KEY[0], MONTH_KEY[1], MONTH_KEY[2])
        .agg(countDistinct("customer_id", "user_id").as("mau_users"), countDistinct("customer_id").as("mau_customers"),
            count(lit(1)).as("active_user_days"), sum("events").as("events"));
    Dataset<Row> sessionCounts = Segments.explodeDimensions(sessionsWithSegments, segments)
        .withColumn("period_month", trunc(col("session_date"), "month"))
        .groupBy(MONTH_KEY[0], MONTH_KEY[1], MONTH_KEY[2]).agg(count(lit(1)).as("sessions"));
    // Calendar days of the month, up to the as-of date in the as-of month.
    Column days = dayofmonth(least(last_day(col("period_month")), lit(asOf)));
    return activity.join(sessionCounts, MONTH_KEY, "left")
        .withColumn("sessions", coalesce(col("sessions"), lit(0L)))
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
  public static Dataset<Row> daily(Dataset<Row> userDays, List<String> segments, LocalDate asOf) {
    Dataset<Row> exploded = Segments.explodeDimensions(userDays, segments)
        .select(col("dimension"), col("segment"), col("customer_id"), col("user_id"), col("event_date"));
    Dataset<Row> entityDays = exploded.select(col("dimension"), col("segment"), lit("users").as("kind"),
            concat(col("customer_id"), lit("\u0000"), col("user_id")).as("entity"), col("event_date"))
        .unionByName(exploded.select(col("dimension"), col("segment"), lit("customers").as("kind"),
            col("customer_id").as("entity"), col("event_date")).distinct());
    WindowSpec byEntity = Window.partitionBy("dimension", "segment", "kind", "entity").orderBy("event_date");
    // Days since the entity's previous active day and until its next (null at either end): one window pass.
    entityDays = entityDays
        .withColumn("_gap_before", datediff(col("event_date"), lag(col("event_date"), 1).over(byEntity)))
        .withColumn("_gap_after", datediff(lead(col("event_date"), 1).over(byEntity), col("event_date")));
    Column gapBefore = col("_gap_before");
    Column gapAfter = col("_gap_after");
    List<Column> deltas = new ArrayList<>();
    for (int i = 0; i < WINDOWS.length; i++) {
      int w = WINDOWS[i];
      Column metric = concat(lit(PREFIXES[i] + "_"), col("kind"));
      deltas.add(when(gapBefore.isNull().or(gapBefore.gt(w)),
          struct(col("event_date").as("period_date"), metric.as("metric"), lit(1L).as("delta"))));
      deltas.add(when(gapAfter.isNull().or(gapAfter.gt(w)),
          struct(date_add(col("event_date"), w).as("period_date"), metric.as("metric"), lit(-1L).as("delta"))));
    }
    List<Object> metrics = new ArrayList<>();
    for (String p : PREFIXES) {
      metrics.add(p + "_users");
      metrics.add(p + "_customers");
    }
    Dataset<Row> byDay = entityDays
        .select(col("dimension"), col("segment"), explode(array(deltas.toArray(Column[]::new))).as("_d"))
        .filter(col("_d").isNotNull().and(col("_d.period_date").leq(lit(asOf))))
        .select(col("dimension"), col("segment"), col("_d.period_date").as("period_date"), col("_d.metric").as("metric"),
            col("_d.delta").as("delta"))
        .groupBy(DAY_KEY[0], DAY_KEY[1], DAY_KEY[2]).pivot("metric", metrics).sum("delta");
    Dataset<Row> calendar = byDay.groupBy("dimension", "segment").agg(min("period_date").as("_first"))
        .select(col("dimension"), col("segment"), explode(sequence(col("_first"), lit(asOf))).as("period_date"));
    WindowSpec upToDay = Window.partitionBy("dimension", "segment").orderBy("period_date")
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> daily = calendar.join(byDay, DAY_KEY, "left");
    for (Object m : metrics) {
      daily = daily.withColumn((String) m, sum(coalesce(col((String) m), lit(0L))).over(upToDay));
    }
    return daily;
  }
}
