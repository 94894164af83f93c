package io.cskpi.family;

import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Map;
import java.util.Optional;

/**
 * A family's view of the run: its declared input tables (clean rows) and the declared result tables of the
 * families before it. Asking for a table the family did not declare is an error, so a declaration cannot lie.
 */
public final class Inputs {
  private final Declaration declaration;
  private final Map<String, Dataset<Row>> inputs;
  private final Map<String, Dataset<Row>> results;

  public Inputs(Declaration declaration, Map<String, Dataset<Row>> inputs, Map<String, Dataset<Row>> results) {
    this.declaration = declaration;
    this.inputs = inputs;
    this.results = results;
  }

  /** The clean rows of an input table the family declared (empty for an absent table it reads when present). */
  public Dataset<Row> table(TableSpec spec) {
    if (!declaration.inputsRead().contains(spec)) {
      throw new IllegalStateException("family " + declaration.name() + " reads input table " + spec.name()
          + " without declaring it (Declaration.reads)");
    }
    return require(inputs, spec.name());
  }

  /** Another family's result table that this family declared it reads. */
  public Dataset<Row> result(ResultTable table) {
    if (!declaration.readsResults().contains(table)) {
      throw new IllegalStateException("family " + declaration.name() + " reads result table " + table.name()
          + " without declaring it (Declaration.readsResults)");
    }
    return require(results, table.name());
  }

  /** Another family's result table that this family uses when that family runs; empty when it does not. */
  public Optional<Dataset<Row>> resultWhenRun(ResultTable table) {
    if (!declaration.usesResults().contains(table)) {
      throw new IllegalStateException("family " + declaration.name() + " uses result table " + table.name()
          + " without declaring it (Declaration.usesResultsWhenRun)");
    }
    return Optional.ofNullable(results.get(table.name()));
  }

  private Dataset<Row> require(Map<String, Dataset<Row>> tables, String name) {
    Dataset<Row> t = tables.get(name);
    if (t == null) {
      throw new IllegalStateException("table " + name + " is not available to family " + declaration.name());
    }
    return t;
  }
}
