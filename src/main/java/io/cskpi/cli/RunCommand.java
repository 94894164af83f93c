package io.cskpi.cli;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.pipeline.RunSummary;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

/** {@code cskpi run}: the nightly pipeline. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the nightly pipeline: read inputs, check them, write every KPI table.")
public final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--input", paramLabel = "DIR", description = "Input directory: DIR/<table>/ or DIR/<table>.csv")
  String input;

  @Option(names = "--input-format", paramLabel = "F", description = "delta | parquet | csv | json (all tables)")
  String inputFormat;

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory: result tables at DIR/<table>")
  String output;

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "As-of date (default: today, UTC)")
  LocalDate asOf;

  @Override
  public Integer call() {
    CskpiConfig config = withOptions(common.config(), input, inputFormat, output);
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
    SparkSession spark = Cskpi.session(config, "cskpi run " + date);
    NightlyPipeline.RunReport report = NightlyPipeline.run(spark, config, date, Families.ALL);
    System.out.print(RunSummary.render(spark, report));
    return 0;
  }

  static CskpiConfig withOptions(CskpiConfig config, String input, String inputFormat, String output) {
    CskpiConfig c = config;
    if (input != null) {
      c = c.with("cskpi.input.dir", input);
    }
    if (inputFormat != null) {
      c = c.withInputFormatForAllTables(inputFormat);
    }
    if (output != null) {
      c = c.with("cskpi.output.dir", output);
    }
    return c;
  }
}
