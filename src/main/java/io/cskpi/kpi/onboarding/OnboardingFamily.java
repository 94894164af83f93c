package io.cskpi.kpi.onboarding;

import static io.cskpi.kpi.SummaryFormat.num;
import static io.cskpi.kpi.SummaryFormat.pct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.Declaration;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.engagement.UsageSessions;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/** Onboarding milestones per customer, customers stuck in onboarding, and trial-to-paid conversion. */
public final class OnboardingFamily implements KpiFamily {
  public static final ResultTable ONBOARDING = ResultTable.named("onboarding",
          "Each customer's onboarding: milestones reached in the window, score, activation")
      .grain("customer signed up by the as-of date")
      .column("customer_id", StringType, "The customer.")
      .column("signup_date", DateType, "customers.signup_date: day 0 of the onboarding window.")
      .column("window_end_date", DateType, "Last day of the window: signup_date + cskpi.onboarding.window-days - 1.")
      .column("window_complete", BooleanType, "True when the window ended by the as-of date (whose events are in): the row is final.")
      .column("milestones_reached", LongType, "Milestones (cskpi.onboarding.milestones) whose event_name the "
          + "customer first used within the window (by the as-of date; an event before signup counts as day 0).")
      .column("reached_milestones", StringType, "Those milestones, comma-separated in the configured order ('' for "
          + "none).")
      .column("onboarding_score", DoubleType, "100 × the weights of the milestones reached / the weights of all "
          + "milestones: 0-100.")
      .column("activated", BooleanType, "True when every cskpi.onboarding.activation (\"aha\") milestone was "
          + "reached in the window.")
      .nullable("days_to_activation", IntegerType, "For activated customers: days from signup_date to the first "
          + "use of the last aha milestone reached (0 = signup day); null otherwise.")
      .nullable("first_missing_milestone", StringType, "The first milestone in the configured order not reached in "
          + "the window; null when all are.")
      .nullable("last_event_date", DateType, "The customer's last usage event by the as-of date; null without one.")
      .nullable("owner", StringType, "customers.csm_owner, the customer success manager; null = none.")
      .segmentColumns()
      .build();

  public static final ResultTable ONBOARDING_STUCK = ResultTable.named("onboarding_stuck",
          "Customers stuck in onboarding: the list a CS team works from")
      .grain("customer signed up stuck-after-days to stuck-max-days before the as-of date without the stuck "
          + "milestone")
      .column("customer_id", StringType, "The customer.")
      .column("signup_date", DateType, "customers.signup_date.")
      .column("days_since_signup", IntegerType, "As-of date - signup_date, in days: between "
          + "cskpi.onboarding.stuck-after-days and stuck-max-days.")
      .column("missing_milestone", StringType, "cskpi.onboarding.stuck-milestone, not reached by the as-of date (in "
          + "the window or after it).")
      .nullable("first_missing_milestone", StringType, "The first milestone not reached in the window (see "
          + "onboarding).")
      .column("onboarding_score", DoubleType, "See onboarding.")
      .nullable("last_event_date", DateType, "The customer's last usage event by the as-of date: null = never used "
          + "the product.")
      .nullable("owner", StringType, "customers.csm_owner: who acts; null = no owner (the pooled team).")
      .segmentColumns()
      .build();

  public static final ResultTable TRIAL_CONVERSION_MONTHLY = ResultTable.named("trial_conversion_monthly",
          "Free trials started per month and how many became paying customers")
      .grain("trial-start month × dimension × segment with a trial")
      .monthlyBySegment()
      .column("trials_started", LongType, "Customers whose trial_start_date is in the month (up to the as-of date).")
      .column("trials_converted", LongType, "Of those, customers whose first subscription with mrr > 0 starting on "
          + "or after trial_start_date starts by trial_end_date (trial_start_date + cskpi.onboarding.trial-days "
          + "when null) + cskpi.onboarding.trial-grace-days, and by the as-of date.")
      .column("trials_pending", LongType, "Not converted and the deadline (trial end + grace) after the as-of date: "
          + "still undecided.")
      .nullable("trial_to_paid_rate", DoubleType, "trials_converted / (trials_started - trials_pending): the "
          + "decided trials that converted; null when none is decided.")
      .nullable("days_to_convert_median", DoubleType, "Median of first paid start_date - trial_start_date in days "
          + "over the converted trials (exact, linear interpolation); null without one.")
      .build();

  @Override
  public Declaration declaration() {
    String customers = InputTables.CUSTOMERS.name();
    return Declaration.family("onboarding", "Onboarding milestones, stuck customers, trial-to-paid conversion")
        .reads(InputTables.CUSTOMERS, InputTables.USAGE_EVENTS, InputTables.SUBSCRIPTIONS)
        .writes(ONBOARDING, ONBOARDING_STUCK, TRIAL_CONVERSION_MONTHLY)
        .rules(new RowRule(customers, "trial_end_before_start", "trial_end_date must not be before trial_start_date",
            col("trial_end_date").lt(col("trial_start_date"))))
        .settings(OnboardingSettings::read)
        .summary(OnboardingFamily::summary)
        .build();
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    List<String> segments = ctx.segments();
    OnboardingSettings s = ctx.settings(OnboardingSettings.class);
    Dataset<Row> customers = in.table(InputTables.CUSTOMERS);
    Dataset<Row> events = UsageSessions.asOf(in.table(InputTables.USAGE_EVENTS), ctx.asOf());
    Dataset<Row> progress = Segments.withCustomerSegments(
        OnboardingProgress.perCustomer(customers, events, s, ctx.asOf()), customers, segments);
    Dataset<Row> trials = Segments.withCustomerSegments(
        TrialConversion.trials(customers, in.table(InputTables.SUBSCRIPTIONS), s, ctx.asOf()), customers, segments);
    return Results.of(ONBOARDING, ONBOARDING.selectFrom(progress, segments))
        .and(ONBOARDING_STUCK, ONBOARDING_STUCK.selectFrom(OnboardingProgress.stuck(progress, s, ctx.asOf()), segments))
        .and(TRIAL_CONVERSION_MONTHLY, TRIAL_CONVERSION_MONTHLY.selectFrom(TrialConversion.monthly(trials, segments),
            segments));
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> onboarding = written.read(ONBOARDING);
    Dataset<Row> stuck = written.read(ONBOARDING_STUCK);
    Dataset<Row> trials = written.read(TRIAL_CONVERSION_MONTHLY);
    if (onboarding == null || stuck == null || trials == null) {
      return "";
    }
    // Customers whose window ended in the last 90 days: the onboarding a team can still change.
    Row recent = onboarding.filter(col("window_complete").and(col("window_end_date").geq(lit(asOf.minusDays(90)))))
        .selectExpr("count(*) AS customers", "avg(CAST(activated AS DOUBLE)) AS activation",
            "avg(onboarding_score) AS score", "percentile(days_to_activation, 0.5) AS days")
        .first();
    Row trial = trials.filter(col("dimension").equalTo(Segments.ALL)
            .and(col("period_month").geq(lit(asOf.withDayOfMonth(1).minusMonths(3)))))
        .selectExpr("sum(trials_started) AS started", "sum(trials_converted) AS converted",
            "sum(trials_started) - sum(trials_pending) AS decided")
        .first();
    Long decided = trial.isNullAt(2) ? null : trial.getLong(2);
    Double rate = decided == null || decided == 0 ? null : trial.getLong(1) / (double) decided;
    return String.format("Onboarding (windows ended in the last 90 days): %d customers, %s activated, mean score %s, "
            + "median %s days to activation; %d stuck now%nTrials since %s: %s started, %s converted of the decided%n",
        recent.getLong(0), pct(recent.isNullAt(1) ? null : recent.getDouble(1)),
        num(recent.isNullAt(2) ? null : recent.getDouble(2)), num(recent.isNullAt(3) ? null : recent.getDouble(3)),
        stuck.count(), asOf.withDayOfMonth(1).minusMonths(3), trial.isNullAt(0) ? "0" : trial.get(0).toString(),
        pct(rate));
  }
}
