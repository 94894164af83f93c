package io.cskpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a fresh clone must hold: nothing in src/ reads data from outside the project. */
class RepositoryTest {
  @Test
  void nothingInSrcReadsTheSharedFolderBesideTheProject() throws IOException {
    String shared = ".." + "/shared";   // split so that this file does not match itself
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      List<String> offending = files.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".conf")
              || p.toString().endsWith(".properties"))
          .filter(p -> read(p).contains(shared) || read(p).contains("\"..\", \"shared\""))
          .map(Path::toString).toList();
      assertEquals(List.of(), offending, "copy test data into src/test/resources with a README instead");
    }
  }

  /**
   * The layers: families build on {@code family} and never reach into {@code pipeline}; {@code family} and the
   * low packages know no family and no pipeline. Checked on imports and fully qualified names.
   */
  @Test
  void packagesDependOnlyDownwards() throws IOException {
    List<String> offending = new java.util.ArrayList<>();
    forbid("src/main/java/io/cskpi/kpi", List.of("io.cskpi.pipeline", "io.cskpi.cli", "io.cskpi.Families"), offending);
    for (String low : List.of("family", "schema", "quality", "io", "config", "spark")) {
      forbid("src/main/java/io/cskpi/" + low, List.of("io.cskpi.kpi", "io.cskpi.pipeline", "io.cskpi.cli",
          "io.cskpi.Families"), offending);
    }
    forbid("src/main/java/io/cskpi/pipeline", List.of("io.cskpi.kpi.", "io.cskpi.cli", "io.cskpi.Families"),
        offending);
    assertEquals(List.of(), offending);
  }

  private static void forbid(String dir, List<String> packages, List<String> offending) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(dir))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> packages.stream()
          .filter(pkg -> read(p).contains(pkg)).forEach(pkg -> offending.add(p + " uses " + pkg)));
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
