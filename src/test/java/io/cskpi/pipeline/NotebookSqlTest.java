package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.cli.Cskpi;
import io.cskpi.io.Location;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every SQL file the notebooks load runs against the published tables of a generated run (as the notebook's
 * {@code <table>_current} views), returns rows and the columns the notebook plots; the notebook loads exactly
 * these files.
 */
class NotebookSqlTest extends SparkTest {
  @TempDir static Path dir;

  private static final Map<String, List<String>> COLUMNS_PLOTTED = Map.of(
      "mrr_bridge", List.of("period_month", "mrr_start", "mrr_new", "mrr_expansion", "mrr_reactivation",
          "mrr_contraction", "mrr_churned", "mrr_end"),
      "cohort_retention", List.of("cohort_month", "months_since", "logo_retention_rate"),
      "nps_trend", List.of("period_month", "nps", "nps_low", "nps_high"),
      "health_bands", List.of("band", "customers", "mrr"),
      "health_backtest", List.of("snapshot_date", "band", "churn_rate", "auc"));

  @Test
  void everyNotebookQueryRunsOnAGeneratedRun() throws Exception {
    String input = dir.resolve("input").toString();
    String out = dir.resolve("out").toString();
    assertEquals(0, Cskpi.execute("generate", "--customers", "150", "--months", "10", "--seed", "5", "--end",
        "2025-10-20", "--events-per-month", "2", "--format", "parquet", "--output", input));
    assertEquals(0, Cskpi.execute("run", "--input", input, "--input-format", "parquet", "--output", out,
        "--as-of", "2025-10-20"));
    Location output = Location.of(spark, out);
    RunLog.Published run = RunLog.published(spark, output).orElseThrow();
    // The notebook's own views (cskpi_tables.py's query, run by Python to get its text) hold exactly the rows
    // cskpi export reads; the notebook SQL below runs on them.
    for (String t : run.versions().keySet()) {
      Dataset<Row> exported = RunLog.read(spark, output, t, null);
      Dataset<Row> view = exported;
      java.util.Optional<String> notebook = NotebookQuery.publishedRowsSql(out, t);
      if (notebook.isPresent()) {
        view = spark.sql(notebook.get()).drop("run_id");
        assertEquals(0, exported.exceptAll(view).count(), t + ": rows cskpi export reads that the notebook misses");
        assertEquals(0, view.exceptAll(exported).count(), t + ": rows the notebook reads that cskpi export does not");
      }
      view.createOrReplaceTempView(t + "_current");
    }

    List<Path> files;
    try (Stream<Path> sql = Files.list(Path.of("notebooks", "sql"))) {
      files = sql.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertEquals(COLUMNS_PLOTTED.keySet(), files.stream().map(p -> p.getFileName().toString().replace(".sql", ""))
        .collect(java.util.stream.Collectors.toSet()));
    String notebook = Files.readString(Path.of("notebooks", "kpi_overview.ipynb"));
    for (Path file : files) {
      String name = file.getFileName().toString().replace(".sql", "");
      assertTrue(notebook.contains("kpi_sql(spark, \\\"" + name + "\\\")"), "the notebook loads " + name);
      Dataset<Row> rows = spark.sql(Files.readString(file));
      assertTrue(List.of(rows.columns()).containsAll(COLUMNS_PLOTTED.get(name)), name + ": " + List.of(rows.columns()));
      assertTrue(rows.count() > 0, name + " returns no rows");
    }
    // The bridge adds up in every month: start + movements (contraction and churn as negatives) = end.
    for (Row r : spark.sql(Files.readString(Path.of("notebooks", "sql", "mrr_bridge.sql"))).collectAsList()) {
      java.math.BigDecimal sum = ((java.math.BigDecimal) r.getAs("mrr_start")).add(r.getAs("mrr_new"))
          .add(r.getAs("mrr_expansion")).add(r.getAs("mrr_reactivation")).add(r.getAs("mrr_contraction"))
          .add(r.getAs("mrr_churned"));
      assertEquals(0, sum.compareTo(r.getAs("mrr_end")), r.toString());
    }
  }
}
