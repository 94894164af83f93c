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
    assertEquals(io.cskpi.io.TableFormat.DELTA, c.inputFormat());
    assertEquals(List.of("plan", "region", "acquisition_channel", "csm_owner"), c.segmentColumns());
    assertNull(c.inputPath("costs"));
  }

  @Test
  void fileThenSetOverridesAndPerTableFormats(@TempDir Path dir) throws Exception {
    File conf = dir.resolve("my.conf").toFile();
    Files.writeString(conf.toPath(), "cskpi { input.format = parquet, economics.gross-margin = 0.8, "
        + "input.tables.costs { format = csv, path = \"/data/costs.csv\" } }");
    CskpiConfig c = CskpiConfig.load(conf.toString(), List.of("economics.gross-margin=0.75", "cskpi.segments=[plan]"));
    assertEquals(io.cskpi.io.TableFormat.PARQUET, c.inputFormat("customers"));
    assertEquals(io.cskpi.io.TableFormat.CSV, c.inputFormat("costs"));
    assertEquals("/data/costs.csv", c.inputPath("costs"));
    assertEquals(0.75, c.familySection("economics").getDouble("gross-margin"));
    assertEquals(List.of("plan"), c.segmentColumns());
    CskpiConfig allDelta = c.withInputFormatForAllTables("delta");
    assertEquals(io.cskpi.io.TableFormat.DELTA, allDelta.inputFormat("costs"));
    assertEquals("/data/costs.csv", allDelta.inputPath("costs"));
  }

  @Test
  void badValuesAreClearErrors() {
    assertInvalid("cskpi.input.format = orc: must be delta, parquet, csv or json", "input.format=orc");
    assertInvalid("--set expects key=value, got: novalue", "novalue");
    InvalidSettingException missing = assertThrows(InvalidSettingException.class,
        () -> CskpiConfig.load("/no/such.conf", List.of()));
    assertTrue(missing.getMessage().contains("config file not found: /no/such.conf"), missing.getMessage());
  }

  @Test
  void everyCoreSettingIsCheckedWithKeyValueAndAllowedRange() {
    assertInvalid("cskpi.segments = [plan, plan]: each column at most once", "segments=[plan, plan]");
    assertInvalid("cskpi.families = []: name at least one KPI family", "families=[]");
    assertInvalid("cskpi.input.tables.costs.format = xlsx: must be delta, parquet, csv or json",
        "input.tables.costs.format=xlsx");
    assertInvalid("cskpi.output.dir = \"\": must be a directory path or URI", "output.dir=\"\"");
    assertInvalid("cskpi.output.dir has type LIST rather than STRING", "output.dir=[a]");
    assertInvalid("cskpi.input.tables.costs.path = \"\": must be a path or URI", "input.tables.costs.path=\"\"");
    assertInvalid("cskpi.economics = 3: must be a section { ... } of settings", "economics=3",
        c -> c.familySection("economics"));
  }

  @Test
  void unknownKeysAreRejectedSoATypoNeverPassesSilently() {
    assertInvalid("unknown setting cskpi.input.formatt", "input.formatt=csv");
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
    assertInvalid(expected, override, c -> c);
  }

  private static void assertInvalid(String expected, String override,
      java.util.function.Function<CskpiConfig, Object> use) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> use.apply(CskpiConfig.load(null, List.of(override))));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
