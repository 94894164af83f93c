package io.cskpi.pipeline;

import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultColumn;
import io.cskpi.family.ResultTable;
import io.cskpi.io.DeltaOutput;
import io.cskpi.io.Location;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The results by name in the Spark catalog, for BI tools: database {@code cskpi.catalog.database} holds per result
 * table a view {@code <table>} (every as-of date, each date's latest succeeded run) and {@code <table>_current}
 * (the published run), both with the KPI catalog's table and column comments and never showing a run in progress,
 * failed or superseded (all-or-nothing for readers too); run_log; and {@code kpi_catalog}, one row per KPI column.
 * The Delta tables themselves are not registered: their rows of every run are storage, not something to read.
 */
public final class CatalogTables {
  private CatalogTables() {}

  public static final String KPI_CATALOG = "kpi_catalog";

  /** The contract: name, table, column, definition, formula, unit, grain, source tables; then extras. */
  public static final StructType KPI_CATALOG_SCHEMA = new StructType()
      .add("name", StringType, false).add("table", StringType, false).add("column", StringType, false)
      .add("definition", StringType, false).add("formula", StringType, true).add("unit", StringType, false)
      .add("grain", StringType, false).add("source_tables", StringType, false).add("family", StringType, false)
      .add("data_type", StringType, false).add("table_description", StringType, false);

  /**
   * Registers what {@code outputDir} holds under {@code database}: per result table a view of what readers see
   * (every as-of date, each date's latest succeeded run) and {@code <table>_current} (the published run), with the
   * KPI catalog's table and column comments; run_log and kpi_catalog as tables. The views read the run log when
   * queried, so a run that publishes needs no re-registration. The quarantine only when {@code exposeQuarantine}
   * (it may hold personal data). Returns the published run, if any.
   */
  public static Optional<RunLog.Published> register(SparkSession spark, String database, Location outputDir,
      List<KpiFamily> registry, List<String> segments, boolean exposeQuarantine) {
    String db = identifier(database);
    spark.sql("CREATE DATABASE IF NOT EXISTS " + db + " COMMENT 'cs-kpi result tables: customer-success KPIs'");
    writeKpiCatalog(spark, outputDir.child(KPI_CATALOG), registry, segments);
    for (String table : List.of(RunLog.RUN_LOG.name(), KPI_CATALOG)) {
      Location path = outputDir.child(table);
      if (path.child("_delta_log").exists(spark)) {
        spark.sql("CREATE TABLE IF NOT EXISTS " + db + "." + identifier(table) + " USING DELTA LOCATION '"
            + path.toString().replace("'", "\\'") + "'");
      }
    }
    List<ResultTable> tables = new ArrayList<>(List.of(NightlyPipeline.QUARANTINE));
    registry.forEach(f -> tables.addAll(f.declaration().writes()));
    for (ResultTable t : tables) {
      Location path = outputDir.child(t.name());
      boolean hidden = t == NightlyPipeline.QUARANTINE && !exposeQuarantine;
      if (hidden || !path.child("_delta_log").exists(spark)) {
        if (hidden) {   // registered before with expose-quarantine = true: no longer
          spark.sql("DROP VIEW IF EXISTS " + db + "." + identifier(t.name()));
          spark.sql("DROP VIEW IF EXISTS " + db + "." + identifier(t.name() + "_current"));
        }
        continue;
      }
      List<StructField> columns = java.util.Arrays.stream(DeltaOutput.schema(spark, path).fields())
          .filter(f -> !f.name().equals(CommonColumns.RUN_ID.name())).toList();
      List<String> names = columns.stream().map(StructField::name).toList();
      view(spark, db, t.name(), columns, t.description() + ". One row per " + t.grain() + "; every as-of date, "
          + "each date's latest succeeded run", RunLog.readersQuery(outputDir, t.name(), names, false));
      view(spark, db, t.name() + "_current", columns, "The published run's rows of " + t.name() + " (the run_log "
          + "row published = true that wrote it, latest first)", RunLog.readersQuery(outputDir, t.name(), names,
          true));
    }
    return RunLog.published(spark, outputDir);
  }

  /** A view with the table's column comments; an external table of that name (cs-kpi before views) is dropped. */
  private static void view(SparkSession spark, String db, String name, List<StructField> columns, String comment,
      String query) {
    String qualified = db + "." + identifier(name);
    String plain = db.replace("`", "");
    if (spark.catalog().tableExists(plain, name) && "EXTERNAL".equals(tableType(spark, plain, name))) {
      spark.sql("DROP TABLE " + qualified);   // external: its files stay
    }
    String described = columns.stream().map(f -> identifier(f.name()) + (f.getComment().isDefined()
        ? " COMMENT '" + sqlText(f.getComment().get()) + "'" : "")).collect(Collectors.joining(", "));
    spark.sql("CREATE OR REPLACE VIEW " + qualified + " (" + described + ") COMMENT '" + sqlText(comment) + "' AS "
        + query);
  }

  private static String tableType(SparkSession spark, String db, String name) {
    try {
      return spark.catalog().getTable(db, name).tableType();
    } catch (Exception e) {   // AnalysisException, checked for Java: it was there a moment ago
      return null;
    }
  }

  private static String sqlText(String text) {
    return text.replace("\\", "\\\\").replace("'", "\\'");
  }

  /** One row per result column: the KPI catalog as a table, replaced whole (it describes this version of cs-kpi). */
  static void writeKpiCatalog(SparkSession spark, Location path, List<KpiFamily> registry, List<String> segments) {
    List<Row> rows = new ArrayList<>();
    for (KpiFamily f : registry) {
      String sources = f.declaration().inputsRead().stream().map(TableSpec::name).collect(Collectors.joining(", "));
      List<String> results = f.declaration().readsResults().stream().map(ResultTable::name).toList();
      if (!results.isEmpty()) {
        sources = sources + (sources.isEmpty() ? "" : ", ") + String.join(", ", results);
      }
      for (ResultTable t : f.declaration().writes()) {
        for (ResultColumn c : t.columns(segments)) {
          rows.add(RowFactory.create(t.name() + "." + c.name(), t.name(), c.name(), c.definition(),
              formula(c.definition()), unit(c), t.grain(), sources, f.name(), c.type().sql(), t.description()));
        }
      }
    }
    spark.createDataFrame(rows, KPI_CATALOG_SCHEMA).coalesce(1).write().format("delta").mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true").save(path.toString());
  }

  /**
   * The formula a definition states: its first clause with an arithmetic operator that is not an edge case
   * ("customers_churned / customers_start; null when customers_start = 0" gives "customers_churned /
   * customers_start"), or null when the definition is prose without one.
   */
  static String formula(String definition) {
    for (String clause : definition.split("; |\\. ")) {
      String c = clause.strip();
      c = c.endsWith(".") ? c.substring(0, c.length() - 1) : c;
      if (c.matches(".*( / | = | - | \\+ | × |\\^| \\* ).*") && !c.toLowerCase(java.util.Locale.ROOT).startsWith("null")) {
        return c;
      }
    }
    return null;
  }

  /** The unit a BI tool formats a column with, from the naming conventions of the catalog. */
  static String unit(ResultColumn c) {
    String n = c.name();
    if (c.type() instanceof DecimalType) {
      return "money";
    }
    if (n.endsWith("_rate") || n.endsWith("_share")) {
      return "fraction (0-1)";
    }
    if (n.endsWith("_ratio") || n.equals("nrr") || n.equals("grr")) {
      return "ratio";
    }
    if (n.contains("hours")) {
      return "hours";
    }
    if (n.contains("days")) {
      return "days";
    }
    if (n.contains("months")) {
      return "months";
    }
    if (c.type().equals(DataTypes.LongType) || c.type().equals(DataTypes.IntegerType)) {
      return "count";
    }
    if (c.type().equals(DataTypes.DateType) || c.type().equals(DataTypes.TimestampType)) {
      return "date";
    }
    if (c.type().equals(StringType) || c.type().equals(DataTypes.BooleanType)) {
      return "label";
    }
    return "number";
  }

  /** A name as a SQL identifier, quoted. */
  static String identifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
