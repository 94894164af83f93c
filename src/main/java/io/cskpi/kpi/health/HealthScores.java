package io.cskpi.kpi.health;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer health score: four components, each 0-100, weighted into one score with bands, at every month end
 * and at the as-of date. Point in time: a snapshot at D reads only data dated on or before D (MRR of D's month
 * is the MRR on D; usage of D's month is up to D), so it is the same in any later run.
 */
public final class HealthScores {
  private HealthScores() {}

  public static final double RED_TO = 40;
  public static final double YELLOW_TO = 70;

  /**
   * The snapshot dates: the month ends of the {@code months} months before the as-of month, and the as-of date,
   * with snapshot_month. One more month end before them is included for score_change; {@link #scores} drops it.
   */
  public static Dataset<Row> snapshots(SparkSession spark, LocalDate asOf, int months) {
    List<Row> rows = new ArrayList<>();
    for (int i = months + 1; i >= 1; i--) {
      LocalDate monthEnd = asOf.withDayOfMonth(1).minusMonths(i - 1).minusDays(1);
      rows.add(org.apache.spark.sql.RowFactory.create(monthEnd, i == months + 1));
    }
    rows.add(org.apache.spark.sql.RowFactory.create(asOf, false));
    return spark.createDataFrame(rows, org.apache.spark.sql.types.StructType.fromDDL(
            "snapshot_date DATE, _lead_in BOOLEAN"))
        .withColumn("snapshot_month", trunc(col("snapshot_date"), "month"))
        .withColumn("is_month_end", col("snapshot_date").equalTo(last_day(col("snapshot_date"))));
  }

  /**
   * Customers with MRR &gt; 0 at each snapshot, with mrr, mrr_3m_ago (the month end 3 months before; 0 without),
   * movement (of the snapshot's month).
   */
  static Dataset<Row> scored(Dataset<Row> snapshots, Dataset<Row> customerMrr) {
    Dataset<Row> now = customerMrr.filter(col("mrr").gt(0))
        .select(col("customer_id"), col("period_month").as("snapshot_month"), col("mrr"), col("previous_mrr"),
            col("movement"));
    Dataset<Row> before = customerMrr.select(col("customer_id"), add_months(col("period_month"), 3).as("snapshot_month"),
        col("mrr").as("mrr_3m_ago"));
    return snapshots.join(now, "snapshot_month")
        .join(before, new String[] {"customer_id", "snapshot_month"}, "left")
        .withColumn("mrr_3m_ago", coalesce(col("mrr_3m_ago"), lit(0).cast("decimal(18,2)")));
  }

  /**
   * usage_score: 0.5 × level + 0.5 × trend. Level: 100 × the percentile rank of the customer's active days in the
   * snapshot's month among the customers of its plan scored at the snapshot: (customers with fewer + half of those
   * with as many, itself included) / customers; the as-of month's active days scaled to a whole month. Trend: 100 × min(1, active days / the customer's trailing 3-month
   * mean) when that mean is above 0; without it the usage score is the level alone.
   */
  static Dataset<Row> withUsage(Dataset<Row> scored, Dataset<Row> engagement, Dataset<Row> customers) {
    Dataset<Row> usage = engagement.select(col("customer_id"), col("period_month").as("snapshot_month"),
        col("active_days"), col("active_days_trailing_3m_avg").as("_baseline"));
    Column monthDays = dayofmonth(last_day(col("snapshot_date")));
    Column activeDays = coalesce(col("active_days"), lit(0L)).cast("double")
        .multiply(monthDays).divide(dayofmonth(col("snapshot_date")));
    WindowSpec peers = Window.partitionBy("snapshot_date", "_plan").orderBy("_active_days_month");
    WindowSpec ties = Window.partitionBy("snapshot_date", "_plan", "_active_days_month");
    WindowSpec plan = Window.partitionBy("snapshot_date", "_plan");
    Column trend = when(col("_baseline").gt(0), least(lit(1.0), col("_active_days_month").divide(col("_baseline")))
        .multiply(100));
    // Percentile rank: (customers below + half the ties, itself included) / customers.
    Column level = rank().over(peers).minus(1).plus(count(lit(1)).over(ties).divide(2.0))
        .divide(count(lit(1)).over(plan)).multiply(100);
    return scored.join(usage, new String[] {"customer_id", "snapshot_month"}, "left")
        .join(customers.select(col("customer_id"), coalesce(col("plan").cast("string"), lit("unknown")).as("_plan"),
            col("csm_owner").as("owner")), new String[] {"customer_id"}, "left")
        .withColumn("_active_days_month", activeDays)
        .withColumn("_usage_trend", trend)
        .withColumn("_usage_level", level)
        .withColumn("usage_score", when(col("_usage_trend").isNull(), col("_usage_level"))
            .otherwise(col("_usage_level").plus(col("_usage_trend")).divide(2)));
  }

  /**
   * voice_score: the mean of the latest NPS answer's 10 × score and the latest CSAT answer's 100 × (score - min) /
   * (max - min), each of the voice-days days up to the snapshot date; null without either.
   */
  static Dataset<Row> withVoice(Dataset<Row> scored, Dataset<Row> surveys, HealthSettings s) {
    Dataset<Row> answers = surveys.filter(col("survey_type").isin("NPS", "CSAT"))
        .withColumn("_points", when(col("survey_type").equalTo("NPS"), col("score").multiply(10.0))
            .otherwise(col("score").minus(s.csatScaleMin()).multiply(100.0).divide(s.csatScaleMax() - s.csatScaleMin())))
        .select("customer_id", "survey_type", "responded_ts", "_points");
    Dataset<Row> keys = scored.select("customer_id", "snapshot_date");
    Column end = date_add(col("snapshot_date"), 1).cast("timestamp");
    Column from = date_sub(col("snapshot_date"), s.voiceDays() - 1).cast("timestamp");
    Dataset<Row> latest = keys.join(answers, "customer_id")
        .filter(col("responded_ts").lt(end).and(col("responded_ts").geq(from)))
        .groupBy("customer_id", "snapshot_date", "survey_type")
        .agg(max_by(col("_points"), col("responded_ts")).as("_points"))
        .groupBy("customer_id", "snapshot_date").agg(org.apache.spark.sql.functions.avg("_points").as("voice_score"));
    return scored.join(latest, new String[] {"customer_id", "snapshot_date"}, "left");
  }

  /**
   * support_score: 100 - 10 per ticket created in the support-days days up to the snapshot date - 25 per ticket
   * open at the snapshot date and created overdue-days or more days before it; at least 0. 100 without tickets;
   * null when no ticket at all was created by the snapshot date (no support data yet). Only dated facts count:
   * reopened has no date (a ticket reopened after the snapshot would leak into it), so it is left out.
   */
  static Dataset<Row> withSupport(Dataset<Row> scored, Dataset<Row> tickets, HealthSettings s) {
    Dataset<Row> keys = scored.select("customer_id", "snapshot_date");
    Column end = date_add(col("snapshot_date"), 1).cast("timestamp");
    Column recent = col("created_ts").geq(date_sub(col("snapshot_date"), s.supportDays() - 1).cast("timestamp"));
    Column openAtEnd = col("resolved_ts").isNull().or(col("resolved_ts").geq(end));
    Column overdue = openAtEnd.and(col("created_ts").lt(date_sub(col("snapshot_date"), s.overdueDays() - 1)
        .cast("timestamp")));
    Dataset<Row> perCustomer = keys.join(tickets.select("customer_id", "created_ts", "resolved_ts"), "customer_id")
        .filter(col("created_ts").lt(end))
        .groupBy("customer_id", "snapshot_date")
        .agg(sum(when(recent, 1L).otherwise(0L)).as("_tickets"), sum(when(overdue, 1L).otherwise(0L)).as("_overdue"));
    Dataset<Row> firstTicket = tickets.agg(min("created_ts").as("_first_ticket_ts"));
    Column points = lit(100.0).minus(coalesce(col("_tickets"), lit(0L)).multiply(10))
        .minus(coalesce(col("_overdue"), lit(0L)).multiply(25));
    return scored.join(perCustomer, new String[] {"customer_id", "snapshot_date"}, "left").crossJoin(firstTicket)
        .withColumn("support_score", when(col("_first_ticket_ts").lt(end), greatest(lit(0.0), points)));
  }

  /**
   * billing_score: r = MRR at the snapshot / MRR at the month end 3 months before; 100 × min(1, max(0, 1 - 2 × (1 -
   * r))): flat or growing 100, -25% 50, -50% or less 0. Null when there was no MRR 3 months before (new or won back).
   */
  static Dataset<Row> withBilling(Dataset<Row> scored) {
    Column r = col("mrr").cast("double").divide(col("mrr_3m_ago").cast("double"));
    return scored.withColumn("billing_score", when(col("mrr_3m_ago").gt(0),
        least(lit(1.0), greatest(lit(0.0), lit(1.0).minus(lit(1.0).minus(r).multiply(2)))).multiply(100)));
  }

  /**
   * score = Σ weight × component / Σ weight over the components present (renormalise) or over all with a missing
   * component as 50 (neutral); band: red up to 40, yellow above 40 up to 70, green above 70, thriving = green with
   * an expansion signal (MRR up over 3 months, or active days at least 1.25 × the trailing mean).
   */
  static Dataset<Row> withScore(Dataset<Row> scored, HealthSettings s) {
    Column weighted = lit(0.0);
    Column weights = lit(0.0);
    for (String c : HealthSettings.COMPONENTS) {
      Column value = s.neutralMissing() ? coalesce(col(c + "_score"), lit(50.0)) : col(c + "_score");
      weighted = weighted.plus(coalesce(value.multiply(s.weight(c)), lit(0.0)));
      weights = weights.plus(when(value.isNotNull(), s.weight(c)).otherwise(0.0));
    }
    Column score = when(weights.gt(0), weighted.divide(weights));
    Column expansion = col("mrr").gt(col("mrr_3m_ago")).and(col("mrr_3m_ago").gt(0))
        .or(col("_baseline").gt(0).and(col("_active_days_month").geq(col("_baseline").multiply(1.25))));
    // The top negative driver: the component losing the most weighted points (100 - value) × weight.
    Column driver = lit(null).cast("string");
    Column worst = lit(0.0);
    for (String c : HealthSettings.COMPONENTS) {
      Column loss = coalesce(lit(100.0).minus(col(c + "_score")).multiply(s.weight(c)), lit(-1.0));
      driver = when(loss.gt(worst), lit(c)).otherwise(driver);
      worst = greatest(worst, loss);
    }
    return scored.withColumn("score", score)
        .withColumn("band", when(col("score").leq(RED_TO), "red").when(col("score").leq(YELLOW_TO), "yellow")
            .when(expansion, "thriving").otherwise("green"))
        .withColumn("top_negative_driver", driver);
  }

  /** health_scores' rows: every component, the score, band, change since the customer's previous snapshot. */
  public static Dataset<Row> scores(Dataset<Row> snapshots, Dataset<Row> customerMrr, Dataset<Row> engagement,
      Dataset<Row> surveys, Dataset<Row> tickets, Dataset<Row> customers, HealthSettings s) {
    Dataset<Row> scored = withScore(withBilling(withSupport(withVoice(withUsage(scored(snapshots, customerMrr),
        engagement, customers), surveys, s), tickets, s)), s);
    WindowSpec byCustomer = Window.partitionBy("customer_id").orderBy("snapshot_date");
    return scored
        .withColumn("previous_score", lag(col("score"), 1).over(byCustomer))
        .withColumn("previous_band", lag(col("band"), 1).over(byCustomer))
        .withColumn("previous_snapshot_date", lag(col("snapshot_date"), 1).over(byCustomer))
        .withColumn("score_change", col("score").minus(col("previous_score")))
        .filter(col("_lead_in").unary_$bang());
  }
}
