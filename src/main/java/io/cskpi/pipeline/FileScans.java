package io.cskpi.pipeline;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts how often each file-based table was read while it listens: every file scan that ran in an executed query
 * plan (adaptive plans' final plans, query stages, subqueries and the plans that filled cached data), counted
 * once however many later queries reuse the cached rows. A scan counts for every root path of its file index (a
 * Delta table's directory; a Parquet or CSV table's directory or files).
 */
public final class FileScans implements QueryExecutionListener, AutoCloseable {
  private final SparkSession spark;
  /** The scans counted, by their files metric's accumulator id: a cached plan's scan keeps its metric. */
  private final Set<Long> counted = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> scansByPath = new ConcurrentHashMap<>();

  private FileScans(SparkSession spark) {
    this.spark = spark;
  }

  /** Starts counting the session's scans; {@link #close()} stops. */
  public static FileScans listen(SparkSession spark) {
    FileScans scans = new FileScans(spark);
    spark.listenerManager().register(scans);
    return scans;
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    // Plans are not kept (they hold broadcast relations): a set of this plan's nodes, then dropped.
    visit(qe.executedPlan(), Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {
    // a failed query fails the run; its scans are of no interest
  }

  private void visit(SparkPlan plan, Set<SparkPlan> seen) {
    if (!seen.add(plan)) {
      return;
    }
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      visit(adaptive.executedPlan(), seen);
    } else if (plan instanceof QueryStageExec stage) {
      visit(stage.plan(), seen);
    } else if (plan instanceof InMemoryTableScanExec cached) {
      visit(cached.relation().cachedPlan(), seen);
    } else if (plan instanceof FileSourceScanExec scan && ran(scan)
        && counted.add(scan.metrics().get("numFiles").get().id())) {
      for (org.apache.hadoop.fs.Path root : scala.collection.JavaConverters.seqAsJavaList(
          scan.relation().location().rootPaths())) {
        if (!root.toString().contains("/_delta_log")) {   // Delta reading its own log is no scan of the table
          scansByPath.merge(root.toString(), 1, Integer::sum);
        }
      }
    }
    scala.collection.JavaConverters.seqAsJavaList(plan.children()).forEach(p -> visit(p, seen));
    scala.collection.JavaConverters.seqAsJavaList(plan.subqueries()).forEach(p -> visit(p, seen));
  }

  /** A scan of a plan that ran has read files (a scan AQE left out, or of an empty table, read none). */
  private static boolean ran(FileSourceScanExec scan) {
    scala.Option<SQLMetric> files = scan.metrics().get("numFiles");
    return files.isDefined() && files.get().value() > 0;
  }

  /**
   * Scans of each table: the scans whose root path is {@code tablePath} or lies under it, once the listener bus
   * has delivered what it holds.
   */
  public int scansOf(String tablePath) {
    settle();
    return countUnder(tablePath);
  }

  private int countUnder(String tablePath) {
    String prefix = tablePath.endsWith("/") ? tablePath : tablePath + "/";
    return scansByPath.entrySet().stream()
        .filter(e -> e.getKey().equals(tablePath) || e.getKey().startsWith(prefix))
        .mapToInt(Map.Entry::getValue).sum();
  }

  /** Every root path scanned, with its number of scans. */
  public Map<String, Integer> byPath() {
    settle();
    return Map.copyOf(scansByPath);
  }

  private void settle() {
    SparkMetrics.drain(spark.sparkContext());
  }

  @Override
  public void close() {
    spark.listenerManager().unregister(this);
  }

  /** The scans of each of {@code tables} (name to path), after one wait for the listener bus. */
  public Map<String, Integer> scansOf(Map<String, String> tables) {
    settle();
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    tables.forEach((name, path) -> counts.put(name, countUnder(path)));
    return counts;
  }
}
