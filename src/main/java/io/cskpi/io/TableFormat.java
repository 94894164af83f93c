package io.cskpi.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;
import java.util.function.Function;

/** The table formats cs-kpi reads and writes: the one place that maps each to Spark's reader and writer. */
public enum TableFormat {
  DELTA, PARQUET, CSV, JSON;

  /** The format named {@code name} (case-insensitive). */
  public static TableFormat of(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (TableFormat f : values()) {
      if (f.toString().equals(lower)) {
        return f;
      }
    }
    throw new IllegalArgumentException("format must be delta, parquet, csv or json, got: " + name);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads the table at {@code location}. CSV is the caller's: inputs are read as text first (so a bad line
   * reaches the quarantine), a transaction file by its own layout.
   */
  public Dataset<Row> read(SparkSession spark, Location location, Function<Location, Dataset<Row>> csv) {
    return read(spark, location, java.util.Map.of(), csv);
  }

  /** As {@link #read(SparkSession, Location, Function)}, with Spark reader options (not for CSV yet). */
  public Dataset<Row> read(SparkSession spark, Location location, java.util.Map<String, String> options,
      Function<Location, Dataset<Row>> csv) {
    return switch (this) {
      case DELTA -> spark.read().options(options).format("delta").load(location.toString());
      case PARQUET -> spark.read().options(options).parquet(location.toString());
      case JSON -> spark.read().options(options).json(location.toString());
      case CSV -> csv.apply(location);
    };
  }

  /** Replaces the table at {@code location} with {@code rows}; CSV with a header and RFC 4180 quoting. */
  public void write(Dataset<Row> rows, Location location) {
    var writer = rows.write().mode(SaveMode.Overwrite);
    switch (this) {
      case DELTA -> writer.format("delta").option("overwriteSchema", "true").save(location.toString());
      case PARQUET -> writer.parquet(location.toString());
      // RFC 4180 quoting (a quote inside a quoted value is doubled), as cs-kpi reads CSV.
      case CSV -> writer.option("header", "true").option("escape", "\"").csv(location.toString());
      case JSON -> writer.json(location.toString());
    }
  }
}
