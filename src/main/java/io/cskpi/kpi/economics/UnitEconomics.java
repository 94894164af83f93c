package io.cskpi.kpi.economics;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Money;
import io.cskpi.kpi.Months;
import io.cskpi.kpi.Segments;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.List;

/**
 * Unit economics per month × dimension × segment: CAC (monthly and trailing 3 months), formula CLV with a
 * trailing churn rate, CLV:CAC, payback, profit per customer and the retention cost. Costs carry at most an
 * acquisition channel, so spend counts in dimension 'all' and, when it has a channel, in that
 * acquisition_channel segment; other dimensions have no spend (null).
 */
public final class UnitEconomics {
  private UnitEconomics() {}

  public static final String CHANNEL_DIMENSION = "acquisition_channel";
  static final List<String> ACQUISITION = List.of("marketing", "sales");
  static final List<String> RETENTION = List.of("customer_success", "support");

  public record Settings(double grossMargin, int churnWindowMonths, double churnRateFloor) {}

  /** healthy when the CLV:CAC ratio is >= 3, thin when 1 < ratio < 3, losing_money when <= 1, else null. */
  public static Column clvCacHealth(Column ratio) {
    return when(ratio.geq(3), lit("healthy")).when(ratio.gt(1), lit("thin"))
        .when(ratio.isNotNull(), lit("losing_money"));
  }

  /** costs → period_month, dimension, segment, acquisition_spend, cs_cost. */
  public static Dataset<Row> toCostsBySegment(Dataset<Row> costs, List<String> dims) {
    Schemas.requireColumns(costs, "period_month", "category", "acquisition_channel", "amount");
    Column all = struct(lit(Segments.ALL).as("dimension"), lit(Segments.ALL).as("segment"));
    Column pairs = dims.contains(CHANNEL_DIMENSION)
        ? filter(array(all, when(col("acquisition_channel").isNotNull(), struct(lit(CHANNEL_DIMENSION)
            .as("dimension"), col("acquisition_channel").as("segment")))), p -> p.isNotNull())
        : array(all);
    return costs
        .withColumn("_dim", explode(pairs))
        .groupBy(col("period_month"), col("_dim.dimension").as("dimension"), col("_dim.segment").as("segment"))
        .agg(Money.sumWhere(col("category").isin(ACQUISITION.toArray()), col("amount"))
                .as("acquisition_spend"),
            Money.sumWhere(col("category").isin(RETENTION.toArray()), col("amount"))
                .as("cs_cost"));
  }

  /** From revenue_monthly and costs by segment to unit_economics_monthly. */
  public static Dataset<Row> toUnitEconomics(Dataset<Row> revenueMonthly, Dataset<Row> costsBySegment,
      Settings s) {
    Schemas.requireColumns(revenueMonthly, "period_month", "dimension", "segment", "customers_new",
        "customers_start", "customers_churned", "customers_end", "arpa");
    // Spend is 0 in a month and segment without costs; a total that does not fit money stays null (not 0.00).
    Column spendKnown = col("dimension").isin(Segments.ALL, CHANNEL_DIMENSION);
    Column noCosts = col("_has_costs").isNull();
    Dataset<Row> joined = revenueMonthly
        .select("period_month", "dimension", "segment", "customers_new", "customers_start", "customers_churned",
            "customers_end", "arpa")
        .join(costsBySegment.withColumn("_has_costs", lit(true)), new String[] {"period_month", "dimension",
            "segment"}, "full_outer")
        .withColumn("new_customers", coalesce(col("customers_new"), lit(0L)))
        .withColumn("customers_start", coalesce(col("customers_start"), lit(0L)))
        .withColumn("customers_churned", coalesce(col("customers_churned"), lit(0L)))
        .withColumn("customers_end", coalesce(col("customers_end"), lit(0L)))
        .withColumn("acquisition_spend",
            when(spendKnown, when(noCosts, Money.zero()).otherwise(col("acquisition_spend"))))
        .withColumn("cs_cost", when(spendKnown, when(noCosts, Money.zero()).otherwise(col("cs_cost"))))
        .drop("_has_costs");

    Column monthIndex = Months.index(col("period_month"));
    WindowSpec bySegment = Window.partitionBy("dimension", "segment").orderBy(monthIndex);
    WindowSpec last3 = bySegment.rangeBetween(-2, 0);
    WindowSpec before = bySegment.rangeBetween(-s.churnWindowMonths(), -1);
    Column grossMargin = lit(s.grossMargin());
    Column marginPerAccount = col("arpa").multiply(grossMargin);

    return joined
        .withColumn("cac", Money.per(col("acquisition_spend"), col("new_customers")))
        .withColumn("acquisition_spend_3m", sum("acquisition_spend").over(last3))
        .withColumn("new_customers_3m", sum("new_customers").over(last3))
        .withColumn("cac_trailing_3m", Money.per(col("acquisition_spend_3m"), col("new_customers_3m")))
        .withColumn("churn_rate_trailing",
            ratio(sum("customers_churned").over(before), sum("customers_start").over(before)))
        .withColumn("is_churn_floor_applied", col("churn_rate_trailing").isNotNull()
            .and(col("churn_rate_trailing").lt(s.churnRateFloor())))
        .withColumn("clv_churn_rate", when(col("churn_rate_trailing").isNotNull(),
            greatest(col("churn_rate_trailing"), lit(s.churnRateFloor()))))
        .withColumn("gross_margin", grossMargin)
        .withColumn("clv_formula", when(col("churn_rate_trailing").isNotNull(),
            Money.of(marginPerAccount.divide(col("clv_churn_rate")))))
        .withColumn("clv_to_cac_ratio", ratio(col("clv_formula"), col("cac")))
        .withColumn("cac_payback_months", ratio(col("cac"), marginPerAccount))
        .withColumn("profit_per_customer", Money.of(col("clv_formula").minus(col("cac"))))
        .withColumn("clv_cac_health", clvCacHealth(col("clv_to_cac_ratio")))
        .withColumn("average_active_customers", col("customers_start").plus(col("customers_end")).divide(2.0))
        .withColumn("crc", Money.per(col("cs_cost"), col("average_active_customers")))
        .withColumn("clv_to_crc_ratio", ratio(col("clv_formula"), col("crc")))
        .select("period_month", "dimension", "segment", "acquisition_spend", "new_customers", "cac",
            "acquisition_spend_3m", "new_customers_3m", "cac_trailing_3m", "arpa", "gross_margin",
            "churn_rate_trailing", "clv_churn_rate", "is_churn_floor_applied", "clv_formula", "clv_to_cac_ratio",
            "cac_payback_months", "profit_per_customer", "clv_cac_health", "cs_cost", "average_active_customers",
            "crc", "clv_to_crc_ratio")
        .withColumn("acquisition_spend_3m", when(spendKnown, Money.of(col("acquisition_spend_3m"))));
  }
}
