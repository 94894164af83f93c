package io.cskpi.cli;

import io.cskpi.Families;
import io.cskpi.pipeline.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cskpi catalog}: prints the input data model, the families, their settings and the KPI catalog as
 * Markdown — the README's generated sections, all derived from the families' declarations.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "Print the input data model, the KPI families, their settings and every result column's "
        + "definition as Markdown.")
public final class CatalogCommand implements Callable<Integer> {
  @Option(names = "--update-readme", paramLabel = "FILE",
      description = "Rewrite the generated sections of this README in place instead of printing")
  Path readme;

  @Override
  public Integer call() throws IOException {
    if (readme != null) {
      Files.writeString(readme, Catalog.withCatalog(Files.readString(readme), Families.ALL));
      return 0;
    }
    System.out.print(Catalog.markdown(Families.ALL));
    return 0;
  }
}
