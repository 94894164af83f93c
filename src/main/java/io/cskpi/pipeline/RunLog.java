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
 * {@code *_current} views, {@code cskpi export}) only when its row says succeeded and published, naming every table
 * it wrote; a run that dies halfway leaves the previous published run in place.
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
      .column("run_seq", LongType, "Order of the rows: one more than the run log's highest when the row was "
          + "written, under the run lock. Readers take the highest, never a clock: drivers on other hosts may "
          + "disagree on the time.")
      .column("mode", StringType, "run (the nightly run) or backfill.")
      .column("status", StringType, "succeeded, failed, or killed: a run that died without a word (its process "
          + "killed), recorded by the next run that found its lock stale or by cskpi unlock.")
      .column("published", BooleanType, "True when this run's results are what readers see as current (the "
          + "*_current views, cskpi export): a succeeded nightly run as of the published date or later (an older "
          + "date only with cskpi run --publish), and a backfill of the published date. The published run is the "
          + "latest (by finished_at) succeeded row with published = true.")
      .column("started_at", TimestampType, "When the run started (UTC).")
      .column("finished_at", TimestampType, "When it succeeded or failed (UTC).")
      .nullable("stage_seconds", new MapType(StringType, DoubleType, false), "Seconds per stage (read, compute, "
          + "each table's write, reconcile).")
      .nullable("inputs", new ArrayType(INPUT_COUNTS, false), "Per input table: rows read = rows used + rows "
          + "rejected (quarantined); null when the run failed before counting.")
      .nullable("outputs", new MapType(StringType, LongType, false), "Delta table version each result table had "
          + "after this run's write (for audits and time travel); its keys are the tables the run wrote.")
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
    append(spark, outputDir, e, e.succeeded() ? "succeeded" : "failed");
  }

  private static void append(SparkSession spark, Location outputDir, Entry e, String status) {
    List<Row> inputs = null;
    if (e.inputs() != null) {
      inputs = new ArrayList<>();
      for (InputReconciliation.Counts c : e.inputs().values()) {
        inputs.add(RowFactory.create(c.table(), c.read(), c.used(), c.rejected()));
      }
    }
    Row row = RowFactory.create(e.runId(), nextSeq(spark, outputDir), e.mode(), status, e.published(),
        e.startedAt(), e.finishedAt(), scala(e.stageSeconds()), inputs == null ? null : seq(inputs),
        scala(e.outputs()), seq(e.families()), e.conf(), e.error(), e.asOf());
    StructType schema = RUN_LOG.schema(List.of()).add(CommonColumns.AS_OF_DATE.name(), DataTypes.DateType, false);
    spark.createDataFrame(List.of(row), schema).write().format("delta").mode(org.apache.spark.sql.SaveMode.Append)
        .save(location(outputDir).toString());
  }

  private static long nextSeq(SparkSession spark, Location outputDir) {
    Location log = location(outputDir);
    if (!log.child("_delta_log").exists(spark)) {
      return 1;
    }
    Row max = spark.read().format("delta").load(log.toString()).agg(org.apache.spark.sql.functions.max("run_seq"))
        .first();
    return max.isNullAt(0) ? 1 : max.getLong(0) + 1;
  }

  /**
   * Records a run that died without writing its row (its process killed), found by its lock: status killed, with
   * what the lock says of it. A lock that names no as-of date (cskpi maintain), or a run that wrote its row before
   * it died, leaves no row.
   */
  public static void appendKilled(SparkSession spark, Location outputDir, RunLock.Holder dead, String how) {
    if (dead.asOf() == null || dead.runId() == null || !runs(spark, outputDir, "run_id = '"
        + dead.runId().replace("'", "") + "'").isEmpty()) {
      return;
    }
    append(spark, outputDir, new Entry(dead.runId(), dead.asOf(), dead.mode(), false, false, dead.started(),
        Instant.now(), null, null, null, List.of(), "{}", "killed: " + how), "killed");
  }

  /** The published run of {@code outputDir}: the succeeded row with published = true of the highest run_seq. */
  public static Optional<Published> published(SparkSession spark, Location outputDir) {
    Location log = location(outputDir);
    if (!log.child("_delta_log").exists(spark)) {
      return Optional.empty();
    }
    List<Row> rows = spark.read().format("delta").load(log.toString())
        .filter("status = 'succeeded' AND published")
        .orderBy(col("run_seq").desc()).select("run_id", "as_of_date", "outputs").limit(1).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    return Optional.of(new Published(r.getString(0), r.getAs(1), new LinkedHashMap<>(r.getJavaMap(2))));
  }

  /**
   * What a reader sees of {@code table}: with {@code asOf} null the rows as of the published date, else as of
   * {@code asOf}, each from the latest succeeded run of that date that wrote the table — the query of the
   * catalog's views ({@link #readersQuery}), so a run in progress or one that failed halfway never shows. The run
   * log itself is read whole.
   */
  public static Dataset<Row> read(SparkSession spark, Location dir, String table, LocalDate asOf) {
    Location path = dir.child(table);
    if (table.equals(RUN_LOG.name())) {
      return spark.read().format("delta").load(path.toString());
    }
    LocalDate date = asOf != null ? asOf : published(spark, dir).map(Published::asOf).orElseThrow(() ->
        new io.cskpi.schema.InputSchemaException("no published run in " + dir + " (table run_log): run cskpi first"));
    if (!path.child("_delta_log").exists(spark) || runs(spark, dir, "status = 'succeeded' AND as_of_date = DATE'"
        + date + "' AND " + wrote(table)).isEmpty()) {
      throw new io.cskpi.schema.InputSchemaException("no succeeded run as of " + date + " wrote result table '"
          + table + "' in " + dir + " (table run_log; conf cskpi.families chooses the families, so the tables, a "
          + "run writes)");
    }
    List<String> columns = java.util.Arrays.stream(DeltaOutput.schema(spark, path).fieldNames())
        .filter(c -> !c.equals(CommonColumns.RUN_ID.name())).toList();
    return spark.sql(readersQuery(dir, table, columns, false)).filter(col("as_of_date").equalTo(
        org.apache.spark.sql.functions.lit(date)));
  }

  /**
   * The SQL a reader's view of {@code table} runs: for every as-of date (with {@code current}: the published
   * date only) the table's rows of the latest succeeded run of that date that wrote it, by run_seq, without
   * run_id. Rows of a run in progress, of a failed or killed run, or of a run a rerun superseded never show;
   * nothing depends on old table versions, so VACUUM cannot take a reader's rows away. The notebooks' query
   * (notebooks/cskpi_tables.py) is the same.
   */
  public static String readersQuery(Location dir, String table, List<String> columns, boolean current) {
    String log = dir.child(RUN_LOG.name()).deltaIdentifier();
    String runs = "SELECT as_of_date, max_by(run_id, run_seq) AS run_id FROM " + log + " WHERE status = "
        + "'succeeded' AND " + wrote(table) + (current ? " AND as_of_date = (SELECT max_by(as_of_date, run_seq) FROM "
        + log + " WHERE status = 'succeeded' AND published)" : "") + " GROUP BY as_of_date";
    return "SELECT " + columns.stream().map(c -> "t.`" + c.replace("`", "``") + "`")
        .collect(java.util.stream.Collectors.joining(", ")) + " FROM " + dir.child(table).deltaIdentifier()
        + " t LEFT SEMI JOIN (" + runs + ") r ON t.as_of_date = r.as_of_date AND t.run_id = r.run_id";
  }

  private static String wrote(String table) {
    return "map_contains_key(outputs, '" + table + "')";   // table names are snake_case identifiers
  }

  /** The run ids of every run the log knows as of {@code asOf} other than {@code runId}, whatever their status. */
  static List<String> otherRuns(SparkSession spark, Location outputDir, LocalDate asOf, String runId) {
    return runs(spark, outputDir, "as_of_date = DATE'" + asOf + "' AND run_id <> '" + runId + "'").stream()
        .map(r -> r.getString(0)).distinct().toList();
  }

  private static List<Row> runs(SparkSession spark, Location outputDir, String where) {
    Location log = location(outputDir);
    if (!log.child("_delta_log").exists(spark)) {
      return List.of();
    }
    return spark.read().format("delta").load(log.toString()).filter(where).select("run_id").collectAsList();
  }

  /** Per as-of date, the run whose rows of {@code table} readers see: the latest succeeded one that wrote it. */
  static List<Row> runsReadersSee(SparkSession spark, Location outputDir, String table) {
    return spark.read().format("delta").load(location(outputDir).toString())
        .filter("status = 'succeeded' AND " + wrote(table))
        .groupBy("as_of_date").agg(org.apache.spark.sql.functions.max_by(col("run_id"), col("run_seq"))
            .as("run_id")).collectAsList();
  }

  private static <K, V> scala.collection.Map<K, V> scala(Map<K, V> map) {
    return map == null ? null : scala.collection.JavaConverters.mapAsScalaMap(map);
  }

  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return scala.collection.JavaConverters.asScalaBuffer(list).toSeq();
  }
}
