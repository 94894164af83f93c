package io.cskpi.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an input into rows that keep every rule and rows that break one. Bad rows are never dropped: they
 * become quarantine rows (table_name, rule, rule_description, raw_row as JSON), one per broken rule.
 */
public final class Quarantine {
  private Quarantine() {}

  /** Hidden column: names of the rules a row breaks (empty = clean). */
  public static final String VIOLATIONS = "_violations";
  /** Hidden column prefix: the source text of a column that was cast from CSV text. */
  public static final String SOURCE_PREFIX = "_src_";
  /** Hidden column: messages of values that could not be cast to their column's type. */
  public static final String CAST_ERRORS = "_cast_errors";

  /** Adds {@link #VIOLATIONS}; cast errors from {@link #CAST_ERRORS} count as the rule invalid_value. */
  public static Dataset<Row> withViolations(Dataset<Row> rows, List<RowRule> rules) {
    List<Column> names = new ArrayList<>();
    for (RowRule r : rules) {
      names.add(when(r.violated(), lit(r.name())));
    }
    Column broken = filter(names.isEmpty() ? array().cast("array<string>") : array(names.toArray(Column[]::new)),
        x -> x.isNotNull());
    if (Arrays.asList(rows.columns()).contains(CAST_ERRORS)) {
      broken = concat(when(size(col(CAST_ERRORS)).gt(0), array(lit("invalid_value")))
          .otherwise(array().cast("array<string>")), broken);
    }
    return rows.withColumn(VIOLATIONS, broken);
  }

  /** The rows that keep every rule, without the hidden columns. */
  public static Dataset<Row> clean(Dataset<Row> checked) {
    return dropHidden(checked.filter(size(col(VIOLATIONS)).equalTo(0)));
  }

  /** One quarantine row per broken rule, with the row as read (CSV text where a value failed to cast). */
  public static Dataset<Row> rejected(String table, Dataset<Row> checked, List<RowRule> rules) {
    List<Column> raw = new ArrayList<>();
    List<String> cols = Arrays.asList(checked.columns());
    for (String c : cols) {
      if (c.startsWith("_")) {
        continue;
      }
      String src = SOURCE_PREFIX + c;
      raw.add((cols.contains(src) ? col(src) : col(c)).as(c));
    }
    Column description = lit("value cannot be read as the column's type");
    for (RowRule r : rules) {
      description = when(col("rule").equalTo(r.name()), lit(r.description())).otherwise(description);
    }
    Column castDetail = cols.contains(CAST_ERRORS)
        ? concat(lit("invalid value: "), array_join(col(CAST_ERRORS), "; "))
        : lit(null).cast("string");
    return checked
        .filter(size(col(VIOLATIONS)).gt(0))
        .select(explode(col(VIOLATIONS)).as("rule"), castDetail.as("_cast_detail"),
            to_json(struct(raw.toArray(Column[]::new))).as("raw_row"))
        .select(lit(table).as("table_name"), col("rule"),
            when(col("rule").equalTo("invalid_value"), col("_cast_detail")).otherwise(description)
                .as("rule_description"),
            col("raw_row"));
  }

  public static Dataset<Row> dropHidden(Dataset<Row> df) {
    return df.drop(Arrays.stream(df.columns()).filter(c -> c.startsWith("_")).toArray(String[]::new));
  }
}
