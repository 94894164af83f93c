package io.cskpi.pipeline;

import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultColumn;
import io.cskpi.family.ResultTable;
import io.cskpi.io.Location;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The result tables by name in the Spark catalog, for BI tools: database {@code cskpi.catalog.database} holds every
 * result table (an external Delta table at its location, with the KPI catalog's table and column comments), a view
 * {@code <table>_current} per table that selects the published run's rows (its as-of date, in the table version
 * that run wrote: all-or-nothing for readers too), and {@code kpi_catalog}, one row per KPI column.
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
   * Registers what {@code outputDir} holds under {@code database}: tables, the published run's views (replaced when
   * the published run changes) and kpi_catalog. Returns the published run the views select, if any.
   */
  public static Optional<RunLog.Published> register(SparkSession spark, String database, Location outputDir,
      List<KpiFamily> registry, List<String> segments) {
    String db = identifier(database);
    spark.sql("CREATE DATABASE IF NOT EXISTS " + db + " COMMENT 'cs-kpi result tables: customer-success KPIs'");
    writeKpiCatalog(spark, outputDir.child(KPI_CATALOG), registry, segments);
    List<ResultTable> tables = new ArrayList<>(List.of(NightlyPipeline.QUARANTINE, RunLog.RUN_LOG));
    registry.forEach(f -> tables.addAll(f.declaration().writes()));
    List<String> names = new ArrayList<>(tables.stream().map(ResultTable::name).toList());
    names.add(KPI_CATALOG);
    for (String name : names) {
      Location path = outputDir.child(name);
      if (path.child("_delta_log").exists(spark)) {
        spark.sql("CREATE TABLE IF NOT EXISTS " + db + "." + identifier(name) + " USING DELTA LOCATION '"
            + path.toString().replace("'", "\\'") + "'");
      }
    }
    Optional<RunLog.Published> published = RunLog.published(spark, outputDir);
    published.ifPresent(run -> run.versions().forEach((table, version) -> spark.sql(
        "CREATE OR REPLACE VIEW " + db + "." + identifier(table + "_current")
            + " COMMENT 'The published run\\'s rows of " + table + ": as of " + run.asOf() + ", run " + run.runId()
            + "' AS SELECT * FROM " + db + "." + identifier(table) + " VERSION AS OF " + version
            + " WHERE as_of_date = DATE'" + run.asOf() + "'")));
    return published;
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
