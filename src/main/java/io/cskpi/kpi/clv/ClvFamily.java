package io.cskpi.kpi.clv;

import static io.cskpi.schema.Schemas.MONEY;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.Declaration;
import io.cskpi.family.FamilySettings;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Money;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.economics.EconomicsFamily;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customer-level CLV: historic revenue, the segment's formula CLV, and the probabilistic BG/NBD +
 * Gamma-Gamma prediction fitted every night on the purchases (recurring and one-off transactions) of the
 * calibration window; plus the fitted model itself.
 */
public final class ClvFamily implements KpiFamily {
  private static final Logger LOG = LoggerFactory.getLogger("io.cskpi");
  static final List<String> KINDS = List.of("recurring", "one_off", "refund");

  public static final ResultTable CUSTOMER_CLV = ResultTable.named("customer_clv",
          "Historic, formula and predicted CLV per customer")
      .grain("customer (as of the run)")
      .column("customer_id", StringType, "The customer: every row of customers, and every customer_id of "
          + "subscriptions or transactions without one (formula_segment 'unknown').")
      .column("formula_dimension", StringType, "The dimension whose segment gives clv_formula (conf "
          + "cskpi.clv.formula-dimension).")
      .column("formula_segment", StringType, "The customer's segment in that dimension.")
      .column("tenure_months", LongType, "Months with MRR > 0 up to the as-of month.")
      .column("historic_revenue", MONEY, "Sum of the customer's monthly MRR + one_off transactions - refunds, up "
          + "to the as-of date.")
      .nullable("avg_monthly_revenue", MONEY, "historic_revenue / tenure_months; null without MRR months.")
      .nullable("first_purchase_date", DateType, "Date of the first recurring or one_off transaction; null without "
          + "one.")
      .nullable("last_purchase_date", DateType, "Date of the last recurring or one_off transaction up to the "
          + "as-of date; null without one.")
      .nullable("clv_formula", MONEY, "unit_economics_monthly.clv_formula of the customer's segment in the as-of "
          + "month; null when that segment has none (no churn history).")
      .nullable("frequency", LongType, "BTYD x: purchase days in the calibration window (recurring and one_off "
          + "transactions, same-day purchases merged) minus 1, the first being time zero. This and the other BTYD "
          + "columns are null for a customer without a purchase in the window.")
      .nullable("recency", DoubleType, "BTYD t_x: last minus first purchase day of the window, in the time unit "
          + "(conf cskpi.clv.time-unit).")
      .nullable("T", DoubleType, "BTYD T: as-of date minus first purchase day of the window, in the time unit.")
      .nullable("monetary_value", MONEY, "Mean spend of the repeat purchase days (the first day excluded); 0 when "
          + "x = 0.")
      .nullable("p_alive", DoubleType, "BG/NBD P(alive | x, t_x, T) = 1 / (1 + [x > 0]·a/(b+x-1)·"
          + "((α+T)/(α+t_x))^(r+x)); null when the model did not converge.")
      .nullable("expected_purchases", DoubleType, "BG/NBD E[Y(h) | x, t_x, T]: expected purchase days over the "
          + "horizon h (conf cskpi.clv.horizon time units); null when the model did not converge.")
      .nullable("expected_avg_spend", MONEY, "Gamma-Gamma E[M | x, m] = (pγ + p·x·m) / (p·x + q - 1); null when a model "
          + "did not converge.")
      .nullable("predicted_clv", MONEY, "Sum over the horizon's months k of (E[Y(t_k)] - E[Y(t_k-1)]) × "
          + "expected_avg_spend / (1 + d)^k, d the monthly rate of conf cskpi.clv.annual-discount-rate; null when "
          + "a model did not converge.")
      .build();

  public static final ResultTable CLV_MODEL = clvModelTable();

  private static ResultTable clvModelTable() {
    ResultTable.Builder t = ResultTable.named("clv_model", "The BG/NBD and Gamma-Gamma fit of the run")
        .grain("one row: the run's fit")
        .column("model_status", StringType, "converged; converged_at_boundary (BG/NBD parameters beyond 1e6 or "
            + "below 1e-6: no spread in purchase rates, as with fixed monthly invoices; predictions hold, parameters "
            + "are not meaningful alone); not_converged (predictions left null); not_fitted (no purchases).")
        .column("time_unit", StringType, "Unit of recency, T, the horizon and α.")
        .column("calibration_start", DateType, "First day of the calibration window (as-of minus "
            + "cskpi.clv.calibration-months).")
        .column("calibration_end", DateType, "Last day of the calibration window (the as-of date).")
        .column("horizon", DoubleType, "Prediction horizon in time units.")
        .column("annual_discount_rate", DoubleType, "Discount rate of predicted_clv.");
    for (String param : List.of("r", "alpha", "a", "b")) {
      t.nullable(param, DoubleType, "BG/NBD parameter " + param + " (maximum likelihood, Fader, Hardie & Lee "
          + "2005).");
    }
    fitColumns(t, "bgnbd", "BG/NBD");
    for (String param : List.of("p", "q", "gamma")) {
      t.nullable(param, DoubleType, "Gamma-Gamma parameter " + param + " (maximum likelihood, Fader & Hardie "
          + "2013).");
    }
    fitColumns(t, "gg", "Gamma-Gamma");
    return t.build();
  }

  private static void fitColumns(ResultTable.Builder t, String prefix, String model) {
    t.nullable(prefix + "_log_likelihood", DoubleType, model + " log-likelihood at the optimum.")
        .nullable(prefix + "_customers", LongType, "Customers in the " + model + " fit.")
        .nullable(prefix + "_distinct_rows", IntegerType, "Distinct compressed summary rows the optimizer saw.")
        .nullable(prefix + "_converged", BooleanType, "True when the quasi-Newton fit's gradient vanished (below "
            + "1e-9 times the size of ln L, or below 1e-5 times the size of ln L where no step lowers -ln L any "
            + "more: the optimum within rounding) or, where it did not, Nelder-Mead restarts stopped improving within "
            + "20,000 evaluations; and the optimum is finite.")
        .nullable(prefix + "_at_boundary", BooleanType, "True when a parameter is beyond 1e6 or below 1e-6 (a "
            + "limit of the model).")
        .nullable(prefix + "_iterations", IntegerType, "Optimizer iterations: quasi-Newton steps, plus the "
            + "simplex's over all restarts where it was needed.");
    // The optimizer's wall time is no property of the model (a rerun would change the table): it is in the log.
  }

  @Override
  public Declaration declaration() {
    String tx = InputTables.TRANSACTIONS.name();
    return Declaration.family("clv", "Historic, formula and probabilistic (BG/NBD + Gamma-Gamma) CLV per customer")
        .reads(InputTables.CUSTOMERS, InputTables.TRANSACTIONS)
        .readsResults(RevenueFamily.CUSTOMER_MRR_MONTHLY, EconomicsFamily.UNIT_ECONOMICS_MONTHLY)
        .writes(CUSTOMER_CLV, CLV_MODEL)
        .rules(new RowRule(tx, "negative_amount", "amount must be >= 0 (a refund is a positive amount of kind "
                + "refund)", col("amount").lt(0)),
            new RowRule(tx, "unknown_kind", "kind must be one of " + String.join(", ", KINDS),
                col("kind").isNotNull().and(col("kind").isin(KINDS.toArray()).unary_$bang())))
        .settings(Settings::read)
        .summary(ClvFamily::summary)
        .build();
  }

  /** Settings of the nightly fit, from conf cskpi.clv. */
  public record Settings(TimeUnit unit, double horizon, double annualDiscountRate, int calibrationMonths,
      int resolutionDays, double spendResolution, String formulaDimension) {
    public static Settings read(FamilySettings s) {
      return new Settings(
          TimeUnit.parse(s.choice("time-unit", "week", List.of("day", "week", "month"),
              "unit of recency, T and the horizon")),
          s.number("horizon", 52, "(0, inf)", "prediction horizon in time units"),
          s.number("annual-discount-rate", 0.10, "[0, 1]", "discount rate of predicted_clv"),
          s.wholeNumber("calibration-months", 24, 1, "months of transactions before the as-of date the nightly "
              + "fit uses"),
          s.wholeNumber("resolution-days", 1, 1, "rounding of t_x and T when compressing the BG/NBD summary (1 = "
              + "exact for dated data; 7 moved CDNOW's parameters by at most 1.9%)"),
          s.number("spend-resolution", 0.001, "[0, 1]", "rounding of ln(mean spend) when compressing the "
              + "Gamma-Gamma summary (0 = exact)"),
          s.segmentDimension("formula-dimension", "plan", "the dimension whose segment gives "
              + "customer_clv.clv_formula"));
    }
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    Settings s = ctx.settings(Settings.class);
    LocalDate asOf = ctx.asOf();
    LocalDate calibrationStart = asOf.minusMonths(s.calibrationMonths()).plusDays(1);
    Dataset<Row> transactions = in.table(InputTables.TRANSACTIONS)
        .filter(to_date(col("transaction_ts")).leq(lit(asOf)));

    Dataset<Row> purchases = transactions
        .filter(col("kind").isin("recurring", "one_off"))
        .filter(to_date(col("transaction_ts")).geq(lit(calibrationStart)))
        .select(col("customer_id"), to_date(col("transaction_ts")).as("purchase_date"), col("amount"));
    Dataset<Row> summary = PurchaseSummary.toCustomerSummary(PurchaseSummary.toPurchaseDays(purchases), asOf,
        null, s.unit()).persist(StorageLevel.MEMORY_AND_DISK());

    FittedClvModel fit = fitOrNull(summary, s);
    boolean usable = fit != null && fit.bgNbd().converged();
    Dataset<Row> predicted = usable
        ? ClvPredictions.withPredictions(summary, fit.bgNbd().params(),
            fit.gammaGamma() != null && fit.gammaGamma().converged() ? fit.gammaGamma().params() : null,
            s.horizon(), s.unit(), s.annualDiscountRate())
        : summary.withColumn("p_alive", lit(null).cast("double"))
            .withColumn("expected_purchases", lit(null).cast("double"))
            .withColumn("expected_avg_spend", lit(null).cast("double"))
            .withColumn("predicted_clv", lit(null).cast(MONEY));

    Dataset<Row> customerClv = toCustomerClv(in.table(InputTables.CUSTOMERS),
        in.result(RevenueFamily.CUSTOMER_MRR_MONTHLY), transactions, predicted,
        in.result(EconomicsFamily.UNIT_ECONOMICS_MONTHLY), s.formulaDimension(), asOf);
    return Results.of(CUSTOMER_CLV, customerClv)
        .and(CLV_MODEL, modelRow(summary.sparkSession(), fit, s, calibrationStart, asOf));
  }

  private static FittedClvModel fitOrNull(Dataset<Row> summary, Settings s) {
    try {
      FittedClvModel fit = FittedClvModel.fit(summary, s.resolutionDays(), s.unit(), s.spendResolution());
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
            Money.of(historic).as("historic_revenue"),
            Money.per(historic, col("tenure_months")).as("avg_monthly_revenue"),
            col("first_purchase_date"), col("last_purchase_date"), col("clv_formula"),
            col("frequency"), col("recency"), col("T"), Money.of(col("monetary_value")).as("monetary_value"),
            col("p_alive"), col("expected_purchases"), Money.of(col("expected_avg_spend"))
                .as("expected_avg_spend"), col("predicted_clv"));
  }

  /** The clv_model row: the run's window and settings, then the fit's named values (null when not fitted). */
  private static Dataset<Row> modelRow(SparkSession spark, FittedClvModel fit, Settings s, LocalDate from,
      LocalDate to) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("model_status", fit == null ? "not_fitted" : fit.status());
    values.put("time_unit", s.unit().name().toLowerCase());
    values.put("calibration_start", from);
    values.put("calibration_end", to);
    values.put("horizon", s.horizon());
    values.put("annual_discount_rate", s.annualDiscountRate());
    if (fit != null) {
      values.putAll(fit.fields());
    }
    return CLV_MODEL.row(spark, values);
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> model = written.read(CLV_MODEL);
    if (model == null) {
      return "";
    }
    Row m = model.first();
    Map<String, Object> values = new LinkedHashMap<>();
    for (String c : m.schema().fieldNames()) {
      values.put(c, m.getAs(c));
    }
    return ClvModelReport.text(values) + String.format("%n");
  }
}
