package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import io.cskpi.family.ResultColumn;
import io.cskpi.family.ResultTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.List;

/**
 * A result must match its declared schema exactly before it is written: the same columns, in the same order,
 * of the same types. A drift fails the run (and every test that computes the family), never a BI dashboard
 * that reads the table. Declared nullability is a contract on the data: a column declared never null fails the
 * write on its first null row, naming table and column (checked as rows are written, no extra Spark job).
 */
public final class ResultSchemas {
  private ResultSchemas() {}

  /** Thrown when a family's result differs from its declaration. */
  public static final class DriftException extends IllegalStateException {
    public DriftException(String message) {
      super(message);
    }
  }

  /** The differences between {@code rows} and the declaration; empty when they match exactly. */
  public static List<String> differences(ResultTable table, List<String> segments, Dataset<Row> rows) {
    List<ResultColumn> declared = table.columns(segments);
    StructField[] actual = rows.schema().fields();
    List<String> out = new ArrayList<>();
    List<String> declaredNames = declared.stream().map(ResultColumn::name).toList();
    List<String> actualNames = java.util.Arrays.stream(actual).map(StructField::name).toList();
    declaredNames.stream().filter(c -> !actualNames.contains(c)).forEach(c -> out.add("missing column " + c));
    actualNames.stream().filter(c -> !declaredNames.contains(c)).forEach(c -> out.add("undeclared column " + c));
    if (out.isEmpty() && !declaredNames.equals(actualNames)) {
      out.add("columns in the order " + actualNames + ", declared " + declaredNames);
    }
    for (ResultColumn c : declared) {
      for (StructField f : actual) {
        if (f.name().equals(c.name()) && !f.dataType().equals(c.type())) {
          out.add("column " + c.name() + " is " + f.dataType().sql() + ", declared " + c.type().sql());
        }
      }
    }
    return out;
  }

  /**
   * The result, checked against its declaration; columns declared never null raise an error on a null row when
   * the table is written.
   */
  public static Dataset<Row> conform(ResultTable table, List<String> segments, Dataset<Row> rows) {
    List<String> drift = differences(table, segments, rows);
    if (!drift.isEmpty()) {
      throw new DriftException("result table " + table.name() + " does not match its declaration: "
          + String.join("; ", drift));
    }
    StructField[] fields = rows.schema().fields();
    List<ResultColumn> declared = table.columns(segments);
    Column[] columns = new Column[declared.size()];
    boolean guarded = false;
    for (int i = 0; i < columns.length; i++) {
      ResultColumn c = declared.get(i);
      columns[i] = col(c.name());
      if (!c.nullable() && fields[i].nullable()) {
        columns[i] = when(col(c.name()).isNull(), raise_error(lit("result table " + table.name() + ": column "
            + c.name() + " is declared never null but a row has null"))).otherwise(col(c.name())).as(c.name());
        guarded = true;
      }
    }
    return guarded ? rows.select(columns) : rows;
  }
}
