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
 * Delta housekeeping of an output directory ({@code cskpi maintain}), under the run lock: deletes as-of dates past
 * their retention (never the published date; month ends kept), compacts small files (OPTIMIZE) and removes files
 * no version within the retention needs (VACUUM).
 */
public final class Maintenance {
  private Maintenance() {}

  /** What maintenance did to one table. */
  public record Done(String table, long asOfDatesDeleted, long filesCompacted, long seconds) {}

  public static List<Done> run(SparkSession spark, CskpiConfig config, List<KpiFamily> registry) {
    Location outputDir = NightlyPipeline.location(spark, "cskpi.output.dir", config.outputDir());
    List<ResultTable> tables = new ArrayList<>(List.of(NightlyPipeline.QUARANTINE));
    registry.forEach(f -> tables.addAll(f.declaration().writes()));
    tables.add(RunLog.RUN_LOG);
    List<Done> done = new ArrayList<>();
    String runId = java.util.UUID.randomUUID().toString();
    try (RunLock lock = RunLock.acquire(spark, outputDir, runId, "maintain")) {
      LocalDate published = RunLog.published(spark, outputDir).map(RunLog.Published::asOf).orElse(null);
      for (ResultTable t : tables) {
        Location path = outputDir.child(t.name());
        if (!path.child("_delta_log").exists(spark)) {
          continue;
        }
        long started = System.nanoTime();
        long deleted = 0;
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
        spark.sql("VACUUM " + path.deltaIdentifier() + " RETAIN " + config.deletedFileRetentionDays() * 24 + " HOURS");
        done.add(new Done(t.name(), deleted, compacted, (System.nanoTime() - started) / 1_000_000_000));
      }
    }
    return done;
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
