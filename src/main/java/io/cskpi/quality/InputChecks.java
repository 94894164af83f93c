package io.cskpi.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.cskpi.schema.ColumnSpec;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The rules every input table gets from its spec: no null in non-nullable columns, a unique key. */
public final class InputChecks {
  private InputChecks() {}

  public static final String DUPLICATE = "_duplicate_key";

  /** Rules from the spec: null_value per non-nullable column, duplicate_key for the key column. */
  public static List<RowRule> specRules(TableSpec spec) {
    List<RowRule> rules = new ArrayList<>();
    for (ColumnSpec c : spec.columns()) {
      if (!c.nullable()) {
        rules.add(new RowRule(spec.name(), "null_" + c.name(), c.name() + " must not be null",
            col(c.name()).isNull()));
      }
    }
    if (spec.keyColumn() != null) {
      rules.add(new RowRule(spec.name(), "duplicate_key",
          spec.keyColumn() + " must be unique; the first row (by content) is kept", col(DUPLICATE)));
    }
    return rules;
  }

  /**
   * Adds the hidden {@link #DUPLICATE} flag (every row of a repeated key but one, chosen by content so reruns
   * agree) and {@link Quarantine#VIOLATIONS} for {@code rules}.
   */
  public static Dataset<Row> check(TableSpec spec, Dataset<Row> conformed, List<RowRule> rules) {
    Dataset<Row> flagged = conformed;
    if (spec.keyColumn() != null) {
      Column key = col(spec.keyColumn());
      Column[] visible = Arrays.stream(conformed.columns()).filter(c -> !c.startsWith("_"))
          .map(c -> col(c)).toArray(Column[]::new);
      WindowSpec byKey = Window.partitionBy(key);
      flagged = flagged
          .withColumn("_key_rows", count(lit(1)).over(byKey))
          .withColumn("_key_rank", row_number().over(byKey.orderBy(to_json(struct(visible)))))
          .withColumn(DUPLICATE, key.isNotNull().and(col("_key_rows").gt(1)).and(col("_key_rank").gt(1)))
          .drop("_key_rows", "_key_rank");
    }
    return Quarantine.withViolations(flagged, rules);
  }
}
