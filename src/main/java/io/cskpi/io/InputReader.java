package io.cskpi.io;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cskpi.quality.Quarantine;
import io.cskpi.schema.ColumnSpec;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.Schemas;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads an input table (Delta, Parquet or CSV with a header) and conforms it to its {@link TableSpec}: a
 * missing required column or a wrong type fails before any compute; optional columns that are absent are
 * added as nulls; CSV text that does not parse is kept for the quarantine; extra columns are kept.
 */
public final class InputReader {
  private InputReader() {}

  /** Finds the table under {@code dir}: {@code dir/<table>} or, for CSV, {@code dir/<table>.csv}. */
  public static Location locate(SparkSession spark, Location dir, String table, String format) {
    List<Location> candidates = format.equals("csv")
        ? List.of(dir.child(table + ".csv"), dir.child(table))
        : List.of(dir.child(table));
    for (Location c : candidates) {
      if (exists(spark, c)) {
        return c;
      }
    }
    throw new InputSchemaException("input table '" + table + "' not found: looked for "
        + candidates.stream().map(Location::toString).collect(Collectors.joining(" and ")) + " (" + format + ")");
  }

  /** True when something exists at {@code location}; an unreachable file system is an input error. */
  public static boolean exists(SparkSession spark, Location location) {
    try {
      return location.exists(spark);
    } catch (java.io.UncheckedIOException e) {
      throw new InputSchemaException("cannot access " + location + ": " + e.getCause().getMessage());
    }
  }

  /** Reads the table at {@code path} in {@code format} and conforms it to {@code spec}. */
  public static Dataset<Row> read(SparkSession spark, TableSpec spec, Location location, String format) {
    String path = location.toString();
    Dataset<Row> raw = switch (format) {
      case "delta" -> spark.read().format("delta").load(path);
      case "parquet" -> spark.read().parquet(path);
      case "csv" -> spark.read().option("header", "true").option("inferSchema", "false")
          .option("mode", "PERMISSIVE").csv(path);
      default -> throw new IllegalArgumentException("unknown format " + format);
    };
    return conform(spec, raw, format.equals("csv"));
  }

  /** See the class comment. {@code fromText}: all columns are strings to be parsed (CSV). */
  public static Dataset<Row> conform(TableSpec spec, Dataset<Row> raw, boolean fromText) {
    Map<String, DataType> present = Arrays.stream(raw.schema().fields())
        .collect(Collectors.toMap(StructField::name, StructField::dataType));
    List<String> missing = spec.columns().stream()
        .filter(c -> c.required() && !present.containsKey(c.name()))
        .map(c -> "'" + c.name() + "' (" + Schemas.sqlName(c.type()) + ")")
        .toList();
    if (!missing.isEmpty()) {
      throw new InputSchemaException("table '" + spec.name() + "': missing required column"
          + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; found " + Arrays.toString(raw.columns()));
    }
    Dataset<Row> out = raw;
    List<Column> castErrors = new ArrayList<>();
    for (ColumnSpec c : spec.columns()) {
      String name = c.name();
      DataType expected = c.type();
      if (!present.containsKey(name)) {
        out = out.withColumn(name, lit(null).cast(expected));
        continue;
      }
      DataType actual = present.get(name);
      if (actual.equals(expected)) {
        continue;
      }
      if (fromText && actual.equals(DataTypes.StringType)) {
        String src = Quarantine.SOURCE_PREFIX + name;
        out = out.withColumnRenamed(name, src)
            .withColumn(name, expr("try_cast(trim(`" + src + "`) AS " + expected.sql() + ")"));
        castErrors.add(when(col(src).isNotNull().and(col(name).isNull()),
            concat(lit(name + " '"), col(src), lit("' is not a " + expected.sql()))));
        continue;
      }
      if (!Schemas.isCompatible(actual, expected)) {
        throw new InputSchemaException("table '" + spec.name() + "': column '" + name + "' has type "
            + actual.sql() + ", expected " + expected.sql());
      }
      out = out.withColumn(name, col(name).cast(expected));
    }
    if (!castErrors.isEmpty()) {
      out = out.withColumn(Quarantine.CAST_ERRORS,
          filter(array(castErrors.toArray(Column[]::new)), x -> x.isNotNull()));
    }
    return out;
  }
}
