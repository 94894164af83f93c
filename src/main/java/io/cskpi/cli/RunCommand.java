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

  @Mixin InputOptions inputs = new InputOptions();

  @Mixin OutputOption outputs = new OutputOption();

  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "As-of date (default: today, UTC)")
  LocalDate asOf;

  @Override
  public Integer call() {
    CskpiConfig config = outputs.applyTo(inputs.applyTo(common.config()));
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
    SparkSession spark = Cskpi.session(config, "cskpi run " + date);
    NightlyPipeline.RunReport report = NightlyPipeline.run(spark, config, date, Families.ALL);
    System.out.print(RunSummary.render(spark, report));
    return 0;
  }

}
