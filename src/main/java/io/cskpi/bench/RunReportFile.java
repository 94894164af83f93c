package io.cskpi.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cskpi.pipeline.InputReconciliation;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.pipeline.SparkMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's measurements as JSON, for the benchmark (and any orchestrator that charts runs): every stage with its
 * wall time, the part of it with no task running (idle_ms) and Spark's metrics, the rows read and scans of each
 * input, peak heap and resident memory.
 */
public final class RunReportFile {
  private RunReportFile() {}

  public static void write(Path file, NightlyPipeline.RunReport report, long peakHeapBytes) throws IOException {
    List<Map<String, Object>> stages = new ArrayList<>();
    report.stages().millis().forEach((stage, ms) -> {
      SparkMetrics.Totals t = report.spark().getOrDefault(stage, SparkMetrics.Totals.NONE);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("stage", stage);
      s.put("wall_ms", ms);
      s.put("jobs", t.jobs());
      s.put("tasks", t.tasks());
      s.put("task_ms", t.taskMillis());
      s.put("idle_ms", t.idleMillis(ms));
      s.put("input_rows", t.inputRows());
      s.put("input_bytes", t.inputBytes());
      s.put("shuffle_bytes", t.shuffleBytes());
      s.put("spill_bytes", t.spillBytes());
      stages.add(s);
    });
    SparkMetrics.Totals all = SparkMetrics.sum(report.spark());
    Map<String, Object> inputs = new LinkedHashMap<>();
    for (InputReconciliation.Counts c : report.inputs().values()) {
      inputs.put(c.table(), Map.of("rows", c.read(), "scans", report.inputScans().getOrDefault(c.table(), 0)));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("run_id", report.runId());
    root.put("as_of_date", report.asOf().toString());
    root.put("run_ms", report.stages().totalMillis());
    root.put("idle_ms", stages.stream().mapToLong(s -> (Long) s.get("idle_ms")).sum());
    root.put("stages", stages);
    root.put("inputs", inputs);
    root.put("shuffle_bytes", all.shuffleBytes());
    root.put("spill_bytes", all.spillBytes());
    root.put("peak_heap_bytes", peakHeapBytes);
    root.put("peak_resident_bytes", MemoryPeak.residentBytes());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
  }
}
