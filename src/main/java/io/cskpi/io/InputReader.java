package io.cskpi.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cskpi.quality.Quarantine;
import io.cskpi.schema.ColumnSpec;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.Schemas;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads an input table (Delta, Parquet or CSV with a header) and conforms it to its {@link TableSpec}: a
 * missing required column or a wrong type fails before any compute; optional columns that are absent are
 * added as nulls; CSV text that does not parse, and CSV lines whose structure is broken, are kept for the
 * quarantine; extra columns are kept (as segment dimensions).
 */
public final class InputReader {
  private InputReader() {}

  /** Finds the table under {@code dir}: {@code dir/<table>} or, for CSV, {@code dir/<table>.csv}. */
  public static Location locate(SparkSession spark, Location dir, String table, TableFormat format) {
    List<Location> candidates = format == TableFormat.CSV
        ? List.of(dir.child(table + ".csv"), dir.child(table))
        : List.of(dir.child(table));
    for (Location c : candidates) {
      if (c.exists(spark)) {
        return c;
      }
    }
    throw new InputSchemaException("input table '" + table + "' not found: looked for "
        + candidates.stream().map(Location::toString).collect(Collectors.joining(" and ")) + " (" + format + ")");
  }

  /** Reads the table at {@code location} in {@code format} and conforms it to {@code spec}. */
  public static Dataset<Row> read(SparkSession spark, TableSpec spec, Location location, TableFormat format) {
    return read(spark, spec, location, format, Map.of(), InputMapping.NONE);
  }

  /**
   * Reads the table at {@code location} in {@code format} with the reader {@code options}, maps it onto the data
   * model ({@link InputMapping}) and conforms it to {@code spec}.
   */
  public static Dataset<Row> read(SparkSession spark, TableSpec spec, Location location, TableFormat format,
      Map<String, String> options, InputMapping mapping) {
    TextParsing parsing = TextParsing.of(format, options);
    parsing.requireSparkAccepts(spark, spec.name());
    Dataset<Row> raw = source(spark, spec, location, format, options);
    // JSON has no date type: its dates arrive as text, parsed as strictly as CSV's.
    boolean fromText = format == TableFormat.CSV || format == TableFormat.JSON;
    return conform(spec, mapping.apply(spec, raw, parsing), fromText, parsing);
  }

  /**
   * The table as the source has it, before any mapping or check: its own column names and types (CSV: text, with
   * the hidden columns that mark header and malformed lines; {@link Quarantine#isRow} tells rows).
   */
  public static Dataset<Row> source(SparkSession spark, TableSpec spec, Location location, TableFormat format,
      Map<String, String> options) {
    try {
      Dataset<Row> read = format.read(spark, location, options,
          csv -> CsvInput.read(spark, spec.name(), csv, TextParsing.of(format, options)));
      String corrupt = options.getOrDefault("columnNameOfCorruptRecord", "_corrupt_record");
      if (format == TableFormat.JSON && Arrays.asList(read.columns()).contains(corrupt)) {
        // A line that is no JSON object: malformed_record with the line as read, like a broken CSV line.
        read = read.withColumnRenamed(corrupt, Quarantine.MALFORMED_LINE);
      }
      return read;
    } catch (Exception e) {
      if (e instanceof AnalysisException a && "COLUMN_ALREADY_EXISTS".equals(a.getErrorClass())) {
        throw caseDuplicates(spark, spec, location, format, a);
      }
      if (e instanceof AnalysisException) {
        throw new InputSchemaException("table '" + spec.name() + "' at " + location + " cannot be read as " + format
            + ": " + e.getMessage());
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * Spark refuses a Parquet or Delta schema with two columns that differ only in case and names one of them;
   * a case-sensitive look at the schema (in a separate session, the run's own settings untouched) names both.
   */
  private static InputSchemaException caseDuplicates(SparkSession spark, TableSpec spec, Location location,
      TableFormat format, AnalysisException cause) {
    SparkSession caseSensitive = spark.newSession();
    caseSensitive.conf().set("spark.sql.caseSensitive", "true");
    try {
      Schemas.requireNoCaseDuplicates(spec.name(), Arrays.asList(
          caseSensitive.read().format(format.toString()).load(location.toString()).columns()));
    } catch (InputSchemaException named) {
      return named;
    } catch (Exception ignored) {
      // fall through to Spark's own message
    }
    return new InputSchemaException("table '" + spec.name() + "' at " + location + ": " + cause.getMessage());
  }

  /**
   * See the class comment. Column names match case-insensitively: a column {@code Region} is the model's
   * {@code region}, and every column is named in lower case from here on; two columns that differ only in case
   * are an error naming both. {@code fromText}: all columns are strings to be parsed (CSV).
   */
  public static Dataset<Row> conform(TableSpec spec, Dataset<Row> raw, boolean fromText) {
    return conform(spec, raw, fromText, TextParsing.DEFAULT);
  }

  /** As {@link #conform(TableSpec, Dataset, boolean)}, text dates and timestamps read as {@code parsing} says. */
  public static Dataset<Row> conform(TableSpec spec, Dataset<Row> raw, boolean fromText, TextParsing parsing) {
    List<StructField> visible = Arrays.stream(raw.schema().fields())
        .filter(f -> !f.name().startsWith(Quarantine.HIDDEN)).toList();
    Schemas.requireNoCaseDuplicates(spec.name(), visible.stream().map(StructField::name).toList());
    Map<String, StructField> present = new LinkedHashMap<>();
    visible.forEach(f -> present.put(f.name().toLowerCase(Locale.ROOT), f));
    List<String> missing = spec.columns().stream()
        .filter(c -> c.required() && !present.containsKey(c.name()))
        .map(c -> "'" + c.name() + "' (" + Schemas.sqlName(c.type()) + ")")
        .toList();
    if (!missing.isEmpty()) {
      throw new InputSchemaException("table '" + spec.name() + "': missing required column"
          + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; found " + Arrays.toString(
              present.values().stream().map(StructField::name).toArray()) + "; a source column of another name or "
          + "unit is mapped in conf: cskpi.input.tables." + spec.name() + ".columns { <column> = \"<Spark SQL "
          + "expression over the found columns>\" }");
    }
    // One projection in the source's column order: every visible column under its lower-case name (so the
    // model's columns and segment dimensions match), cast to the model's type; CSV text that fails to parse
    // is kept beside its column for the quarantine; absent optional columns are added as null at the end.
    Map<String, ColumnSpec> model = new LinkedHashMap<>();
    spec.columns().forEach(c -> model.put(c.name(), c));
    List<Column> projection = new ArrayList<>();
    List<Column> castErrors = new ArrayList<>();
    for (StructField f : raw.schema().fields()) {
      Column source = col(quoted(f.name()));
      String name = f.name().toLowerCase(Locale.ROOT);
      ColumnSpec c = model.get(name);
      if (f.name().startsWith(Quarantine.HIDDEN)) {
        projection.add(source);
      } else if (c == null) {
        // Not the data model's: kept (a segment dimension), marked so the quarantine can leave it out unless a
        // mapping reads it.
        projection.add(f.metadata().contains(Quarantine.MAPPING_READS) ? source.as(name)
            : source.as(name, new org.apache.spark.sql.types.MetadataBuilder().withMetadata(f.metadata())
                .putBoolean(Quarantine.EXTRA_SOURCE_COLUMN, true).build()));
      } else if (f.dataType().equals(c.type())) {
        projection.add(source.as(name));
      } else if (fromText && f.dataType().equals(DataTypes.StringType)) {
        Column parsed = parseText("trim(" + quoted(f.name()) + ")", c.type(), parsing);
        projection.add(source.as(Quarantine.SOURCE_PREFIX + name));
        projection.add(parsed.as(name));
        castErrors.add(when(source.isNotNull().and(parsed.isNull()),
            concat(lit(name + " '"), source, lit("' is not a " + c.type().sql()))));
      } else if (Schemas.isCompatible(f.dataType(), c.type())) {
        Column converted = source.cast(c.type());
        projection.add(converted.as(name));
        if (Schemas.isNumeric(f.dataType())) {
          // A number that the model's type cannot hold exactly (12.345 as DECIMAL(18,2), an overflow) is
          // invalid_value with the value as read, never rounded, wrapped or nulled.
          projection.add(source.as(Quarantine.SOURCE_PREFIX + name));
          castErrors.add(when(source.isNotNull().and(converted.isNull().or(converted.notEqual(source))),
              concat(lit(name + " "), source.cast("string"), lit(" does not fit " + c.type().sql() + " exactly"))));
        }
      } else {
        throw new InputSchemaException("table '" + spec.name() + "': column '" + f.name() + "' has type "
            + f.dataType().sql() + ", expected " + c.type().sql());
      }
    }
    model.values().stream().filter(c -> !present.containsKey(c.name()))
        .forEach(c -> projection.add(lit(null).cast(c.type()).as(c.name(), Quarantine.notInSource())));
    boolean mapped = Arrays.asList(raw.columns()).contains(InputMapping.MAPPING_ERRORS);
    if (!castErrors.isEmpty() || mapped) {
      Column errors = Quarantine.present(castErrors);
      projection.add((mapped ? concat(col(InputMapping.MAPPING_ERRORS), errors) : errors).as(Quarantine.CAST_ERRORS));
    }
    return raw.select(projection.toArray(Column[]::new));
  }

  private static final String ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
  private static final String ISO_TIMESTAMP =
      "^" + ISO_DATE + "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?$";

  /**
   * CSV text as the model's type, strictly: only a whole value of the documented form parses (an ISO date, an
   * ISO timestamp, or the pattern {@code parsing} gives; an integer, a plain decimal with no more places than the
   * type's scale); anything else is
   * null, so {@link #conform} reports it as invalid_value. Spark's own casts are looser: they read "2024" as
   * 2024-01-01, "2024-01-31 x" as 2024-01-31, "12.7" as the integer 12 and "12.345" as 12.35.
   */
  static Column parseText(String textSql, DataType type, TextParsing parsing) {
    Column text = expr(textSql);
    if (type.equals(DataTypes.DateType)) {
      return parsing.dateFormat() != null ? parsing.date(text)
          : when(text.rlike("^" + ISO_DATE + "$"), tryCast(textSql, type));
    }
    if (type.equals(DataTypes.TimestampType)) {
      return parsing.timestampFormat() != null ? parsing.timestamp(text)
          : when(text.rlike(ISO_TIMESTAMP), tryCast(textSql, type));
    }
    if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)) {
      return when(text.rlike("^[+-]?[0-9]+$"), tryCast(textSql, type));
    }
    if (type instanceof DecimalType d) {
      Column exact = tryCast(textSql, DataTypes.createDecimalType(38, 18));
      Column fitted = tryCast(textSql, d);
      return when(text.rlike("^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$").and(fitted.equalTo(exact)), fitted);
    }
    return tryCast(textSql, type);
  }

  private static Column tryCast(String textSql, DataType type) {
    return expr("try_cast(" + textSql + " AS " + type.sql() + ")");
  }

  /** A column name as a reference that takes dots and other characters literally. */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
