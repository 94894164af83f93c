package io.cskpi.io;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.util.List;

/** Writes result tables as Delta. A run replaces the whole table: results are a function of the as-of date. */
public final class DeltaOutput {
  private DeltaOutput() {}

  public static void replace(Dataset<Row> df, String path, List<String> partitionColumns) {
    var writer = df.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true");
    if (!partitionColumns.isEmpty()) {
      writer = writer.partitionBy(partitionColumns.toArray(String[]::new));
    }
    writer.save(path);
  }
}
