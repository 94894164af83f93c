package io.cskpi.kpi.clv;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.cskpi.config.CskpiConfig;
import io.cskpi.kpi.Ratios;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.economics.EconomicsFamily;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.pipeline.KpiFamily;
import io.cskpi.pipeline.OutputTable;
import io.cskpi.pipeline.RunContext;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Customer-level CLV: historic revenue, the segment's formula CLV, and the probabilistic BG/NBD +
 * Gamma-Gamma prediction fitted every night on the purchases (recurring and one-off transactions) of the
 * calibration window; plus the fitted model itself.
 */
public final class ClvFamily implements KpiFamily {
  private static final Logger LOG = LoggerFactory.getLogger("io.cskpi");
  public static final String CUSTOMER_CLV = "customer_clv";
  public static final String CLV_MODEL = "clv_model";
  static final List<String> KINDS = List.of("recurring", "one_off", "refund");

  @Override
  public String name() {
    return "clv";
  }

  @Override
  public List<TableSpec> inputs() {
    return List.of(InputTables.CUSTOMERS, InputTables.TRANSACTIONS);
  }

  @Override
  public List<String> dependsOn() {
    return List.of("revenue", "economics");
  }

  @Override
  public List<RowRule> rules() {
    return List.of(
        new RowRule("transactions", "negative_amount", "amount must be >= 0 (a refund is a positive amount of "
            + "kind refund)", col("amount").lt(0)),
        new RowRule("transactions", "unknown_kind", "kind must be one of " + String.join(", ", KINDS),
            col("kind").isNotNull().and(col("kind").isin(KINDS.toArray()).unary_$bang())));
  }

  /** Settings of the nightly fit, from the config. */
  public record Settings(TimeUnit unit, double horizon, double annualDiscountRate, int calibrationMonths,
      int resolutionDays, double spendResolution, String formulaDimension) {
    public static Settings of(CskpiConfig c) {
      return new Settings(TimeUnit.parse(c.clvTimeUnit()), c.clvHorizon(), c.clvAnnualDiscountRate(),
          c.clvCalibrationMonths(), c.clvResolutionDays(), c.clvSpendResolution(), c.clvFormulaDimension());
    }
  }

  @Override
  public List<OutputTable> compute(Map<String, Dataset<Row>> inputs, RunContext ctx) {
    Settings s = Settings.of(ctx.config());
    LocalDate asOf = ctx.asOf();
    LocalDate calibrationStart = asOf.minusMonths(s.calibrationMonths()).plusDays(1);
    Dataset<Row> transactions = inputs.get("transactions")
        .filter(to_date(col("transaction_ts")).leq(lit(asOf)));

    Dataset<Row> purchases = transactions
        .filter(col("kind").isin("recurring", "one_off"))
        .filter(to_date(col("transaction_ts")).geq(lit(calibrationStart)))
        .select(col("customer_id"), to_date(col("transaction_ts")).as("purchase_date"), col("amount"));
    Dataset<Row> summary = PurchaseSummary.toCustomerSummary(PurchaseSummary.toPurchaseDays(purchases), asOf,
        null, s.unit()).persist(StorageLevel.MEMORY_AND_DISK());

    ClvModelFit fit = fitOrNull(summary, s);
    boolean usable = fit != null && fit.bgNbd().converged();
    Dataset<Row> predicted = usable
        ? ClvPredictions.withPredictions(summary, fit.bgNbd().params(),
            fit.gammaGamma() != null && fit.gammaGamma().converged() ? fit.gammaGamma().params() : null,
            s.horizon(), s.unit(), s.annualDiscountRate())
        : summary.withColumn("p_alive", lit(null).cast("double"))
            .withColumn("expected_purchases", lit(null).cast("double"))
            .withColumn("expected_avg_spend", lit(null).cast("double"))
            .withColumn("predicted_clv", lit(null).cast(io.cskpi.schema.Schemas.MONEY));

    Dataset<Row> customerClv = toCustomerClv(inputs.get("customers"), inputs.get(RevenueFamily.CUSTOMER_MRR_MONTHLY),
        transactions, predicted, inputs.get(EconomicsFamily.UNIT_ECONOMICS_MONTHLY), s.formulaDimension(), asOf);
    SparkSession spark = summary.sparkSession();
    return List.of(
        new OutputTable(CUSTOMER_CLV, customerClv, List.of(), "Historic, formula and predicted CLV per customer"),
        new OutputTable(CLV_MODEL, modelRow(spark, fit, s, calibrationStart, asOf), List.of(),
            "The BG/NBD and Gamma-Gamma fit of the run"));
  }

  private static ClvModelFit fitOrNull(Dataset<Row> summary, Settings s) {
    try {
      ClvModelFit fit = ClvModelFit.fit(summary, s.resolutionDays(), s.unit(), s.spendResolution());
      LOG.info("CLV model: BG/NBD on {} customers ({} distinct rows) in {} s, converged={}",
          fit.bgNbd().customers(), fit.bgNbd().rows(), String.format("%.1f", fit.bgNbd().seconds()),
          fit.bgNbd().converged());
      return fit;
    } catch (IllegalArgumentException e) {
      LOG.warn("CLV model not fitted: {}", e.getMessage());
      return null;
    }
  }

  /** One row per customer: historic revenue, formula CLV of its segment, BTYD summary and predictions. */
  public static Dataset<Row> toCustomerClv(Dataset<Row> customers, Dataset<Row> customerMrrMonthly,
      Dataset<Row> transactions, Dataset<Row> predicted, Dataset<Row> unitEconomics, String formulaDimension,
      LocalDate asOf) {
    Dataset<Row> recurring = customerMrrMonthly.filter(col("mrr").gt(0)).groupBy("customer_id")
        .agg(count(lit(1)).as("tenure_months"), sum("mrr").as("recurring_revenue"));
    Column isPurchase = col("kind").isin("recurring", "one_off");
    Dataset<Row> paid = transactions.groupBy("customer_id")
        .agg(sum(when(col("kind").equalTo("one_off"), col("amount"))).as("one_off_revenue"),
            sum(when(col("kind").equalTo("refund"), col("amount"))).as("refunds"),
            min(when(isPurchase, to_date(col("transaction_ts")))).as("first_purchase_date"),
            max(when(isPurchase, to_date(col("transaction_ts")))).as("last_purchase_date"));
    Dataset<Row> formula = unitEconomics
        .filter(col("dimension").equalTo(formulaDimension).and(col("period_month").equalTo(
            lit(asOf.withDayOfMonth(1)))))
        .select(col("segment").as("_formula_segment"), col("clv_formula"));
    Column segmentOfCustomer = coalesce(col(formulaDimension).cast("string"), lit(Segments.UNKNOWN));

    Column historic = coalesce(col("recurring_revenue"), lit(0)).plus(coalesce(col("one_off_revenue"), lit(0)))
        .minus(coalesce(col("refunds"), lit(0)));
    // Full joins: every customer with a customers row, a recurring month or a transaction. A fact whose customer
    // is missing from customers is kept (segment 'unknown'), like everywhere else, never dropped.
    return customers.select(col("customer_id"), segmentOfCustomer.as("_formula_segment"))
        .join(recurring, "customer_id", "full")
        .join(paid, "customer_id", "full")
        .withColumn("_formula_segment", coalesce(col("_formula_segment"), lit(Segments.UNKNOWN)))
        .join(formula, "_formula_segment", "left")
        .join(predicted.select("customer_id", "frequency", "recency", "T", "monetary_value", "p_alive",
            "expected_purchases", "expected_avg_spend", "predicted_clv"), "customer_id", "left")
        .select(col("customer_id"), lit(formulaDimension).as("formula_dimension"),
            col("_formula_segment").as("formula_segment"),
            coalesce(col("tenure_months"), lit(0L)).as("tenure_months"),
            Ratios.money(historic).as("historic_revenue"),
            Ratios.moneyPer(historic, col("tenure_months")).as("avg_monthly_revenue"),
            col("first_purchase_date"), col("last_purchase_date"), col("clv_formula"),
            col("frequency"), col("recency"), col("T"), Ratios.money(col("monetary_value")).as("monetary_value"),
            col("p_alive"), col("expected_purchases"), Ratios.money(col("expected_avg_spend"))
                .as("expected_avg_spend"), col("predicted_clv"));
  }

  static final StructType MODEL_SCHEMA = StructType.fromDDL(
      "model_status STRING, time_unit STRING, calibration_start DATE, calibration_end DATE, horizon DOUBLE, "
          + "annual_discount_rate DOUBLE, r DOUBLE, alpha DOUBLE, a DOUBLE, b DOUBLE, "
          + "bgnbd_log_likelihood DOUBLE, bgnbd_customers BIGINT, bgnbd_distinct_rows INT, bgnbd_converged BOOLEAN, "
          + "bgnbd_at_boundary BOOLEAN, bgnbd_iterations INT, bgnbd_fit_seconds DOUBLE, p DOUBLE, q DOUBLE, "
          + "gamma DOUBLE, gg_log_likelihood DOUBLE, gg_customers BIGINT, gg_distinct_rows INT, gg_converged BOOLEAN, "
          + "gg_at_boundary BOOLEAN, gg_iterations INT, gg_fit_seconds DOUBLE");

  private static Dataset<Row> modelRow(SparkSession spark, ClvModelFit fit, Settings s, LocalDate from,
      LocalDate to) {
    Object[] v = new Object[MODEL_SCHEMA.size()];
    v[0] = fit == null ? "not_fitted" : !fit.bgNbd().converged() ? "not_converged"
        : fit.bgNbd().atBoundary() ? "converged_at_boundary" : "converged";
    v[1] = s.unit().name().toLowerCase();
    v[2] = from;
    v[3] = to;
    v[4] = s.horizon();
    v[5] = s.annualDiscountRate();
    if (fit != null) {
      BtydFit.BgNbdFit bg = fit.bgNbd();
      Object[] b = {bg.params().r(), bg.params().alpha(), bg.params().a(), bg.params().b(), bg.logLikelihood(),
          bg.customers(), bg.rows(), bg.converged(), bg.atBoundary(), bg.iterations(), bg.seconds()};
      System.arraycopy(b, 0, v, 6, b.length);
      BtydFit.GammaGammaFit gg = fit.gammaGamma();
      if (gg != null) {
        Object[] g = {gg.params().p(), gg.params().q(), gg.params().gamma(), gg.logLikelihood(), gg.customers(),
            gg.rows(), gg.converged(), gg.atBoundary(), gg.iterations(), gg.seconds()};
        System.arraycopy(g, 0, v, 17, g.length);
      }
    }
    return spark.createDataFrame(List.of(RowFactory.create(v)), MODEL_SCHEMA);
  }

}
