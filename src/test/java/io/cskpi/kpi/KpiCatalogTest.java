package io.cskpi.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.generate.GeneratorSettings;
import io.cskpi.generate.SyntheticData;
import io.cskpi.io.InputReader;
import io.cskpi.pipeline.NightlyPipeline;
import io.cskpi.pipeline.OutputTable;
import io.cskpi.pipeline.RunContext;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every column written has one definition, and the README states it. */
class KpiCatalogTest extends SparkTest {

  @Test
  void everyResultColumnIsDefinedInTheCatalogAndNamedInTheReadme() throws Exception {
    CskpiConfig config = CskpiConfig.defaults();
    LocalDate asOf = LocalDate.parse("2025-03-31");
    Map<String, Dataset<Row>> generated = SyntheticData.generate(spark, new GeneratorSettings(20, 3, 1, asOf, 0));
    Map<String, Dataset<Row>> conformed = new LinkedHashMap<>();
    NightlyPipeline.inputsOf(NightlyPipeline.families()).forEach(spec ->
        conformed.put(spec.name(), InputReader.conform(spec, generated.get(spec.name()), false)));
    List<OutputTable> outputs = NightlyPipeline.compute(conformed, new RunContext(asOf, config),
        NightlyPipeline.families()).outputs();
    String readme = Files.readString(Path.of("README.md"));
    List<String> undefined = new ArrayList<>();
    for (OutputTable out : outputs) {
      assertTrue(readme.contains("`" + out.name() + "`"), "README does not name table " + out.name());
      for (String c : out.rows().columns()) {
        boolean segment = config.segmentColumns().contains(c);
        if (!segment && KpiCatalog.definition(out.name(), c) == null) {
          undefined.add(out.name() + "." + c);
        }
        if (!segment && !readme.contains("`" + c + "`")) {
          undefined.add("README: " + out.name() + "." + c);
        }
      }
    }
    assertEquals(List.of(), undefined);
  }

  @Test
  void readmeCatalogSectionsAreTheCatalog() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertEquals(io.cskpi.cli.CatalogCommand.withCatalog(readme), readme,
        "README catalog sections are stale: run bin/cskpi catalog --update-readme README.md");
  }

  @Test
  void readmeDocumentsEveryInputColumn() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    List<String> missing = new ArrayList<>();
    InputTables.ALL.forEach(t -> t.columns().forEach(c -> {
      if (!readme.contains("| `" + c.name() + "`")) {
        missing.add(t.name() + "." + c.name());
      }
    }));
    assertEquals(List.of(), missing);
  }
}
