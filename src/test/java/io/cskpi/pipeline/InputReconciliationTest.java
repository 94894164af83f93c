package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.cli.Cskpi;
import io.cskpi.config.CskpiConfig;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Rows read = rows used + rows rejected for every input table, on a generated CSV dataset into which one more
 * file per table injects a defect of every kind the checks know, next to rows that must be kept.
 */
class InputReconciliationTest extends SparkTest {
  @TempDir static Path dir;
  private static NightlyPipeline.RunReport report;
  /** Expected quarantine rules per table: one entry per injected bad line. */
  private static final Map<String, List<List<String>>> EXPECTED = new TreeMap<>();
  /** Non-blank lines that are not a header, per table, counted on the files themselves. */
  private static final Map<String, Long> LINES = new HashMap<>();

  @BeforeAll
  static void generateInjectAndRun() throws Exception {
    Path input = dir.resolve("input");
    assertEquals(0, Cskpi.execute("generate", "--customers", "80", "--months", "6", "--seed", "11", "--end",
        "2025-06-20", "--events-per-month", "0", "--format", "csv", "--output", input.toString()));
    String existingCustomer = firstDataLine(input.resolve("customers"));
    String existingId = existingCustomer.split(",")[0];

    inject(input, "customers",
        bad(List.of("duplicate_key"), existingCustomer),                                  // an exact copy
        bad(List.of("null_signup_date", "duplicate_key"), row(input, "customers", Map.of("customer_id", existingId))),
        bad(List.of("invalid_value"), row(input, "customers", Map.of("customer_id", "ZZ1", "signup_date", "2024-02-30"))),
        bad(List.of("null_customer_id"), row(input, "customers", Map.of("signup_date", "2024-01-01"))),
        bad(List.of("malformed_record"), "ZZ2,2024-01-01"));
    Map<String, String> sub = Map.of("subscription_id", "X-S1", "customer_id", existingId, "start_date", "2025-01-01",
        "mrr", "10.00");
    inject(input, "subscriptions",
        bad(List.of("negative_mrr"), row(input, "subscriptions", with(sub, "subscription_id", "X-S2", "mrr", "-1.00"))),
        bad(List.of("end_before_start"), row(input, "subscriptions",
            with(sub, "subscription_id", "X-S3", "end_date", "2024-12-01"))),
        bad(List.of("malformed_record"), row(input, "subscriptions", with(sub, "subscription_id", "X-S4", "plan",
            "\"pro"))),
        bad(List.of("invalid_value"), row(input, "subscriptions", with(sub, "subscription_id", "X-S5", "mrr",
            "\"12,50\""))),
        good(row(input, "subscriptions", with(sub, "subscription_id", "X-S6", "customer_id", "NOT-A-CUSTOMER"))));
    Map<String, String> tx = Map.of("transaction_id", "X-T1", "customer_id", existingId, "transaction_ts",
        "2025-03-01T10:00:00Z", "amount", "5.00", "kind", "one_off");
    String txLine = row(input, "transactions", tx);
    inject(input, "transactions",
        bad(List.of("negative_amount"), row(input, "transactions", with(tx, "transaction_id", "X-T2", "amount", "-5"))),
        bad(List.of("unknown_kind"), row(input, "transactions", with(tx, "transaction_id", "X-T3", "kind", "gift"))),
        bad(List.of("malformed_record"), txLine.replace("X-T1", "X-T4") + ",extra"),
        good(row(input, "transactions", with(tx, "customer_id", "NOT-A-CUSTOMER"))));
    Map<String, String> cost = Map.of("period_month", "2025-03-01", "category", "marketing", "amount", "100.00");
    inject(input, "costs",
        bad(List.of("unknown_category"), row(input, "costs", with(cost, "category", "rent"))),
        bad(List.of("not_month_start"), row(input, "costs", with(cost, "period_month", "2025-03-15"))),
        bad(List.of("negative_amount"), row(input, "costs", with(cost, "amount", "-1.00"))),
        bad(List.of("null_category"), row(input, "costs", with(cost, "category", ""))));
    for (String t : List.of("customers", "subscriptions", "transactions", "costs")) {
      LINES.put(t, dataLines(input.resolve(t)));
    }

    CskpiConfig config = CskpiConfig.load(null, List.of("input.dir=\"" + input + "\"", "input.format=csv",
        "output.dir=\"" + dir.resolve("out") + "\"", "families=[revenue, economics, clv]"));
    report = NightlyPipeline.run(spark, config, LocalDate.parse("2025-06-20"), io.cskpi.Families.ALL);
  }

  @Test
  void rowsReadEqualRowsUsedPlusRowsRejectedForEveryTable() {
    assertEquals(List.of("customers", "subscriptions", "costs", "transactions"), List.copyOf(report.inputs().keySet()));
    for (InputReconciliation.Counts c : report.inputs().values()) {
      assertEquals(LINES.get(c.table()), c.read(), c.table() + ": every data line of the files is a row read");
      assertEquals(EXPECTED.get(c.table()).size(), c.rejected(), c.table() + ": one quarantine row per bad line");
      assertEquals(c.read(), c.used() + c.rejected(), c.table());
    }
  }

  @Test
  void theQuarantineListsEveryRuleEachInjectedRowBroke() {
    Map<String, List<List<String>>> actual = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(report.tables().get("quarantine").toString()).collectAsList()) {
      actual.computeIfAbsent(r.getAs("table_name"), t -> new ArrayList<>()).add(r.getList(r.fieldIndex("rules")));
      assertTrue(r.<String>getAs("source_file").contains("injected.csv"), r.toString());
    }
    actual.values().forEach(l -> l.sort(java.util.Comparator.comparing(Object::toString)));
    Map<String, List<List<String>>> expected = new TreeMap<>();
    EXPECTED.forEach((t, l) -> expected.put(t, l.stream().sorted(java.util.Comparator.comparing(Object::toString))
        .toList()));
    assertEquals(expected, actual);
  }

  @Test
  void theSummaryPrintsTheThreeNumbersPerTable() {
    String summary = RunSummary.render(spark, report);
    InputReconciliation.Counts s = report.inputs().get("subscriptions");
    assertTrue(summary.contains(String.format("subscriptions  %,12d = %,12d + %,10d", s.read(), s.used(), s.rejected())),
        summary);
    assertTrue(summary.contains("Quarantine: 16 bad input rows"), summary);
  }

  @Test
  void factsOfCustomersMissingFromCustomersAreKeptUnderUnknown() {
    Row orphan = spark.read().format("delta").load(report.tables().get("customer_clv").toString())
        .filter("customer_id = 'NOT-A-CUSTOMER'").first();
    assertEquals("unknown", orphan.getAs("formula_segment"));
    // X-S6 is active on the month ends of January to May and on the as-of date: 6 x 10.00, + the 5.00 one-off.
    assertEquals(m("65.00"), orphan.getAs("historic_revenue"));
  }

  // --- helpers ------------------------------------------------------------------------------------------

  private record Line(List<String> rules, String text) {}

  private static Line bad(List<String> rules, String text) {
    return new Line(rules, text);
  }

  private static Line good(String text) {
    return new Line(null, text);
  }

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new HashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A CSV line in the column order of the table's generated header; columns not given are empty. */
  private static String row(Path input, String table, Map<String, String> values) throws IOException {
    String[] header = header(input.resolve(table)).split(",");
    return String.join(",", Arrays.stream(header).map(c -> values.getOrDefault(c, "")).toList());
  }

  private static void inject(Path input, String table, Line... lines) throws IOException {
    StringBuilder text = new StringBuilder(header(input.resolve(table))).append('\n');
    List<List<String>> expected = EXPECTED.computeIfAbsent(table, t -> new ArrayList<>());
    for (Line l : lines) {
      text.append(l.text()).append('\n');
      if (l.rules() != null) {
        expected.add(l.rules());
      }
    }
    Files.writeString(input.resolve(table).resolve("part-injected.csv"), text);
  }

  private static List<Path> csvFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.list(table)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
  }

  private static String header(Path table) throws IOException {
    return Files.readAllLines(csvFiles(table).get(0)).get(0);
  }

  private static String firstDataLine(Path table) throws IOException {
    for (Path f : csvFiles(table)) {
      List<String> lines = Files.readAllLines(f);
      if (lines.size() > 1) {
        return lines.get(1);
      }
    }
    throw new IllegalStateException("no data in " + table);
  }

  private static long dataLines(Path table) throws IOException {
    long n = 0;
    for (Path f : csvFiles(table)) {
      n += Files.readAllLines(f).stream().skip(1).filter(l -> !l.isBlank()).count();
    }
    return n;
  }
}
