package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cskpi.SparkTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** cskpi bench at a tiny scale: it runs, reports every stage of the run and each input scanned once. No timing. */
class BenchCommandTest extends SparkTest {
  @Test
  void benchRunsEachFormatAndReportsEveryStageAndTheScans() throws Exception {
    Path dir = Files.createTempDirectory("cskpi-bench");
    Path results = dir.resolve("RESULTS.md");
    // An existing results file keeps its notes and earlier runs; the new run's section comes first among them.
    Files.writeString(results, "# cs-kpi benchmark results\n\nNotes on the runs.\n\n## An earlier run\n\nkept\n");
    CliTest.Result r = CliTest.cskpi("bench", "--customers", "40", "--months", "4", "--events-per-month", "2",
        "--scales", "1", "--formats", "parquet,delta", "--families", "revenue", "--dir", dir.toString(),
        "--results", results.toString());
    assertEquals(0, r.code(), r.err() + r.out());
    List<String> stages = List.of("read and check input schemas", "write quarantine", "compute revenue",
        "write customer_mrr_monthly", "write revenue_monthly", "write churn_reasons_monthly", "write cohort_retention",
        "reconcile inputs");
    for (String format : List.of("parquet", "delta")) {
      assertTrue(r.out().contains("Stages of the run at 40 customers (" + format + ")"), r.out());
      Path base = dir.resolve("40-" + format + "-4m-2.0e-2026-06-30");   // scale, format, months, events, end
      JsonNode run = new ObjectMapper().readTree(base.resolve("run.json").toFile());
      List<String> reported = new java.util.ArrayList<>();
      run.get("stages").forEach(s -> reported.add(s.get("stage").asText()));
      assertEquals(stages, reported, format);
      // Each stage's time with no task running lies within its wall time; a stage whose tasks ran has less; the
      // run's is their sum.
      long idle = 0;
      for (JsonNode s : run.get("stages")) {
        long wall = s.get("wall_ms").asLong();
        long stageIdle = s.get("idle_ms").asLong();
        assertTrue(stageIdle >= 0 && stageIdle <= wall, s.toString());
        if (s.get("tasks").asLong() > 0 && s.get("task_ms").asLong() > 0) {
          assertTrue(stageIdle < wall, s.toString());
        }
        idle += stageIdle;
      }
      assertEquals(idle, run.get("idle_ms").asLong(), format);
      for (String table : List.of("customers", "subscriptions")) {
        assertEquals(1, run.get("inputs").get(table).get("scans").asInt(), format + " " + table);
        assertTrue(run.get("inputs").get(table).get("rows").asLong() > 0, format + " " + table);
      }
      JsonNode floor = new ObjectMapper().readTree(base.resolve("floor.json").toFile());
      assertEquals(40, floor.get("tables").get("customers").asLong(), format);
      assertEquals(run.get("inputs").get("subscriptions").get("rows").asLong(),
          floor.get("tables").get("subscriptions").asLong(), format + ": the floor reads the rows the run reads");
      // The table line: customers, format, input rows, ..., scans.
      assertTrue(java.util.regex.Pattern.compile("(?m)^\\s+40 " + format + " .* 1x$").matcher(r.out()).find(),
          r.out());
    }
    for (String stage : stages) {
      assertTrue(r.out().contains("  " + stage + " "), stage + "\n" + r.out());
    }
    // DuckDB (test scope) computes the revenue bridge from the same Parquet files; every value agrees.
    assertTrue(java.util.regex.Pattern.compile("Revenue bridge at 40 customers \\(parquet\\): cs-kpi revenue-only "
        + "run process .* values agree: ([\\d,]+) of \\1 equal, 0 keys only in cs-kpi, 0 only in DuckDB")
        .matcher(r.out()).find(), r.out());
    String md = Files.readString(results);
    assertTrue(md.contains("cores") && md.contains("Stages of the run at 40 customers (delta)"), md);
    int notes = md.indexOf("Notes on the runs.");
    int added = md.indexOf("## cskpi bench --customers 40 ");
    int earlier = md.indexOf("## An earlier run\n\nkept\n");
    assertTrue(md.startsWith("# cs-kpi benchmark results\n") && 0 < notes && notes < added && added < earlier, md);
  }

  @Test
  void theReportGivesTheFixedCostAndTheScalingAndFlagsAnInputNotScannedOnce() throws Exception {
    BenchCommand bench = new BenchCommand();
    bench.customers = 1_000;
    bench.scales = List.of(1, 10);
    String run = "{\"inputs\": {\"customers\": {\"rows\": 1000, \"scans\": 1}, \"subscriptions\": {\"rows\": 800, "
        + "\"scans\": %d}}, \"shuffle_bytes\": 0, \"spill_bytes\": 0, \"peak_heap_bytes\": 0, "
        + "\"peak_resident_bytes\": 0, \"stages\": [], \"run_ms\": 0, \"idle_ms\": 0}";
    ObjectMapper json = new ObjectMapper();
    JsonNode floor = json.readTree("{}");
    // T1 = 40 s, T10 = 76 s: F = (10 * 40 - 76) / 9 = 36.0 s, T10 / T1 = 1.90.
    String report = bench.render(List.of(
        new BenchCommand.Measurement(1_000, "parquet", 40_000, 10_000, json.readTree(String.format(run, 1)), floor,
            null),
        new BenchCommand.Measurement(10_000, "parquet", 76_000, 19_000, json.readTree(String.format(run, 2)), floor,
            null)));
    assertTrue(report.contains("parquet: fixed cost F = (10 T1 - T10) / 9 = 36.0 s; T10 / T1 = 1.90 (T1 40.0 s at "
        + "1,000 customers, T10 76.0 s at 10,000)"), report);
    // Input rows 1,800, run 40.0 s, floor 10.0 s, 4.0x, 45 rows/s; scans: each input once, then one input twice.
    assertTrue(java.util.regex.Pattern.compile("(?m)^\\s+1,000 parquet\\s+1,800\\s+40\\.0\\s+10\\.0\\s+4\\.0\\s+45 .* 1x$")
        .matcher(report).find(), report);
    assertTrue(java.util.regex.Pattern.compile("(?m)^\\s+10,000 parquet .* 1-2x$").matcher(report).find(), report);
  }

  @Test
  void aResultsFileWithoutSectionsGetsTheRunAfterItsText() {
    assertEquals("# t\n\nintro\n\n## run\n", BenchCommand.withSection("# t\n\nintro\n\n", "## run\n"));
    assertEquals("# t\n\n## new\n\n## old\n", BenchCommand.withSection("# t\n\n## old\n", "## new\n"));
    // A new (or empty) file gets the title; a "## " line inside a code block is no section.
    assertEquals(BenchCommand.TITLE + "## run\n", BenchCommand.withSection("", "## run\n"));
    assertEquals("# t\n```\n## not a heading\n```\n\n## new\n\n## old\n",
        BenchCommand.withSection("# t\n```\n## not a heading\n```\n\n## old\n", "## new\n"));
  }

  @Test
  void theBenchFailsWhenTheBridgeDoesNotAgreeWithDuckDb() throws Exception {
    JsonNode none = new ObjectMapper().readTree("{}");
    var agrees = new io.cskpi.bench.DuckDbBridge.Agreement(12, 12, 0, 0);
    var differs = new io.cskpi.bench.DuckDbBridge.Agreement(12, 11, 0, 0);
    assertTrue(agrees.agrees() && !differs.agrees());
    BenchCommand.Measurement withoutDuckDb = new BenchCommand.Measurement(1, "delta", 1, 1, none, none, null);
    assertEquals(0, BenchCommand.exitCode(List.of(withoutDuckDb, new BenchCommand.Measurement(1, "parquet", 1, 1,
        none, none, new BenchCommand.DuckDb(1, 1, agrees, 0)))));
    assertEquals(1, BenchCommand.exitCode(List.of(withoutDuckDb, new BenchCommand.Measurement(1, "parquet", 1, 1,
        none, none, new BenchCommand.DuckDb(1, 1, differs, 0)))));
  }

  @Test
  void theBridgeComparisonSeesADifferentValueAndAMissingRowEitherWay() {
    java.math.BigDecimal one = java.math.BigDecimal.ONE;
    List<java.math.BigDecimal> values = java.util.Collections.nCopies(io.cskpi.bench.DuckDbBridge.VALUES.size(), one);
    List<java.math.BigDecimal> changed = new java.util.ArrayList<>(values);
    changed.set(5, new java.math.BigDecimal("1.01"));
    var ours = java.util.Map.of(List.of("2026-06-01", "all", "all"), values, List.of("2026-05-01", "all", "all"), values);
    var same = io.cskpi.bench.DuckDbBridge.compare(ours, java.util.Map.of(List.of("2026-06-01", "all", "all"),
        new java.util.ArrayList<>(values), List.of("2026-05-01", "all", "all"), values));
    assertTrue(same.agrees());
    var differs = io.cskpi.bench.DuckDbBridge.compare(ours, java.util.Map.of(List.of("2026-06-01", "all", "all"),
        changed, List.of("2026-04-01", "all", "all"), values));
    assertEquals(new io.cskpi.bench.DuckDbBridge.Agreement(12, 11, 1, 1), differs);
    assertTrue(!differs.agrees());
  }
}
