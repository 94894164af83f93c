package io.cskpi.io;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

import java.util.Arrays;
import java.util.List;

/**
 * Writes result tables as Delta. A run replaces the whole table, so a rerun for the same as-of date never
 * duplicates rows; every column carries its KPI catalog definition as its comment for BI tools.
 */
public final class DeltaOutput {
  private DeltaOutput() {}

  public static void replace(Dataset<Row> df, Location table, List<String> partitionColumns) {
    var writer = df.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true");
    if (!partitionColumns.isEmpty()) {
      // One shuffle so each partition directory gets one file per task instead of one per shuffle partition.
      Column[] parts = partitionColumns.stream().map(c -> col(c)).toArray(Column[]::new);
      writer = df.repartition(parts).write().format("delta").mode(SaveMode.Overwrite)
          .option("overwriteSchema", "true").partitionBy(partitionColumns.toArray(String[]::new));
    }
    writer.save(table.toString());
  }

  /** Sets the table's description (its Delta comment, shown by DESCRIBE DETAIL and catalog browsers). */
  public static void describe(org.apache.spark.sql.SparkSession spark, Location table, String description) {
    spark.sql("ALTER TABLE " + table.deltaIdentifier() + " SET TBLPROPERTIES ('comment' = '"
        + description.replace("\\", "\\\\").replace("'", "\\'") + "')");
  }

  /** Adds each column's definition as its comment (the column's Delta metadata, shown by BI tools). */
  public static Dataset<Row> withComments(Dataset<Row> df, java.util.Map<String, String> definitions) {
    Column[] described = Arrays.stream(df.columns()).map(c -> {
      String definition = definitions.get(c);
      if (definition == null) {
        return col(c);
      }
      Metadata comment = new MetadataBuilder().putString("comment", definition).build();
      return col(c).as(c, comment);
    }).toArray(Column[]::new);
    return df.select(described);
  }
}
