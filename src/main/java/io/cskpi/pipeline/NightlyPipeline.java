package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.lit;

import io.cskpi.config.CskpiConfig;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.io.DeltaOutput;
import io.cskpi.io.InputReader;
import io.cskpi.io.Location;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.quality.InputChecks;
import io.cskpi.quality.Quarantine;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nightly run: read every input the families need once, check it (bad rows to the quarantine), compute
 * every family's results and write each as a Delta table. Reads and schema checks all happen before any
 * compute, so a wrong input fails fast.
 */
public final class NightlyPipeline {
  private NightlyPipeline() {}

  public static final String QUARANTINE = "quarantine";

  /** Every KPI family, in dependency order. */
  public static List<KpiFamily> families() {
    return List.of(new RevenueFamily(), new io.cskpi.kpi.economics.EconomicsFamily(),
        new io.cskpi.kpi.clv.ClvFamily());
  }

  /** The families named in conf {@code cskpi.families}, checked for unknown names and missing dependencies. */
  public static List<KpiFamily> families(CskpiConfig config) {
    List<String> wanted = config.families();
    List<String> known = families().stream().map(KpiFamily::name).toList();
    for (String name : wanted) {
      if (!known.contains(name)) {
        throw new InvalidSettingException("cskpi.families = " + wanted + ": unknown family '" + name + "'; known: "
            + known);
      }
    }
    List<KpiFamily> chosen = families().stream().filter(f -> wanted.contains(f.name())).toList();
    for (KpiFamily f : chosen) {
      for (String needed : f.dependsOn()) {
        if (!wanted.contains(needed)) {
          throw new InvalidSettingException("cskpi.families = " + wanted + ": family '" + f.name() + "' needs family '"
              + needed + "'; add it or leave out '" + f.name() + "'");
        }
      }
    }
    return chosen;
  }

  /** The input tables the families read, each once, in first-use order. */
  public static List<TableSpec> inputsOf(List<KpiFamily> families) {
    Map<String, TableSpec> specs = new LinkedHashMap<>();
    families.forEach(f -> f.inputs().forEach(t -> specs.putIfAbsent(t.name(), t)));
    return List.copyOf(specs.values());
  }

  /** Locates, reads and conforms every input (schema errors are raised here). */
  public static Map<String, Dataset<Row>> readInputs(SparkSession spark, CskpiConfig config,
      List<KpiFamily> families) {
    Map<String, Dataset<Row>> conformed = new LinkedHashMap<>();
    Location inputDir = location(spark, "cskpi.input.dir", config.inputDir());
    for (TableSpec spec : inputsOf(families)) {
      String format = config.inputFormat(spec.name());
      String ownPath = config.inputPath(spec.name());
      Location path;
      try {
        if (ownPath == null) {
          path = InputReader.locate(spark, inputDir, spec.name(), format);
        } else {
          path = location(spark, "cskpi.input.tables." + spec.name() + ".path", ownPath);
          if (!path.exists(spark)) {
            throw new InputSchemaException(
                "input table '" + spec.name() + "' not found at " + path + " (" + format + ")");
          }
        }
      } catch (InputSchemaException e) {
        List<String> users = families.stream().filter(f -> f.inputs().contains(spec)).map(KpiFamily::name).toList();
        throw new InputSchemaException(e.getMessage() + "; the " + String.join(" and ", users) + " famil"
            + (users.size() > 1 ? "ies need" : "y needs") + " it (conf cskpi.families chooses the families to run)");
      }
      conformed.put(spec.name(), InputReader.read(spark, spec, path, format));
    }
    Dataset<Row> customers = conformed.get(InputTables.CUSTOMERS.name());
    if (customers != null) {
      List<String> columns = List.of(customers.columns());
      for (String segment : config.segmentColumns()) {
        if (!columns.contains(segment)) {
          throw new InvalidSettingException("cskpi.segments = " + config.segmentColumns() + ": '" + segment
              + "' is not a column of table 'customers'; its columns are " + columns.stream()
              .filter(c -> !c.startsWith(Quarantine.HIDDEN)).toList());
        }
      }
    }
    return conformed;
  }

  /** The result tables (the quarantine first) and the checked inputs they came from, by input table. */
  public record Computed(List<OutputTable> outputs, Map<String, Dataset<Row>> checked) {
    public OutputTable output(String name) {
      return outputs.stream().filter(o -> o.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no result table " + name));
    }
  }

  /**
   * From conformed inputs to every result table, the quarantine first. Checked inputs are persisted so each
   * is read once although the quarantine and the KPIs both use it.
   */
  public static Computed compute(Map<String, Dataset<Row>> conformed, RunContext ctx, List<KpiFamily> families) {
    Map<String, Dataset<Row>> clean = new LinkedHashMap<>();
    Map<String, Dataset<Row>> checkedInputs = new LinkedHashMap<>();
    Dataset<Row> quarantine = null;
    for (TableSpec spec : inputsOf(families)) {
      List<RowRule> rules = new ArrayList<>(InputChecks.specRules(spec));
      families.forEach(f -> f.rules().stream().filter(r -> r.table().equals(spec.name())).forEach(rules::add));
      Dataset<Row> checked = InputChecks.check(spec, conformed.get(spec.name()), rules)
          .persist(StorageLevel.MEMORY_AND_DISK());
      checkedInputs.put(spec.name(), checked);
      clean.put(spec.name(), Quarantine.clean(checked));
      Dataset<Row> rejected = Quarantine.rejected(spec, checked, rules);
      quarantine = quarantine == null ? rejected : quarantine.unionByName(rejected);
    }
    List<OutputTable> outputs = new ArrayList<>();
    outputs.add(new OutputTable(QUARANTINE, quarantine, List.of(),
        "Input rows that broke a rule: one row per rejected input row, every rule it broke, the row as read"));
    // Families run in order; each sees the clean inputs and the results of the families before it.
    Map<String, Dataset<Row>> available = new LinkedHashMap<>(clean);
    for (KpiFamily family : families) {
      for (OutputTable out : family.compute(available, ctx)) {
        outputs.add(out);
        available.put(out.name(), out.rows());
      }
    }
    return new Computed(outputs, checkedInputs);
  }

  /** The setting {@code key}'s path, qualified; a path that cannot be one is a setting error naming the key. */
  static Location location(SparkSession spark, String key, String path) {
    try {
      return Location.of(spark, path);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(key + " = " + path + ": not a usable path or URI: " + e.getMessage(), e);
    }
  }

  /** Reads, computes and writes; returns the written tables' paths and the stage timings. */
  public static RunReport run(SparkSession spark, CskpiConfig config, LocalDate asOf) {
    Stages stages = new Stages();
    List<KpiFamily> families = families(config);
    Location outputDir = location(spark, "cskpi.output.dir", config.outputDir());   // before any compute
    RunContext ctx = new RunContext(asOf, config);
    Map<String, Dataset<Row>> conformed = stages.time("read and check input schemas",
        () -> readInputs(spark, config, families));
    Computed computed = stages.time("plan and fit models", () -> compute(conformed, ctx, families));
    Map<String, Location> written = new LinkedHashMap<>();
    for (OutputTable out : computed.outputs()) {
      Location path = outputDir.child(out.name());
      Dataset<Row> rows = DeltaOutput.withComments(out.rows().withColumn("as_of_date", lit(asOf)), out.name(),
          config.segmentColumns());
      stages.time("write " + out.name(), () -> {
        DeltaOutput.replace(rows, path, out.partitionBy());
        DeltaOutput.describe(spark, path, out.description());
      });
      written.put(out.name(), path);
    }
    Map<String, InputReconciliation.Counts> counts = stages.time("reconcile inputs", () -> InputReconciliation.of(
        computed.checked(), spark.read().format("delta").load(written.get(QUARANTINE).toString())));
    spark.catalog().clearCache();
    return new RunReport(asOf, written, counts, stages);
  }

  /** What a run wrote, the reconciliation of its inputs and its stage timings. */
  public record RunReport(LocalDate asOf, Map<String, Location> tables,
      Map<String, InputReconciliation.Counts> inputs, Stages stages) {}
}
