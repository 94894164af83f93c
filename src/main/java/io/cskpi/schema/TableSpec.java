package io.cskpi.schema;

import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Optional;

/** One input table of the canonical model: its name, key column and columns. */
public record TableSpec(String name, String keyColumn, String meaning, List<ColumnSpec> columns) {

  public Optional<ColumnSpec> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  /** The canonical columns as a schema, in declared order. */
  public StructType schema() {
    StructType s = new StructType();
    for (ColumnSpec c : columns) {
      s = s.add(new StructField(c.name(), c.type(), true, org.apache.spark.sql.types.Metadata.empty()));
    }
    return s;
  }
}
