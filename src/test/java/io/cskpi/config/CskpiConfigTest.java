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
    IllegalArgumentException margin = assertThrows(IllegalArgumentException.class,
        () -> CskpiConfig.load(null, List.of("economics.gross-margin=1.5")));
    assertTrue(margin.getMessage().contains("gross-margin must be in (0,1]"), margin.getMessage());
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
        () -> CskpiConfig.load(null, List.of("input.format=orc")));
    assertTrue(format.getMessage().contains("must be delta, parquet or csv, got: orc"), format.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CskpiConfig.load(null, List.of("novalue")));
    assertThrows(IllegalArgumentException.class, () -> CskpiConfig.load("/no/such.conf", List.of()));
  }
}
