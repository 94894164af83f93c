package io.cskpi.kpi.health;

import static io.cskpi.kpi.SummaryFormat.num;
import static io.cskpi.kpi.SummaryFormat.pct;
import static io.cskpi.schema.Schemas.MONEY;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
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
import io.cskpi.kpi.engagement.EngagementFamily;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/** The customer health score, its alerts, and the backtest that shows whether it predicts churn. */
public final class HealthFamily implements KpiFamily {
  private static final String COMPONENT = " component, 0-100; null when the customer has no data for it (the score "
      + "then follows cskpi.health.missing-component).";

  public static final ResultTable HEALTH_SCORES = ResultTable.named("health_scores",
          "Customer health score per snapshot: weighted components, band, change and top negative driver")
      .grain("snapshot × customer with MRR > 0 at the snapshot; snapshots: the last day of each of the "
          + "cskpi.health.snapshot-months months before the as-of month, and the as-of date")
      .column("snapshot_date", DateType, "The snapshot: every input dated after it is ignored (point in time), so a "
          + "snapshot is the same in any later run.")
      .column("is_month_end", BooleanType, "True when snapshot_date is a month's last day (the backtest uses these).")
      .column("customer_id", StringType, "The customer.")
      .column("score", DoubleType, "Σ weight × component / Σ weight over the components present (missing-component "
          + "= renormalise) or over all four with a missing one as 50 (neutral); weights cskpi.health.weights (usage "
          + "40, voice 10, support 20, billing 30). 0-100.")
      .column("band", StringType, "red: score <= 40 (alert the owner now); yellow: above 40 up to 70 (automated "
          + "guidance); green: above 70 (low touch); thriving: green with an expansion signal (MRR above its level 3 "
          + "months before, or active days >= 1.25 × the trailing 3-month mean): flag for expansion.")
      .column("usage_score", DoubleType, "Usage component: 0.5 × level + 0.5 × trend. Level: percentile rank of the "
          + "customer's active days in the snapshot's month (the as-of month's scaled to a whole month) among the "
          + "customers of its plan at the snapshot: 100 × (customers with fewer + half of those with as many, itself "
          + "included) / customers. Trend: 100 × min(1, active days / the customer's trailing 3-month mean "
          + "(customer_engagement_monthly)); without a mean above 0, the score is the level alone.")
      .nullable("voice_score", DoubleType, "Voice component: the mean of the latest NPS answer as 10 × score and the "
          + "latest CSAT answer as 100 × (score - csat-scale-min) / (csat-scale-max - csat-scale-min), of the "
          + "cskpi.health.voice-days days up to the snapshot;" + COMPONENT)
      .nullable("support_score", DoubleType, "Support component: 100 - 10 per ticket created in the "
          + "cskpi.health.support-days days up to the snapshot - 25 per ticket open at the snapshot and created "
          + "overdue-days or more days before it; at least 0; 100 without tickets; null for every customer while no "
          + "ticket at all was created by the snapshot (no support data). reopened is left out: it has no date, "
          + "and a reopening after the snapshot must not change it.")
      .nullable("billing_score", DoubleType, "Billing component: r = MRR at the snapshot / MRR at the month end 3 "
          + "months before; 100 × min(1, max(0, 1 - 2 × (1 - r))): flat or growing 100, -25% 50, -50% or worse 0;"
          + COMPONENT.replace("no data for it", "no MRR 3 months before (new or won back)"))
      .nullable("score_change", DoubleType, "score - the customer's score at its previous snapshot; null at its "
          + "first.")
      .nullable("top_negative_driver", StringType, "The component that costs the most weighted points: "
          + "argmax weight × (100 - component); null when nothing is lost.")
      .column("mrr", MONEY, "The customer's MRR at the snapshot (customer_mrr_monthly).")
      .nullable("owner", StringType, "customers.csm_owner; null = none.")
      .segmentColumns()
      .partitionedBy("snapshot_date")
      .build();

  public static final ResultTable HEALTH_ALERTS = ResultTable.named("health_alerts",
          "Health alerts per snapshot: entering red, a large score drop, a contraction; with owner and action")
      .grain("snapshot × customer × alert")
      .column("snapshot_date", DateType, "The snapshot that raised the alert (the as-of date's are today's).")
      .column("customer_id", StringType, "The customer.")
      .column("alert", StringType, "entered_red: band red now and not at the previous snapshot (or first scored); "
          + "score_drop: the score fell more than cskpi.health.alert-drop-points since the previous snapshot; "
          + "contraction: MRR fell this month while still > 0 (movement contraction: an add-on, seats or plan cut).")
      .column("reason", StringType, "The numbers behind the alert, in words.")
      .column("recommended_action", StringType, "What the owner should do.")
      .nullable("owner", StringType, "customers.csm_owner: who acts; null = no owner (the pooled team).")
      .column("score", DoubleType, "health_scores.score at the snapshot.")
      .column("band", StringType, "health_scores.band at the snapshot.")
      .nullable("top_negative_driver", StringType, "health_scores.top_negative_driver.")
      .segmentColumns()
      .build();

  public static final ResultTable HEALTH_BACKTEST = ResultTable.named("health_backtest",
          "Does the score predict churn: churn after each month-end snapshot by band, lift and AUC")
      .grain("month-end snapshot whose horizon (cskpi.health.backtest-months whole months) ended by the as-of date × "
          + "band (red, yellow, green, thriving, and all)")
      .column("snapshot_date", DateType, "The month-end snapshot.")
      .column("band", StringType, "red, yellow, green, thriving, or all.")
      .column("customers", LongType, "Customers scored at the snapshot in the band.")
      .column("churned_customers", LongType, "Of those, customers with MRR 0 at a month end in the backtest-months "
          + "months after the snapshot (a churn movement in customer_mrr_monthly).")
      .nullable("churn_rate", DoubleType, "churned_customers / customers.")
      .nullable("red_over_green_lift_ratio", DoubleType, "Row 'all' only: churn rate of red / churn rate of green "
          + "and thriving together; null when either is empty or green's churn rate is 0.")
      .nullable("auc", DoubleType, "Row 'all' only: area under the ROC curve of the score against churn, "
          + "rank-based: the share of (churned, retained) customer pairs in which the churned one scored lower, "
          + "ties counted half; 0.5 = no better than chance, 1 = perfect. Null without churned or retained "
          + "customers.")
      .build();

  @Override
  public Declaration declaration() {
    return Declaration.family("health", "Customer health score, alerts and churn backtest")
        .reads(InputTables.CUSTOMERS)
        .readsWhenPresent(InputTables.SURVEYS, InputTables.TICKETS)
        .readsResults(RevenueFamily.CUSTOMER_MRR_MONTHLY, EngagementFamily.CUSTOMER_ENGAGEMENT_MONTHLY)
        .writes(HEALTH_SCORES, HEALTH_ALERTS, HEALTH_BACKTEST)
        .settings(HealthSettings::read)
        .summary(HealthFamily::summary)
        .build();
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    List<String> segments = ctx.segments();
    HealthSettings s = ctx.settings(HealthSettings.class);
    Dataset<Row> customers = in.table(InputTables.CUSTOMERS);
    Dataset<Row> customerMrr = in.result(RevenueFamily.CUSTOMER_MRR_MONTHLY);
    Dataset<Row> snapshots = HealthScores.snapshots(customers.sparkSession(), ctx.asOf(), s.snapshotMonths());
    Dataset<Row> scores = Segments.withCustomerSegments(HealthScores.scores(snapshots, customerMrr,
        in.result(EngagementFamily.CUSTOMER_ENGAGEMENT_MONTHLY), in.table(InputTables.SURVEYS),
        in.table(InputTables.TICKETS), customers, s), customers, segments)
        // Three tables come from the scores: compute them once.
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    return Results.of(HEALTH_SCORES, HEALTH_SCORES.selectFrom(scores, segments))
        .and(HEALTH_ALERTS, HEALTH_ALERTS.selectFrom(HealthAlerts.alerts(scores, s), segments))
        .and(HEALTH_BACKTEST, HEALTH_BACKTEST.selectFrom(HealthBacktest.backtest(
            HealthBacktest.outcomes(scores, customerMrr, s.backtestMonths(), ctx.asOf())), segments));
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> scores = written.read(HEALTH_SCORES);
    Dataset<Row> alerts = written.read(HEALTH_ALERTS);
    Dataset<Row> backtest = written.read(HEALTH_BACKTEST);
    if (scores == null || alerts == null || backtest == null) {
      return "";
    }
    StringBuilder out = new StringBuilder("Health " + asOf + ":");
    for (Row r : scores.filter(col("snapshot_date").equalTo(lit(asOf))).groupBy("band").count().orderBy("band")
        .collectAsList()) {
      out.append(String.format(" %s %d", r.getString(0), r.getLong(1)));
    }
    out.append(String.format("; alerts today: %d%n", alerts.filter(col("snapshot_date").equalTo(lit(asOf))).count()));
    Row bt = backtest.filter(col("band").equalTo("all"))
        .selectExpr("count(*)", "avg(auc)", "avg(red_over_green_lift_ratio)", "max(snapshot_date)").first();
    if (bt.getLong(0) > 0) {
      Row last = backtest.filter(col("band").equalTo("all").and(col("snapshot_date").equalTo(lit(bt.get(3)))))
          .first();
      out.append(String.format("  Backtest (%d month-end snapshots): mean AUC %s, mean red/green churn lift %s; "
              + "latest (%s): AUC %s, churn %s of %d customers%n", bt.getLong(0),
          num(bt.isNullAt(1) ? null : bt.getDouble(1)), num(bt.isNullAt(2) ? null : bt.getDouble(2)), bt.get(3),
          num(last.getAs("auc")), pct(last.getAs("churn_rate")), last.<Long>getAs("customers")));
    }
    return out.toString();
  }
}
