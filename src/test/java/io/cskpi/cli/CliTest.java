package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** generate → run → export through the command line, as a user would, on CSV input. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest extends SparkTest {
  private static Path dir;

  record Result(int code, String out, String err) {}

  static Result cskpi(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Cskpi.execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** An input directory holding customers.csv and subscriptions.csv with the given text. */
  private static Path csvInput(String name, String customers, String subscriptions) throws Exception {
    Path input = Files.createDirectories(dir.resolve(name));
    Files.writeString(input.resolve("customers.csv"), customers);
    Files.writeString(input.resolve("subscriptions.csv"), subscriptions);
    return input;
  }

  @BeforeAll
  static void tempDir() throws Exception {
    dir = Files.createTempDirectory("cskpi-cli");
  }

  private static String in() {
    return dir.resolve("input").toString();
  }

  private static String outDir() {
    return dir.resolve("warehouse").toString();
  }

  @Test
  @Order(1)
  void generateWritesAllSevenTables() {
    Result r = cskpi("generate", "--customers", "120", "--months", "8", "--seed", "3", "--end", "2025-08-20",
        "--events-per-month", "2", "--format", "csv", "--output", in());
    assertEquals(0, r.code(), r.err());
    for (String t : new String[] {"customers", "subscriptions", "transactions", "costs", "usage_events", "tickets",
        "surveys"}) {
      assertTrue(Files.isDirectory(dir.resolve("input").resolve(t)), t);
    }
    assertTrue(r.out().contains("Generated 120 customers x 8 months"), r.out());
  }

  @Test
  @Order(2)
  void runWritesTheResultTablesAndPrintsTheSummary() {
    Result r = cskpi("run", "--input", in(), "--input-format", "csv", "--output", outDir(), "--as-of", "2025-08-20");
    assertEquals(0, r.code(), r.err());
    // Each family's own section of the summary, in run order.
    int bridge = r.out().indexOf("MRR bridge 2025-08");
    int economics = r.out().indexOf("Unit economics 2025-08: CAC ");
    int clv = r.out().indexOf("CLV model: ");
    int voice = r.out().indexOf("Voice 2025-08:");
    int support = r.out().indexOf("Support 2025-08: ");
    assertTrue(bridge >= 0 && economics > bridge && clv > economics && voice > clv && support > voice, r.out());
    assertTrue(r.out().contains("Follow-ups owed: "), r.out());
    assertTrue(r.out().contains("Quarantine: 0 bad input rows"), r.out());
    // Each input's files are read by one scan in the whole run (a QueryExecutionListener counts the scans).
    for (String t : new String[] {"customers", "subscriptions", "costs", "transactions", "surveys", "usage_events",
        "tickets"}) {
      assertTrue(java.util.regex.Pattern.compile("(?m)^  " + t + " .* 1x$").matcher(r.out()).find(),
          t + " scanned other than once:\n" + r.out());
    }
    for (String t : new String[] {"quarantine", "customer_mrr_monthly", "revenue_monthly", "churn_reasons_monthly",
        "cohort_retention", "nps_monthly", "csat_monthly", "ces_monthly", "nps_followups", "feedback_terms",
        "feedback_themes", "support_monthly", "owner_scorecard"}) {
      assertTrue(Files.isDirectory(dir.resolve("warehouse").resolve(t).resolve("_delta_log")), t);
    }
    // BI tools show the catalog's definitions as Delta column comments.
    org.apache.spark.sql.types.StructType schema = spark.read().format("delta")
        .load(dir.resolve("warehouse").resolve("revenue_monthly").toString()).schema();
    assertEquals(io.cskpi.kpi.revenue.RevenueFamily.REVENUE_MONTHLY.column("nrr").orElseThrow().definition(), schema.apply("nrr").getComment().get());
    String description = spark.sql("DESCRIBE DETAIL delta.`" + dir.resolve("warehouse").resolve("revenue_monthly")
        + "`").first().getAs("description");
    assertTrue(description.startsWith("MRR bridge, logo churn"), description);
  }

  @Test
  @Order(3)
  void exportPrintsCsvAndJsonAndARerunReplacesResults() {
    Result csv = cskpi("export", "revenue_monthly", "--output", outDir(), "--format", "csv");
    assertEquals(0, csv.code(), csv.err());
    String[] lines = csv.out().split("\n");
    assertTrue(lines[0].startsWith("period_month,dimension,segment,customers_start"), lines[0]);
    Result json = cskpi("export", "revenue_monthly", "--output", outDir(), "--format", "json");
    assertEquals(lines.length - 1, json.out().split("\n").length);
    assertTrue(json.out().startsWith("{\"period_month\":"), json.out());

    Result again = cskpi("run", "--input", in(), "--input-format", "csv", "--output", outDir(), "--as-of",
        "2025-08-20");
    assertEquals(0, again.code(), again.err());
    Result csv2 = cskpi("export", "revenue_monthly", "--output", outDir(), "--format", "csv");
    assertEquals(lines.length, csv2.out().split("\n").length, "a rerun must replace, not append");
  }

  @Test
  @Order(3)
  void voiceAndSupportEachRunAlone() {
    Path out = dir.resolve("alone");
    Result voice = cskpi("run", "--input", in(), "--input-format", "csv", "--output", out.toString(), "--as-of",
        "2025-08-20", "--set", "families=[voice]");
    assertEquals(0, voice.code(), voice.err());
    assertTrue(voice.out().contains("Voice 2025-08:") && !voice.out().contains("MRR bridge"), voice.out());
    // Without revenue nobody knows who churned: null, not false.
    assertEquals(0, spark.read().format("delta").load(out.resolve("nps_followups").toString())
        .filter("is_churned IS NOT NULL").count());
    Result support = cskpi("run", "--input", in(), "--input-format", "csv", "--output", out.toString(), "--as-of",
        "2025-08-20", "--set", "families=[support]");
    assertEquals(0, support.code(), support.err());
    assertTrue(support.out().contains("Support 2025-08: "), support.out());
    assertTrue(Files.notExists(out.resolve("owner_scorecard")), "scorecard needs revenue, voice and support");
  }

  @Test
  @Order(4)
  void missingColumnStopsTheRunWithExitCode2() throws Exception {
    Path bad = csvInput("bad", "customer_id,signup_date\nA,2024-01-01\n",
        "subscription_id,customer_id,start_date,end_date\nS1,A,2024-01-01,\n");
    Result r = cskpi("run", "--input", bad.toString(), "--input-format", "csv", "--output",
        dir.resolve("bad-out").toString(), "--as-of", "2024-03-01");
    assertEquals(Cskpi.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("table 'subscriptions': missing required column 'mrr' (DECIMAL(18,2))"), r.err());
    // No result table is written before the inputs are checked: only the run log's row of the failed run.
    try (var written = Files.list(dir.resolve("bad-out"))) {
      assertEquals(List.of("run_log"), written.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals("failed", spark.read().format("delta").load(dir.resolve("bad-out").resolve("run_log").toString())
        .first().getAs("status"));
  }

  @Test
  @Order(5)
  void missingTableAndUnknownResultTableAreClearErrors() {
    Result r = cskpi("run", "--input", dir.resolve("nowhere").toString(), "--output", outDir());
    assertEquals(Cskpi.EXIT_BAD_INPUT, r.code());
    assertTrue(r.err().contains("input table 'customers' not found"), r.err());
    Result e = cskpi("export", "no_such_table", "--output", outDir());
    assertEquals(Cskpi.EXIT_BAD_INPUT, e.code());
    assertTrue(e.err().contains("result table 'no_such_table' not found"), e.err());
  }

  @Test
  @Order(6)
  void revenueAloneNeedsOnlyCustomersAndSubscriptions() throws Exception {
    Path small = csvInput("small", "customer_id,signup_date,plan\nA,2024-01-01,pro\n",
        "subscription_id,customer_id,start_date,end_date,mrr\nS1,A,2024-01-01,,10.00\nS2,A,2024-01-01,,-3.00\n"
            + "S3,A,2024-01-01\n");
    Result all = cskpi("run", "--input", small.toString(), "--input-format", "csv", "--output",
        dir.resolve("small-out").toString(), "--as-of", "2024-03-01");
    assertEquals(Cskpi.EXIT_BAD_INPUT, all.code());
    assertTrue(all.err().contains("input table 'costs' not found")
        && all.err().contains("the economics family needs it (conf cskpi.families"), all.err());
    Result revenue = cskpi("run", "--input", small.toString(), "--input-format", "csv", "--output",
        dir.resolve("small-out").toString(), "--as-of", "2024-03-01", "--set", "families=[revenue]");
    assertEquals(0, revenue.code(), revenue.err());
    assertTrue(revenue.out().contains(String.format("subscriptions  %,12d = %,12d + %,10d", 3, 1, 2)), revenue.out());
    Result quarantine = cskpi("export", "quarantine", "--output", dir.resolve("small-out").toString());
    assertEquals(0, quarantine.code(), quarantine.err());
    assertTrue(quarantine.out().startsWith("table_name,rules,rule_description,source_file,raw_line,raw_row,"),
        quarantine.out());
    assertTrue(quarantine.out().contains("subscriptions,\"[\"\"negative_mrr\"\"]\""), quarantine.out());
    assertTrue(quarantine.out().contains("\"[\"\"malformed_record\"\"]\""), quarantine.out());
    assertTrue(Files.isDirectory(dir.resolve("small-out").resolve("revenue_monthly")));
    assertTrue(Files.notExists(dir.resolve("small-out").resolve("unit_economics_monthly")));
    Result broken = cskpi("run", "--input", small.toString(), "--input-format", "csv", "--output",
        dir.resolve("small-out").toString(), "--set", "families=[revenue, clv]");
    assertEquals(Cskpi.EXIT_BAD_INPUT, broken.code());
    assertTrue(broken.err().contains("family 'clv' reads unit_economics_monthly, which family 'economics' writes"), broken.err());
    Result noSuchSegment = cskpi("run", "--input", small.toString(), "--input-format", "csv", "--output",
        dir.resolve("small-out").toString(), "--set", "families=[revenue]", "--set", "segments=[plan, tier]");
    assertEquals(Cskpi.EXIT_BAD_INPUT, noSuchSegment.code());
    assertTrue(noSuchSegment.err().contains("cskpi.segments = [plan, tier]: 'tier' is not a column of table "
        + "'customers'; its columns are [customer_id, signup_date, plan"), noSuchSegment.err());
    Result floor = cskpi("run", "--input", small.toString(), "--set", "economics.churn-rate-floor=0");
    assertEquals(Cskpi.EXIT_BAD_INPUT, floor.code());
    assertTrue(floor.err().contains("cskpi.economics.churn-rate-floor = 0: must be in (0, 1]"), floor.err());
  }

  @Test
  @Order(7)
  void demoWorksWithARelativeDirectory() throws Exception {
    // The README's first command uses the relative default directory: every path must be qualified before
    // Delta's path identifiers see it (once this failed at the first table description).
    Path relative = Path.of("target", "cli-relative-demo");
    deleteTree(relative);
    Result r = cskpi("demo", "--customers", "60", "--months", "6", "--dir", relative.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("cs-kpi nightly run as of"), r.out());
    assertTrue(r.out().contains("file:" + relative.toAbsolutePath().resolve("quarantine")), r.out());
    for (String t : new String[] {"quarantine", "revenue_monthly", "unit_economics_monthly", "customer_clv"}) {
      assertTrue(Files.isDirectory(relative.resolve(t).resolve("_delta_log")), t);
    }
    String description = spark.sql("DESCRIBE DETAIL delta.`" + relative.toAbsolutePath().resolve("quarantine")
        + "`").first().getAs("description");
    assertTrue(description.startsWith("Input rows that broke a rule"), description);
  }

  @Test
  @Order(8)
  void confFileAndOutputAsRelativePathAndFileUri() throws Exception {
    Path relative = Path.of("target", "cli-relative-demo");
    Path conf = relative.resolve("run.conf");
    Files.writeString(conf, "cskpi { input.dir = \"" + relative.resolve("input") + "\", families = [revenue] }");
    Result r = cskpi("run", "--conf", conf.toString(), "--output", relative.toAbsolutePath().toUri() + "uri-out",
        "--as-of", "2025-08-20");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isDirectory(relative.resolve("uri-out").resolve("revenue_monthly").resolve("_delta_log")));
    Result viaUri = cskpi("run", "--conf", conf.toAbsolutePath().toUri().toString(), "--output",
        relative.resolve("rel-out").toString(), "--as-of", "2025-08-20");
    assertEquals(0, viaUri.code(), viaUri.err());
    // A per-table path relative to the working directory; a relative file: URI is a setting error naming the key.
    Path subscriptions = relative.resolve("input").resolve("subscriptions");
    Result perTable = cskpi("run", "--conf", conf.toString(), "--output", relative.resolve("per-table").toString(),
        "--set", "input.tables.subscriptions.path=\"" + subscriptions + "\"", "--as-of", "2025-08-20");
    assertEquals(0, perTable.code(), perTable.err());
    Result badUri = cskpi("run", "--conf", conf.toString(), "--set", "input.tables.subscriptions.path=\"file:"
        + subscriptions + "\"", "--as-of", "2025-08-20");
    assertEquals(Cskpi.EXIT_BAD_INPUT, badUri.code(), badUri.err());
    assertTrue(badUri.err().contains("cskpi.input.tables.subscriptions.path = file:" + subscriptions
        + ": not a usable path or URI"), badUri.err());
    Result export = cskpi("export", "revenue_monthly", "--output", relative.resolve("rel-out").toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(export.out().startsWith("period_month,dimension,segment"), export.out());
    deleteTree(relative);
  }

  @Test
  @Order(9)
  void cleanUp() throws Exception {
    deleteTree(dir);
  }

  private static void deleteTree(Path root) throws Exception {
    if (Files.notExists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
