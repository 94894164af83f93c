package io.cskpi.quality;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;

/**
 * A rule every row of {@code table} must keep. {@code violated} is true for a bad row; a null result counts
 * as kept, so write rules that handle nulls explicitly. {@code notNullColumn} is set for the rule "this column
 * must not be null" only: a CSV value that failed to parse is then invalid_value, not also null.
 */
public record RowRule(String table, String name, String description, Column violated, String notNullColumn) {
  public RowRule(String table, String name, String description, Column violated) {
    this(table, name, description, violated, null);
  }

  /** null_&lt;column&gt;: the column must not be null. */
  public static RowRule notNull(String table, String column) {
    return new RowRule(table, "null_" + column, column + " must not be null", col(column).isNull(), column);
  }
}
