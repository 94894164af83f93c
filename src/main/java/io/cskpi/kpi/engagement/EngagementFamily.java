package io.cskpi.kpi.engagement;

import static io.cskpi.kpi.SummaryFormat.num;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.Declaration;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Segments;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.List;

/** Engagement: sessions, active days and users per customer; MAU, DAU and stickiness per segment; daily actives. */
public final class EngagementFamily implements KpiFamily {
  private static final String TRAILING = "the customer's mean of the same over the 3 calendar months before (months "
      + "without events count as 0; months before its signup month, or first event's when earlier, are left out); "
      + "null in its first month";

  public static final ResultTable CUSTOMER_ENGAGEMENT_MONTHLY = ResultTable.named("customer_engagement_monthly",
          "Each customer's product usage per month against its own trailing three months")
      .grain("customer × month: months with events and the 3 months after each (up to the as-of month), so a drop "
          + "to no usage is a row with 0 events")
      .column("customer_id", StringType, "The customer.")
      .column(CommonColumns.PERIOD_MONTH)
      .column("active_days", LongType, "Distinct UTC days with an event of the customer in the month (up to the "
          + "as-of date in the as-of month, as every column here).")
      .column("sessions", LongType, "Sessions of the customer that start in the month: session_id when given, else "
          + "a user's events cut where more than cskpi.engagement.session-gap-minutes pass without one; a session "
          + "counts in the month of its first event.")
      .column("events", LongType, "Usage events of the customer in the month.")
      .column("distinct_features", LongType, "Distinct event_name values of the customer's events in the month.")
      .column("active_users", LongType, "Distinct user_id with an event of the customer in the month.")
      .nullable("events_trailing_3m_avg", DoubleType, "Events: " + TRAILING + ".")
      .nullable("events_change_ratio", DoubleType, "events / events_trailing_3m_avg - 1 (-0.5: half the usual "
          + "usage); null when the average is null or 0.")
      .nullable("active_days_trailing_3m_avg", DoubleType, "Active days: " + TRAILING + ".")
      .nullable("active_days_change_ratio", DoubleType, "active_days / active_days_trailing_3m_avg - 1; null when "
          + "the average is null or 0.")
      .segmentColumns()
      .partitionedBy("period_month")
      .build();

  public static final ResultTable ENGAGEMENT_MONTHLY = ResultTable.named("engagement_monthly",
          "Monthly and daily active users, stickiness and sessions per month and segment")
      .grain("month × dimension × segment with an active user")
      .monthlyBySegment()
      .column("mau_users", LongType, "Distinct users active in the calendar month (a user is a customer_id and "
          + "user_id pair; active = an event in the month up to the as-of date).")
      .column("mau_customers", LongType, "Distinct customers with an event in the month.")
      .column("active_user_days", LongType, "Sum over the month's days of the users active that day.")
      .column("events", LongType, "Usage events in the month.")
      .column("dau_users_avg", DoubleType, "Mean over the month's calendar days (up to the as-of date in the as-of "
          + "month; days without activity count as 0) of the distinct users active that day: active_user_days / days.")
      .nullable("stickiness_ratio", DoubleType, "dau_users_avg / mau_users: the share of a month's users active on "
          + "an average day; null without users.")
      .column("sessions", LongType, "Sessions starting in the month (see customer_engagement_monthly.sessions).")
      .nullable("sessions_per_active_day", DoubleType, "sessions / active_user_days: sessions per user on a day "
          + "the user is active.")
      .nullable("events_per_active_user", DoubleType, "events / mau_users.")
      .build();

  public static final ResultTable ENGAGEMENT_DAILY = ResultTable.named("engagement_daily",
          "Daily, weekly and monthly active users and customers for every day")
      .grain("day × dimension × segment, every day from the segment's first active day to the as-of date")
      .column("period_date", DateType, "The day (UTC).")
      .column(CommonColumns.DIMENSION)
      .column(CommonColumns.SEGMENT)
      .column("dau_users", LongType, "Distinct users with an event on the day.")
      .column("dau_customers", LongType, "Distinct customers with an event on the day.")
      .column("wau_users", LongType, "Distinct users with an event in the 7 days ending on the day (the day and the 6 "
          + "before).")
      .column("wau_customers", LongType, "Distinct customers with an event in the same 7 days.")
      .column("mau_users", LongType, "Distinct users with an event in the 30 days ending on the day.")
      .column("mau_customers", LongType, "Distinct customers with an event in the same 30 days.")
      .build();

  @Override
  public Declaration declaration() {
    return Declaration.family("engagement", "Sessions, active days, MAU, DAU, stickiness, trailing-window actives")
        .reads(InputTables.CUSTOMERS, InputTables.USAGE_EVENTS)
        .writes(CUSTOMER_ENGAGEMENT_MONTHLY, ENGAGEMENT_MONTHLY, ENGAGEMENT_DAILY)
        .settings(EngagementSettings::read)
        .summary(EngagementFamily::summary)
        .build();
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    List<String> segments = ctx.segments();
    Dataset<Row> customers = in.table(InputTables.CUSTOMERS);
    Dataset<Row> asOf = UsageSessions.asOf(in.table(InputTables.USAGE_EVENTS), ctx.asOf());
    // Sessions per customer-month and user-days each feed two tables: computed once (small next to the events).
    Dataset<Row> sessionMonths = UsageSessions.perMonth(UsageSessions.sessions(asOf,
            ctx.settings(EngagementSettings.class).sessionGapMinutes()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> perCustomer = Segments.withCustomerSegments(
        CustomerEngagement.monthly(asOf, sessionMonths, customers, ctx.asOf()), customers, segments);
    // Both tables read the user-days: clustered by customer, computed once.
    Dataset<Row> userDays = EngagementMetrics.userDaysByCustomer(asOf).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> monthly = EngagementMetrics.monthly(userDays,
        Segments.withCustomerSegments(sessionMonths, customers, segments), customers, segments, ctx.asOf());
    return Results.of(CUSTOMER_ENGAGEMENT_MONTHLY, CUSTOMER_ENGAGEMENT_MONTHLY.selectFrom(perCustomer, segments))
        .and(ENGAGEMENT_MONTHLY, ENGAGEMENT_MONTHLY.selectFrom(monthly, segments))
        .and(ENGAGEMENT_DAILY, ENGAGEMENT_DAILY.selectFrom(
            EngagementMetrics.daily(userDays, customers, segments, ctx.asOf()), segments));
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> monthly = written.read(ENGAGEMENT_MONTHLY);
    Dataset<Row> daily = written.read(ENGAGEMENT_DAILY);
    if (monthly == null || daily == null) {
      return "";
    }
    List<Row> month = monthly.filter(col("dimension").equalTo(Segments.ALL)
        .and(col("period_month").equalTo(lit(asOf.withDayOfMonth(1))))).collectAsList();
    List<Row> day = daily.filter(col("dimension").equalTo(Segments.ALL).and(col("period_date").equalTo(lit(asOf))))
        .collectAsList();
    if (month.isEmpty() || day.isEmpty()) {
      return "";
    }
    Row m = month.get(0);
    Row d = day.get(0);
    return String.format("Engagement %s: %d monthly active users at %d customers, average DAU %s, stickiness %s, "
            + "%s sessions per active user-day; on %s: DAU %d, WAU %d, MAU %d (30 days)%n",
        asOf.toString().substring(0, 7), m.<Long>getAs("mau_users"), m.<Long>getAs("mau_customers"),
        num(m.getAs("dau_users_avg")), num(m.getAs("stickiness_ratio")), num(m.getAs("sessions_per_active_day")),
        asOf, d.<Long>getAs("dau_users"), d.<Long>getAs("wau_users"), d.<Long>getAs("mau_users"));
  }
}
