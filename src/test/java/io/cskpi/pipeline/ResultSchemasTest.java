package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.Families;
import io.cskpi.SparkTest;
import io.cskpi.config.CskpiConfig;
import io.cskpi.family.Declaration;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.generate.GeneratorSettings;
import io.cskpi.generate.SyntheticData;
import io.cskpi.io.InputReader;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every family computes exactly the schema it declares, a drift fails before anything is written, and the README's
 * generated sections are the declarations.
 */
class ResultSchemasTest extends SparkTest {
  private static final CskpiConfig CONFIG = CskpiConfig.defaults();
  private static final LocalDate AS_OF = LocalDate.parse("2025-03-31");
  private static Map<String, Dataset<Row>> conformed;
  private static NightlyPipeline.Computed computed;

  @BeforeAll
  static void computeEveryFamily() {
    Map<String, Dataset<Row>> generated = SyntheticData.generate(spark, new GeneratorSettings(20, 3, 1, AS_OF, 0));
    FamilyPlan plan = FamilyPlan.of(Families.ALL, CONFIG);
    conformed = new LinkedHashMap<>();
    plan.inputs().forEach(spec -> conformed.put(spec.name(),
        InputReader.conform(spec, generated.get(spec.name()), false)));
    computed = NightlyPipeline.compute(conformed, AS_OF, CONFIG.segmentColumns(), plan);
  }

  @Test
  void everyResultHasExactlyItsDeclaredColumnsAndTypes() {
    List<String> written = new ArrayList<>();
    for (NightlyPipeline.OutputTable out : computed.outputs()) {
      assertEquals(List.of(), ResultSchemas.differences(out.table(), CONFIG.segmentColumns(), out.rows()), out.name());
      List<String> declared = out.table().columns(CONFIG.segmentColumns()).stream().map(c -> c.name()).toList();
      assertEquals(declared, List.of(out.rows().columns()), out.name());
      written.add(out.name());
    }
    List<String> declared = new ArrayList<>(List.of("quarantine"));
    FamilyPlan.of(Families.ALL, CONFIG).families()
        .forEach(f -> f.declaration().writes().forEach(t -> declared.add(t.name())));
    assertEquals(declared, written, "every declared table is computed, in run order");
    // Each table's rows satisfy the declared never-null columns (the guard fails the action otherwise).
    computed.outputs().forEach(out -> out.rows().count());
  }

  @Test
  void aRenamedOrRetypedOrReorderedColumnIsADriftNamingTableAndColumn() {
    ResultTable table = RevenueFamily.REVENUE_MONTHLY;
    Dataset<Row> rows = computed.output(table.name()).rows();
    List<String> segments = CONFIG.segmentColumns();
    assertEquals(List.of("missing column nrr", "undeclared column net_revenue_retention"),
        ResultSchemas.differences(table, segments, rows.withColumnRenamed("nrr", "net_revenue_retention")));
    assertEquals(List.of("column customers_end is INT, declared BIGINT"),
        ResultSchemas.differences(table, segments, rows.withColumn("customers_end", col("customers_end").cast("int"))));
    assertEquals(List.of("column arpa is DECIMAL(20,2), declared DECIMAL(18,2)"),
        ResultSchemas.differences(table, segments, rows.withColumn("arpa", col("arpa").cast("decimal(20,2)"))));
    List<org.apache.spark.sql.Column> swapped = new ArrayList<>(List.of(col("dimension"), col("period_month")));
    java.util.Arrays.stream(rows.columns()).skip(2).forEach(c -> swapped.add(col(c)));
    List<String> reordered = ResultSchemas.differences(table, segments,
        rows.select(swapped.toArray(org.apache.spark.sql.Column[]::new)));
    assertEquals(1, reordered.size());
    assertTrue(reordered.get(0).startsWith("columns in the order [dimension, period_month, segment"), reordered.get(0));
    ResultSchemas.DriftException e = assertThrows(ResultSchemas.DriftException.class,
        () -> ResultSchemas.conform(table, segments, rows.drop("arpa")));
    assertEquals("result table revenue_monthly does not match its declaration: missing column arpa", e.getMessage());
  }

  /** A family whose compute drifts from its declaration: the pipeline refuses it before any write. */
  private record Drifting(boolean undeclaredTable) implements KpiFamily {
    static final ResultTable COUNTS = ResultTable.named("customer_counts", "Customers per plan")
      .grain("plan")
        .column("plan", StringType, "The plan.")
        .column("customers", LongType, "Customers on it.")
        .build();

    @Override
    public Declaration declaration() {
      return Declaration.family("drifting", "test").reads(InputTables.CUSTOMERS).writes(COUNTS).build();
    }

    @Override
    public Results compute(Inputs in, RunContext ctx) {
      Dataset<Row> counts = in.table(InputTables.CUSTOMERS).groupBy("plan").count();   // column "count"
      return undeclaredTable ? Results.of(COUNTS, counts.withColumnRenamed("count", "customers"))
          .and(RevenueFamily.REVENUE_MONTHLY, counts) : Results.of(COUNTS, counts);
    }
  }

  @Test
  void theDriftOfAFamilyFailsThePipelineBeforeAnyWrite() {
    CskpiConfig conf = CskpiConfig.load(null, List.of("families=[drifting]"));
    FamilyPlan plan = FamilyPlan.of(List.of(new Drifting(false)), conf);
    ResultSchemas.DriftException drift = assertThrows(ResultSchemas.DriftException.class,
        () -> NightlyPipeline.compute(Map.of("customers", conformed.get("customers")), AS_OF, conf.segmentColumns(),
            plan));
    assertEquals("result table customer_counts does not match its declaration: missing column customers; "
        + "undeclared column count", drift.getMessage());
    FamilyPlan extra = FamilyPlan.of(List.of(new Drifting(true)), conf);
    ResultSchemas.DriftException undeclared = assertThrows(ResultSchemas.DriftException.class,
        () -> NightlyPipeline.compute(Map.of("customers", conformed.get("customers")), AS_OF, conf.segmentColumns(),
            extra));
    assertEquals("family drifting computed result table revenue_monthly, which it does not declare",
        undeclared.getMessage());
  }

  /** A family that reads no input table (like one that reads only other families' results). */
  private record Constant() implements KpiFamily {
    static final ResultTable ONE = ResultTable.named("one_row", "One row").grain("run")
        .column("n", LongType, "Always 1.").build();

    @Override
    public Declaration declaration() {
      return Declaration.family("constant", "test").writes(ONE).build();
    }

    @Override
    public Results compute(Inputs in, RunContext ctx) {
      return Results.of(ONE, spark.range(1).selectExpr("CAST(1 AS BIGINT) AS n"));
    }
  }

  @Test
  void aFamilyReadingNoInputGetsAnEmptyQuarantine() {
    CskpiConfig conf = CskpiConfig.load(null, List.of("families=[constant]"));
    NightlyPipeline.Computed c = NightlyPipeline.compute(Map.of(), AS_OF, conf.segmentColumns(),
        FamilyPlan.of(List.of(new Constant()), conf));
    assertEquals(0, c.output("quarantine").rows().count());
    assertEquals(List.of(), ResultSchemas.differences(NightlyPipeline.QUARANTINE, List.of(),
        c.output("quarantine").rows()));
    assertEquals(1L, c.output("one_row").rows().first().getLong(0));
  }

  @Test
  void aNullInAColumnDeclaredNeverNullFailsTheWriteNamingTableAndColumn() {
    ResultTable table = Drifting.COUNTS;
    Dataset<Row> rows = frame("plan STRING, customers BIGINT", row("pro", 3L), row(null, 2L));
    Exception e = assertThrows(Exception.class, () -> ResultSchemas.conform(table, List.of(), rows).collectAsList());
    String message = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : e.getCause().getMessage());
    assertTrue(message.contains("result table customer_counts: column plan is declared never null but a row has "
        + "null"), message);
    assertEquals(1, ResultSchemas.conform(table, List.of(), rows.filter(col("plan").isNotNull())).count());
    // A one-row result from named values (as the CLV model's) is checked the same way: a missing value fails.
    Exception missing = assertThrows(Exception.class, () -> ResultSchemas.conform(table, List.of(),
        table.row(spark, Map.of("customers", 3L))).collectAsList());
    String why = String.valueOf(missing.getMessage()) + (missing.getCause() == null ? "" : missing.getCause().getMessage());
    assertTrue(why.contains("column plan is declared never null"), why);
    assertEquals(List.of("pro"), ResultSchemas.conform(table, List.of(),
        table.row(spark, Map.of("plan", "pro", "customers", 3L))).collectAsList().stream().map(r -> r.getString(0))
        .toList());
  }

  @Test
  void readmeGeneratedSectionsAreTheDeclarations() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertEquals(Catalog.withCatalog(readme, Families.ALL), readme,
        "README generated sections are stale: run bin/cskpi catalog --update-readme README.md");
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
