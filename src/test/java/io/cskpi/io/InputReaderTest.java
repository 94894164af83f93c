package io.cskpi.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.quality.Quarantine;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class InputReaderTest extends SparkTest {

  @Test
  void missingRequiredColumnNamesTableColumnAndType() {
    Dataset<Row> noMrr = frame("subscription_id STRING, customer_id STRING, start_date DATE, end_date DATE",
        row("S1", "A", d("2024-01-01"), null));
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> InputReader.conform(InputTables.SUBSCRIPTIONS, noMrr, false));
    assertEquals("table 'subscriptions': missing required column 'mrr' (DECIMAL(18,2)); "
        + "found [subscription_id, customer_id, start_date, end_date]", e.getMessage());
  }

  @Test
  void wrongTypeNamesTableColumnFoundAndExpected() {
    Dataset<Row> doubleMrr = frame("subscription_id STRING, customer_id STRING, start_date DATE, end_date DATE, "
        + "mrr DOUBLE", row("S1", "A", d("2024-01-01"), null, 10.0));
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> InputReader.conform(InputTables.SUBSCRIPTIONS, doubleMrr, false));
    assertEquals("table 'subscriptions': column 'mrr' has type DOUBLE, expected DECIMAL(18,2)", e.getMessage());
  }

  @Test
  void optionalColumnsAreAddedAsNullAndExtraColumnsKept() {
    Dataset<Row> minimal = frame("customer_id STRING, signup_date DATE, tier STRING",
        row("A", d("2024-01-01"), "gold"));
    Dataset<Row> conformed = InputReader.conform(InputTables.CUSTOMERS, minimal, false);
    Row r = conformed.first();
    assertNull(r.getAs("csm_owner"));
    assertEquals("gold", r.getAs("tier"));
    assertEquals(DataTypes.DateType, conformed.schema().apply("trial_end_date").dataType());
  }

  @Test
  void integerMoneyIsWidenedToDecimal() {
    Dataset<Row> intMrr = frame("subscription_id STRING, customer_id STRING, start_date DATE, end_date DATE, "
        + "mrr INT", row("S1", "A", d("2024-01-01"), null, 10));
    Dataset<Row> conformed = InputReader.conform(InputTables.SUBSCRIPTIONS, intMrr, false);
    assertEquals(m("10"), conformed.first().getAs("mrr"));
  }

  @Test
  void csvTextIsParsedAndUnparseableValuesAreKeptForTheQuarantine(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("subscriptions.csv");
    Files.writeString(csv, String.join("\n",
        "subscription_id,customer_id,plan,start_date,end_date,mrr,cancel_reason",
        "S1,A,pro,2024-01-01,,99.50,",
        "S2,A,pro,2024-13-01,,abc,price", ""));
    Location path = InputReader.locate(spark, Location.of(spark, dir.toString()), "subscriptions", "csv");
    Dataset<Row> read = InputReader.read(spark, InputTables.SUBSCRIPTIONS, path, "csv");
    List<Row> rows = read.orderBy("subscription_id").collectAsList();
    assertEquals(m("99.50"), rows.get(0).getAs("mrr"));
    assertNull(rows.get(0).getAs("end_date"));
    assertEquals(List.of(), rows.get(0).getList(rows.get(0).fieldIndex(Quarantine.CAST_ERRORS)));
    assertEquals(List.of("start_date '2024-13-01' is not a DATE", "mrr 'abc' is not a DECIMAL(18,2)"),
        rows.get(1).getList(rows.get(1).fieldIndex(Quarantine.CAST_ERRORS)));
  }

  @Test
  void missingTableNamesWhereItLooked(@TempDir Path dir) {
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> InputReader.locate(spark, Location.of(spark, dir.toString()), "customers", "delta"));
    assertEquals("input table 'customers' not found: looked for file:" + dir + "/customers (delta)", e.getMessage());
  }

  @Test
  void parquetAndDeltaTablesAreFoundAndReadByName(@TempDir Path dir) {
    Dataset<Row> customers = frame("customer_id STRING, signup_date DATE, tier STRING",
        row("A", d("2024-01-01"), "gold"), row("B", d("2024-02-01"), null));
    customers.write().parquet(dir.resolve("p").resolve("customers").toString());
    customers.write().format("delta").save(dir.resolve("d").resolve("customers").toString());
    for (String format : List.of("parquet", "delta")) {
      Location path = InputReader.locate(spark, Location.of(spark, dir.resolve(format.substring(0, 1)).toString()),
          "customers", format);
      Dataset<Row> read = InputReader.read(spark, InputTables.CUSTOMERS, path, format);
      assertEquals(2, read.count(), format);
      assertEquals("gold", read.filter("customer_id = 'A'").first().getAs("tier"), format);
    }
  }
}
