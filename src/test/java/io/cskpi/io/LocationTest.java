package io.cskpi.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/** Paths become qualified locations once, where they enter: relative, file: URIs and remote URIs. */
class LocationTest {
  private static final Configuration HADOOP = new Configuration();
  private static final String CWD = Path.of("").toAbsolutePath().toString();

  @Test
  void relativePathsResolveAgainstTheWorkingDirectory() {
    assertEquals("file:" + CWD + "/warehouse", Location.of(HADOOP, "warehouse").toString());
    assertEquals("file:" + CWD + "/warehouse/input", Location.of(HADOOP, "./warehouse/input/").toString());
    assertEquals("file:" + CWD + "/warehouse/quarantine",
        Location.of(HADOOP, "warehouse").child("quarantine").toString());
  }

  @Test
  void absolutePathsAndFileUrisAreTheSameLocation() {
    assertEquals("file:/data/kpi", Location.of(HADOOP, "/data/kpi").toString());
    assertEquals(Location.of(HADOOP, "/data/kpi"), Location.of(HADOOP, "file:///data/kpi"));
    assertEquals(Location.of(HADOOP, "/data/kpi"), Location.of(HADOOP, "file:/data/kpi"));
  }

  @Test
  void remoteUrisAreKeptWithoutTheirConnector() {
    // No s3a or abfss file system is on the test classpath: qualifying must not need one.
    assertEquals("s3a://bucket/cs/kpi", Location.of(HADOOP, "s3a://bucket/cs/kpi").toString());
    assertEquals("s3a://bucket/cs/kpi/revenue_monthly",
        Location.of(HADOOP, "s3a://bucket/cs/kpi/").child("revenue_monthly").toString());
    assertEquals("abfss://lake@acct.dfs.core.windows.net/cs",
        Location.of(HADOOP, "abfss://lake@acct.dfs.core.windows.net/cs").toString());
  }

  @Test
  void deltaIdentifierQuotesTheQualifiedPath() {
    assertEquals("delta.`file:" + CWD + "/warehouse/a``b`",
        Location.of(HADOOP, "warehouse").child("a`b").deltaIdentifier());
  }

  @Test
  void anEmptyPathIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Location.of(HADOOP, " "));
  }
}
