package io.cskpi.kpi.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/**
 * The standard BTYD summary per customer, as a DataFrame aggregation: purchases on the same day are merged
 * into one; the first purchase is time zero and not counted; for purchases up to the calibration end (inclusive)
 * frequency x = purchase days - 1, recency t_x = last - first, T = calibration end - first (in the time
 * unit), monetary_value = mean spend of the repeat days; holdout_purchases = purchase days after the
 * calibration end up to the holdout end (inclusive).
 */
public final class PurchaseSummary {
  private PurchaseSummary() {}

  /** customer_id, purchase_date, amount → one row per customer and day with the day's total. */
  public static Dataset<Row> toPurchaseDays(Dataset<Row> purchases) {
    Schemas.requireColumns(purchases, "customer_id", "purchase_date", "amount");
    return purchases.groupBy("customer_id", "purchase_date").agg(sum(col("amount").cast("double")).as("amount"));
  }

  /**
   * Per-customer summary of customers whose first purchase is on or before {@code calibrationEnd}: columns
   * customer_id, first_purchase, last_purchase, frequency, recency_days, t_days, recency, T, monetary_value,
   * calibration_spend, holdout_purchases (0 without a holdout end).
   */
  public static Dataset<Row> toCustomerSummary(Dataset<Row> purchaseDays, LocalDate calibrationEnd,
      LocalDate holdoutEnd, TimeUnit unit) {
    Column inCalibration = col("purchase_date").leq(lit(calibrationEnd));
    Column inHoldout = holdoutEnd == null ? lit(false)
        : col("purchase_date").gt(lit(calibrationEnd)).and(col("purchase_date").leq(lit(holdoutEnd)));
    Column calibrationDay = when(inCalibration, col("purchase_date"));
    // The first day's spend is excluded from the mean: it is what made the customer a customer. min_by
    // takes it in the same aggregation (null dates, outside calibration, are skipped).
    return purchaseDays
        .groupBy("customer_id")
        .agg(min(calibrationDay).as("first_purchase"),
            max(calibrationDay).as("last_purchase"),
            count(calibrationDay).as("purchase_days"),
            sum(when(inCalibration, col("amount"))).as("calibration_spend"),
            min_by(col("amount"), calibrationDay).as("first_day_spend"),
            count(when(inHoldout, lit(1))).as("holdout_purchases"))
        .filter(col("first_purchase").isNotNull())
        .withColumn("frequency", col("purchase_days").minus(1))
        .withColumn("recency_days", datediff(col("last_purchase"), col("first_purchase")))
        .withColumn("t_days", datediff(lit(calibrationEnd), col("first_purchase")))
        .withColumn("recency", col("recency_days").divide(unit.days))
        .withColumn("T", col("t_days").divide(unit.days))
        .withColumn("monetary_value", when(col("frequency").gt(0),
            col("calibration_spend").minus(col("first_day_spend")).divide(col("frequency"))).otherwise(lit(0.0)))
        .drop("purchase_days", "first_day_spend");
  }

  /**
   * Distinct (x, t_x, T) with customer counts. With {@code resolutionDays} = 1 this is exact (the summary is
   * in whole days); a coarser resolution rounds t_x and T to the nearest multiple, moving each by at most
   * half of it.
   */
  public static Dataset<Row> toFrequencyRows(Dataset<Row> summary, int resolutionDays, TimeUnit unit) {
    Column tx = round(col("recency_days").divide(resolutionDays)).multiply(resolutionDays);
    Column t = round(col("t_days").divide(resolutionDays)).multiply(resolutionDays);
    return summary.groupBy(col("frequency").as("x"), tx.as("tx_days"), t.as("t_days"))
        .agg(count(lit(1)).as("customers"))
        .select(col("x"), col("tx_days").divide(unit.days).as("tx"), col("t_days").divide(unit.days).as("t"),
            col("customers"));
  }

  /**
   * Distinct (x, m̄) of repeat customers with spend &gt; 0, with counts. A {@code relativeResolution} ε &gt; 0
   * rounds ln m̄ to multiples of ε, so m̄ moves by a factor of at most e^(ε/2); 0 keeps m̄ exact.
   */
  public static Dataset<Row> toSpendRows(Dataset<Row> summary, double relativeResolution) {
    Column mean = relativeResolution > 0
        ? exp(round(log(col("monetary_value")).divide(relativeResolution)).multiply(relativeResolution))
        : col("monetary_value");
    return summary.filter(col("frequency").gt(0).and(col("monetary_value").gt(0)))
        .groupBy(col("frequency").as("x"), mean.as("mean"))
        .agg(count(lit(1)).as("customers"));
  }

  /**
   * Collects compressed frequency rows (thousands, not customers) for the optimizer, sorted so that the
   * likelihood is summed in the same order every run and a rerun reproduces the fit to the last digit.
   */
  public static List<BtydEstimator.FrequencyRow> collectFrequencyRows(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .map(r -> new BtydEstimator.FrequencyRow(((Number) r.getAs("x")).doubleValue(), r.<Double>getAs("tx"),
            r.<Double>getAs("t"), r.<Long>getAs("customers")))
        .sorted(java.util.Comparator.comparingDouble(BtydEstimator.FrequencyRow::x)
            .thenComparingDouble(BtydEstimator.FrequencyRow::tx).thenComparingDouble(BtydEstimator.FrequencyRow::t))
        .toList();
  }

  /** Collects compressed spend rows, sorted as {@link #collectFrequencyRows} is. */
  public static List<BtydEstimator.SpendRow> collectSpendRows(Dataset<Row> rows) {
    return rows.collectAsList().stream()
        .map(r -> new BtydEstimator.SpendRow(((Number) r.getAs("x")).doubleValue(), r.<Double>getAs("mean"),
            r.<Long>getAs("customers")))
        .sorted(java.util.Comparator.comparingDouble(BtydEstimator.SpendRow::x)
            .thenComparingDouble(BtydEstimator.SpendRow::mean))
        .toList();
  }

}
