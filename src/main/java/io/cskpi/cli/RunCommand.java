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

  @Option(names = "--publish", description = "Publish this run even if its as-of date is before the published one "
      + "(by default an older date is computed and kept, and readers' *_current views stay on the newer date)")
  boolean publishOlder;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the run's stage timings, Spark "
      + "metrics, input scans and peak memory to FILE as JSON (cskpi bench reads it)")
  java.nio.file.Path reportFile;

  @Override
  public Integer call() {
    CskpiConfig config = outputs.applyTo(inputs.applyTo(common.config()));
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
    io.cskpi.bench.MemoryPeak memory = io.cskpi.bench.MemoryPeak.start();
    SparkSession spark = Cskpi.session(config, "cskpi run " + date);
    NightlyPipeline.RunReport report = NightlyPipeline.run(spark, config, date, Families.ALL, publishOlder);
    memory.close();
    if (reportFile != null) {
      try {
        io.cskpi.bench.RunReportFile.write(reportFile, report, memory.heapBytes());
      } catch (java.io.IOException e) {
        System.err.println("cskpi: warning: the run succeeded, but its report " + reportFile + " was not written: " + e);
      }
    }
    try {
      System.out.print(RunSummary.render(spark, report));
    } catch (RuntimeException e) {   // the run is written and recorded: a summary that fails must not fail it
      System.err.println("cskpi: warning: the run " + report.runId() + " succeeded"
          + (report.published() ? " and is published" : "") + ", but its summary failed: " + e);
    }
    if (!report.published()) {
      System.out.printf("%nNot published: %s is before the published as-of date; readers' *_current views stay "
          + "there (cskpi run --publish publishes an older date)%n", date);
    }
    return 0;
  }

}
