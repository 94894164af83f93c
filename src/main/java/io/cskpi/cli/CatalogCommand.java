package io.cskpi.cli;

import io.cskpi.kpi.KpiCatalog;
import io.cskpi.schema.ColumnSpec;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cskpi catalog}: prints the input data model and the KPI catalog as Markdown (the README's source). */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "Print the input data model and every result column's definition as Markdown.")
public final class CatalogCommand implements Callable<Integer> {
  @picocli.CommandLine.Option(names = "--update-readme", paramLabel = "FILE",
      description = "Rewrite the catalog sections of this README in place instead of printing")
  java.nio.file.Path readme;

  @Override
  public Integer call() throws java.io.IOException {
    if (readme != null) {
      java.nio.file.Files.writeString(readme, withCatalog(java.nio.file.Files.readString(readme)));
      return 0;
    }
    System.out.print(inputModelMarkdown());
    System.out.println();
    System.out.print(kpiCatalogMarkdown());
    return 0;
  }

  /** The README text with its {@code catalog:inputs} and {@code catalog:kpis} sections regenerated. */
  public static String withCatalog(String readme) {
    return replaceSection(replaceSection(readme, "inputs", inputModelMarkdown()), "kpis", kpiCatalogMarkdown());
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

  public static String kpiCatalogMarkdown() {
    Map<String, List<KpiCatalog.Entry>> byTable = new LinkedHashMap<>();
    KpiCatalog.entries().forEach(e -> byTable.computeIfAbsent(e.table(), t -> new java.util.ArrayList<>()).add(e));
    StringBuilder md = new StringBuilder();
    byTable.forEach((table, entries) -> {
      md.append("#### ").append(table.equals("*") ? "Columns shared by the result tables" : "`" + table + "`")
          .append("\n\n| column | definition |\n|---|---|\n");
      entries.forEach(e -> md.append("| `").append(e.column()).append("` | ").append(e.definition()).append(" |\n"));
      md.append("\n");
    });
    return md.toString();
  }
}
