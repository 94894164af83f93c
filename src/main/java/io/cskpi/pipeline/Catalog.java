package io.cskpi.pipeline;

import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.Declaration;
import io.cskpi.family.FamilySettings;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultColumn;
import io.cskpi.family.ResultTable;
import io.cskpi.schema.ColumnSpec;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The KPI catalog, derived from the families' declarations: the README's generated sections (input data model,
 * families, family settings, result tables with every column's definition) and {@code cskpi catalog}.
 */
public final class Catalog {
  private Catalog() {}

  /** The README text with its generated {@code catalog:*} sections rewritten. */
  public static String withCatalog(String readme, List<KpiFamily> registry) {
    String out = replaceSection(readme, "inputs", inputModelMarkdown());
    out = replaceSection(out, "families", familiesMarkdown(registry));
    out = replaceSection(out, "tables", tablesMarkdown(registry));
    out = replaceSection(out, "settings", settingsMarkdown(registry));
    return replaceSection(out, "kpis", kpiCatalogMarkdown(registry));
  }

  /** Every section, for printing. */
  public static String markdown(List<KpiFamily> registry) {
    return String.join("\n", inputModelMarkdown(), familiesMarkdown(registry), tablesMarkdown(registry),
        settingsMarkdown(registry), kpiCatalogMarkdown(registry));
  }

  private static String replaceSection(String text, String name, String body) {
    String start = "<!-- catalog:" + name + ":start -->\n";
    String end = "<!-- catalog:" + name + ":end -->";
    int i = text.indexOf(start);
    int j = text.indexOf(end);
    if (i < 0 || j < i) {
      throw new IllegalArgumentException("README has no " + start.strip() + " ... " + end + " section");
    }
    return text.substring(0, i + start.length()) + "\n" + body.strip() + "\n\n" + text.substring(j);
  }

  public static String inputModelMarkdown() {
    StringBuilder md = new StringBuilder();
    for (TableSpec t : InputTables.ALL) {
      md.append("#### `").append(t.name()).append("`\n").append(t.meaning());
      if (t.keyColumn() != null) {
        md.append(" Key: `").append(t.keyColumn()).append("`.");
      }
      md.append("\n\n| column | type | required | meaning |\n|---|---|---|---|\n");
      for (ColumnSpec c : t.columns()) {
        String required = c.required() ? (c.nullable() ? "yes (nullable)" : "yes, not null") : "no";
        md.append("| `").append(c.name()).append("` | ").append(c.type().sql()).append(" | ").append(required)
            .append(" | ").append(c.meaning()).append(" |\n");
      }
      md.append("\n");
    }
    return md.toString();
  }

  /** One row per family: what it reads and writes, in the order a run computes them. */
  public static String familiesMarkdown(List<KpiFamily> registry) {
    StringBuilder md = new StringBuilder("| family | computes | reads inputs | reads results of | writes | row rules |\n"
        + "|---|---|---|---|---|---|\n");
    for (KpiFamily f : FamilyPlan.ordered(registry)) {
      Declaration d = f.declaration();
      md.append("| `").append(d.name()).append("` | ").append(d.description()).append(" | ")
          .append(inputsRead(d)).append(" | ")
          .append(resultsRead(d)).append(" | ")
          .append(codes(d.writes().stream().map(ResultTable::name).toList())).append(" | ")
          .append(d.defaultRules().isEmpty() ? "—" : d.defaultRules().stream().map(r -> "`" + r.name() + "` on `" + r.table() + "`: "
              + r.description()).collect(Collectors.joining("; "))).append(" |\n");
    }
    return md.toString();
  }

  private static String inputsRead(Declaration d) {
    List<String> read = new ArrayList<>(d.inputs().stream().map(TableSpec::name).toList());
    d.optionalInputs().forEach(t -> read.add(t.name() + " (when present)"));
    return read.isEmpty() ? "—" : codes(read);
  }

  private static String resultsRead(Declaration d) {
    List<String> read = new ArrayList<>(d.readsResults().stream().map(ResultTable::name).toList());
    d.usesResults().forEach(t -> read.add(t.name() + " (when run)"));
    return read.isEmpty() ? "—" : codes(read);
  }

  /** One row per result table: the family that writes it, what a row is, partitioning, what it holds. */
  public static String tablesMarkdown(List<KpiFamily> registry) {
    StringBuilder md = new StringBuilder("| table | family | one row per | partitioned by | written | holds |\n"
        + "|---|---|---|---|---|---|\n");
    for (KpiFamily f : registry) {
      f.declaration().writes().forEach(t -> tableRow(md, t, f.name()));
    }
    tableRow(md, NightlyPipeline.QUARANTINE, "(pipeline)");
    tableRow(md, RunLog.RUN_LOG, "(pipeline)");
    return md.toString();
  }

  private static void tableRow(StringBuilder md, ResultTable t, String family) {
    md.append("| `").append(t.name()).append("` | ").append(family).append(" | ").append(t.grain()).append(" | ")
        .append(t.storagePartitions().isEmpty() ? "—" : codes(t.storagePartitions())).append(" | ")
        .append(t.writeMode() == ResultTable.WriteMode.AS_OF ? "a partition per as-of date" : "appended by each run")
        .append(" | ")
        .append(t.description())
        .append(" |\n");
  }

  /** Every family's settings with default, what is allowed and meaning. */
  public static String settingsMarkdown(List<KpiFamily> registry) {
    StringBuilder md = new StringBuilder("| key | default | allowed | meaning |\n|---|---|---|---|\n");
    for (KpiFamily f : registry) {
      for (FamilySettings.Setting s : FamilySettings.declared(f.name(), f.declaration().settings())) {
        md.append("| `cskpi.").append(f.name()).append('.').append(s.key()).append("` | `").append(s.defaultValue())
            .append("` | ").append(s.allowed()).append(" | ").append(s.meaning()).append(" |\n");
      }
    }
    return md.toString();
  }

  /** The shared columns, the quarantine, then every family's result tables with each column's definition. */
  public static String kpiCatalogMarkdown(List<KpiFamily> registry) {
    StringBuilder md = new StringBuilder();
    table(md, "Columns shared by the result tables", "", List.of(CommonColumns.AS_OF_DATE, CommonColumns.RUN_ID,
        CommonColumns.PERIOD_MONTH,
        CommonColumns.DIMENSION, CommonColumns.SEGMENT, new ResultColumn("<segment>", StringType, false,
            "One column per conf cskpi.segments, named after it (plan, region, ...): the customer's value of that "
            + "customers column ('unknown' when null).")));
    List<ResultTable> tables = new ArrayList<>(List.of(NightlyPipeline.QUARANTINE, RunLog.RUN_LOG));
    registry.forEach(f -> tables.addAll(f.declaration().writes()));
    for (ResultTable t : tables) {
      String about = t.description() + ". One row per " + t.grain() + "." + (t.storagePartitions().isEmpty() ? "" : " Partitioned by "
          + codes(t.storagePartitions()) + ".") + (t.hasSegmentColumns() ? " Ends with one column per cskpi.segments "
          + "(the customer's segment values)." : "") + (t.writeMode() == ResultTable.WriteMode.AS_OF
          ? " Every row also carries `as_of_date` and, on disk, `run_id` (the views and exports leave it out)." : "");
      table(md, "`" + t.name() + "`", about, t.columns());
    }
    return md.toString();
  }

  private static void table(StringBuilder md, String title, String about, List<ResultColumn> columns) {
    md.append("#### ").append(title).append("\n").append(about.isEmpty() ? "" : about + "\n")
        .append("\n| column | type | null | definition |\n|---|---|---|---|\n");
    for (ResultColumn c : columns) {
      md.append("| `").append(c.name()).append("` | ").append("`").append(c.type().sql()).append("` | ")
          .append(c.nullable() ? "may be" : "never").append(" | ").append(c.definition()).append(" |\n");
    }
    md.append("\n");
  }

  private static String codes(List<String> names) {
    return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
  }
}
