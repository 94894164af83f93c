package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster path: under spark-submit --deploy-mode cluster, main must return on success (a System.exit makes YARN
 * report a succeeded run as failed and retry it) and exit non-zero on failure. Run in its own JVM, as there.
 */
class MainReturnsTest {
  private record Outcome(int code, String output) {}

  private static Outcome cskpiMain(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);   // Spark on 17
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), MainReturnsProbe.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Outcome(p.waitFor(), output);
  }

  @org.junit.jupiter.api.io.TempDir Path dir;

  @Test
  void onSuccessMainReturnsAndOnFailureItExitsNonZero() throws Exception {
    // generate starts a Spark session, which main stops before it returns
    Outcome ok = cskpiMain("generate", "--customers", "3", "--months", "2", "--seed", "1", "--format", "csv",
        "--output", dir.resolve("in").toString(), "--master", "local[1]");
    assertEquals(0, ok.code(), ok.output());
    assertTrue(ok.output().strip().endsWith("main returned"), ok.output());

    Outcome bad = cskpiMain("run", "--as-of", "31/01/2024");
    assertEquals(2, bad.code(), bad.output());   // picocli's code for a bad argument
    assertTrue(bad.output().contains("'31/01/2024' is not a date"), bad.output());
    assertFalse(bad.output().contains("main returned"), bad.output());
  }
}
