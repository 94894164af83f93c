package io.cskpi.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes result tables as Delta. A table keeps every as-of date a run computed (partitioned by as_of_date): a run
 * replaces its own date's rows only, so a rerun for the same date never duplicates rows and other dates stay.
 * The schema is never overwritten at run time: a table written with other columns is an error. Every column
 * carries its KPI catalog definition as its comment for BI tools.
 */
public final class DeltaOutput {
  private DeltaOutput() {}

  private static final String AS_OF = "as_of_date";

  /**
   * Writes {@code df} (every row as of {@code asOf}) as that date's rows of the table, creating it on the first
   * write, partitioned by {@code partitionColumns} (as_of_date first).
   */
  public static void replaceAsOf(Dataset<Row> df, Location table, List<String> partitionColumns, LocalDate asOf) {
    Dataset<Row> rows = df;
    List<String> within = partitionColumns.stream().filter(c -> !c.equals(AS_OF)).toList();
    if (!within.isEmpty()) {
      // One shuffle so each partition directory gets one file per task instead of one per shuffle partition.
      rows = df.repartition(within.stream().map(c -> col(c)).toArray(Column[]::new));
    }
    try {
      rows.write().format("delta").mode(SaveMode.Overwrite)
          .option("replaceWhere", AS_OF + " = DATE'" + asOf + "'")
          .partitionBy(partitionColumns.toArray(String[]::new))
          .save(table.toString());
    } catch (Exception e) {
      String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (e instanceof AnalysisException && (message.contains("schema mismatch") || message.contains("partition"))) {
        throw new SchemaChangedException("result table at " + table + " has other columns or partitions than this "
            + "run writes (an upgrade changed the table, or conf cskpi.segments changed its segment columns): "
            + "results are never rewritten with another schema at run time; write to a new cskpi.output.dir, or "
            + "remove the table to recompute it. " + firstLine(e.getMessage()), e);
      }
      throw e;
    }
  }

  /** Appends {@code df} to the table (created on the first write); returns the table version written. */
  public static long append(Dataset<Row> df, Location table) {
    df.write().format("delta").mode(SaveMode.Append).save(table.toString());
    return version(df.sparkSession(), table);
  }

  /** The table's current version. */
  public static long version(SparkSession spark, Location table) {
    return snapshot(spark, table).version();
  }

  /**
   * The table's latest snapshot, from its Delta log: a listing of _delta_log, no Spark job (DESCRIBE HISTORY and
   * DESCRIBE DETAIL each run one, twice per table per run).
   */
  private static Snapshot snapshot(SparkSession spark, Location table) {
    return DeltaLog.forTable(spark, table.toString()).update(false, scala.Option.empty(), scala.Option.empty());
  }

  /** The rows as of {@code asOf} in version {@code version} of the table (what a run wrote and published). */
  public static Dataset<Row> readAsOf(SparkSession spark, Location table, long version, LocalDate asOf) {
    return spark.read().format("delta").option("versionAsOf", version).load(table.toString())
        .filter(col(AS_OF).equalTo(lit(asOf)));
  }

  /**
   * Sets the table's description (its Delta comment, shown by DESCRIBE DETAIL and catalog browsers) and
   * properties, in one commit and only when they differ: a nightly run adds no metadata-only version.
   */
  public static void describe(SparkSession spark, Location table, String description, Map<String, String> properties) {
    org.apache.spark.sql.delta.actions.Metadata metadata = snapshot(spark, table).metadata();
    Map<String, String> current = scala.collection.JavaConverters.mapAsJavaMap(metadata.configuration());
    Map<String, String> wanted = new LinkedHashMap<>(properties);
    wanted.put("comment", description);
    boolean same = description.equals(metadata.description())
        && properties.entrySet().stream().allMatch(p -> p.getValue().equals(current.get(p.getKey())));
    if (same) {
      return;
    }
    String set = wanted.entrySet().stream().map(p -> "'" + p.getKey() + "' = '" + escape(p.getValue()) + "'")
        .collect(Collectors.joining(", "));
    spark.sql("ALTER TABLE " + table.deltaIdentifier() + " SET TBLPROPERTIES (" + set + ")");
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.split("\n")[0];
  }

  /** Adds each column's definition as its comment (the column's Delta metadata, shown by BI tools). */
  public static Dataset<Row> withComments(Dataset<Row> df, java.util.Map<String, String> definitions) {
    Column[] described = Arrays.stream(df.columns()).map(c -> {
      String definition = definitions.get(c);
      if (definition == null) {
        return col(c);
      }
      Metadata comment = new MetadataBuilder().putString("comment", definition).build();
      return col(c).as(c, comment);
    }).toArray(Column[]::new);
    return df.select(described);
  }

  /** A result table's columns or partitions differ from what the run writes. */
  public static final class SchemaChangedException extends RuntimeException {
    SchemaChangedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
