package io.cskpi.schema;

import org.apache.spark.sql.types.DataType;

/**
 * One column of the canonical input model. A required column must be present; an optional one is added as
 * null when absent. A non-nullable column's nulls are quarantined (rule null_value).
 */
public record ColumnSpec(String name, DataType type, boolean required, boolean nullable, String meaning) {
  /** Must be present and non-null. */
  public static ColumnSpec required(String name, DataType type, String meaning) {
    return new ColumnSpec(name, type, true, false, meaning);
  }

  /** Must be present; null has a meaning. */
  public static ColumnSpec requiredNullable(String name, DataType type, String meaning) {
    return new ColumnSpec(name, type, true, true, meaning);
  }

  /** May be absent (then all null). */
  public static ColumnSpec optional(String name, DataType type, String meaning) {
    return new ColumnSpec(name, type, false, true, meaning);
  }
}
