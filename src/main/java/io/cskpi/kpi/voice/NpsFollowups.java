package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The follow-up list of recent NPS responses: each customer's latest NPS answer of the last days before the
 * as-of date, with the action owed, who owns it and when it is due.
 */
final class NpsFollowups {
  private NpsFollowups() {}

  static Dataset<Row> followups(Dataset<Row> surveys, Dataset<Row> customers, Dataset<Row> usage,
      Optional<Dataset<Row>> customerMrr, LocalDate asOf, VoiceSettings s) {
    Timestamp from = Timestamp.from(asOf.minusDays(s.followupDays() - 1L).atStartOfDay(ZoneOffset.UTC).toInstant());
    Timestamp to = SurveyScores.endOf(asOf);
    Dataset<Row> latest = surveys
        .filter(SurveyScores.surveyType().equalTo("NPS")
            .and(col("responded_ts").geq(lit(from))).and(col("responded_ts").lt(lit(to))))
        .withColumn("_latest", row_number().over(Window.partitionBy("customer_id")
            .orderBy(col("responded_ts").desc(), col("response_id").desc())))
        .filter(col("_latest").equalTo(1))
        .withColumn("nps_category", SurveyScores.npsCategory(col("score")));
    Dataset<Row> owners = customers.select(col("customer_id"), col("csm_owner"));
    Dataset<Row> withFeature = latest
        .join(owners, new String[] {"customer_id"}, "left")
        .join(unusedFeatures(latest.filter(col("nps_category").equalTo("passive")).select("customer_id"),
            usage.filter(col("event_ts").lt(lit(to)))), new String[] {"customer_id"}, "left");
    Dataset<Row> withChurn = customerMrr
        .map(mrr -> withFeature.join(churned(mrr, asOf), new String[] {"customer_id"}, "left")
            .withColumn("is_churned", coalesce(col("is_churned"), lit(false))))
        .orElseGet(() -> withFeature.withColumn("is_churned", lit(null).cast("boolean")));
    Column category = col("nps_category");
    return withChurn
        .withColumn("action", when(category.equalTo("detractor"), "call")
            .when(category.equalTo("passive"), "guide").otherwise("ask_referral"))
        .withColumn("priority", when(category.equalTo("detractor"), "high")
            .when(category.equalTo("passive"), "normal").otherwise("low"))
        .withColumn("due_ts", when(category.equalTo("detractor"), plusHours(s.detractorCallHours()))
            .when(category.equalTo("passive"), plusHours(24L * s.passiveFollowupDays()))
            .otherwise(plusHours(24L * s.promoterFollowupDays())))
        .withColumn("guidance", when(category.equalTo("detractor"), lit("Call within " + s.detractorCallHours()
                + " hours: hear what went wrong and agree a fix"))
            .when(category.equalTo("passive").and(col("unused_feature").isNotNull()),
                concat(lit("Show how "), col("unused_feature"), lit(" helps: the most adopted feature this customer "
                    + "has not used")))
            .when(category.equalTo("passive"), lit("Send guidance on the next step to full value"))
            .otherwise(lit("Ask for a referral or a review")));
  }

  /**
   * Per customer, the feature (event_name) most customers have used and this customer never has, up to the
   * as-of date; ties by name. Customers of an empty usage table get none.
   */
  static Dataset<Row> unusedFeatures(Dataset<Row> customerIds, Dataset<Row> usage) {
    Dataset<Row> adoption = usage.groupBy("event_name").agg(countDistinct("customer_id").as("_adopters"));
    Dataset<Row> used = usage.select("customer_id", "event_name").distinct();
    return customerIds.crossJoin(adoption)
        .join(used, new String[] {"customer_id", "event_name"}, "left_anti")
        .withColumn("_rank", row_number().over(Window.partitionBy("customer_id")
            .orderBy(col("_adopters").desc(), col("event_name"))))
        .filter(col("_rank").equalTo(1))
        .select(col("customer_id"), col("event_name").as("unused_feature"));
  }

  /** Customers that had MRR > 0 before and have none in the as-of month (from customer_mrr_monthly). */
  static Dataset<Row> churned(Dataset<Row> customerMrr, LocalDate asOf) {
    LocalDate month = asOf.withDayOfMonth(1);
    return customerMrr.filter(col("period_month").leq(lit(month)))
        .groupBy("customer_id")
        .agg(max(col("mrr").gt(0)).as("_ever_paid"),
            max(when(col("period_month").equalTo(lit(month)), col("mrr").gt(0))).as("_paying_now"))
        .select(col("customer_id"),
            col("_ever_paid").and(coalesce(col("_paying_now"), lit(false)).unary_$bang()).as("is_churned"));
  }

  private static Column plusHours(long hours) {
    return expr("responded_ts + make_dt_interval(0, " + hours + ", 0, 0)");
  }
}
