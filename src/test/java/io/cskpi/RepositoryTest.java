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

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
