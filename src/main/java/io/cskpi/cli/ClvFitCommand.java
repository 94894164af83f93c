package io.cskpi.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.sum;

import io.cskpi.config.CskpiConfig;
import io.cskpi.io.TransactionFile;
import io.cskpi.kpi.clv.ClvModelReport;
import io.cskpi.kpi.clv.FittedClvModel;
import io.cskpi.kpi.clv.ClvPredictions;
import io.cskpi.kpi.clv.PurchaseSummary;
import io.cskpi.kpi.clv.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cskpi clv-fit}: fits BG/NBD + Gamma-Gamma to any transaction file and prints the result. */
@Command(name = "clv-fit", mixinStandardHelpOptions = true,
    description = "Fit BG/NBD and Gamma-Gamma to a transaction file; with a holdout, compare predicted and "
        + "actual repeat purchases.")
public final class ClvFitCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--transactions", required = true, paramLabel = "FILE") String file;
  @Option(names = "--format", description = "csv | parquet | delta (default ${DEFAULT-VALUE})") String format = "csv";
  @Option(names = "--delimiter", description = "CSV delimiter, or 'whitespace' for runs of blanks "
      + "(default ${DEFAULT-VALUE})") String delimiter = ",";
  @Option(names = "--no-header", negatable = true, description = "The file has no header row: name columns by "
      + "1-based position") boolean noHeader;
  @Option(names = "--customer-col", required = true, paramLabel = "C") String customerCol;
  @Option(names = "--date-col", required = true, paramLabel = "D") String dateCol;
  @Option(names = "--date-format", paramLabel = "F", description = "e.g. yyyyMMdd (default ISO)") String dateFormat;
  @Option(names = "--amount-col", required = true, paramLabel = "A") String amountCol;
  @Option(names = "--calibration-end", required = true, paramLabel = "DATE") LocalDate calibrationEnd;
  @Option(names = "--holdout-end", paramLabel = "DATE") LocalDate holdoutEnd;
  @Option(names = "--time-unit", description = "day | week | month (default ${DEFAULT-VALUE})") String timeUnit = "week";
  @Option(names = "--resolution-days", description = "Round t_x and T to this many days when compressing "
      + "(default ${DEFAULT-VALUE} = exact)") int resolutionDays = 1;
  @Option(names = "--where", paramLabel = "SQL", description = "Keep only rows matching this SQL condition on "
      + "the file's columns, e.g. \"kind != 'refund'\"") String where;
  @Option(names = "--json", description = "Print one JSON object") boolean json;

  @Override
  public Integer call() {
    if (holdoutEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
      throw new IllegalArgumentException("--holdout-end must be after --calibration-end");
    }
    TimeUnit unit = TimeUnit.parse(timeUnit);
    CskpiConfig config = common.config();
    SparkSession spark = Cskpi.session(config, "cskpi clv-fit");
    // Persisted: the count of unparsed rows and the summary read the file once between them.
    Dataset<Row> purchases = TransactionFile.read(spark, io.cskpi.io.Location.of(spark, file),
        new TransactionFile.Layout(format, delimiter, !noHeader, customerCol, dateCol, dateFormat, amountCol, where))
        .persist(StorageLevel.MEMORY_AND_DISK());
    reportUnparsedRows(purchases);
    Dataset<Row> summary = PurchaseSummary.toCustomerSummary(PurchaseSummary.toPurchaseDays(
        purchases.filter(col("purchase_date").isNotNull())), calibrationEnd, holdoutEnd, unit)
        .persist(StorageLevel.MEMORY_AND_DISK());
    FittedClvModel fit = FittedClvModel.fit(summary, resolutionDays, unit, 0);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("time_unit", unit.name().toLowerCase(Locale.ROOT));
    report.put("calibration_end", calibrationEnd);
    report.putAll(fit.fields());
    report.put("bgnbd_fit_seconds", fit.bgNbd().seconds());
    if (holdoutEnd != null) {
      double horizon = ChronoUnit.DAYS.between(calibrationEnd, holdoutEnd) / unit.days;
      Row totals = ClvPredictions.withPredictions(summary, fit.bgNbd().params(),
              fit.gammaGamma() == null ? null : fit.gammaGamma().params(), horizon, unit, 0)
          .agg(sum("expected_purchases"), sum("holdout_purchases")).first();
      report.put("holdout_end", holdoutEnd);
      report.put("holdout_predicted", totals.getDouble(0));
      report.put("holdout_actual", totals.getLong(1));
    }
    System.out.println(json ? ClvModelReport.json(report) : ClvModelReport.text(report));
    return fit.bgNbd().converged() ? 0 : Cskpi.EXIT_FAILURE;
  }

  /** Rows whose date or amount does not parse are never skipped silently: their counts go to stderr. */
  private void reportUnparsedRows(Dataset<Row> purchases) {
    Row c = purchases.agg(count(lit(1)), count(when(col("purchase_date").isNull(), lit(1))),
        count(when(col("purchase_date").isNotNull().and(col("amount").isNull()), lit(1)))).first();
    if (c.getLong(1) > 0 || c.getLong(2) > 0) {
      System.err.printf("cskpi clv-fit: %,d rows read: %,d skipped because the date does not parse%s, %,d counted as "
              + "purchases without spend because the amount does not parse%n", c.getLong(0), c.getLong(1),
          dateFormat == null ? " as an ISO date" : " with --date-format " + dateFormat, c.getLong(2));
    }
  }
}
