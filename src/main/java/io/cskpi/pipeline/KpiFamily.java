package io.cskpi.pipeline;

import io.cskpi.quality.RowRule;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;
import java.util.Map;

/**
 * A group of KPIs computed together: the input tables it reads, the row rules it adds to them, and a pure
 * compute from clean inputs to result tables. The pipeline does all reading, checking and writing.
 */
public interface KpiFamily {
  String name();

  List<TableSpec> inputs();

  /** Names of the families whose results this one reads; they run before it. */
  default List<String> dependsOn() {
    return List.of();
  }

  /** Row rules beyond the spec's own (see InputChecks), for any of {@link #inputs()}. */
  default List<RowRule> rules() {
    return List.of();
  }

  /**
   * Result tables from clean inputs, keyed by input table name, and the results of the families before this
   * one, keyed by result table name. Lazy where it can be (a model fit collects its compressed summary).
   */
  List<OutputTable> compute(Map<String, Dataset<Row>> inputs, RunContext ctx);
}
