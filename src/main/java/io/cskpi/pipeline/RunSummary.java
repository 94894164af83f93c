package io.cskpi.pipeline;

import io.cskpi.family.KpiFamily;
import io.cskpi.family.SummarySection;
import io.cskpi.io.DeltaOutput;
import io.cskpi.io.Location;
import org.apache.spark.sql.SparkSession;

import java.util.Comparator;
import java.util.Map;

/**
 * The short text a person reads after a run: each family's own section (the MRR bridge, unit economics, the CLV
 * model, ...), then the reconciliation of the inputs, the quarantine by rule, where the tables are, and timings.
 */
public final class RunSummary {
  private RunSummary() {}

  public static String render(SparkSession spark, NightlyPipeline.RunReport report) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%ncs-kpi nightly run as of %s: %d tables written in %s%n",
        report.asOf(), report.tables().size(), Stopwatch.format(report.stages().totalMillis())));

    SummarySection.Written written = table -> {
      Location path = report.tables().get(table.name());
      return path == null ? null : DeltaOutput.readRun(spark, path, report.runId(), report.asOf());
    };
    for (KpiFamily family : report.plan().families()) {
      String section = family.declaration().summary().render(written, report.asOf());
      if (!section.isBlank()) {
        out.append(String.format("%n")).append(section.stripTrailing()).append(String.format("%n"));
      }
    }

    if (!report.inputs().isEmpty()) {
      out.append(String.format("%nInputs: rows read = used + rejected (files scanned: times)%n"));
      report.inputs().values().forEach(c -> out.append(String.format("  %-14s %,12d = %,12d + %,10d   %dx%s%n",
          c.table(), c.read(), c.used(), c.rejected(), report.inputScans().getOrDefault(c.table(), 0),
          c.reconciles() ? "" : "   DOES NOT RECONCILE")));
      report.inputs().values().stream().filter(c -> c.repeatedHeaders() > 0).forEach(c -> out.append(String.format(
          "  %s: %,d repeated header line%s inside a CSV file skipped (not rows)%n", c.table(), c.repeatedHeaders(),
          c.repeatedHeaders() == 1 ? "" : "s")));
      long total = report.inputs().values().stream().mapToLong(InputReconciliation.Counts::rejected).sum();
      out.append(String.format("%nQuarantine: %,d bad input rows%s%n", total, total == 0 ? "" : ", by rule broken:"));
      report.inputs().values().stream().sorted(Comparator.comparing(InputReconciliation.Counts::table))
          .forEach(c -> c.rejectedByRule().forEach((rule, n) ->
              out.append(String.format("  %-14s %-22s %,10d%n", c.table(), rule, n))));
    }

    out.append(String.format("%nTables (Delta), as-of partition %s, version:%n", report.asOf()));
    for (Map.Entry<String, Location> t : report.tables().entrySet()) {
      out.append(String.format("  %-24s %s  v%d%n", t.getKey(), t.getValue(), report.versions().get(t.getKey())));
    }
    out.append(String.format("Run %s recorded in run_log%n", report.runId()));
    out.append(String.format("%nStage timings (wall, of it with no task running; Spark jobs, tasks, task time, shuffle "
        + "written, spill):%n"));
    report.stages().millis().forEach((stage, ms) -> {
      SparkMetrics.Totals t = report.spark().getOrDefault(stage, SparkMetrics.Totals.NONE);
      out.append(String.format("  %-40s %10s %10s %4d %6d %10s %10s %10s%n", stage, Stopwatch.format(ms),
          Stopwatch.format(t.idleMillis(ms)), t.jobs(), t.tasks(), Stopwatch.format(t.taskMillis()),
          bytes(t.shuffleBytes()), bytes(t.spillBytes())));
    });
    return out.toString();
  }

  /** Bytes in B, KiB, MiB or GiB. */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
    return String.format("%.1f %siB", n / Math.pow(1024, unit), " KMGTPE".charAt(unit));
  }
}
