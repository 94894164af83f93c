package io.cskpi.kpi.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.cskpi.kpi.Money;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-customer predictions from fitted BG/NBD and Gamma-Gamma parameters, computed on the executors
 * (the special functions have no Spark built-in, so these are Java UDFs over plain doubles).
 */
public final class ClvPredictions {
  private ClvPredictions() {}

  /** Days in the average month: CLV is discounted in monthly steps, as lifetimes does. */
  static final double MONTH_DAYS = 365.25 / 12;

  /**
   * Adds p_alive, expected_purchases (over {@code horizon} units), expected_avg_spend (Gamma-Gamma, null
   * without a spend model) and predicted_clv: Σ over the horizon's months k of (E[Y(t_k)] - E[Y(t_k-1)]) ×
   * expected_avg_spend / (1 + d)^k, where d is the monthly rate equivalent to the annual discount rate.
   * Needs frequency, recency, T and monetary_value.
   */
  public static Dataset<Row> withPredictions(Dataset<Row> summary, BgNbd.Params bg, GammaGamma.Params gg,
      double horizon, TimeUnit unit, double annualDiscountRate) {
    Schemas.requireColumns(summary, "frequency", "recency", "T", "monetary_value");
    UserDefinedFunction pAlive = udf((UDF3<Double, Double, Double, Double>) (x, tx, t) ->
        finite(BgNbd.probabilityAlive(bg, x, tx, t)), DataTypes.DoubleType);
    UserDefinedFunction purchases = udf((UDF3<Double, Double, Double, Double>) (x, tx, t) ->
        finite(BgNbd.expectedPurchases(bg, horizon, x, tx, t)), DataTypes.DoubleType);
    UserDefinedFunction spend = udf((UDF2<Double, Double, Double>) (x, m) ->
        gg == null ? null : finite(GammaGamma.expectedSpend(gg, x, m)), DataTypes.DoubleType);
    double monthlyDiscount = Math.pow(1 + annualDiscountRate, 1.0 / 12) - 1;
    int months = Math.max(1, (int) Math.round(horizon * unit.days / MONTH_DAYS));
    UserDefinedFunction discountedPurchases = udf((UDF3<Double, Double, Double, Double>) (x, tx, t) -> {
      double total = 0;
      double before = 0;
      for (int k = 1; k <= months; k++) {
        double at = BgNbd.expectedPurchases(bg, Math.min(horizon, k * MONTH_DAYS / unit.days), x, tx, t);
        total += (at - before) / Math.pow(1 + monthlyDiscount, k);
        before = at;
      }
      return finite(total);
    }, DataTypes.DoubleType);

    Column x = col("frequency").cast("double");
    Column tx = col("recency").cast("double");
    Column t = col("T").cast("double");
    return summary
        .withColumn("p_alive", pAlive.apply(x, tx, t))
        .withColumn("expected_purchases", purchases.apply(x, tx, t))
        .withColumn("expected_avg_spend", spend.apply(x, col("monetary_value").cast("double")))
        .withColumn("predicted_clv",
            Money.of(discountedPurchases.apply(x, tx, t).multiply(col("expected_avg_spend"))));
  }

  /** A non-finite value is reported as null, never written as a number. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
