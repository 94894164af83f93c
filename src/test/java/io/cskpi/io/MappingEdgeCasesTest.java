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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A mapped ';'-separated export with day/month/year text dates and cents, read as CSV: what a mapping may leave
 * null, floating-point noise of arithmetic on text, the where filter next to broken lines, and mistakes that must
 * stop the read with the option or expression named.
 */
class MappingEdgeCasesTest extends SparkTest {
  @TempDir static Path dir;
  private static Location csv;
  private static final Map<String, String> OPTIONS = Map.of("delimiter", ";", "dateFormat", "dd/MM/yyyy");

  @BeforeAll
  static void write() throws Exception {
    Path file = dir.resolve("subs.csv");
    Files.writeString(file, String.join("\n",
        "Ref;Cust;Cents;Qty;Starts;Ends;Cancelled;State",
        "S1;A;1990;3;01/02/2024;;;live",               // 19.90 x 3 = 59.70 (59.699999999999996 in double)
        "S2;A;12345;1;01/02/2024;;;live",              // 123.45 fine; / 1000 would be 12.345
        "S3;B;1000;1;01/02/2024;31/13/2024;;live",     // no month 13: never a silent null end_date
        "S4;B;1000;1;01/02/2024;00/00/0000;;live",     // the export's 'no end' sentinel
        "S5;C;1000;1;01/02/2024;;15/03/2024;live",     // ended by cancellation
        "S6;C;500;1;01/02/2024;;;test",                // filtered by the where
        "S7;broken",                                    // one field: malformed, whatever the where says
        ""));
    csv = Location.of(spark, file.toString());
  }

  private static final Map<String, String> COLUMNS = Map.of("subscription_id", "Ref", "customer_id", "Cust",
      "mrr", "Cents / 100 * Qty", "start_date", "Starts",
      "end_date", "coalesce(nullif(Ends, '00/00/0000'), Cancelled)");

  private static Dataset<Row> read(Map<String, String> columns, String where) {
    return InputReader.read(spark, InputTables.SUBSCRIPTIONS, csv, TableFormat.CSV, OPTIONS,
        new InputMapping(columns, where));
  }

  @Test
  void nothingIsSilentlyNullAndBrokenLinesAreNeverFilteredAway() {
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS, read(COLUMNS, "State <> 'test'"),
        InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    Map<String, Row> clean = Quarantine.clean(checked).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("subscription_id"), r -> r));
    assertEquals(java.util.Set.of("S1", "S2", "S4", "S5"), clean.keySet());
    assertEquals(m("59.70"), clean.get("S1").getAs("mrr"), "floating-point noise of 19.90 x 3 is rounded away");
    assertEquals(m("123.45"), clean.get("S2").getAs("mrr"));
    assertNull(clean.get("S4").getAs("end_date"), "nullif says the sentinel means no end");
    assertEquals(d("2024-03-15"), clean.get("S5").getAs("end_date"));
    Map<String, Row> bad = Quarantine.rejected(InputTables.SUBSCRIPTIONS, checked, List.of()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("raw_row") == null || r.getAs("raw_line") != null
            ? "line " + r.getAs("raw_line") : r.<String>getAs("raw_row").replaceAll(".*\"ref\":\"(S[0-9])\".*", "$1"),
            r -> r));
    assertEquals(java.util.Set.of("S3", "line S7;broken"), bad.keySet());
    assertTrue(bad.get("S3").<String>getAs("rule_description").contains("end_date: coalesce(nullif(Ends, "
        + "'00/00/0000'), Cancelled) gives no DATE from '31/13/2024'"), bad.get("S3").toString());
    assertEquals(List.of(Quarantine.MALFORMED_RECORD), bad.get("line S7;broken").getList(
        bad.get("line S7;broken").fieldIndex("rules")));
    // Seven lines below the header: one filtered, six read = four used + two rejected; no repeated header.
    assertEquals(6, checked.filter(Quarantine.isRow(checked)).count());
  }

  @Test
  void aValueWithMorePlacesThanTheColumnIsQuarantinedWithTheValue() {
    Dataset<Row> checked = InputChecks.check(InputTables.SUBSCRIPTIONS,
        read(Map.of("subscription_id", "Ref", "customer_id", "Cust", "mrr", "Cents / 1000 * Qty",
            "start_date", "Starts", "end_date", "CAST(NULL AS DATE)"), "Ref = 'S2'"),
        InputChecks.specRules(InputTables.SUBSCRIPTIONS));
    Row bad = Quarantine.rejected(InputTables.SUBSCRIPTIONS, checked, List.of()).filter("raw_line IS NULL").first();
    assertTrue(bad.<String>getAs("rule_description").contains("mrr: Cents / 1000 * Qty gives no DECIMAL(18,2) from "
        + "'12.345'"), bad.toString());
  }

  @Test
  void commentsWorkAndAliasesSyntaxAndTypesAreNamedErrors() {
    Map<String, String> commented = new java.util.HashMap<>(COLUMNS);
    commented.put("start_date", "Starts -- day/month/year text");
    assertEquals(d("2024-02-01"), read(commented, "Ref = 'S1'").filter(Quarantine.isRow(read(commented, "Ref = 'S1'")))
        .first().getAs("start_date"));
    InputSchemaException alias = assertThrows(InputSchemaException.class,
        () -> read(Map.of("start_date", "Starts AS started"), null));
    assertTrue(alias.getMessage().contains("columns.start_date = \"Starts AS started\" has an alias")
        && alias.getMessage().contains("the source columns are [Ref, Cust"), alias.getMessage());
    InputSchemaException syntax = assertThrows(InputSchemaException.class,
        () -> read(Map.of("mrr", "Cents / / 100"), null));
    assertTrue(syntax.getMessage().matches("(?s).*cannot be read: \\S.*"), "a reason, not an empty line: "
        + syntax.getMessage());
    assertTrue(syntax.getMessage().contains("Syntax error"), syntax.getMessage());
    InputSchemaException type = assertThrows(InputSchemaException.class,
        () -> read(Map.of("start_date", "State = 'live'"), null));
    assertTrue(type.getMessage().contains("gives BOOLEAN, which cannot become DATE; the source columns are [Ref, "
        + "Cust, Cents, Qty, Starts, Ends, Cancelled, State]"), type.getMessage());
  }

  @Test
  void aDatePatternSparkRefusesOrWithoutAMonthStopsTheRead() {
    InputSchemaException refused = assertThrows(InputSchemaException.class, () -> InputReader.read(spark,
        InputTables.SUBSCRIPTIONS, csv, TableFormat.CSV, Map.of("delimiter", ";", "dateFormat", "dd MMMMM yyyy"),
        new InputMapping(COLUMNS, null)));
    assertTrue(refused.getMessage().contains("cskpi.input.tables.subscriptions.options.dateFormat = \"dd MMMMM "
        + "yyyy\": Spark refuses this pattern"), refused.getMessage());
    IllegalArgumentException minutes = assertThrows(IllegalArgumentException.class,
        () -> TextParsing.of(TableFormat.CSV, Map.of("dateFormat", "dd/mm/yyyy")));
    assertTrue(minutes.getMessage().contains("'m' is the minute, 'M' the month"), minutes.getMessage());
  }

  @Test
  void aJsonLineThatIsNoObjectIsAMalformedRecord() throws Exception {
    Path json = Files.createDirectories(dir.resolve("customers"));
    Files.writeString(json.resolve("part-0.json"), "{\"id\": \"A\", \"since\": \"2024-01-01\", \"kind\": \"paid\"}\n"
        + "{\"id\": \"B\", \"since\": \"2024-01-0\n"
        + "{\"id\": \"C\", \"since\": \"2024-01-01\", \"kind\": \"test\"}\n");
    Dataset<Row> read = InputReader.read(spark, InputTables.CUSTOMERS, Location.of(spark, json.toString()),
        TableFormat.JSON, Map.of(), new InputMapping(Map.of("customer_id", "id", "signup_date", "since"),
            "kind <> 'test'"));
    Dataset<Row> checked = InputChecks.check(InputTables.CUSTOMERS, read, InputChecks.specRules(InputTables.CUSTOMERS));
    assertEquals(List.of("A"), Quarantine.clean(checked).collectAsList().stream()
        .map(r -> r.<String>getAs("customer_id")).toList());
    Row bad = Quarantine.rejected(InputTables.CUSTOMERS, checked, List.of()).first();
    assertEquals(List.of(Quarantine.MALFORMED_RECORD), bad.getList(bad.fieldIndex("rules")));
    assertEquals("{\"id\": \"B\", \"since\": \"2024-01-0", bad.getAs("raw_line"));
  }
}
