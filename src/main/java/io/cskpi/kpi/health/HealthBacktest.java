package io.cskpi.kpi.health;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.last_day;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.time.LocalDate;

/** Does the score predict churn? Churn after each month-end snapshot by band, lift and AUC: health_backtest. */
public final class HealthBacktest {
  private HealthBacktest() {}

  /**
   * Month-end snapshots whose horizon of {@code months} whole months ended by the as-of date, each scored customer
   * with churned: a churn movement (MRR to 0) at a month end in the {@code months} months after the snapshot.
   */
  public static Dataset<Row> outcomes(Dataset<Row> scores, Dataset<Row> customerMrr, int months, LocalDate asOf) {
    Dataset<Row> churnAhead = customerMrr.filter(col("movement").equalTo("churn"))
        .select(col("customer_id"), explode(sequence(add_months(col("period_month"), -months),
            add_months(col("period_month"), -1), expr("INTERVAL 1 MONTH"))).as("snapshot_month"))
        .distinct().withColumn("churned", lit(true));
    return scores.filter(col("is_month_end")
            .and(last_day(add_months(col("snapshot_date"), months)).leq(lit(asOf))))
        .join(churnAhead, new String[] {"customer_id", "snapshot_month"}, "left")
        .withColumn("churned", coalesce(col("churned"), lit(false)));
  }

  /**
   * Per snapshot and band (red, yellow, green, thriving, and all): customers, churned_customers, churn_rate; on the
   * 'all' row the red over green lift (green with thriving) and the AUC of the score against churn.
   */
  public static Dataset<Row> backtest(Dataset<Row> outcomes) {
    Column churned = sum(when(col("churned"), 1L).otherwise(0L));
    Dataset<Row> byBand = outcomes.groupBy("snapshot_date", "band")
        .agg(count(lit(1)).as("customers"), churned.as("churned_customers"));
    Column greenish = col("band").isin("green", "thriving");
    Dataset<Row> all = outcomes.groupBy("snapshot_date")
        .agg(count(lit(1)).as("customers"), churned.as("churned_customers"),
            sum(when(col("band").equalTo("red"), 1L).otherwise(0L)).as("_red"),
            sum(when(col("band").equalTo("red").and(col("churned")), 1L).otherwise(0L)).as("_red_churned"),
            sum(when(greenish, 1L).otherwise(0L)).as("_green"),
            sum(when(greenish.and(col("churned")), 1L).otherwise(0L)).as("_green_churned"))
        .withColumn("band", lit("all"))
        .withColumn("red_over_green_lift_ratio", ratio(ratio(col("_red_churned"), col("_red")),
            ratio(col("_green_churned"), col("_green"))))
        .join(auc(outcomes), "snapshot_date")
        .drop("_red", "_red_churned", "_green", "_green_churned");
    return byBand.withColumn("red_over_green_lift_ratio", lit(null).cast("double"))
        .withColumn("auc", lit(null).cast("double"))
        .unionByName(all)
        .withColumn("churn_rate", ratio(col("churned_customers"), col("customers")));
  }

  /**
   * AUC per snapshot, rank-based (Mann-Whitney): the share of (churned, retained) pairs in which the churned
   * customer scored lower, ties counted half; null without either kind.
   */
  static Dataset<Row> auc(Dataset<Row> outcomes) {
    Dataset<Row> byScore = outcomes.groupBy("snapshot_date", "score")
        .agg(sum(when(col("churned"), 1L).otherwise(0L)).as("_c"), sum(when(col("churned"), 0L).otherwise(1L)).as("_n"));
    Column churnedBelow = coalesce(sum("_c").over(Window.partitionBy("snapshot_date").orderBy("score")
        .rowsBetween(Window.unboundedPreceding(), -1)), lit(0L));
    return byScore.withColumn("_pairs", col("_n").multiply(churnedBelow).plus(col("_n").multiply(col("_c")).divide(2.0)))
        .groupBy("snapshot_date")
        .agg(sum("_pairs").as("_pairs"), sum("_c").as("_c"), sum("_n").as("_n"))
        .withColumn("auc", ratio(col("_pairs"), col("_c").multiply(col("_n"))))
        .select("snapshot_date", "auc");
  }
}
