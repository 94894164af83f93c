package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.ResultTable;
import io.cskpi.io.DeltaOutput;
import io.cskpi.io.Location;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run log: one row per run (nightly or backfill) with its outcome, what it read and the table versions it
 * wrote. It is also how results are published all-or-nothing: a run's rows become what readers see (the
 * {@code *_current} views, {@code cskpi export}) only when its row says succeeded and published, naming the version of
 * every table it wrote; a run that dies halfway leaves the previous published run in place.
 */
public final class RunLog {
  private RunLog() {}

  public static final StructType INPUT_COUNTS = new StructType(new StructField[] {
      DataTypes.createStructField("table_name", StringType, false),
      DataTypes.createStructField("rows_read", LongType, false),
      DataTypes.createStructField("rows_used", LongType, false),
      DataTypes.createStructField("rows_rejected", LongType, false)});

  public static final ResultTable RUN_LOG = ResultTable.named("run_log",
          "One row per run: its outcome, stage timings, rows read, used and rejected per input, the table versions "
              + "it wrote and the conf it ran with; the published as-of date is the latest succeeded published run's")
      .grain("run (as_of_date is the date it computed)")
      .writeMode(ResultTable.WriteMode.APPEND)
      .column("run_id", StringType, "Unique id of the run.")
      .column("mode", StringType, "run (the nightly run) or backfill.")
      .column("status", StringType, "succeeded or failed (a killed run writes no row; its lock file says which "
          + "run it was).")
      .column("published", BooleanType, "True when this run's results are what readers see for its as-of date: "
          + "every succeeded nightly run, and a backfill of the published date. The published run is the latest "
          + "(by finished_at) succeeded row with published = true.")
      .column("started_at", TimestampType, "When the run started (UTC).")
      .column("finished_at", TimestampType, "When it succeeded or failed (UTC).")
      .nullable("stage_seconds", new MapType(StringType, DoubleType, false), "Seconds per stage (read, compute, "
          + "each table's write, reconcile).")
      .nullable("inputs", new ArrayType(INPUT_COUNTS, false), "Per input table: rows read = rows used + rows "
          + "rejected (quarantined); null when the run failed before counting.")
      .nullable("outputs", new MapType(StringType, LongType, false), "Delta table version each result table had "
          + "after this run's write; readers of the published run read these versions.")
      .column("families", new ArrayType(StringType, false), "The KPI families the run computed.")
      .column("conf", StringType, "The resolved cskpi configuration the run used, as JSON (secrets in "
          + "cskpi.spark.conf redacted).")
      .nullable("error", StringType, "Why a failed run failed; null when it succeeded.")
      .build();

  /** One run's row. */
  public record Entry(String runId, LocalDate asOf, String mode, boolean succeeded, boolean published,
      Instant startedAt, Instant finishedAt, Map<String, Double> stageSeconds,
      Map<String, InputReconciliation.Counts> inputs, Map<String, Long> outputs, List<String> families, String conf,
      String error) {}

  /** The published run: its as-of date and the version of each table it wrote. */
  public record Published(String runId, LocalDate asOf, Map<String, Long> versions) {}

  public static Location location(Location outputDir) {
    return outputDir.child(RUN_LOG.name());
  }

  /** Appends {@code entry} to the run log of {@code outputDir}. */
  public static void append(SparkSession spark, Location outputDir, Entry e) {
    List<Row> inputs = null;
    if (e.inputs() != null) {
      inputs = new ArrayList<>();
      for (InputReconciliation.Counts c : e.inputs().values()) {
        inputs.add(RowFactory.create(c.table(), c.read(), c.used(), c.rejected()));
      }
    }
    Row row = RowFactory.create(e.runId(), e.mode(), e.succeeded() ? "succeeded" : "failed", e.published(),
        e.startedAt(), e.finishedAt(), scala(e.stageSeconds()), inputs == null ? null : seq(inputs),
        scala(e.outputs()), seq(e.families()), e.conf(), e.error(), e.asOf());
    StructType schema = RUN_LOG.schema(List.of()).add(CommonColumns.AS_OF_DATE.name(), DataTypes.DateType, false);
    DeltaOutput.append(spark.createDataFrame(List.of(row), schema), location(outputDir));
  }

  /** The published run of {@code outputDir}; empty before the first succeeded run. */
  public static Optional<Published> published(SparkSession spark, Location outputDir) {
    return latest(spark, outputDir, col("published"));
  }

  /** The latest succeeded run for {@code asOf}, published or not (a backfilled date). */
  public static Optional<Published> succeeded(SparkSession spark, Location outputDir, LocalDate asOf) {
    return latest(spark, outputDir, col("as_of_date").equalTo(org.apache.spark.sql.functions.lit(asOf)));
  }

  /**
   * What a reader sees of {@code table}: the rows of the published run (or of the latest succeeded run as of
   * {@code asOf}) in the table version that run wrote, so a run in progress or one that failed halfway never shows.
   * The run log itself is read whole.
   */
  public static Dataset<Row> read(SparkSession spark, Location dir, String table, LocalDate asOf) {
    Location path = dir.child(table);
    if (table.equals(RUN_LOG.name())) {
      return spark.read().format("delta").load(path.toString());
    }
    Published run = (asOf == null ? published(spark, dir) : succeeded(spark, dir, asOf))
        .orElseThrow(() -> new io.cskpi.schema.InputSchemaException("no succeeded run" + (asOf == null ? "" : " as of " + asOf)
            + " in " + dir + " (table run_log)"));
    Long version = run.versions().get(table);
    if (version == null) {
      throw new io.cskpi.schema.InputSchemaException("result table '" + table + "' was not written by run " + run.runId() + " as of "
          + run.asOf() + " (its families were not in cskpi.families); it wrote " + run.versions().keySet());
    }
    return DeltaOutput.readAsOf(spark, path, version, run.asOf());
  }

  private static Optional<Published> latest(SparkSession spark, Location outputDir,
      org.apache.spark.sql.Column which) {
    Location log = location(outputDir);
    if (!log.child("_delta_log").exists(spark)) {
      return Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(log.toString())
        .filter(col("status").equalTo("succeeded").and(which))
        .orderBy(col("finished_at").desc()).select("run_id", "as_of_date", "outputs").limit(1).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    return Optional.of(new Published(r.getString(0), r.getAs(1), new LinkedHashMap<>(r.getJavaMap(2))));
  }

  private static <K, V> scala.collection.Map<K, V> scala(Map<K, V> map) {
    return map == null ? null : scala.collection.JavaConverters.mapAsScalaMap(map);
  }

  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return scala.collection.JavaConverters.asScalaBuffer(list).toSeq();
  }
}
