package io.cskpi.kpi;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Segments: every *_monthly result is reported for dimension {@code all} (segment {@code all}) and for each
 * configured customers column, where a null value is the segment {@code unknown}.
 */
public final class Segments {
  private Segments() {}

  public static final String ALL = "all";
  public static final String UNKNOWN = "unknown";

  /** Adds the customer's segment columns (as strings, null = unknown) by customer_id. */
  public static Dataset<Row> withCustomerSegments(Dataset<Row> rows, Dataset<Row> customers, List<String> dims) {
    Schemas.requireColumns(rows, "customer_id");
    Schemas.requireColumns(customers, "customer_id");
    Schemas.requireColumns(customers, dims.toArray(String[]::new));
    List<Column> segs = new ArrayList<>();
    segs.add(col("customer_id"));
    for (String d : dims) {
      segs.add(col(d).cast("string").as(d));
    }
    Dataset<Row> customerSegments = customers.select(segs.toArray(Column[]::new));
    Dataset<Row> joined = rows.drop(dims.toArray(String[]::new)).join(customerSegments, "customer_id", "left");
    for (String d : dims) {
      joined = joined.withColumn(d, coalesce(col(d), lit(UNKNOWN)));
    }
    return joined;
  }

  /**
   * Repeats each row once for {@code all} and once per dimension, adding columns {@code dimension} and
   * {@code segment}, so one groupBy(period, dimension, segment) computes every breakdown in one pass.
   */
  public static Dataset<Row> explodeDimensions(Dataset<Row> rows, List<String> dims) {
    Schemas.requireColumns(rows, dims.toArray(String[]::new));
    List<Column> pairs = new ArrayList<>();
    pairs.add(struct(lit(ALL).as("dimension"), lit(ALL).as("segment")));
    for (String d : dims) {
      pairs.add(struct(lit(d).as("dimension"), coalesce(col(d).cast("string"), lit(UNKNOWN)).as("segment")));
    }
    return rows
        .withColumn("_dim", explode(array(pairs.toArray(Column[]::new))))
        .withColumn("dimension", col("_dim.dimension"))
        .withColumn("segment", col("_dim.segment"))
        .drop("_dim");
  }
}
