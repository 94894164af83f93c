package io.cskpi.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;

import io.cskpi.schema.InputSchemaException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads any transaction file into customer_id, purchase_date, amount: CSV with any delimiter (or runs of
 * whitespace, as in CDNOW_sample.txt), with or without a header, or Parquet/Delta. Without a header the
 * columns are named by their 1-based position ("1", "2", ...). An optional SQL condition on the file's own
 * columns keeps only matching rows (e.g. {@code kind != 'refund'}).
 */
public final class TransactionFile {
  private TransactionFile() {}

  public record Layout(String format, String delimiter, boolean header, String customerCol, String dateCol,
      String dateFormat, String amountCol, String where) {}

  public static Dataset<Row> read(SparkSession spark, Location location, Layout layout) {
    if (!location.exists(spark)) {
      throw new InputSchemaException("transaction file not found: " + location);
    }
    String path = location.toString();
    Dataset<Row> raw = TableFormat.of(layout.format()).read(spark, location, csv -> layout.delimiter()
        .equals("whitespace") ? readWhitespace(spark, path, layout.header())
        : positional(spark.read().option("header", layout.header()).option("sep", layout.delimiter()).csv(path),
            layout.header()));
    for (String c : List.of(layout.customerCol(), layout.dateCol(), layout.amountCol())) {
      if (!Arrays.asList(raw.columns()).contains(c)) {
        throw new InputSchemaException("transaction file " + path + ": no column '" + c + "'; columns are "
            + Arrays.toString(raw.columns()) + (layout.header() ? "" : " (1-based positions: no header)"));
      }
    }
    if (layout.where() != null) {
      raw = raw.filter(layout.where());
    }
    Column date = layout.dateFormat() == null
        ? expr("try_cast(trim(cast(`" + layout.dateCol() + "` AS STRING)) AS DATE)")
        : to_date(trim(col(layout.dateCol()).cast("string")), layout.dateFormat());
    return raw.select(col(layout.customerCol()).cast("string").as("customer_id"), date.as("purchase_date"),
        expr("try_cast(`" + layout.amountCol() + "` AS DOUBLE)").as("amount"));
  }

  private static Dataset<Row> readWhitespace(SparkSession spark, String path, boolean header) {
    Dataset<Row> lines = spark.read().text(path).filter(trim(col("value")).notEqual(""));
    Dataset<Row> fields = lines.select(split(trim(col("value")), "\\s+").as("f"));
    Row first = fields.first();
    List<String> names = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    List<String> values = first.getList(0);
    for (int i = 0; i < values.size(); i++) {
      String name = header ? values.get(i) : Integer.toString(i + 1);
      names.add(name);
      cols.add(col("f").getItem(i).as(name));
    }
    Dataset<Row> table = fields.select(cols.toArray(Column[]::new));
    if (header) {
      // Drop the header line itself (same text in every column).
      Column isHeader = null;
      for (String n : names) {
        Column c = col(n).equalTo(n);
        isHeader = isHeader == null ? c : isHeader.and(c);
      }
      table = table.filter(org.apache.spark.sql.functions.not(isHeader));
    }
    return table;
  }

  private static Dataset<Row> positional(Dataset<Row> df, boolean header) {
    if (header) {
      return df;
    }
    String[] names = new String[df.columns().length];
    for (int i = 0; i < names.length; i++) {
      names[i] = Integer.toString(i + 1);
    }
    return df.toDF(names);
  }
}
