package io.cskpi.pipeline;

import io.cskpi.config.CskpiConfig;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.io.Location;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Delta housekeeping of an output directory ({@code cskpi maintain}), under the run lock: deletes the rows of runs no
 * reader sees (failed, killed, superseded), as-of dates past their retention (never the published date; month
 * ends kept), compacts small files (OPTIMIZE) and removes files no version within the retention needs (VACUUM).
 * Readers read the latest version, so VACUUM never takes the published rows away.
 */
public final class Maintenance {
  private Maintenance() {}

  /** What maintenance did to one table. */
  public record Done(String table, long runsRemoved, long asOfDatesDeleted, long filesCompacted, long seconds) {}

  public static List<Done> run(SparkSession spark, CskpiConfig config, List<KpiFamily> registry) {
    Location outputDir = NightlyPipeline.location(spark, "cskpi.output.dir", config.outputDir());
    List<ResultTable> tables = new ArrayList<>(List.of(NightlyPipeline.QUARANTINE));
    registry.forEach(f -> tables.addAll(f.declaration().writes()));
    tables.add(RunLog.RUN_LOG);
    List<Done> done = new ArrayList<>();
    String runId = java.util.UUID.randomUUID().toString();
    try (RunLock lock = NightlyPipeline.lock(spark, config, outputDir, runId, "maintain", "maintain", null)) {
      LocalDate published = RunLog.published(spark, outputDir).map(RunLog.Published::asOf).orElse(null);
      for (ResultTable t : tables) {
        Location path = outputDir.child(t.name());
        if (!path.child("_delta_log").exists(spark)) {
          continue;
        }
        long started = System.nanoTime();
        long deleted = 0;
        long runsRemoved = 0;
        if (t.writeMode() == ResultTable.WriteMode.AS_OF) {
          runsRemoved = deleteRunsReadersDoNotSee(spark, outputDir, t.name());
        }
        if (published != null && t.writeMode() == ResultTable.WriteMode.AS_OF) {
          deleted = deleteOldAsOfDates(spark, path, published, t == NightlyPipeline.QUARANTINE
              ? config.quarantineRetentionDays() : config.keepDailyAsOfDays(), t != NightlyPipeline.QUARANTINE);
        }
        Row optimized = spark.sql("OPTIMIZE " + path.deltaIdentifier()).first();
        Row metrics = optimized.getStruct(optimized.fieldIndex("metrics"));
        long compacted = metrics.getLong(metrics.fieldIndex("numFilesRemoved"));
        // Delta refuses a retention under 7 days unless told: a shorter one in conf is the user's decision.
        spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled",
            String.valueOf(config.deletedFileRetentionDays() >= 7));
        vacuum(spark, path, config.deletedFileRetentionDays());
        done.add(new Done(t.name(), runsRemoved, deleted, compacted, (System.nanoTime() - started) / 1_000_000_000));
      }
    }
    return done;
  }

  private static void vacuum(SparkSession spark, Location path, int retentionDays) {
    spark.sql("VACUUM " + path.deltaIdentifier() + " RETAIN " + retentionDays * 24 + " HOURS");
  }

  /**
   * Deletes the rows of runs no reader sees: per as-of date every run but the latest succeeded one that wrote the
   * table (failed, killed and superseded runs' rows a rerun did not remove). Under the lock, so no run is writing.
   * Returns how many (as-of date, run) pairs it deleted.
   */
  static long deleteRunsReadersDoNotSee(SparkSession spark, Location outputDir, String table) {
    Location path = outputDir.child(table);
    java.util.Set<String> seen = new java.util.HashSet<>();
    RunLog.runsReadersSee(spark, outputDir, table).forEach(r -> seen.add(r.get(0) + "|" + r.getString(1)));
    List<String> unseen = new ArrayList<>();
    for (Row r : spark.read().format("delta").load(path.toString()).select("as_of_date", "run_id").distinct()
        .collectAsList()) {
      if (!seen.contains(r.get(0) + "|" + r.getString(1))) {
        unseen.add("(as_of_date = DATE'" + r.get(0) + "' AND run_id = '" + r.getString(1).replace("'", "''") + "')");
      }
    }
    if (!unseen.isEmpty()) {
      spark.sql("DELETE FROM " + path.deltaIdentifier() + " WHERE " + String.join(" OR ", unseen));
    }
    return unseen.size();
  }

  /**
   * Deletes as-of dates more than {@code days} before the published date (0 = none), but never the published
   * date itself and, when {@code keepMonthEnds}, never a month's last day. Returns how many dates it deleted.
   */
  static long deleteOldAsOfDates(SparkSession spark, Location table, LocalDate published, int days,
      boolean keepMonthEnds) {
    if (days == 0) {
      return 0;
    }
    String condition = "as_of_date < DATE'" + published.minusDays(days) + "' AND as_of_date <> DATE'" + published
        + "'" + (keepMonthEnds ? " AND as_of_date <> last_day(as_of_date)" : "");
    long dates = spark.read().format("delta").load(table.toString()).filter(condition).select("as_of_date")
        .distinct().count();
    if (dates > 0) {
      spark.sql("DELETE FROM " + table.deltaIdentifier() + " WHERE " + condition);
    }
    return dates;
  }
}
