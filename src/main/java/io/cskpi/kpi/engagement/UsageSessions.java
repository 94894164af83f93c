package io.cskpi.kpi.engagement;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Usage events to sessions. An event's session is its session_id when given; a user's events without one are
 * cut into sessions wherever more than the gap passes between two of them (window functions over the user's
 * events in time order). A session belongs to the day and month of its first event, even when it runs past
 * midnight or a month's end.
 */
public final class UsageSessions {
  private UsageSessions() {}

  /** Events up to the end of the as-of date (UTC), with event_date. */
  public static Dataset<Row> asOf(Dataset<Row> events, LocalDate asOf) {
    Timestamp end = Timestamp.from(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    return events.filter(col("event_ts").lt(lit(end))).withColumn("event_date", to_date(col("event_ts")));
  }

  /**
   * One row per session: customer_id, session_start (its first event's time) and session_date. A given session is
   * a customer's session_id, starting at its first event. An inferred session starts at a user's first event
   * without session_id, and at each later one that comes more than the gap after the one before it in time order
   * (events at the same instant are 0 apart: one session). Sessions are counted by their start events, so no event
   * needs a session key (a string per event) or a running number.
   */
  public static Dataset<Row> sessions(Dataset<Row> events, int gapMinutes) {
    WindowSpec byUser = Window.partitionBy("customer_id", "user_id").orderBy("event_ts");
    Column inferred = col("session_id").isNull();
    // Microseconds: 30 minutes and half a second is more than the gap.
    Column gapMicros = expr("unix_micros(event_ts)").minus(expr("unix_micros(_previous_ts)"));
    Dataset<Row> inferredStarts = events.filter(inferred)
        .withColumn("_previous_ts", lag(col("event_ts"), 1).over(byUser))
        .filter(col("_previous_ts").isNull().or(gapMicros.gt(60_000_000L * gapMinutes)))
        .select(col("customer_id"), col("event_ts").as("session_start"));
    Dataset<Row> givenStarts = events.filter(inferred.unary_$bang())
        .groupBy("customer_id", "session_id").agg(min("event_ts").as("session_start"))
        .select("customer_id", "session_start");
    return givenStarts.unionByName(inferredStarts).withColumn("session_date", to_date(col("session_start")));
  }

  /**
   * Sessions per customer and month of their start: customer_id, period_month, sessions. Both monthly tables
   * count sessions from it, so the sessions are aggregated once per run.
   */
  public static Dataset<Row> perMonth(Dataset<Row> sessions) {
    return sessions.withColumn("period_month", trunc(col("session_date"), "month"))
        .groupBy("customer_id", "period_month").agg(count(lit(1)).as("sessions"));
  }
}
