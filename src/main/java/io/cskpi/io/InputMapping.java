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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A company's export onto the data model, from conf {@code cskpi.input.tables.<table>}: {@code where} keeps the
 * rows to read, {@code columns} gives a canonical column as a Spark SQL expression over the source's columns. A
 * canonical column not named there is read from the source column of the same name. Every expression is
 * checked before any compute (a missing source column, a syntax error, a type that cannot become the canonical
 * type is an error naming table, column, expression and the source's columns); a row whose expression gives no
 * value from values that are there is kept for the quarantine with the source row, never a silent null.
 *
 * @param columns canonical column → expression (sorted by column: HOCON keeps no key order)
 * @param where   a filter over the source columns, or null
 */
public record InputMapping(Map<String, String> columns, String where) {
  /** Reasons a mapped value failed, for the quarantine (merged into the cast errors by the reader). */
  public static final String MAPPING_ERRORS = Quarantine.HIDDEN + "mapping_errors";

  public static final InputMapping NONE = new InputMapping(Map.of(), null);

  public boolean isEmpty() {
    return columns.isEmpty() && where == null;
  }

  /** The source rows as the data model's columns (extra source columns kept), ready for the reader's checks. */
  public Dataset<Row> apply(TableSpec spec, Dataset<Row> source, TextParsing parsing) {
    if (isEmpty()) {
      return source;
    }
    List<String> available = Arrays.stream(source.columns()).filter(c -> !c.startsWith(Quarantine.HIDDEN)).toList();
    Dataset<Row> rows = source;
    java.util.Set<String> reads = new java.util.HashSet<>();
    if (where != null) {
      Dataset<Row> filtered = analyse(spec, "where", where, available, () -> source.filter(expr(where)));
      scala.collection.Iterator<Attribute> it = ((org.apache.spark.sql.catalyst.plans.logical.Filter)
          filtered.queryExecution().analyzed()).condition().references().iterator();
      // A header or malformed line is never filtered away: the one is not a row, the other goes to the quarantine.
      Column keep = expr(where);
      List<String> hidden = Arrays.asList(source.columns());
      if (hidden.contains(Quarantine.HEADER_LINE)) {
        keep = keep.or(col(Quarantine.HEADER_LINE));
      }
      if (hidden.contains(Quarantine.MALFORMED_LINE)) {
        keep = keep.or(col(Quarantine.MALFORMED_LINE).isNotNull());
      }
      rows = source.filter(keep);
      while (it.hasNext()) {
        reads.add(it.next().name());
      }
    }
    Map<String, ColumnSpec> model = new LinkedHashMap<>();
    spec.columns().forEach(c -> model.put(c.name(), c));
    List<Column> mapped = new ArrayList<>();
    List<Column> errors = new ArrayList<>();
    for (Map.Entry<String, String> m : columns.entrySet()) {
      String name = m.getKey().toLowerCase(Locale.ROOT);
      ColumnSpec target = model.get(name);
      if (target == null) {
        throw new InputSchemaException("table '" + spec.name() + "': cskpi.input.tables." + spec.name() + ".columns."
            + m.getKey() + " is not a column of the data model; its columns are " + model.keySet());
      }
      Dataset<Row> probe = source;
      Dataset<Row> projected = analyse(spec, "columns." + name, m.getValue(), available,
          () -> probe.select(expr(m.getValue())));
      // One projection right over the source, or the expression changes the rows (aggregate, window, generator).
      if (!(projected.queryExecution().analyzed() instanceof org.apache.spark.sql.catalyst.plans.logical.Project p
          && p.child().sameResult(probe.queryExecution().analyzed()))) {
        throw mistake(spec, "columns." + name, m.getValue(), "must give one value per source row: no aggregate "
            + "(sum, count, ...), window (... OVER ...) or generator (explode, ...) function", available);
      }
      if (expr(m.getValue()).expr() instanceof org.apache.spark.sql.catalyst.expressions.Alias) {
        throw mistake(spec, "columns." + name, m.getValue(), "has an alias (AS ...): the key names the column",
            available);
      }
      DataType type = projected.schema().fields()[0].dataType();
      Column value = expr(m.getValue());
      Column converted = convert(spec, name, m.getValue(), value, type, target.type(), parsing, available);
      List<String> read = referenced(projected);
      reads.addAll(read);
      // A value the expression gave that does not become the column's type is always an error. No value at all
      // from source values that are all there is one too, unless the expression says null on purpose (nullif,
      // THEN NULL, ELSE NULL, NULL).
      Column failed = value.isNotNull().and(converted.isNull());
      if (!NULL_ON_PURPOSE.matcher(m.getValue()).find()) {
        Column allPresent = lit(!read.isEmpty());
        for (String r : read) {
          allPresent = allPresent.and(col(InputReader.quoted(r)).isNotNull());
        }
        failed = failed.or(allPresent.and(value.isNull()));
      }
      String shown = name + ": " + m.getValue().strip().replaceAll("\\s+", " ") + " gives no " + target.type().sql();
      errors.add(when(failed, concat(lit(shown), when(value.isNull(), lit(" for this row"))
          .otherwise(concat(lit(" from '"), value.cast("string"), lit("'"))))));
      mapped.add(converted.as(name, Quarantine.notInSource()));
    }
    List<Column> projection = new ArrayList<>();
    for (String c : rows.columns()) {
      boolean replaced = columns.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(c));
      // A source column a mapped one replaces stays, hidden, for the quarantine's row as read.
      Column column = col(InputReader.quoted(c));
      if (replaced) {
        projection.add(column.as(Quarantine.RAW_PREFIX + c));
      } else if (reads.contains(c)) {   // kept in the quarantine's row as read: the mapping's evidence
        projection.add(column.as(c, new org.apache.spark.sql.types.MetadataBuilder()
            .putBoolean(Quarantine.MAPPING_READS, true).build()));
      } else {
        projection.add(column);
      }
    }
    projection.addAll(mapped);
    if (!errors.isEmpty()) {
      projection.add(Quarantine.present(errors).as(MAPPING_ERRORS));
    }
    return rows.select(projection.toArray(Column[]::new));
  }

  /** An expression that gives null on purpose: then only a value that does not convert is an error. */
  private static final java.util.regex.Pattern NULL_ON_PURPOSE = java.util.regex.Pattern.compile(
      "(?i)\\bnullif\\s*\\(|\\b(then|else)\\s+null\\b|^\\s*(cast\\s*\\(\\s*)?null\\b");

  /** The mapped value as the canonical type, or an error before any compute when it cannot become it. */
  private static Column convert(TableSpec spec, String name, String expression, Column value, DataType type,
      DataType target, TextParsing parsing, List<String> available) {
    if (type.equals(target)) {
      return value;
    }
    if (type.equals(DataTypes.StringType)) {
      // In parentheses and on its own line, so that a trailing -- comment cannot swallow the rest.
      return InputReader.parseText("trim((" + expression + "\n))", target, parsing);
    }
    if ((type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType))
        && target instanceof org.apache.spark.sql.types.DecimalType d) {
      // Arithmetic on text (CSV) or floating columns runs in double: 1990 / 100 * 3 is 59.699999999999996.
      // Rounded to the column's scale when within floating-point noise of it; 12.345 stays an error.
      Column rounded = org.apache.spark.sql.functions.round(value, d.scale()).cast(d);
      Column noise = org.apache.spark.sql.functions.abs(value.minus(rounded.cast(DataTypes.DoubleType)));
      return when(noise.leq(org.apache.spark.sql.functions.greatest(lit(1.0),
          org.apache.spark.sql.functions.abs(value)).multiply(1e-9)), rounded);
    }
    if (type instanceof org.apache.spark.sql.types.NumericType && target instanceof org.apache.spark.sql.types.NumericType) {
      Column cast = value.cast(target);
      // Exactly or not at all: 12.345 as DECIMAL(18,2) is no value (and so quarantined), never 12.35.
      return when(cast.equalTo(value), cast);
    }
    if (Schemas.isCompatible(type, target)) {
      return value.cast(target);
    }
    throw mistake(spec, "columns." + name, expression, "gives " + type.sql() + ", which cannot become "
        + target.sql(), available);
  }

  private static Dataset<Row> analyse(TableSpec spec, String key, String expression, List<String> available,
      java.util.function.Supplier<Dataset<Row>> plan) {
    try {
      Dataset<Row> analysed = plan.get();
      analysed.queryExecution().assertAnalyzed();
      return analysed;
    } catch (Exception e) {
      String reason = e.getMessage() == null ? e.toString() : java.util.Arrays.stream(e.getMessage().split("\n"))
          .map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(e.toString());
      throw mistake(spec, key, expression, "cannot be read: " + reason, available);
    }
  }

  /** A mistake in the mapping: table, setting, expression, what is wrong and the source columns available. */
  private static InputSchemaException mistake(TableSpec spec, String key, String expression, String problem,
      List<String> available) {
    return new InputSchemaException("table '" + spec.name() + "': cskpi.input.tables." + spec.name() + "." + key
        + " = \"" + expression + "\" " + problem + "; the source columns are " + available);
  }

  /** The source columns an analysed one-column projection reads. */
  private static List<String> referenced(Dataset<Row> projected) {
    List<String> names = new ArrayList<>();
    scala.collection.Iterator<Attribute> it = projected.queryExecution().analyzed().references().iterator();
    while (it.hasNext()) {
      names.add(it.next().name());
    }
    return names;
  }
}
