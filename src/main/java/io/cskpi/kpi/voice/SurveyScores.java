package io.cskpi.kpi.voice;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Segments;
import io.cskpi.kpi.voice.VoiceSettings.ScoreScale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Survey responses to NPS, CSAT and CES by month, touchpoint and segment. */
final class SurveyScores {
  private SurveyScores() {}

  static final String[] GROUP = {"period_month", "dimension", "segment", "touchpoint"};

  /** The first instant after the as-of date (UTC): later rows have not happened yet for this run. */
  static Timestamp endOf(LocalDate asOf) {
    return Timestamp.from(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /** survey_type upper case without blanks, so "nps " is NPS. */
  static Column surveyType() {
    return upper(trim(col("survey_type")));
  }

  /**
   * The responses that count, up to the as-of date: with period_month (month of responded_ts, UTC), survey_type
   * upper case and touchpoint 'unknown' for null. With {@code latestOnly}, a customer's latest response per
   * survey type, month and touchpoint (ties: the highest response_id).
   */
  static Dataset<Row> counted(Dataset<Row> surveys, LocalDate asOf, boolean latestOnly) {
    Dataset<Row> responses = surveys
        .filter(col("responded_ts").lt(lit(endOf(asOf))))
        .withColumn("survey_type", surveyType())
        .withColumn("touchpoint", coalesce(col("touchpoint"), lit(Segments.UNKNOWN)))
        .withColumn("period_month", trunc(to_date(col("responded_ts")), "month"));
    if (!latestOnly) {
      return responses;
    }
    return responses
        .withColumn("_latest", row_number().over(Window
            .partitionBy("customer_id", "survey_type", "period_month", "touchpoint")
            .orderBy(col("responded_ts").desc(), col("response_id").desc())))
        .filter(col("_latest").equalTo(1))
        .drop("_latest");
  }

  /** Each response once per touchpoint row (its own and 'all') and once per segment dimension. */
  static Dataset<Row> bySegmentAndTouchpoint(Dataset<Row> responses, Dataset<Row> customers, List<String> segments) {
    return Segments.explodeDimensions(Segments.withCustomerSegments(responses, customers, segments), segments)
        .withColumn("touchpoint", explode(array(col("touchpoint"), lit(Segments.ALL))));
  }

  /** 0-6 detractor, 7-8 passive, 9-10 promoter. */
  static Column npsCategory(Column score) {
    return when(score.geq(9), "promoter").when(score.geq(7), "passive").otherwise("detractor");
  }

  static Dataset<Row> npsMonthly(Dataset<Row> expanded) {
    Column n = col("responses");
    Column p = ratio(col("promoters"), n);
    Column d = ratio(col("detractors"), n);
    Dataset<Row> nps = expanded.filter(col("survey_type").equalTo("NPS"))
        .groupBy(columns(GROUP))
        .agg(count(lit(1)).as("responses"),
            countWhere(col("score").geq(VoiceSettings.NPS.goodFrom())).as("promoters"),
            countWhere(col("score").between(7, 8)).as("passives"),
            countWhere(col("score").leq(6)).as("detractors"))
        .withColumn("nps", ratio(col("promoters").minus(col("detractors")).multiply(100), n))
        // Variance of a response scored +1 (promoter), 0 (passive), -1 (detractor): E[x²] - E[x]².
        .withColumn("nps_margin_of_error", lit(1.96 * 100).multiply(sqrt(
            p.plus(d).minus(p.minus(d).multiply(p.minus(d))).divide(n))));
    Dataset<Row> previous = nps.select(add_months(col("period_month"), 1).as("period_month"), col("dimension"),
        col("segment"), col("touchpoint"), col("nps").as("_previous_nps"));
    return nps.join(previous, GROUP, "left")
        .withColumn("nps_change", col("nps").minus(col("_previous_nps")));
  }

  static Dataset<Row> csatMonthly(Dataset<Row> expanded, ScoreScale scale) {
    return expanded.filter(col("survey_type").equalTo("CSAT"))
        .groupBy(columns(GROUP))
        .agg(count(lit(1)).as("responses"), countWhere(col("score").geq(scale.goodFrom())).as("positive"),
            avg(col("score")).as("mean_score"))
        .withColumn("csat_rate", ratio(col("positive"), col("responses")));
  }

  static Dataset<Row> cesMonthly(Dataset<Row> expanded, ScoreScale scale) {
    return expanded.filter(col("survey_type").equalTo("CES"))
        .groupBy(columns(GROUP))
        .agg(count(lit(1)).as("responses"), countWhere(col("score").geq(scale.goodFrom())).as("agree"),
            avg(col("score")).as("ces_mean"))
        .withColumn("agree_rate", ratio(col("agree"), col("responses")));
  }

  static Column[] columns(String... names) {
    return java.util.Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private static Column countWhere(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }
}
