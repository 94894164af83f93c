package io.cskpi.kpi.revenue;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Money;
import io.cskpi.kpi.Segments;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/** The MRR bridge, logo churn and retention per period_month × dimension × segment. */
public final class RevenueMonthly {
  private RevenueMonthly() {}

  private static Column countWhere(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  private static Column is(String movement) {
    return col("movement").equalTo(movement);
  }

  /** From customer_mrr_monthly rows with segment columns to revenue_monthly. */
  public static Dataset<Row> toRevenueMonthly(Dataset<Row> customerMovements, List<String> dims) {
    Schemas.requireColumns(customerMovements, "period_month", "mrr", "previous_mrr", "movement", "mrr_change");
    Dataset<Row> counts = Segments.explodeDimensions(customerMovements, dims)
        .groupBy("period_month", "dimension", "segment")
        .agg(
            countWhere(col("previous_mrr").gt(0)).as("customers_start"),
            countWhere(is(MrrMovements.NEW)).as("customers_new"),
            countWhere(is(MrrMovements.REACTIVATION)).as("customers_reactivated"),
            countWhere(is(MrrMovements.CHURN)).as("customers_churned"),
            countWhere(col("mrr").gt(0)).as("customers_end"),
            Money.sum(col("previous_mrr")).as("mrr_start"),
            Money.sumWhere(is(MrrMovements.NEW), col("mrr")).as("mrr_new"),
            Money.sumWhere(is(MrrMovements.EXPANSION), col("mrr_change")).as("mrr_expansion"),
            Money.sumWhere(is(MrrMovements.CONTRACTION), col("mrr_change")).unary_$minus().as("mrr_contraction"),
            Money.sumWhere(is(MrrMovements.CHURN), col("previous_mrr")).as("mrr_churned"),
            Money.sumWhere(is(MrrMovements.REACTIVATION), col("mrr")).as("mrr_reactivation"),
            Money.sum(col("mrr")).as("mrr_end"),
            count(lit(1)).as("_rows"))
        .drop("_rows");
    return withRates(counts);
  }

  /** Adds the rates and ratios of revenue_monthly from its counts and amounts. */
  public static Dataset<Row> withRates(Dataset<Row> counts) {
    Column start = col("customers_start");
    Column mrrStart = col("mrr_start");
    Column lost = col("mrr_contraction").plus(col("mrr_churned"));
    return counts
        .withColumn("logo_churn_rate", ratio(col("customers_churned"), start))
        .withColumn("annualized_churn_rate", lit(1.0).minus(pow(lit(1.0).minus(col("logo_churn_rate")), 12)))
        .withColumn("customer_retention_rate", ratio(col("customers_end")
            .minus(col("customers_new")).minus(col("customers_reactivated")), start))
        .withColumn("net_new_mrr", Money.of(col("mrr_end").minus(mrrStart)))
        .withColumn("nrr", ratio(mrrStart.plus(col("mrr_expansion")).minus(lost), mrrStart))
        .withColumn("grr", ratio(mrrStart.minus(lost), mrrStart))
        .withColumn("quick_ratio", ratio(col("mrr_new").plus(col("mrr_expansion"))
            .plus(col("mrr_reactivation")), lost))
        .withColumn("arpa", Money.per(col("mrr_end"), col("customers_end")));
  }

  /** Churned customers and MRR by cancel reason: period_month × dimension × segment × cancel_reason. */
  public static Dataset<Row> toChurnReasonsMonthly(Dataset<Row> customerMovements, List<String> dims) {
    Schemas.requireColumns(customerMovements, "period_month", "movement", "previous_mrr", "churn_reason");
    return Segments.explodeDimensions(customerMovements.filter(is(MrrMovements.CHURN)), dims)
        .groupBy(col("period_month"), col("dimension"), col("segment"),
            coalesce(col("churn_reason"), lit(Segments.UNKNOWN)).as("cancel_reason"))
        .agg(count(lit(1)).as("customers_churned"), Money.sum(col("previous_mrr")).as("mrr_churned"));
  }
}
