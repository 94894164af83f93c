package io.cskpi.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.ColumnSpec;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The rules every input table gets from its spec: no null in non-nullable columns, a unique key. */
public final class InputChecks {
  private InputChecks() {}

  private static final String KEY_RANK = Quarantine.HIDDEN + "key_rank";

  /** Rules from the spec: null_&lt;column&gt; per non-nullable column (duplicate_key is derived in {@link #check}). */
  public static List<RowRule> specRules(TableSpec spec) {
    List<RowRule> rules = new ArrayList<>();
    for (ColumnSpec c : spec.columns()) {
      if (!c.nullable()) {
        rules.add(RowRule.notNull(spec.name(), c.name()));
      }
    }
    return rules;
  }

  static String duplicateDescription(TableSpec spec) {
    return spec.keyColumn() + " must be unique; of the rows sharing a key, one that breaks no other rule is kept "
        + "(the first by content when several do)";
  }

  /**
   * Adds {@link Quarantine#VIOLATIONS}: the rules each row breaks, and duplicate_key for every row of a
   * repeated key but one. Validity comes before de-duplication: the row kept for a key is one that breaks no
   * other rule, so an invalid copy can never push out a valid row; among several valid rows (or several
   * invalid ones) the first in the order of its columns' values (column by column) is kept, the same row on every rerun
   * whatever the order of the files.
   */
  public static Dataset<Row> check(TableSpec spec, Dataset<Row> conformed, List<RowRule> rules) {
    Dataset<Row> judged = Quarantine.withViolations(conformed, rules);
    if (spec.keyColumn() == null) {
      return judged;
    }
    Column key = col(spec.keyColumn());
    Column[] visible = Arrays.stream(conformed.columns()).filter(c -> !c.startsWith(Quarantine.HIDDEN))
        .map(c -> col(c)).toArray(Column[]::new);
    Column violations = col(Quarantine.VIOLATIONS);
    Column invalidFirst = size(violations).gt(0);   // false (valid) sorts first
    // Then by content, column by column (no JSON text of every row); a column Spark cannot sort (a map, or a
    // struct or array holding one, which an extra source column may be) by its JSON text.
    List<Column> order = new ArrayList<>(List.of(invalidFirst));
    for (org.apache.spark.sql.types.StructField f : conformed.schema().fields()) {
      if (!f.name().startsWith(Quarantine.HIDDEN)) {
        order.add(org.apache.spark.sql.catalyst.expressions.RowOrdering$.MODULE$.isOrderable(f.dataType())
            ? col(f.name()) : org.apache.spark.sql.functions.to_json(col(f.name())));
      }
    }
    if (Arrays.asList(judged.columns()).contains(Quarantine.SOURCE_FILE)) {
      order.add(col(Quarantine.SOURCE_FILE));   // exact copies in two files: the same one is kept every time
    }
    return judged
        .withColumn(KEY_RANK, row_number().over(Window.partitionBy(key).orderBy(order.toArray(Column[]::new))))
        // A malformed CSV line's key is not trustworthy: it breaks malformed_record only. Header lines are no rows.
        .withColumn(Quarantine.VIOLATIONS, when(key.isNotNull().and(col(KEY_RANK).gt(1))
                .and(array_contains(violations, Quarantine.MALFORMED_RECORD).unary_$bang())
                .and(Quarantine.isRow(judged)),
            concat(violations, array(lit(Quarantine.DUPLICATE_KEY)))).otherwise(violations))
        .drop(KEY_RANK);
  }
}
