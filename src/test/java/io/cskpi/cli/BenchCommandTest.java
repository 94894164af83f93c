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
