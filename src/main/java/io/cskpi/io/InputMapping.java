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
 * @param columns canonical column → expression, in conf order
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
      rows = analyse(spec, "where", where, available, () -> source.filter(expr(where)));
      scala.collection.Iterator<Attribute> it = ((org.apache.spark.sql.catalyst.plans.logical.Filter)
          rows.queryExecution().analyzed()).condition().references().iterator();
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
        throw new InputSchemaException("table '" + spec.name() + "': cskpi.input.tables." + spec.name() + ".columns."
            + name + " = \"" + m.getValue() + "\" must give one value per source row: no aggregate (sum, count, "
            + "...), window (... OVER ...) or generator (explode, ...) function");
      }
      DataType type = projected.schema().fields()[0].dataType();
      Column value = expr(m.getValue());
      Column converted = convert(spec, name, m.getValue(), value, type, target.type(), parsing);
      // No value although every source column it reads has one: the expression could not convert the row.
      List<String> read = referenced(projected);
      reads.addAll(read);
      Column allPresent = lit(!read.isEmpty());
      for (String r : read) {
        allPresent = allPresent.and(col(InputReader.quoted(r)).isNotNull());
      }
      errors.add(when(allPresent.and(converted.isNull()), lit(name + ": " + m.getValue() + " gives no "
          + target.type().sql() + " for this row")));
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
      projection.add(filter(array(errors.toArray(Column[]::new)), x -> x.isNotNull()).as(MAPPING_ERRORS));
    }
    return rows.select(projection.toArray(Column[]::new));
  }

  /** The mapped value as the canonical type, or an error before any compute when it cannot become it. */
  private static Column convert(TableSpec spec, String name, String expression, Column value, DataType type,
      DataType target, TextParsing parsing) {
    if (type.equals(target)) {
      return value;
    }
    if (type.equals(DataTypes.StringType)) {
      return InputReader.parseText("trim(" + expression + ")", target, parsing);
    }
    if (type instanceof org.apache.spark.sql.types.NumericType && target instanceof org.apache.spark.sql.types.NumericType) {
      Column cast = value.cast(target);
      // Exactly or not at all: 12.345 as DECIMAL(18,2) is no value (and so quarantined), never 12.35.
      return when(cast.equalTo(value), cast);
    }
    if (Schemas.isCompatible(type, target)) {
      return value.cast(target);
    }
    throw new InputSchemaException("table '" + spec.name() + "': cskpi.input.tables." + spec.name() + ".columns."
        + name + " = \"" + expression + "\" gives " + type.sql() + ", which cannot become " + target.sql());
  }

  private static Dataset<Row> analyse(TableSpec spec, String key, String expression, List<String> available,
      java.util.function.Supplier<Dataset<Row>> plan) {
    try {
      Dataset<Row> analysed = plan.get();
      analysed.queryExecution().assertAnalyzed();
      return analysed;
    } catch (Exception e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw new InputSchemaException("table '" + spec.name() + "': cskpi.input.tables." + spec.name() + "." + key
          + " = \"" + expression + "\" cannot be read: " + reason + "; the source columns are " + available);
    }
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
