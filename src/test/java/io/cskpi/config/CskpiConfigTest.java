package io.cskpi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class CskpiConfigTest {

  @Test
  void defaultsComeFromReferenceConf() {
    CskpiConfig c = CskpiConfig.defaults();
    assertEquals("delta", c.inputFormat());
    assertEquals(List.of("plan", "region", "acquisition_channel", "csm_owner"), c.segmentColumns());
    assertEquals(1.0, c.grossMargin());
    assertEquals(6, c.churnWindowMonths());
    assertNull(c.inputPath("costs"));
  }

  @Test
  void fileThenSetOverridesAndPerTableFormats(@TempDir Path dir) throws Exception {
    File conf = dir.resolve("my.conf").toFile();
    Files.writeString(conf.toPath(), "cskpi { input.format = parquet, economics.gross-margin = 0.8, "
        + "input.tables.costs { format = csv, path = \"/data/costs.csv\" } }");
    CskpiConfig c = CskpiConfig.load(conf.toString(), List.of("economics.gross-margin=0.75", "cskpi.segments=[plan]"));
    assertEquals("parquet", c.inputFormat("customers"));
    assertEquals("csv", c.inputFormat("costs"));
    assertEquals("/data/costs.csv", c.inputPath("costs"));
    assertEquals(0.75, c.grossMargin());
    assertEquals(List.of("plan"), c.segmentColumns());
    CskpiConfig allDelta = c.withInputFormatForAllTables("delta");
    assertEquals("delta", allDelta.inputFormat("costs"));
    assertEquals("/data/costs.csv", allDelta.inputPath("costs"));
  }

  @Test
  void badValuesAreClearErrors() {
    assertInvalid("cskpi.economics.gross-margin = 1.5: must be in (0, 1]", "economics.gross-margin=1.5");
    assertInvalid("cskpi.input.format = orc: must be delta, parquet or csv", "input.format=orc");
    assertInvalid("--set expects key=value, got: novalue", "novalue");
    InvalidSettingException missing = assertThrows(InvalidSettingException.class,
        () -> CskpiConfig.load("/no/such.conf", List.of()));
    assertTrue(missing.getMessage().contains("config file not found: /no/such.conf"), missing.getMessage());
  }

  @Test
  void everySettingIsCheckedWithKeyValueAndAllowedRange() {
    assertInvalid("cskpi.economics.churn-rate-floor = 0: must be in (0, 1]", "economics.churn-rate-floor=0");
    assertInvalid("cskpi.economics.churn-window-months = 0: must be a whole number >= 1",
        "economics.churn-window-months=0");
    assertInvalid("cskpi.clv.time-unit = fortnight: must be day, week or month", "clv.time-unit=fortnight");
    assertInvalid("cskpi.clv.horizon = 0: must be in (0, infinity)", "clv.horizon=0");
    assertInvalid("cskpi.clv.annual-discount-rate = -0.1: must be in [0, 1]", "clv.annual-discount-rate=-0.1");
    assertInvalid("cskpi.clv.calibration-months = 0: must be a whole number >= 1", "clv.calibration-months=0");
    assertInvalid("cskpi.clv.resolution-days = 0: must be a whole number >= 1", "clv.resolution-days=0");
    assertInvalid("cskpi.clv.spend-resolution = -1: must be in [0, 1]", "clv.spend-resolution=-1");
    assertInvalid("cskpi.clv.formula-dimension = industry: must be one of cskpi.segments [plan, region, "
        + "acquisition_channel, csm_owner]", "clv.formula-dimension=industry");
    assertInvalid("cskpi.segments = [plan, plan]: each column at most once", "segments=[plan, plan]");
    assertInvalid("cskpi.families = []: name at least one KPI family", "families=[]");
    assertInvalid("cskpi.input.tables.costs.format = xlsx: must be delta, parquet or csv",
        "input.tables.costs.format=xlsx");
    assertInvalid("cskpi.clv.horizon has type STRING rather than NUMBER", "clv.horizon=weekly");
    assertInvalid("cskpi.clv.calibration-months = 2.7: must be a whole number", "clv.calibration-months=2.7");
    assertInvalid("cskpi.economics.churn-window-months = 1.9: must be a whole number",
        "economics.churn-window-months=1.9");
    assertInvalid("cskpi.output.dir = \"\": must be a directory path or URI", "output.dir=\"\"");
    assertInvalid("cskpi.output.dir has type LIST rather than STRING", "output.dir=[a]");
    assertInvalid("cskpi.input.tables.costs.path = \"\": must be a path or URI", "input.tables.costs.path=\"\"");
    assertEquals(26.5, CskpiConfig.load(null, List.of("clv.horizon=26.5")).clvHorizon(), "a horizon may be fractional");
    // The formula dimension only matters when the clv family runs.
    CskpiConfig revenueOnly = CskpiConfig.load(null, List.of("families=[revenue]", "segments=[region]"));
    assertEquals(List.of("region"), revenueOnly.segmentColumns());
  }

  @Test
  void unknownKeysAreRejectedSoATypoNeverPassesSilently() {
    assertInvalid("unknown setting cskpi.economics.gross-margn = 0.8", "economics.gross-margn=0.8");
    assertInvalid("unknown setting cskpi.input.tables.costz.path", "input.tables.costz.path=\"/x\"");
    // Spark settings are the user's own keys.
    CskpiConfig c = CskpiConfig.load(null, List.of("spark.conf.\"spark.sql.shuffle.partitions\"=4"));
    assertEquals("4", c.sparkConf().get("spark.sql.shuffle.partitions"));
  }

  @Test
  void segmentNamesAreCaseInsensitive() {
    assertEquals(List.of("plan", "tier"), CskpiConfig.load(null, List.of("segments=[Plan, TIER]")).segmentColumns());
  }

  private static void assertInvalid(String expected, String override) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> CskpiConfig.load(null, List.of(override)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
