package io.cskpi.io;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Result tables' file statistics: run_id alone from a table's first write, and for older tables after describe. */
class DeltaOutputTest extends SparkTest {
  private static final List<String> PARTITIONS = List.of("as_of_date", "period_month");

  private static Dataset<Row> run(String runId) {
    return frame("as_of_date DATE, period_month DATE, customer_id STRING, mrr DECIMAL(18,2), run_id STRING",
        row(d("2026-06-30"), d("2026-05-01"), "a", m("10.00"), runId),
        row(d("2026-06-30"), d("2026-06-01"), "b", m("25.50"), runId));
  }

  @Test
  void aTableCreatedByARunRecordsStatisticsOfRunIdAloneFromItsFirstWrite(@TempDir Path dir) {
    Location table = Location.of(spark, dir.resolve("t").toString());
    DeltaOutput.appendRun(run("r1"), table, PARTITIONS);
    assertEquals("run_id", property(table));
    assertEquals(List.of(Set.of("run_id"), Set.of("run_id")), statisticsColumns(table, 0));   // a file per month
  }

  @Test
  void aTableFromAnOlderVersionGetsThePropertyFromDescribeAndItsNextWriteRecordsRunIdAlone(@TempDir Path dir) {
    Location table = Location.of(spark, dir.resolve("t").toString());
    // Written as before the property existed: Delta's default statistics (every column) and no property.
    run("r0").write().format("delta").partitionBy(PARTITIONS.toArray(String[]::new)).save(table.toString());
    Set<String> everyColumn = Set.of("customer_id", "mrr", "run_id");
    assertEquals(List.of(everyColumn, everyColumn), statisticsColumns(table, 0));

    DeltaOutput.appendRun(run("r1"), table, PARTITIONS);   // an existing table: its properties are not changed here
    assertNull(property(table));
    assertEquals(List.of(everyColumn, everyColumn), statisticsColumns(table, 1));

    long described = DeltaOutput.describe(spark, table, "a result table", DeltaOutput.writeProperties());
    assertEquals(2, described);
    assertEquals("run_id", property(table));
    assertEquals(2, DeltaOutput.describe(spark, table, "a result table", DeltaOutput.writeProperties()),
        "describing again with the same text and properties adds no version");

    DeltaOutput.appendRun(run("r2"), table, PARTITIONS);
    assertEquals(List.of(Set.of("run_id"), Set.of("run_id")), statisticsColumns(table, 3));
  }

  /** The table's delta.dataSkippingStatsColumns, or null when it is not set. */
  private static String property(Location table) {
    return tableProperty(table, DeltaOutput.STATS_COLUMNS);
  }

  /** For each file the commit {@code version} added: the columns whose min and max it records. */
  private static List<Set<String>> statisticsColumns(Location table, long version) {
    List<Set<String>> files = statisticsColumns(table.child("_delta_log") + String.format("/%020d.json", version));
    assertFalse(files.isEmpty(), "version " + version + " adds files");
    return files;
  }
}
