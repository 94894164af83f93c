package io.cskpi.cli;

import static org.apache.spark.sql.functions.col;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.InputMapping;
import io.cskpi.pipeline.FamilyPlan;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.quality.InputChecks;
import io.cskpi.quality.Quarantine;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cskpi check}: the command to run while writing a mapping. Reads and validates every input table the conf's
 * families read, and prints per table its mapping, rows read, used and rejected (with the rules), and its first
 * rows as the data model's columns (in its order). Computes no KPI and writes nothing.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Read and check every input table (and its mapping onto the data model); print counts and rows.")
public final class CheckCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--input", paramLabel = "DIR", description = "Input directory: DIR/<table>/ or DIR/<table>.csv")
  String input;

  @Option(names = "--input-format", paramLabel = "F", description = "delta | parquet | csv | json (all tables)")
  String inputFormat;

  @Option(names = "--rows", paramLabel = "N", description = "Rows to show per table (default ${DEFAULT-VALUE})")
  int rows = 5;

  @Override
  public Integer call() {
    CskpiConfig config = RunCommand.withOptions(common.config(), input, inputFormat, null);
    SparkSession spark = Cskpi.session(config, "cskpi check");
    FamilyPlan plan = FamilyPlan.of(Families.ALL, config);
    Map<String, Dataset<Row>> conformed = NightlyPipeline.readInputs(spark, config, plan);
    StringBuilder out = new StringBuilder();
    for (TableSpec spec : plan.inputs()) {
      InputMapping mapping = config.inputMapping(spec.name());
      out.append(String.format("%n== %s (%s)%n", spec.name(), config.inputFormat(spec.name())));
      if (mapping.where() != null) {
        out.append("  where ").append(mapping.where()).append('\n');
      }
      mapping.columns().forEach((c, e) -> out.append(String.format("  %-20s = %s%n", c, e)));
      var rules = NightlyPipeline.rules(spec, plan);
      Dataset<Row> checked = InputChecks.check(spec, conformed.get(spec.name()), rules).cache();
      long used = Quarantine.clean(checked).count();
      Dataset<Row> rejected = Quarantine.rejected(spec, checked, rules).cache();
      long bad = rejected.count();
      out.append(String.format("  rows read %,d = used %,d + rejected %,d%n", used + bad, used, bad));
      if (bad > 0) {
        rejected.select(org.apache.spark.sql.functions.explode(col("rules")).as("rule")).groupBy("rule").count()
            .orderBy("rule")
            .collectAsList().forEach(r -> out.append(String.format("    %-28s %,d%n", r.getString(0), r.getLong(1))));
        out.append("    first: ").append(rejected.select("rule_description", "raw_row").first()).append('\n');
      }
      Dataset<Row> first = Quarantine.clean(checked)
          .select(spec.columns().stream().map(c -> col(c.name())).toArray(org.apache.spark.sql.Column[]::new))
          .limit(rows);
      out.append("  ").append(String.join(" | ", first.columns())).append('\n');
      for (Row r : first.collectAsList()) {
        StringBuilder line = new StringBuilder("  ");
        for (int i = 0; i < r.length(); i++) {
          line.append(i == 0 ? "" : " | ").append(r.isNullAt(i) ? "null" : r.get(i).toString());
        }
        out.append(line).append('\n');
      }
      checked.unpersist();
      rejected.unpersist();
    }
    System.out.print(out);
    return 0;
  }
}
