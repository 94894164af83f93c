package io.cskpi.kpi.support;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Percentiles;
import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Support tickets to response times, resolution times, backlog and first contact resolution by month. */
public final class SupportMetrics {
  private SupportMetrics() {}

  /** Ticket columns that are dimensions of support_monthly besides the customer segments. */
  public static final List<String> TICKET_DIMENSIONS = List.of("agent_id", "priority");
  private static final String[] KEY = {"period_month", "dimension", "segment"};

  /** Hours from one timestamp column to another, fractional. */
  public static Column hours(String from, String to) {
    return col(to).cast("double").minus(col(from).cast("double")).divide(3600.0);
  }

  /**
   * Tickets as the as-of date saw them: created by its end, a response or resolution after it not yet
   * happened (null). Adds first_response_hours, first_response_business_hours and resolution_hours.
   */
  public static Dataset<Row> asOf(Dataset<Row> tickets, LocalDate asOf, BusinessCalendar calendar) {
    Timestamp end = Timestamp.from(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    return tickets.filter(col("created_ts").lt(lit(end)))
        .withColumn("first_response_ts", when(col("first_response_ts").lt(lit(end)), col("first_response_ts")))
        .withColumn("resolved_ts", when(col("resolved_ts").lt(lit(end)), col("resolved_ts")))
        .withColumn("first_response_hours", hours("created_ts", "first_response_ts"))
        .withColumn("first_response_business_hours", calendar.hoursBetween("created_ts", "first_response_ts"))
        .withColumn("resolution_hours", hours("created_ts", "resolved_ts"));
  }

  /**
   * support_monthly before the customer base: from tickets with segment columns (and agent_id, priority), one row
   * per month, dimension and segment with any ticket created, resolved or open at the month's end.
   */
  public static Dataset<Row> monthly(Dataset<Row> tickets, List<String> segments, LocalDate asOf) {
    List<String> dims = new ArrayList<>(segments);
    dims.addAll(TICKET_DIMENSIONS);
    Dataset<Row> t = Segments.explodeDimensions(tickets, dims)
        .withColumn("created_month", trunc(to_date(col("created_ts")), "month"))
        .withColumn("resolved_month", trunc(to_date(col("resolved_ts")), "month"));
    Column resolved = col("resolved_ts").isNotNull();
    Dataset<Row> created = t.withColumn("period_month", col("created_month"))
        .groupBy("period_month", "dimension", "segment")
        .agg(count(lit(1)).as("tickets_created"),
            sum(when(col("first_response_ts").isNull(), 1L).otherwise(0L)).as("tickets_without_response"),
            Percentiles.sortedValues(col("first_response_hours")).as("_response"),
            avg("first_response_hours").as("first_response_hours_mean"),
            Percentiles.sortedValues(col("first_response_business_hours")).as("_business"),
            Percentiles.sortedValues(col("resolution_hours")).as("_resolution"),
            sum(when(resolved.and(col("contacts").isNotNull()), 1L)).as("_fcr_base"),
            sum(when(resolved.and(col("contacts").equalTo(1)).and(coalesce(col("reopened"), lit(false)).unary_$bang()),
                1L).when(resolved.and(col("contacts").isNotNull()), 0L)).as("_fcr"))
        .withColumn("first_response_hours_median", Percentiles.at(col("_response"), 0.5))
        .withColumn("first_response_hours_p90", Percentiles.at(col("_response"), 0.9))
        .withColumn("first_response_business_hours_median", Percentiles.at(col("_business"), 0.5))
        .withColumn("resolution_hours_median", Percentiles.at(col("_resolution"), 0.5))
        .withColumn("resolution_hours_p90", Percentiles.at(col("_resolution"), 0.9))
        .drop("_response", "_business", "_resolution");
    Dataset<Row> resolvedInMonth = t.filter(resolved).withColumn("period_month", col("resolved_month"))
        .groupBy("period_month", "dimension", "segment").agg(count(lit(1)).as("tickets_resolved"));
    // Open at a month's end: every month from the created month to the month before the resolution (the as-of
    // month when unresolved).
    Column lastOpen = coalesce(add_months(col("resolved_month"), -1), lit(asOf.withDayOfMonth(1)));
    Dataset<Row> open = t.filter(lastOpen.geq(col("created_month")))
        .withColumn("period_month", explode(sequence(col("created_month"), lastOpen, expr("INTERVAL 1 MONTH"))))
        .groupBy("period_month", "dimension", "segment").agg(count(lit(1)).as("tickets_open_end"));
    return created.join(resolvedInMonth, KEY, "full_outer").join(open, KEY, "full_outer")
        .withColumn("tickets_created", coalesce(col("tickets_created"), lit(0L)))
        .withColumn("tickets_without_response", coalesce(col("tickets_without_response"), lit(0L)))
        .withColumn("tickets_resolved", coalesce(col("tickets_resolved"), lit(0L)))
        .withColumn("tickets_open_end", coalesce(col("tickets_open_end"), lit(0L)))
        .withColumn("fcr_rate", ratio(col("_fcr"), col("_fcr_base")));
  }

  /**
   * The customers tickets are counted per: customers with MRR > 0 in the month (revenue_monthly.customers_end)
   * when revenue runs, else customers signed up by the month's end (the as-of date in its month). For agent_id and
   * priority, every customer.
   */
  public static Dataset<Row> withCustomerBase(Dataset<Row> monthly, Dataset<Row> customers, List<String> segments,
      Optional<Dataset<Row>> revenueMonthly, LocalDate asOf) {
    Dataset<Row> base = revenueMonthly
        .map(r -> r.select(col("period_month"), col("dimension"), col("segment"), col("customers_end").as("customers")))
        // Signed up by the as-of date: a later signup in the as-of month has not happened yet.
        .orElseGet(() -> signedUp(customers.filter(col("signup_date").leq(lit(asOf))), segments, asOf));
    Dataset<Row> total = base.filter(col("dimension").equalTo(Segments.ALL))
        .select(col("period_month"), col("customers").as("_all_customers"));
    // Signed up by a month before the first signup: 0 customers. A month revenue_monthly lacks: unknown (null).
    Column allCustomers = revenueMonthly.isPresent() ? col("_all_customers") : coalesce(col("_all_customers"), lit(0L));
    return monthly.join(base, KEY, "left").join(total, new String[] {"period_month"}, "left")
        .withColumn("customers", when(col("dimension").isin(TICKET_DIMENSIONS.toArray()), allCustomers)
            .otherwise(coalesce(col("customers"), lit(0L))))
        .withColumn("tickets_per_100_customers", ratio(col("tickets_created").multiply(100), col("customers")));
  }

  /**
   * Customers signed up by each month's end, per month from the first signup to the as-of month, dimension and
   * segment (a month before any signup has no row: its count is 0). The months come from the customers, not from
   * the tickets' months: those would compute the ticket aggregates once more for the base and once for its total.
   */
  private static Dataset<Row> signedUp(Dataset<Row> customers, List<String> segments, LocalDate asOf) {
    Dataset<Row> newPerMonth = Segments.explodeDimensions(customers, segments)
        .withColumn("_signup_month", trunc(col("signup_date"), "month"))
        .groupBy("_signup_month", "dimension", "segment").agg(count(lit(1)).as("_new"));
    Dataset<Row> months = newPerMonth.groupBy("dimension", "segment").agg(min("_signup_month").as("_first"))
        .select(explode(sequence(col("_first"), lit(asOf.withDayOfMonth(1)), expr("INTERVAL 1 MONTH"))).as(KEY[0]),
            col("dimension"), col("segment"));
    return months.join(newPerMonth, months.col("dimension").equalTo(newPerMonth.col("dimension"))
            .and(months.col("segment").equalTo(newPerMonth.col("segment")))
            .and(newPerMonth.col("_signup_month").leq(months.col("period_month"))), "left")
        .groupBy(months.col("period_month"), months.col("dimension"), months.col("segment"))
        .agg(coalesce(sum("_new"), lit(0L)).as("customers"));
  }
}
