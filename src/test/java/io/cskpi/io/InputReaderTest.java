package io.cskpi.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.quality.InputChecks;
import io.cskpi.quality.Quarantine;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
        + "found [subscription_id, customer_id, start_date, end_date]; a source column of another name or unit is "
        + "mapped in conf: cskpi.input.tables.subscriptions.columns { <column> = \"<Spark SQL expression over the "
        + "found columns>\" }", e.getMessage());
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
    Location path = InputReader.locate(spark, Location.of(spark, dir.toString()), "subscriptions", TableFormat.CSV);
    Dataset<Row> read = rows(InputReader.read(spark, InputTables.SUBSCRIPTIONS, path, TableFormat.CSV));
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
        () -> InputReader.locate(spark, Location.of(spark, dir.toString()), "customers", TableFormat.DELTA));
    assertEquals("input table 'customers' not found: looked for file:" + dir + "/customers (delta)", e.getMessage());
  }

  @Test
  void parquetAndDeltaTablesAreFoundAndReadByName(@TempDir Path dir) {
    Dataset<Row> customers = frame("customer_id STRING, signup_date DATE, tier STRING",
        row("A", d("2024-01-01"), "gold"), row("B", d("2024-02-01"), null));
    customers.write().parquet(dir.resolve("p").resolve("customers").toString());
    customers.write().format("delta").save(dir.resolve("d").resolve("customers").toString());
    for (TableFormat format : List.of(TableFormat.PARQUET, TableFormat.DELTA)) {
      Location path = InputReader.locate(spark, Location.of(spark, dir.resolve(format.toString().substring(0, 1)).toString()),
          "customers", format);
      Dataset<Row> read = InputReader.read(spark, InputTables.CUSTOMERS, path, format);
      assertEquals(2, read.count(), format.toString());
      assertEquals("gold", read.filter("customer_id = 'A'").first().getAs("tier"), format.toString());
    }
  }

  @Test
  void csvStructureErrorsAreMalformedRecordsWithTheFileAndTheLine(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("subscriptions.csv");
    Files.writeString(csv, String.join("\n",
        "\uFEFFsubscription_id,customer_id,plan,start_date,end_date,mrr,cancel_reason",   // byte-order mark
        "S1,A,pro,2024-01-01,,99.50,",
        "S2,A,pro,2024-01-01,,10.00",                         // one field short: never padded with null
        "S3,A,pro,2024-01-01,,10.00,price,extra",             // one field too many: never truncated
        "S4,A,pro,2024-01-01,,10.00,\"price",                 // unclosed quote at the line's end
        "S5,A,\"pro,2024-01-01,,10.00,price",                 // unclosed quote swallowing the rest
        "",                                                   // a blank line is not a row
        "S6,A,pro,2024-01-01,,10.00,\"said \"\"too expensive\"\", then left\"",   // RFC 4180 quoting
        "S7,A,pro,2024-01-01,,10.00,\"\"", ""));
    Dataset<Row> read = rows(InputReader.read(spark, InputTables.SUBSCRIPTIONS, Location.of(spark, csv.toString()),
        TableFormat.CSV));
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS, read,
        InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    List<Row> bad = Quarantine.rejected(InputTables.SUBSCRIPTIONS, checked, List.of()).orderBy("raw_line")
        .collectAsList();
    assertEquals(List.of("S2,A,pro,2024-01-01,,10.00", "S3,A,pro,2024-01-01,,10.00,price,extra",
            "S4,A,pro,2024-01-01,,10.00,\"price", "S5,A,\"pro,2024-01-01,,10.00,price"),
        bad.stream().map(r -> r.<String>getAs("raw_line")).toList());
    for (Row r : bad) {
      assertEquals(List.of("malformed_record"), r.getList(r.fieldIndex("rules")), r.toString());
      assertEquals("file://" + csv, r.getAs("source_file"));
      assertTrue(r.<String>getAs("rule_description").contains("as many fields as the header and balanced quotes"));
    }
    List<Row> clean = Quarantine.clean(checked).orderBy("subscription_id").collectAsList();
    assertEquals(List.of("S1", "S6", "S7"), clean.stream().map(r -> r.<String>getAs("subscription_id")).toList());
    assertEquals("said \"too expensive\", then left", clean.get(1).getAs("cancel_reason"));
    assertNull(clean.get(2).getAs("cancel_reason"), "an empty value, quoted or not, is null");
    assertEquals(7, checked.count(), "every non-blank line but the header is a row");
  }

  @Test
  void csvFilesOfOneTableMustShareTheirHeader(@TempDir Path dir) throws Exception {
    Path table = Files.createDirectories(dir.resolve("customers"));
    Files.writeString(table.resolve("part-1.csv"), "customer_id,signup_date,region\nA,2024-01-01,EU\n");
    Files.writeString(table.resolve("part-2.csv"), "customer_id,region,signup_date\nB,NA,2024-01-01\n");
    InputSchemaException e = assertThrows(InputSchemaException.class, () -> InputReader.read(spark,
        InputTables.CUSTOMERS, Location.of(spark, table.toString()), TableFormat.CSV));
    assertTrue(e.getMessage().contains("CSV files disagree on the header"), e.getMessage());
    assertTrue(e.getMessage().contains("part-2.csv has 'customer_id,region,signup_date'"), e.getMessage());
    // The header line of each file is dropped, whatever the number of files.
    Files.writeString(table.resolve("part-2.csv"), "customer_id,signup_date,region\nB,2024-01-01,NA\n");
    assertEquals(2, rows(InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, table.toString()), TableFormat.CSV))
        .count());
  }

  @Test
  void columnNamesMatchCaseInsensitivelyInEveryFormat(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("customers.csv");
    Files.writeString(csv, "Customer_ID,SIGNUP_DATE,Region,Tier\nA,2024-01-01,EU,gold\n");
    Dataset<Row> fromCsv = rows(InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, csv.toString()),
        TableFormat.CSV));
    Row a = fromCsv.first();
    assertEquals("EU", a.getAs("region"), "a header Region is the region column, not an all-null one");
    assertEquals(d("2024-01-01"), a.getAs("signup_date"));
    assertEquals("gold", a.getAs("tier"), "extra columns are named in lower case, like the segments setting");
    Dataset<Row> parquet = frame("CUSTOMER_ID STRING, Signup_Date DATE, Region STRING", row("A", d("2024-01-01"), "EU"));
    assertEquals("EU", InputReader.conform(InputTables.CUSTOMERS, parquet, false).first().getAs("region"));

    Files.writeString(csv, "customer_id,signup_date,Region,region\nA,2024-01-01,EU,NA\n");
    InputSchemaException e = assertThrows(InputSchemaException.class,
        () -> InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, csv.toString()), TableFormat.CSV));
    assertEquals("table 'customers': columns 'Region' and 'region' differ only in case; column names are "
        + "case-insensitive, so rename or drop one", e.getMessage());
    Dataset<Row> both = frame("customer_id STRING, signup_date DATE, Region STRING, region STRING",
        row("A", d("2024-01-01"), "EU", "NA"));
    InputSchemaException e2 = assertThrows(InputSchemaException.class,
        () -> InputReader.conform(InputTables.CUSTOMERS, both, false));
    assertTrue(e2.getMessage().contains("columns 'Region' and 'region' differ only in case"), e2.getMessage());
  }

  @Test
  void csvValuesParseStrictlyNeverLooselyOrRounded(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("transactions.csv");
    Files.writeString(csv, String.join("\n", "transaction_id,customer_id,transaction_ts,amount,kind",
        "T1,A,2024-01-31T10:15:00Z,12.50,one_off",
        "T2,A,2024-01-31 10:15:00,12.5,one_off",
        "T3,A,2024-01-31,+12,one_off",
        "T4,A,2024-01-31T10:15:00.123+01:00,0.10,one_off",
        "T5,A,2024,12.50,one_off",                       // a year is not a timestamp
        "T6,A,2024-01-31 garbage,12.50,one_off",
        "T7,A,2024-01-31T10:15:00Z,12.345,one_off",      // more places than DECIMAL(18,2): never rounded
        "T8,A,2024-01-31T10:15:00Z,1e3,one_off",
        "T9,A,2024-01-31T10:15:00Z,12.500,one_off", ""));  // trailing zeros are exact
    Dataset<Row> read = rows(InputReader.read(spark, InputTables.TRANSACTIONS, Location.of(spark, csv.toString()),
        TableFormat.CSV));
    List<Row> rows = read.orderBy("transaction_id").collectAsList();
    assertEquals(List.of("T5", "T6", "T7", "T8"), rows.stream()
        .filter(r -> !r.getList(r.fieldIndex(Quarantine.CAST_ERRORS)).isEmpty())
        .map(r -> r.<String>getAs("transaction_id")).toList());
    assertEquals(m("12.50"), rows.get(8).getAs("amount"));
    assertEquals(java.time.Instant.parse("2024-01-31T09:15:00.123Z"), rows.get(3).getAs("transaction_ts"));
    assertEquals(List.of("amount '12.345' is not a DECIMAL(18,2)"), rows.get(6).getList(
        rows.get(6).fieldIndex(Quarantine.CAST_ERRORS)));

    Path ints = dir.resolve("customers.csv");
    Files.writeString(ints, "customer_id,signup_date\nA,2024-01-01\nB,2024-1-1\nC,2024-01-01x\n");
    List<Row> customers = rows(InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, ints.toString()),
        TableFormat.CSV)).orderBy("customer_id").collectAsList();
    assertEquals(List.of(0, 1, 1), customers.stream().map(r -> r.getList(r.fieldIndex(Quarantine.CAST_ERRORS)).size())
        .toList());
  }

  @Test
  void numbersTheModelCannotHoldExactlyAreInvalidValuesWithTheValueAsRead(@TempDir Path dir) {
    Dataset<Row> typed = frame("subscription_id STRING, customer_id STRING, start_date DATE, end_date DATE, "
            + "mrr DECIMAL(24,4)",
        row("S1", "A", d("2024-01-01"), null, new java.math.BigDecimal("12.5000")),
        row("S2", "A", d("2024-01-01"), null, new java.math.BigDecimal("12.3450")),
        row("S3", "A", d("2024-01-01"), null, new java.math.BigDecimal("12345678901234567890.0000")));
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS,
        InputReader.conform(InputTables.SUBSCRIPTIONS, typed, false), InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    List<Row> bad = Quarantine.rejected(InputTables.SUBSCRIPTIONS, checked, InputChecks.specRules(
        InputTables.SUBSCRIPTIONS)).orderBy("raw_row").collectAsList();
    assertEquals(2, bad.size());
    // Ordered by raw_row: S2 (12.3450), then S3 (the overflow).
    for (Row r : bad) {
      assertEquals(List.of("invalid_value"), r.getList(r.fieldIndex("rules")), "never null_mrr: " + r);
    }
    assertTrue(bad.get(0).<String>getAs("rule_description").contains("mrr 12.3450 does not fit DECIMAL(18,2) exactly"),
        bad.toString());
    assertTrue(bad.get(1).<String>getAs("raw_row").contains("\"mrr\":12345678901234567890.0000"), bad.toString());
    assertEquals(m("12.50"), Quarantine.clean(checked).first().getAs("mrr"));
  }

  @Test
  void csvUnderAPathWithASpaceAndRepeatedHeaderLines(@TempDir Path dir) throws Exception {
    Path table = Files.createDirectories(dir.resolve("my exports").resolve("customers"));
    Files.writeString(table.resolve("part 1.csv"), "customer_id,signup_date\nA,2024-01-01\n"
        + "customer_id,signup_date\nB,2024-01-02\n");   // two files concatenated with their headers
    Dataset<Row> read = InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, table.toString()), TableFormat.CSV);
    Dataset<Row> checked = InputChecks.check(InputTables.CUSTOMERS, read, InputChecks.specRules(InputTables.CUSTOMERS));
    assertEquals(2, Quarantine.clean(checked).count());
    assertEquals(0, Quarantine.rejected(InputTables.CUSTOMERS, checked, List.of()).count());
    io.cskpi.pipeline.InputReconciliation.Counts c = io.cskpi.pipeline.InputReconciliation.of(
        java.util.Map.of("customers", checked), Quarantine.rejected(InputTables.CUSTOMERS, checked, List.of()))
        .get("customers");
    assertEquals(new io.cskpi.pipeline.InputReconciliation.Counts("customers", 2, 2, 0, 1,
        java.util.Map.of()), c);
  }

  @Test
  void parquetColumnsThatDifferOnlyInCaseAreNamedBoth(@TempDir Path dir) {
    SparkSession caseSensitive = spark.newSession();
    caseSensitive.conf().set("spark.sql.caseSensitive", "true");
    caseSensitive.sql("SELECT 'A' AS customer_id, DATE'2024-01-01' AS signup_date, 'EU' AS Region, 'NA' AS region")
        .write().parquet(dir.resolve("customers").toString());
    InputSchemaException e = assertThrows(InputSchemaException.class, () -> InputReader.read(spark,
        InputTables.CUSTOMERS, Location.of(spark, dir.resolve("customers").toString()), TableFormat.PARQUET));
    assertEquals("table 'customers': columns 'Region' and 'region' differ only in case; column names are "
        + "case-insensitive, so rename or drop one", e.getMessage());
  }

  /** The rows of a read input: CSV header lines are marked, not rows. */
  @Test
  void csvOptionsGiveTheDelimiterQuoteAndDatePatternsAndAValueInAnotherFormIsQuarantined(@TempDir Path dir)
      throws Exception {
    Path csv = dir.resolve("tickets.csv");
    Files.writeString(csv, String.join("\n",
        "ticket_id;customer_id;channel;created_ts;resolved_ts",
        "T1;A;'e-mail; web';15/01/2024 09:30;16/01/2024 17:05",   // the quote keeps the delimiter in the value
        "T2;A;chat;1/2/2024 09:30;",                                // day and month need two digits
        "T3;A;chat;2024-01-15 09:30;",                              // ISO is not the pattern: no guessing
        "T4;A;chat;31/02/2024 09:30;",                              // no such day
        ""));
    Dataset<Row> read = InputReader.read(spark, InputTables.TICKETS, Location.of(spark, csv.toString()),
        TableFormat.CSV, java.util.Map.of("sep", ";", "quote", "'", "timestampFormat", "dd/MM/yyyy HH:mm"),
        InputMapping.NONE);
    Dataset<Row> checked = InputChecks.check(InputTables.TICKETS, read, InputChecks.specRules(InputTables.TICKETS));
    List<Row> clean = Quarantine.clean(checked).collectAsList();
    assertEquals(1, clean.size());
    assertEquals("e-mail; web", clean.get(0).getAs("channel"));
    assertEquals(java.time.Instant.parse("2024-01-15T09:30:00Z"), clean.get(0).getAs("created_ts"));
    assertEquals(java.time.Instant.parse("2024-01-16T17:05:00Z"), clean.get(0).getAs("resolved_ts"));
    List<Row> bad = Quarantine.rejected(InputTables.TICKETS, checked, List.of()).orderBy("raw_row").collectAsList();
    assertEquals(List.of("T2", "T3", "T4"), bad.stream()
        .map(r -> r.<String>getAs("raw_row").replaceAll(".*\"ticket_id\":\"(T[0-9])\".*", "$1")).toList());
    for (Row r : bad) {
      assertEquals(List.of(Quarantine.INVALID_VALUE), r.getList(r.fieldIndex("rules")), r.toString());
      assertTrue(r.<String>getAs("rule_description").contains("is not a TIMESTAMP"), r.toString());
    }
  }

  @Test
  void jsonDatesAreTextParsedAsStrictlyAsCsv(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("customers");
    Files.createDirectories(json);
    Files.writeString(json.resolve("part-0.json"), String.join("\n",
        "{\"customer_id\": \"A\", \"signup_date\": \"2024-01-31\", \"region\": \"EU\"}",
        "{\"customer_id\": \"B\", \"signup_date\": \"2024\", \"region\": \"NA\"}",
        "{\"customer_id\": \"C\", \"signup_date\": \"31.01.2024\"}", ""));
    Dataset<Row> iso = InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, json.toString()),
        TableFormat.JSON, java.util.Map.of(), InputMapping.NONE);
    Dataset<Row> checked = InputChecks.check(InputTables.CUSTOMERS, iso, InputChecks.specRules(InputTables.CUSTOMERS));
    assertEquals(List.of("A"), Quarantine.clean(checked).collectAsList().stream()
        .map(r -> r.<String>getAs("customer_id")).toList(), "2024 is not a date, nor 31.01.2024 in ISO");
    assertEquals(d("2024-01-31"), Quarantine.clean(checked).first().getAs("signup_date"));
    Dataset<Row> dotted = InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, json.toString()),
        TableFormat.JSON, java.util.Map.of("dateFormat", "dd.MM.yyyy"), InputMapping.NONE);
    Dataset<Row> checkedDotted = InputChecks.check(InputTables.CUSTOMERS, dotted,
        InputChecks.specRules(InputTables.CUSTOMERS));
    assertEquals(d("2024-01-31"), Quarantine.clean(checkedDotted).first().getAs("signup_date"));
    assertEquals("C", Quarantine.clean(checkedDotted).first().getAs("customer_id"));
  }

  @Test
  void readerOptionMistakesNameTheOption() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> TextParsing.of(TableFormat.CSV, java.util.Map.of("multiLine", "true")));
    assertTrue(unknown.getMessage().contains("option 'multiLine'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("[delimiter, sep, quote, dateFormat, timestampFormat]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TextParsing.of(TableFormat.CSV,
        java.util.Map.of("delimiter", "||"))).getMessage().contains("option 'delimiter' must be one character"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TextParsing.of(TableFormat.CSV,
        java.util.Map.of("delimiter", "'", "quote", "'"))).getMessage().contains("must differ"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TextParsing.of(TableFormat.JSON,
        java.util.Map.of("dateFormat", "dd/MM/YYYY"))).getMessage().contains("do not take 'Y'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TextParsing.of(TableFormat.CSV,
        java.util.Map.of("timestampFormat", "yyyy-MM-dd'T"))).getMessage()
        .contains("option 'timestampFormat' = \"yyyy-MM-dd'T\" is not a datetime pattern"));
    assertEquals('\t', TextParsing.of(TableFormat.CSV, java.util.Map.of("delimiter", "\t")).delimiter());
    assertEquals(TextParsing.DEFAULT, TextParsing.of(TableFormat.JSON, java.util.Map.of("multiLine", "true")),
        "other formats pass every option to Spark's reader");
  }

  private static Dataset<Row> rows(Dataset<Row> read) {
    return read.filter(Quarantine.isRow(read));
  }
}
