package io.cskpi.kpi.health;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a CS team must act on, from the health scores: health_alerts. */
public final class HealthAlerts {
  private HealthAlerts() {}

  public static final String ENTERED_RED = "entered_red";
  public static final String SCORE_DROP = "score_drop";
  public static final String CONTRACTION = "contraction";

  /** One row per snapshot, customer and alert raised there; a customer may raise several at one snapshot. */
  public static Dataset<Row> alerts(Dataset<Row> scores, HealthSettings s) {
    Column weakest = concat(lit("; weakest: "), coalesce(col("top_negative_driver"), lit("none")));
    Column score = format_number(col("score"), 1);
    Column previous = format_number(col("previous_score"), 1);
    Dataset<Row> red = scores
        .filter(col("band").equalTo("red").and(coalesce(col("previous_band").notEqual("red"), lit(true))))
        .withColumn("alert", lit(ENTERED_RED))
        .withColumn("reason", concat(lit("score "), score, lit(" is red"),
            coalesce(concat(lit(" (was "), previous, lit(", "), col("previous_band"), lit(")")), lit(" (first score)")),
            weakest))
        .withColumn("recommended_action", lit("Owner calls the customer now: review the weakest area with them and "
            + "agree a recovery plan"));
    Dataset<Row> drop = scores.filter(col("previous_score").minus(col("score")).gt(s.alertDropPoints()))
        .withColumn("alert", lit(SCORE_DROP))
        .withColumn("reason", concat(lit("score fell "), format_number(col("previous_score").minus(col("score")), 1),
            lit(" points, "), previous, lit(" -> "), score, lit(" since "), col("previous_snapshot_date").cast("string"),
            weakest))
        .withColumn("recommended_action", lit("Owner reaches out this week about the weakest area before the "
            + "account turns red"));
    Dataset<Row> contraction = scores.filter(col("movement").equalTo("contraction"))
        .withColumn("alert", lit(CONTRACTION))
        .withColumn("reason", concat(lit("MRR fell from "), col("previous_mrr").cast("string"), lit(" to "),
            col("mrr").cast("string"), lit(" this month: an add-on, seats or a plan was cut")))
        .withColumn("recommended_action", lit("Contact now: ask what changed and help before more is cancelled"));
    return red.unionByName(drop).unionByName(contraction);
  }
}
