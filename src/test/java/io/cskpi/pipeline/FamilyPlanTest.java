package io.cskpi.pipeline;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.Declaration;
import io.cskpi.family.FamilySettings;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.kpi.clv.ClvFamily;
import io.cskpi.kpi.clv.TimeUnit;
import io.cskpi.kpi.economics.UnitEconomics;
import io.cskpi.schema.InputTables;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The run's plan from the declarations: order by tables, checks of the registry and of the conf, settings. */
class FamilyPlanTest {

  /** A family that writes {@code writes} and reads {@code reads}; it is never computed here. */
  private record Fake(String name, List<ResultTable> reads, List<ResultTable> writes) implements KpiFamily {
    @Override
    public Declaration declaration() {
      return Declaration.family(name, "test family").reads(InputTables.CUSTOMERS)
          .readsResults(reads.toArray(ResultTable[]::new)).writes(writes.toArray(ResultTable[]::new)).build();
    }

    @Override
    public Results compute(Inputs in, RunContext ctx) {
      throw new UnsupportedOperationException();
    }
  }

  /** A family with the rule no_plan on customers. */
  private record Ruled(String name, ResultTable writes) implements KpiFamily {
    @Override
    public Declaration declaration() {
      return Declaration.family(name, "test family").reads(InputTables.CUSTOMERS).writes(writes)
          .rules(new io.cskpi.quality.RowRule("customers", "no_plan", "plan must be set",
              org.apache.spark.sql.functions.col("plan").isNull())).build();
    }

    @Override
    public Results compute(Inputs in, RunContext ctx) {
      throw new UnsupportedOperationException();
    }
  }

  private static ResultTable table(String name) {
    return ResultTable.named(name, "test table")
      .grain("test row").column("n", LongType, "a number").build();
  }

  private static final ResultTable A = table("a_table");
  private static final ResultTable B = table("b_table");
  private static final ResultTable C = table("c_table");

  private static CskpiConfig conf(String... overrides) {
    return CskpiConfig.load(null, List.of(overrides));
  }

  private static List<String> names(List<KpiFamily> families) {
    return families.stream().map(KpiFamily::name).toList();
  }

  @Test
  void familiesRunAfterTheFamiliesWhoseTablesTheyReadWhateverTheRegistryOrder() {
    KpiFamily third = new Fake("third", List.of(B, A), List.of(C));
    KpiFamily second = new Fake("second", List.of(A), List.of(B));
    KpiFamily first = new Fake("first", List.of(), List.of(A));
    assertEquals(List.of("first", "second", "third"), names(FamilyPlan.ordered(List.of(third, second, first))));
    FamilyPlan plan = FamilyPlan.of(List.of(third, first, second), conf("families=[third, second, first]"));
    assertEquals(List.of("first", "second", "third"), names(plan.families()));
    assertEquals(List.of("customers"), plan.inputs().stream().map(t -> t.name()).toList(), "each input once");
    assertEquals(List.of("revenue", "economics", "clv"), names(FamilyPlan.ordered(List.of(Families.ALL.get(2),
        Families.ALL.get(1), Families.ALL.get(0)))));
  }

  @Test
  void aCycleOrAMissingProducerIsAClearError() {
    IllegalStateException cycle = assertThrows(IllegalStateException.class, () -> FamilyPlan.ordered(List.of(
        new Fake("first", List.of(), List.of(A)), new Fake("x", List.of(C), List.of(B)),
        new Fake("y", List.of(B), List.of(C)))));
    assertEquals("KPI families read each other's results in a cycle: x reads c_table of y; y reads b_table of x",
        cycle.getMessage());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> FamilyPlan.ordered(List.of(new Fake("x", List.of(C), List.of(B)))));
    assertEquals("family 'x' reads result table c_table, which no family writes", missing.getMessage());
    IllegalStateException twice = assertThrows(IllegalStateException.class, () -> FamilyPlan.ordered(List.of(
        new Fake("x", List.of(), List.of(A)), new Fake("y", List.of(), List.of(A)))));
    assertEquals("result table a_table is written by family 'y' and by family 'x'", twice.getMessage());
    IllegalStateException reserved = assertThrows(IllegalStateException.class,
        () -> FamilyPlan.ordered(List.of(new Fake("spark", List.of(), List.of(A)))));
    assertEquals("a KPI family may not be named 'spark': conf uses that name", reserved.getMessage());
    IllegalStateException sameRule = assertThrows(IllegalStateException.class, () -> FamilyPlan.ordered(List.of(
        Families.ALL.get(0), new Ruled("x", A), new Ruled("y", B))));
    assertEquals("row rule no_plan on table customers is declared by family 'x' and by family 'y'; share one "
        + "declaration or name them apart", sameRule.getMessage());
  }

  /** A family that uses a_table when its producer runs, with a rule whose limit is a setting. */
  private record Optional_(String name) implements KpiFamily {
    record Limit(int max) {}

    @Override
    public Declaration declaration() {
      return Declaration.family(name, "test family").reads(InputTables.CUSTOMERS).usesResultsWhenRun(A).writes(C)
          .settings(s -> new Limit(s.wholeNumber("max-size", 5, 0, "largest company_size")))
          .rules(Limit.class, l -> List.of(new io.cskpi.quality.RowRule("customers", "too_large", "size must be <= "
              + l.max(), org.apache.spark.sql.functions.col("company_size").gt(l.max()))))
          .build();
    }

    @Override
    public Results compute(Inputs in, RunContext ctx) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aFamilyUsingResultsWhenTheirFamilyRunsRunsAfterItOrWithoutIt() {
    KpiFamily user = new Optional_("user");
    KpiFamily producer = new Fake("producer", List.of(), List.of(A));
    assertEquals(List.of("producer", "user"), names(FamilyPlan.ordered(List.of(user, producer))));
    FamilyPlan alone = FamilyPlan.of(List.of(user, producer), conf("families=[user]"));
    assertEquals(List.of("user"), names(alone.families()), "no error: the producer may be left out");
    Inputs in = new Inputs(user.declaration(), java.util.Map.of(), java.util.Map.of());
    assertEquals(java.util.Optional.empty(), in.resultWhenRun(A));
    assertThrows(IllegalStateException.class, () -> in.result(A), "used when run is not needed");
    // Rules from settings: the default and a configured limit.
    assertEquals("size must be <= 5", user.declaration().defaultRules().get(0).description());
    FamilyPlan limited = FamilyPlan.of(List.of(user, producer), conf("families=[user]", "user.max-size=3"));
    assertEquals("size must be <= 3", user.declaration().rules(limited.settings().get("user")).get(0).description());
  }

  @Test
  void theConfNamesKnownFamiliesAndTheProducersOfWhatTheyRead() {
    assertInvalid("cskpi.families = [revenue, clv]: family 'clv' reads unit_economics_monthly, which family "
        + "'economics' writes; add 'economics' or leave out 'clv'", "families=[revenue, clv]");
    assertInvalid("cskpi.families = [revenue, churn]: unknown family 'churn'; known: [revenue, economics, clv, voice, support, "
        + "scorecard, engagement, onboarding, health] or all",
        "families=[revenue, churn]");
    assertInvalid("cskpi.families = [all, churn]: unknown family 'churn'", "families=[all, churn]");
    assertInvalid("unknown setting section cskpi.clvv: neither a core setting nor a KPI family's settings; "
        + "families: [revenue, economics, clv, voice, support, scorecard, engagement, onboarding, health]",
        "clvv.horizon=3");
    assertEquals(List.of("revenue", "economics", "clv", "voice", "support", "scorecard", "engagement", "onboarding",
            "health"),
        names(FamilyPlan.of(Families.ALL, conf()).families()),
        "the default [all] is every family");
    assertEquals(List.of("revenue", "economics", "clv"),
        names(FamilyPlan.of(List.of(Families.ALL.get(2), Families.ALL.get(1), Families.ALL.get(0)),
            conf("families=[all]")).families()));
    FamilyPlan revenueOnly = FamilyPlan.of(Families.ALL, conf("families=[revenue]"));
    assertEquals(List.of("customers", "subscriptions"), revenueOnly.inputs().stream().map(t -> t.name()).toList());
  }

  @Test
  void everyFamilySettingIsCheckedWithKeyValueAndAllowedRange() {
    assertInvalid("cskpi.economics.gross-margin = 1.5: must be in (0, 1]", "economics.gross-margin=1.5");
    assertInvalid("cskpi.economics.churn-rate-floor = 0: must be in (0, 1]", "economics.churn-rate-floor=0");
    assertInvalid("cskpi.economics.churn-window-months = 0: must be a whole number >= 1",
        "economics.churn-window-months=0");
    assertInvalid("cskpi.clv.time-unit = fortnight: must be day, week or month", "clv.time-unit=fortnight");
    assertInvalid("cskpi.clv.horizon = 0: must be in (0, inf)", "clv.horizon=0");
    assertInvalid("cskpi.clv.annual-discount-rate = -0.1: must be in [0, 1]", "clv.annual-discount-rate=-0.1");
    assertInvalid("cskpi.clv.calibration-months = 0: must be a whole number >= 1", "clv.calibration-months=0");
    assertInvalid("cskpi.clv.resolution-days = 0: must be a whole number >= 1", "clv.resolution-days=0");
    assertInvalid("cskpi.clv.spend-resolution = -1: must be in [0, 1]", "clv.spend-resolution=-1");
    assertInvalid("cskpi.clv.formula-dimension = industry: must be one of cskpi.segments [plan, region, "
        + "acquisition_channel, csm_owner]", "clv.formula-dimension=industry");
    assertInvalid("cskpi.clv.horizon = \"weekly\": must be a number, not a string", "clv.horizon=weekly");
    assertInvalid("cskpi.clv.calibration-months = 2.7: must be a whole number", "clv.calibration-months=2.7");
    assertInvalid("cskpi.economics.churn-window-months = 1.9: must be a whole number",
        "economics.churn-window-months=1.9");
    assertInvalid("unknown setting cskpi.economics.gross-margn = 0.8", "economics.gross-margn=0.8");
    // A family left out of the run: its values are not read, but a typo in its keys is still an error.
    assertInvalid("unknown setting cskpi.clv.horizn = 3", "families=[revenue]", "clv.horizn=3");
    FamilyPlan.of(Families.ALL, conf("families=[revenue]", "segments=[region]"));   // no clv: formula-dimension unused
  }

  @Test
  void settingsArriveTypedWithTheirDefaults() {
    FamilyPlan plan = FamilyPlan.of(Families.ALL, conf("clv.horizon=26.5", "clv.time-unit=DAY",
        "economics.gross-margin=0.8"));
    ClvFamily.Settings clv = (ClvFamily.Settings) plan.settings().get("clv");
    assertEquals(26.5, clv.horizon(), "a horizon may be fractional");
    assertEquals(TimeUnit.DAY, clv.unit());
    assertEquals(24, clv.calibrationMonths());
    assertEquals("plan", clv.formulaDimension());
    assertEquals(new UnitEconomics.Settings(0.8, 6, 0.01), plan.settings().get("economics"));
    List<FamilySettings.Setting> declared = FamilySettings.declared("clv", Families.ALL.get(2).declaration().settings());
    assertEquals(List.of("time-unit", "horizon", "annual-discount-rate", "calibration-months", "resolution-days",
        "spend-resolution", "formula-dimension"), declared.stream().map(FamilySettings.Setting::key).toList());
    assertEquals("52", declared.get(1).defaultValue());
  }

  private static void assertInvalid(String expected, String... overrides) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> FamilyPlan.of(Families.ALL, conf(overrides)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
