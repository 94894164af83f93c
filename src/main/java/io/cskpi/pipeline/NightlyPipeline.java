package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.config.CskpiConfig;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.CommonColumns;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultColumn;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.io.DeltaOutput;
import io.cskpi.io.InputReader;
import io.cskpi.io.Location;
import io.cskpi.io.TableFormat;
import io.cskpi.quality.InputChecks;
import io.cskpi.quality.Quarantine;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nightly run: plan the families from their declarations, read every input they need once, check it (bad
 * rows to the quarantine), compute every family in dependency order, check each result against its declared
 * schema and write it as a Delta table as soon as it is computed (later families read it as written). Settings,
 * reads and input schema checks all happen before any compute, so a wrong conf or input fails fast; a result that
 * does not match its declaration fails the run when its family is reached (recorded as failed, never published).
 */
public final class NightlyPipeline {
  private NightlyPipeline() {}

  /** The pipeline's own result: every rejected input row, with the rules it broke. */
  public static final ResultTable QUARANTINE = ResultTable.named("quarantine",
          "Input rows that broke a rule: one row per rejected input row, every rule it broke, the row as read")
      .grain("rejected input row")
      .column("table_name", StringType, "Input table of the rejected row. One quarantine row per rejected input "
          + "row: rows read = rows used + rows rejected for every input table.")
      .column("rules", new ArrayType(StringType, true), "Names of every rule the row breaks, e.g. [negative_mrr, "
          + "duplicate_key].")
      .nullable("rule_description", StringType, "For each rule broken, 'rule: what it requires' (for "
          + "invalid_value, the values that failed to parse), joined with '; '.")
      .nullable("source_file", StringType, "The CSV file the row was read from; null for Delta and Parquet inputs.")
      .nullable("raw_line", StringType, "For malformed_record: the CSV line exactly as read; null otherwise.")
      .nullable("raw_row", StringType, "The row as read (CSV text where a value failed to parse), as JSON.")
      .build();

  /** Locates, reads and conforms every input of the plan (schema errors are raised here). */
  public static Map<String, Dataset<Row>> readInputs(SparkSession spark, CskpiConfig config, FamilyPlan plan) {
    Map<String, Dataset<Row>> conformed = new LinkedHashMap<>();
    for (TableSpec spec : plan.inputs()) {
      Location path = inputLocation(spark, config, plan, spec);
      conformed.put(spec.name(), path == null
          ? InputReader.conform(spec, spark.createDataFrame(List.of(), spec.schema()), false)   // absent: empty
          : InputReader.read(spark, spec, path, config.inputFormat(spec.name()), config.inputOptions(spec.name()),
              config.inputMapping(spec.name())));
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

  /**
   * Where an input table is: its own path ({@code cskpi.input.tables.<table>.path}) or found in the input
   * directory; null for a table read when present that is absent; else an error naming the families needing it.
   */
  public static Location inputLocation(SparkSession spark, CskpiConfig config, FamilyPlan plan, TableSpec spec) {
    TableFormat format = config.inputFormat(spec.name());
    String ownPath = config.inputPath(spec.name());
    try {
      if (ownPath == null) {
        return InputReader.locate(spark, location(spark, "cskpi.input.dir", config.inputDir()), spec.name(), format);
      }
      Location path = location(spark, "cskpi.input.tables." + spec.name() + ".path", ownPath);
      if (!path.exists(spark)) {
        throw new InputSchemaException("input table '" + spec.name() + "' not found at " + path + " (" + format + ")");
      }
      return path;
    } catch (InputSchemaException e) {
      if (plan.optional(spec)) {
        return null;
      }
      List<String> users = plan.readersOf(spec);
      throw new InputSchemaException(e.getMessage() + "; the " + String.join(" and ", users) + " famil"
          + (users.size() > 1 ? "ies need" : "y needs") + " it (conf cskpi.families chooses the families to run)");
    }
  }

  /**
   * The rules an input table's rows must meet: the data model's and every chosen family's (a row one family
   * cannot use is quarantined for all of them).
   */
  public static List<RowRule> rules(TableSpec spec, FamilyPlan plan) {
    List<RowRule> rules = new ArrayList<>(InputChecks.specRules(spec));
    plan.families().forEach(f -> f.declaration().rules(plan.settings().get(f.name())).stream()
        .filter(r -> r.table().equals(spec.name()))
        .forEach(rules::add));
    return rules;
  }

  /** A result to write: its declaration and its rows, checked against the declaration. */
  public record OutputTable(ResultTable table, Dataset<Row> rows) {
    public String name() {
      return table.name();
    }
  }

  /** The result tables (the quarantine first) and the checked inputs they came from, by input table. */
  public record Computed(List<OutputTable> outputs, Map<String, Dataset<Row>> checked) {
    public OutputTable output(String name) {
      return outputs.stream().filter(o -> o.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no result table " + name));
    }
  }

  /**
   * Where each result goes as it is computed; returns the rows later families read of it (the same rows, or the
   * table as written, so a downstream family's plan starts at the written table instead of recomputing it).
   */
  @FunctionalInterface
  public interface ResultSink {
    Dataset<Row> accept(OutputTable result);

    /** Keeps results as lazy Datasets (tests and checks): later families read them as computed. */
    ResultSink LAZY = OutputTable::rows;
  }

  /**
   * From conformed inputs to every result table, the quarantine first. Checked inputs are persisted so each
   * is read once although the quarantine and the KPIs both use it.
   */
  public static Computed compute(Map<String, Dataset<Row>> conformed, LocalDate asOf, List<String> segments,
      FamilyPlan plan) {
    return compute(conformed, asOf, segments, plan, false, ResultSink.LAZY, new Stopwatch());
  }

  /**
   * As above; {@code keepSourceColumns}: quarantine rows keep every source column (conf cskpi.quarantine). Each
   * result is handed to {@code sink} as soon as its family has computed it (the run writes it there), and each
   * family's compute is a stage of {@code stages} (model fits happen there; the rest is planning).
   */
  public static Computed compute(Map<String, Dataset<Row>> conformed, LocalDate asOf, List<String> segments,
      FamilyPlan plan, boolean keepSourceColumns, ResultSink sink, Stopwatch stages) {
    Map<String, Dataset<Row>> clean = new LinkedHashMap<>();
    Map<String, Dataset<Row>> checkedInputs = new LinkedHashMap<>();
    Dataset<Row> quarantine = null;
    for (TableSpec spec : plan.inputs()) {
      List<RowRule> rules = rules(spec, plan);
      Dataset<Row> checked = InputChecks.check(spec, conformed.get(spec.name()), rules)
          .persist(StorageLevel.MEMORY_AND_DISK());
      checkedInputs.put(spec.name(), checked);
      clean.put(spec.name(), Quarantine.clean(checked));
      Dataset<Row> rejected = Quarantine.rejected(spec, checked, rules, keepSourceColumns);
      quarantine = quarantine == null ? rejected : quarantine.unionByName(rejected);
    }
    if (quarantine == null) {   // families that read only other families' results
      quarantine = SparkSession.active().createDataFrame(List.of(), QUARANTINE.schema(List.of()));
    }
    List<OutputTable> outputs = new ArrayList<>();
    OutputTable rejected = new OutputTable(QUARANTINE, ResultSchemas.conform(QUARANTINE, segments, quarantine));
    outputs.add(rejected);
    sink.accept(rejected);
    // Families run in dependency order; each sees its declared inputs and the results it declared it reads.
    Map<String, Dataset<Row>> results = new LinkedHashMap<>();
    for (KpiFamily family : plan.families()) {
      Results computed = stages.time("compute " + family.name(), () -> family.compute(
          new Inputs(family.declaration(), clean, results),
          new RunContext(asOf, segments, plan.settings().get(family.name()))));
      computed.tables().keySet().stream().filter(t -> !family.declaration().writes().contains(t)).findFirst()
          .ifPresent(t -> {
            throw new ResultSchemas.DriftException("family " + family.name() + " computed result table " + t.name()
                + ", which it does not declare");
          });
      for (ResultTable table : family.declaration().writes()) {
        Dataset<Row> rows = computed.get(table);
        if (rows == null) {
          throw new ResultSchemas.DriftException("family " + family.name() + " did not compute its declared result "
              + "table " + table.name());
        }
        OutputTable out = new OutputTable(table, ResultSchemas.conform(table, segments, rows));
        outputs.add(out);
        results.put(table.name(), sink.accept(out));
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

  /** Column comments of a written table: each declared column's definition, run_id's and as_of_date's. */
  static Map<String, String> comments(ResultTable table, List<String> segments) {
    Map<String, String> comments = new LinkedHashMap<>();
    for (ResultColumn c : table.columns(segments)) {
      comments.put(c.name(), c.definition());
    }
    comments.put(CommonColumns.RUN_ID.name(), CommonColumns.RUN_ID.definition());
    comments.put(CommonColumns.AS_OF_DATE.name(), CommonColumns.AS_OF_DATE.definition());
    return comments;
  }

  /** How a run was started: the nightly run publishes its date; a backfill publishes only the published date. */
  public enum Mode {
    RUN, BACKFILL;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The nightly run: holds the output directory's lock, plans, reads, computes, writes every table's rows of the
   * run and publishes the run (its run_log row) only when all of them are written. A date before the published one
   * is computed but not published unless {@code publishOlder} (a late rerun of an old date does not move readers
   * back in time).
   */
  public static RunReport run(SparkSession spark, CskpiConfig config, LocalDate asOf, List<KpiFamily> registry,
      boolean publishOlder) {
    FamilyPlan plan = FamilyPlan.of(registry, config);
    Location outputDir = location(spark, "cskpi.output.dir", config.outputDir());   // before any compute
    requirePersistentCatalog(spark, config);
    String runId = java.util.UUID.randomUUID().toString();
    try (RunLock lock = lock(spark, config, outputDir, runId, "run as of " + asOf, Mode.RUN.toString(), asOf)) {
      LocalDate published = RunLog.published(spark, outputDir).map(RunLog.Published::asOf).orElse(null);
      boolean publish = publishOlder || published == null || !asOf.isBefore(published);
      return runLocked(spark, config, plan, outputDir, asOf, Mode.RUN, publish, runId);
    }
  }

  /** The nightly run as of {@code asOf}, published unless it is older than the published date. */
  public static RunReport run(SparkSession spark, CskpiConfig config, LocalDate asOf, List<KpiFamily> registry) {
    return run(spark, config, asOf, registry, false);
  }

  /**
   * Recomputes every date of {@code dates} under one lock, oldest first. The published date stays as it was: a
   * backfilled date is published only when it is the published date (recomputed, so republished).
   */
  public static List<RunReport> backfill(SparkSession spark, CskpiConfig config, List<LocalDate> dates,
      List<KpiFamily> registry, java.util.function.Consumer<RunReport> afterEach) {
    FamilyPlan plan = FamilyPlan.of(registry, config);
    Location outputDir = location(spark, "cskpi.output.dir", config.outputDir());
    requirePersistentCatalog(spark, config);
    String first = java.util.UUID.randomUUID().toString();
    List<RunReport> reports = new ArrayList<>();
    String what = "backfill " + dates.get(0) + " to " + dates.get(dates.size() - 1);
    try (RunLock lock = lock(spark, config, outputDir, first, what, Mode.BACKFILL.toString(), dates.get(0))) {
      LocalDate published = RunLog.published(spark, outputDir).map(RunLog.Published::asOf).orElse(null);
      for (LocalDate date : dates) {
        String runId = reports.isEmpty() ? first : java.util.UUID.randomUUID().toString();
        if (!reports.isEmpty()) {
          lock.update(runId, what, Mode.BACKFILL.toString(), date);
        }
        RunReport report = runLocked(spark, config, plan, outputDir, date, Mode.BACKFILL, date.equals(published),
            runId);
        reports.add(report);
        afterEach.accept(report);
      }
    }
    return reports;
  }

  /**
   * Takes the output directory's lock; a dead holder on this host (a killed run) is recorded as killed in the run
   * log and its lock taken over.
   */
  static RunLock lock(SparkSession spark, CskpiConfig config, Location outputDir, String runId, String what,
      String mode, LocalDate asOf) {
    RunLock lock = RunLock.acquire(spark, outputDir, runId, what, mode, asOf, config.lockStaleMinutes());
    try {
      lock.tookOverFrom().ifPresent(dead -> {
        System.err.println("cskpi: " + dead + " is no longer running (its process is gone, or its lock was not "
            + "renewed for " + config.lockStaleMinutes() + " minutes): recorded as killed, its lock taken over");
        RunLog.appendKilled(spark, outputDir, dead, "found dead when run " + runId + " started");
      });
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return lock;
  }

  /** Before any compute: registering in the catalog needs a catalog that keeps tables beyond the session. */
  private static void requirePersistentCatalog(SparkSession spark, CskpiConfig config) {
    if (config.catalogRegisterOnRun()
        && "in-memory".equals(spark.conf().get("spark.sql.catalogImplementation", "in-memory"))) {
      throw new InvalidSettingException("cskpi.catalog.register-on-run = true, but this session's catalog is "
          + "in-memory (lost when the run ends): run with the cluster's metastore (cskpi.spark.conf "
          + "\"spark.sql.catalogImplementation\" = hive) or on Databricks, or let cskpi serve register the tables");
    }
  }

  private static RunReport runLocked(SparkSession spark, CskpiConfig config, FamilyPlan plan, Location outputDir,
      LocalDate asOf, Mode mode, boolean publish, String runId) {
    java.time.Instant started = java.time.Instant.now();
    try (SparkMetrics metrics = SparkMetrics.listen(spark.sparkContext()); FileScans scans = FileScans.listen(spark)) {
      return runLocked(spark, config, plan, outputDir, asOf, mode, publish, runId, started, metrics, scans);
    }
  }

  private static RunReport runLocked(SparkSession spark, CskpiConfig config, FamilyPlan plan, Location outputDir,
      LocalDate asOf, Mode mode, boolean publish, String runId, java.time.Instant started, SparkMetrics metrics,
      FileScans scans) {
    Stopwatch stages = new Stopwatch(metrics);
    List<String> segments = config.segmentColumns();
    Map<String, Location> written = new LinkedHashMap<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    Map<String, String> properties = new LinkedHashMap<>(DeltaOutput.writeProperties());
    properties.put("delta.logRetentionDuration", "interval " + config.logRetentionDays() + " days");
    properties.put("delta.deletedFileRetentionDuration", "interval " + config.deletedFileRetentionDays() + " days");
    Map<String, InputReconciliation.Counts> counts = null;
    try {
      Map<String, Dataset<Row>> conformed = stages.time("read and check input schemas",
          () -> readInputs(spark, config, plan));
      // Each result is written as soon as its family computed it; later families read it as written.
      ResultSink write = out -> {
        Location path = outputDir.child(out.name());
        Dataset<Row> rows = DeltaOutput.withComments(out.rows()
            .withColumn(CommonColumns.RUN_ID.name(), lit(runId))
            .withColumn(CommonColumns.AS_OF_DATE.name(), lit(asOf)), comments(out.table(), segments));
        stages.time("write " + out.name(), () -> {
          DeltaOutput.appendRun(rows, path, out.table().storagePartitions());
          versions.put(out.name(), DeltaOutput.describe(spark, path, out.table().description(), properties));
        });
        written.put(out.name(), path);
        return DeltaOutput.readRun(spark, path, runId, asOf).select(java.util.Arrays.stream(out.rows().columns())
            .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
      };
      Computed computed = compute(conformed, asOf, segments, plan, config.quarantineKeepsSourceColumns(), write,
          stages);
      counts = stages.time("reconcile inputs", () -> InputReconciliation.of(computed.checked(),
          DeltaOutput.readRun(spark, written.get(QUARANTINE.name()), runId, asOf)));
      if (config.catalogRegisterOnRun()) {   // before the run's row: a run that cannot register fails whole
        stages.time("register in the catalog", () -> CatalogTables.register(spark, config.catalogDatabase(),
            outputDir, plan.families(), segments, config.catalogExposesQuarantine()));
      }
      RunLog.append(spark, outputDir, entry(runId, asOf, mode, true, publish, started, stages, counts, versions,
          plan, config, null));
    } catch (Throwable e) {   // an Error too (out of memory): the run log says the run failed
      try {
        RunLog.append(spark, outputDir, entry(runId, asOf, mode, false, false, started, stages, counts, versions,
            plan, config, errorText(e)));
      } catch (RuntimeException logFailure) {
        e.addSuppressed(logFailure);
      }
      spark.catalog().clearCache();
      throw e;
    }
    try {
      removeSupersededRuns(spark, outputDir, written, asOf, runId, stages);
    } catch (RuntimeException e) {   // published already; readers never see those rows, cskpi maintain removes them
      System.err.println("cskpi: warning: rows of earlier runs as of " + asOf + " not removed (cskpi maintain "
          + "will): " + e.getMessage());
    } finally {
      spark.catalog().clearCache();
    }
    return new RunReport(runId, asOf, plan, written, versions, counts, stages, publish, metrics.totals(),
        inputScans(spark, config, plan, scans));
  }

  /** How often each input's files were scanned; empty, with a warning, if an input cannot be located now. */
  private static Map<String, Integer> inputScans(SparkSession spark, CskpiConfig config, FamilyPlan plan,
      FileScans scans) {
    Map<String, String> paths = new LinkedHashMap<>();
    try {
      for (TableSpec spec : plan.inputs()) {
        Location path = inputLocation(spark, config, plan, spec);
        if (path != null) {
          paths.put(spec.name(), path.toString());
        }
      }
    } catch (RuntimeException e) {   // the run succeeded and is recorded: counting its scans must not fail it
      System.err.println("cskpi: warning: input scans not counted: " + e.getMessage());
      return Map.of();
    }
    return scans.scansOf(paths);
  }



  /**
   * After a rerun of a date succeeded: deletes, from the tables it wrote, the rows of the earlier runs of that
   * date the run log knows (failed, killed or superseded: this run now has the highest run_seq, so no reader
   * selects them), so each table holds one run's rows per date. A run the log does not know (one still writing
   * elsewhere) is left alone; cskpi maintain removes rows of unknown runs under the lock. A nightly run of a new
   * date has nothing to delete and adds no commit.
   */
  private static void removeSupersededRuns(SparkSession spark, Location outputDir, Map<String, Location> written,
      LocalDate asOf, String runId, Stopwatch stages) {
    List<String> earlier = RunLog.otherRuns(spark, outputDir, asOf, runId);
    if (!earlier.isEmpty()) {
      stages.time("remove superseded runs' rows", () -> written.values()
          .forEach(path -> DeltaOutput.deleteRuns(spark, path, asOf, earlier)));
    }
  }

  /** The failure as the run log keeps it: type and message, at most 2,000 characters. */
  private static String errorText(Throwable e) {
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    return text.length() <= 2000 ? text : text.substring(0, 2000) + " ...";
  }

  private static RunLog.Entry entry(String runId, LocalDate asOf, Mode mode, boolean succeeded, boolean publish,
      java.time.Instant started, Stopwatch stages, Map<String, InputReconciliation.Counts> counts,
      Map<String, Long> versions, FamilyPlan plan, CskpiConfig config, String error) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    stages.millis().forEach((stage, ms) -> seconds.put(stage, ms / 1000.0));
    return new RunLog.Entry(runId, asOf, mode.toString(), succeeded, succeeded && publish, started,
        java.time.Instant.now(), seconds, counts, versions, plan.families().stream().map(KpiFamily::name).toList(),
        config.renderRedacted(), error);
  }

  /** What a run wrote, the reconciliation of its inputs and its stage timings. */
  public record RunReport(String runId, LocalDate asOf, FamilyPlan plan, Map<String, Location> tables,
      Map<String, Long> versions, Map<String, InputReconciliation.Counts> inputs, Stopwatch stages,
      boolean published, Map<String, SparkMetrics.Totals> spark, Map<String, Integer> inputScans) {}
}
