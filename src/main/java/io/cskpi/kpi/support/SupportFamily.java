package io.cskpi.kpi.support;

import static io.cskpi.kpi.SummaryFormat.num;
import static io.cskpi.kpi.SummaryFormat.pct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;

import io.cskpi.family.Declaration;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/** Support: ticket volume, backlog, first response and resolution times, first contact resolution. */
public final class SupportFamily implements KpiFamily {
  private static final String CREATED = " of the tickets created in the month";

  public static final ResultTable SUPPORT_MONTHLY = ResultTable.named("support_monthly",
          "Ticket volume, backlog, response and resolution times and first contact resolution per month")
      .grain("month × dimension × segment with a ticket created, resolved or open at the month's end; dimensions "
          + "are the customer segments and the tickets' agent_id and priority")
      .monthlyBySegment()
      .column("tickets_created", LongType, "Tickets whose created_ts (UTC) is in the month, up to the as-of date. "
          + "Every statistic below but tickets_resolved and tickets_open_end is of these tickets, as the as-of date "
          + "sees them (a response or resolution after it has not happened).")
      .column("tickets_resolved", LongType, "Tickets whose resolved_ts is in the month.")
      .column("tickets_open_end", LongType, "Tickets created by the month's end (the as-of date in its month) and "
          + "not resolved by then.")
      .column("tickets_without_response", LongType, "Tickets created in the month without a first response.")
      .nullable("first_response_hours_median", DoubleType, "Median of first_response_ts - created_ts in hours" + CREATED
          + " that have a response (exact, linear interpolation: Spark's percentile); null without one.")
      .nullable("first_response_hours_p90", DoubleType, "90th percentile of the same (exact, linear interpolation).")
      .nullable("first_response_hours_mean", DoubleType, "Mean of the same.")
      .nullable("first_response_business_hours_median", DoubleType, "Median of the working hours between created_ts "
          + "and first_response_ts: hours on working days (conf cskpi.support.business-days, not holidays) within "
          + "business-start to business-end, local time of business-time-zone; null without a responded ticket.")
      .nullable("resolution_hours_median", DoubleType, "Median of resolved_ts - created_ts in hours" + CREATED
          + " that are resolved (exact); null without one.")
      .nullable("resolution_hours_p90", DoubleType, "90th percentile of the same (exact).")
      .nullable("fcr_rate", DoubleType, "First contact resolution: tickets resolved with contacts = 1 and not "
          + "reopened (null reopened counts as not) / resolved tickets with known contacts" + CREATED
          + "; null when none has contacts.")
      .nullable("customers", LongType, "The customers tickets are counted per: with MRR > 0 in the month "
          + "(revenue_monthly.customers_end) when the revenue family runs, else signed up by the month's end (the as-of "
          + "date in its month); for "
          + "dimensions agent_id and priority every customer (the 'all' row's); 0 before any signup; null only when "
          + "the revenue family runs and revenue_monthly lacks the month.")
      .nullable("tickets_per_100_customers", DoubleType, "100 × tickets_created / customers; null without customers.")
      .build();

  @Override
  public Declaration declaration() {
    String tickets = InputTables.TICKETS.name();
    return Declaration.family("support", "Ticket volume, response and resolution times, first contact resolution")
        .reads(InputTables.CUSTOMERS, InputTables.TICKETS)
        .usesResultsWhenRun(RevenueFamily.REVENUE_MONTHLY)
        .writes(SUPPORT_MONTHLY)
        .rules(new RowRule(tickets, "response_before_creation", "first_response_ts must not be before created_ts",
                col("first_response_ts").lt(col("created_ts"))),
            new RowRule(tickets, "resolution_before_creation", "resolved_ts must not be before created_ts",
                col("resolved_ts").lt(col("created_ts"))),
            new RowRule(tickets, "negative_contacts", "contacts must be >= 0", col("contacts").lt(0)))
        .settings(BusinessCalendar::read)
        .summary(SupportFamily::summary)
        .build();
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    List<String> segments = ctx.segments();
    Dataset<Row> customers = in.table(InputTables.CUSTOMERS);
    Dataset<Row> tickets = Segments.withCustomerSegments(
        SupportMetrics.asOf(in.table(InputTables.TICKETS), ctx.asOf(), ctx.settings(BusinessCalendar.class)),
        customers, segments);
    Dataset<Row> monthly = SupportMetrics.withCustomerBase(SupportMetrics.monthly(tickets, segments, ctx.asOf()),
        customers, segments, in.resultWhenRun(RevenueFamily.REVENUE_MONTHLY), ctx.asOf());
    return Results.of(SUPPORT_MONTHLY, SUPPORT_MONTHLY.selectFrom(monthly, segments));
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> monthly = written.read(SUPPORT_MONTHLY);
    if (monthly == null) {
      return "";
    }
    List<Row> rows = monthly.filter(col("dimension").equalTo(Segments.ALL)
        .and(col("period_month").equalTo(lit(asOf.withDayOfMonth(1))))).collectAsList();
    if (rows.isEmpty()) {
      return "";
    }
    Row r = rows.get(0);
    return String.format("Support %s: %d tickets created, %d resolved, %d open  first response median %s h "
            + "(business %s h, p90 %s h)  resolution median %s h  FCR %s  %s tickets per 100 customers%n",
        asOf.toString().substring(0, 7), r.<Long>getAs("tickets_created"), r.<Long>getAs("tickets_resolved"),
        r.<Long>getAs("tickets_open_end"), num(r.getAs("first_response_hours_median")),
        num(r.getAs("first_response_business_hours_median")), num(r.getAs("first_response_hours_p90")),
        num(r.getAs("resolution_hours_median")), pct(r.getAs("fcr_rate")), num(r.getAs("tickets_per_100_customers")));
  }
}
