package io.cskpi.family;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A family's computed result tables, by declared table. */
public final class Results {
  private final Map<ResultTable, Dataset<Row>> tables = new LinkedHashMap<>();

  public static Results of(ResultTable table, Dataset<Row> rows) {
    return new Results().and(table, rows);
  }

  public Results and(ResultTable table, Dataset<Row> rows) {
    if (tables.putIfAbsent(table, rows) != null) {
      throw new IllegalArgumentException("result table " + table.name() + " given twice");
    }
    return this;
  }

  public Map<ResultTable, Dataset<Row>> tables() {
    return Collections.unmodifiableMap(tables);
  }

  public Dataset<Row> get(ResultTable table) {
    return tables.get(table);
  }
}
