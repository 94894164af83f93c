package io.cskpi.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cskpi.Families;
import io.cskpi.bench.FloorJob;
import io.cskpi.bench.MemoryPeak;
import io.cskpi.config.CskpiConfig;
import io.cskpi.pipeline.FamilyPlan;
import io.cskpi.pipeline.SparkMetrics;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cskpi bench-floor}: the benchmark's floor job in its own process (cskpi bench starts it). */
@Command(name = "bench-floor", hidden = true, mixinStandardHelpOptions = true,
    description = "One Spark query reading every input column the pipeline uses, once, aggregated trivially.")
public final class FloorCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin InputOptions inputs = new InputOptions();

  @Option(names = "--report", paramLabel = "FILE", description = "Write rows per table and times as JSON")
  Path reportFile;

  @Override
  public Integer call() throws Exception {
    CskpiConfig config = inputs.applyTo(common.config());
    try (MemoryPeak memory = MemoryPeak.start()) {
      SparkSession spark = Cskpi.session(config, "cskpi bench-floor");
      FamilyPlan plan = FamilyPlan.of(Families.ALL, config);
      long t0 = System.nanoTime();
      List<Row> rows;
      Map<String, SparkMetrics.Totals> totals;
      try (SparkMetrics metrics = SparkMetrics.listen(spark.sparkContext())) {
        rows = FloorJob.run(spark, config, plan);
        totals = metrics.totals();
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Object> tables = new LinkedHashMap<>();
      rows.forEach(r -> tables.put(r.getString(0), r.getLong(1)));
      System.out.printf("floor: %s read in %d ms%n", tables, ms);
      if (reportFile != null) {
        SparkMetrics.Totals all = SparkMetrics.sum(totals);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("floor_ms", ms);
        root.put("tables", tables);
        root.put("jobs", all.jobs());
        root.put("task_ms", all.taskMillis());
        root.put("input_rows", all.inputRows());
        root.put("peak_heap_bytes", memory.heapBytes());
        root.put("peak_resident_bytes", MemoryPeak.residentBytes());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(reportFile.toFile(), root);
      }
    }
    return 0;
  }
}
