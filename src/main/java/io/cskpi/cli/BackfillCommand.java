package io.cskpi.cli;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.pipeline.NightlyPipeline;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cskpi backfill}: recomputes a range of as-of dates without moving the published date. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = "Recompute every as-of date from --from to --to (each date's partition of every table); the "
        + "published date stays, and is republished only when it is in the range.")
public final class BackfillCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin InputOptions inputs = new InputOptions();

  @Mixin OutputOption outputs = new OutputOption();

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First as-of date")
  LocalDate from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last as-of date (included)")
  LocalDate to;

  @Option(names = "--step", paramLabel = "day|week|month",
      description = "Distance between as-of dates (default ${DEFAULT-VALUE}); month from a month's last day steps "
          + "to each month's last day")
  String step = "day";

  @Override
  public Integer call() {
    List<LocalDate> dates = dates(from, to, step);
    CskpiConfig config = outputs.applyTo(inputs.applyTo(common.config()));
    SparkSession spark = Cskpi.session(config, "cskpi backfill " + from + " to " + to);
    NightlyPipeline.backfill(spark, config, dates, Families.ALL, report -> System.out.printf(
        "as of %s: %d tables written in %s (run %s%s)%n", report.asOf(), report.tables().size(),
        io.cskpi.pipeline.Stopwatch.format(report.stages().totalMillis()), report.runId(),
        report.published() ? ", published" : ""));
    System.out.printf("backfill done: %d as-of dates from %s to %s%n", dates.size(), from, to);
    return 0;
  }

  /** The as-of dates from {@code from} to {@code to}, both included, {@code step} apart. */
  static List<LocalDate> dates(LocalDate from, LocalDate to, String step) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    boolean monthEnds = from.equals(from.withDayOfMonth(from.lengthOfMonth()));
    List<LocalDate> dates = new ArrayList<>();
    for (int i = 0; ; i++) {
      LocalDate d = switch (step.toLowerCase(Locale.ROOT)) {
        case "day" -> from.plusDays(i);
        case "week" -> from.plusWeeks(i);
        case "month" -> monthEnds ? from.plusMonths(i).withDayOfMonth(from.plusMonths(i).lengthOfMonth())
            : from.plusMonths(i);
        default -> throw new IllegalArgumentException("--step must be day, week or month, got: " + step);
      };
      if (d.isAfter(to)) {
        return dates;
      }
      dates.add(d);
    }
  }
}
