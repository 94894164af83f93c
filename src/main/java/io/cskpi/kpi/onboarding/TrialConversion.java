package io.cskpi.kpi.onboarding;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/** Free trials to paid subscriptions, by trial-start month: trial_conversion_monthly. */
public final class TrialConversion {
  private TrialConversion() {}

  /**
   * One row per customer with a trial started by the as-of date: first_paid_date (the first subscription with
   * mrr &gt; 0 starting on or after the trial start, by the as-of date), converted, pending, days_to_convert.
   */
  public static Dataset<Row> trials(Dataset<Row> customers, Dataset<Row> subscriptions, OnboardingSettings s,
      LocalDate asOf) {
    Dataset<Row> trials = customers.filter(col("trial_start_date").isNotNull()
            .and(col("trial_start_date").leq(lit(asOf))))
        .withColumn("_trial_end", coalesce(col("trial_end_date"), date_add(col("trial_start_date"), s.trialDays())))
        .withColumn("_deadline", date_add(col("_trial_end"), s.trialGraceDays()));
    Dataset<Row> paid = subscriptions.filter(col("mrr").gt(0).and(col("start_date").leq(lit(asOf))))
        .select(col("customer_id"), col("start_date"));
    Dataset<Row> firstPaid = trials.select("customer_id", "trial_start_date").join(paid, "customer_id")
        .filter(col("start_date").geq(col("trial_start_date")))
        .groupBy("customer_id").agg(min("start_date").as("first_paid_date"));
    Column converted = coalesce(col("first_paid_date").leq(col("_deadline")), lit(false));
    return trials.join(firstPaid, new String[] {"customer_id"}, "left")
        .withColumn("converted", converted)
        .withColumn("pending", converted.unary_$bang().and(col("_deadline").gt(lit(asOf))))
        .withColumn("days_to_convert", when(converted, datediff(col("first_paid_date"), col("trial_start_date"))))
        .withColumn("period_month", trunc(col("trial_start_date"), "month"));
  }

  /** trial_conversion_monthly from {@link #trials} with segment columns. */
  public static Dataset<Row> monthly(Dataset<Row> trials, List<String> segments) {
    return Segments.explodeDimensions(trials, segments)
        .groupBy("period_month", "dimension", "segment")
        .agg(count(lit(1)).as("trials_started"), sum(when(col("converted"), 1L).otherwise(0L)).as("trials_converted"),
            sum(when(col("pending"), 1L).otherwise(0L)).as("trials_pending"),
            expr("percentile(days_to_convert, 0.5)").as("days_to_convert_median"))
        .withColumn("trial_to_paid_rate", ratio(col("trials_converted"),
            col("trials_started").minus(col("trials_pending"))));
  }
}
