package io.cskpi.cli;

import static org.apache.spark.sql.functions.col;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.InputMapping;
import io.cskpi.io.InputReader;
import io.cskpi.io.Location;
import io.cskpi.io.TableFormat;
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

  @Mixin InputOptions inputs = new InputOptions();

  @Option(names = "--rows", paramLabel = "N", description = "Rows to show per table (default ${DEFAULT-VALUE})")
  int rows = 5;

  @Override
  public Integer call() {
    CskpiConfig config = inputs.applyTo(common.config());
    SparkSession spark = Cskpi.session(config, "cskpi check");
    FamilyPlan plan = FamilyPlan.of(Families.ALL, config);
    Map<String, Dataset<Row>> conformed = NightlyPipeline.readInputs(spark, config, plan);
    StringBuilder out = new StringBuilder();
    for (TableSpec spec : plan.inputs()) {
      InputMapping mapping = config.inputMapping(spec.name());
      TableFormat format = config.inputFormat(spec.name());
      Location location = NightlyPipeline.inputLocation(spark, config, plan, spec);
      out.append(String.format("%n== %s (%s) %s%n", spec.name(), format, location == null ? "absent: read when present"
          : location));
      if (location == null) {
        continue;
      }
      if (!config.inputOptions(spec.name()).isEmpty()) {
        out.append("  options ").append(config.inputOptions(spec.name())).append('\n');
      }
      if (mapping.where() != null) {
        out.append("  where ").append(oneLine(mapping.where())).append('\n');
      }
      mapping.columns().forEach((c, e) -> out.append(String.format("  %-20s = %s%n", c, oneLine(e))));
      var rules = NightlyPipeline.rules(spec, plan);
      Dataset<Row> checked = InputChecks.check(spec, conformed.get(spec.name()), rules).cache();
      long used = Quarantine.clean(checked).count();
      Dataset<Row> rejected = Quarantine.rejected(spec, checked, rules,
          config.quarantineKeepsSourceColumns()).cache();
      long bad = rejected.count();
      if (mapping.where() != null) {
        Dataset<Row> source = InputReader.source(spark, spec, location, format, config.inputOptions(spec.name()));
        long sourceRows = source.filter(Quarantine.isRow(source)).count();
        out.append(String.format("  rows in the source %,d, kept by where %,d%n", sourceRows, used + bad));
      }
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

  /** An expression written over several conf lines, on one line. */
  private static String oneLine(String expression) {
    return expression.strip().replaceAll("\\s+", " ");
  }
}
