package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launch scripts and orchestration examples in jobs/ name a main class that exists and cskpi commands and
 * options that exist, so a renamed option breaks this test, not a nightly run.
 */
class JobsTest {
  private static final CommandLine CLI = new CommandLine(new Cskpi());
  private static final String MAIN = "io.cskpi.cli.Cskpi";

  /** Checks one cskpi invocation: its command exists and takes every option given. */
  private static void assertInvocation(String where, List<String> args) {
    assertTrue(!args.isEmpty(), where + ": no cskpi command");
    CommandLine command = CLI.getSubcommands().get(args.get(0));
    assertTrue(command != null, where + ": cskpi has no command '" + args.get(0) + "'; it has "
        + CLI.getSubcommands().keySet());
    for (String a : args.subList(1, args.size())) {
      if (a.startsWith("--")) {
        assertTrue(command.getCommandSpec().findOption(a) != null, where + ": 'cskpi " + args.get(0)
            + "' has no option " + a);
      }
    }
  }

  private static String read(String file) throws Exception {
    return Files.readString(Path.of("jobs", file)).replace("\\\n", " ");
  }

  /** The cskpi command and options after spark-submit.sh's "--" separator, in each shell line. */
  private static List<List<String>> shellInvocations(String text) {
    List<List<String>> out = new ArrayList<>();
    Matcher m = Pattern.compile(" -- ([a-z-]+)([^\\n>]*)").matcher(text);
    while (m.find()) {
      List<String> args = new ArrayList<>(List.of(m.group(1)));
      Matcher option = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(m.group(2));
      while (option.find()) {
        args.add(option.group());
      }
      out.add(args);
    }
    return out;
  }

  @Test
  void theMainClassExists() throws Exception {
    assertEquals(MAIN, Class.forName(MAIN).getName());
    assertTrue(read("spark-submit.sh").contains("--class " + MAIN));
    assertTrue(read("airflow_cskpi_dag.py").contains("java_class=\"" + MAIN + "\""));
    JsonNode job = new ObjectMapper().readTree(Path.of("jobs", "databricks_job.json").toFile());
    assertEquals(MAIN, job.at("/tasks/0/spark_jar_task/main_class_name").asText());
  }

  @Test
  void shellScriptsAndTheCrontabUseCommandsAndOptionsThatExist() throws Exception {
    for (String file : List.of("nightly.sh", "crontab")) {
      List<List<String>> invocations = shellInvocations(read(file));
      assertTrue(!invocations.isEmpty(), file);
      invocations.forEach(args -> assertInvocation(file, args));
    }
    assertEquals(List.of("run", "--input", "--output", "--as-of", "--conf"),
        shellInvocations(read("nightly.sh")).get(0));
  }

  @Test
  void theAirflowDagAndTheDatabricksJobUseCommandsAndOptionsThatExist() throws Exception {
    String dag = read("airflow_cskpi_dag.py");
    Matcher m = Pattern.compile("application_args=\\[([^\\]]*)\\]").matcher(dag);
    int found = 0;
    while (m.find()) {
      List<String> args = new ArrayList<>();
      Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
      while (quoted.find()) {
        args.add(quoted.group(1));
      }
      assertInvocation("airflow_cskpi_dag.py", args);
      found++;
    }
    assertEquals(2, found, "the nightly run and the maintenance");
    assertTrue(dag.contains("max_active_runs=1") && dag.contains("SparkSubmitOperator"));
    JsonNode job = new ObjectMapper().readTree(Path.of("jobs", "databricks_job.json").toFile());
    List<String> parameters = new ArrayList<>();
    job.at("/tasks/0/spark_jar_task/parameters").forEach(p -> parameters.add(p.asText()));
    assertInvocation("databricks_job.json", parameters);
    assertEquals(1, job.get("max_concurrent_runs").asInt());
    // As of the day before the trigger date Databricks substitutes; no automatic retry of an exit 2.
    String asOf = parameters.get(parameters.indexOf("--as-of") + 1);
    assertEquals(java.time.LocalDate.parse("2026-12-01"),
        new DateArgument().convert(asOf.replace("{{job.trigger.time.iso_date}}", "2026-12-02")));
    assertEquals(0, job.at("/tasks/0/max_retries").asInt());
    assertTrue(dag.contains("\"retries\": 0"), "the DAG does not retry");
  }

  @Test
  void sparkSubmitShipsTheConfAndTheLoggingConfigurationToAClusterDriver(@org.junit.jupiter.api.io.TempDir Path home)
      throws Exception {
    // A stand-in spark-submit that prints the arguments it gets, one per line.
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    submit.toFile().setExecutable(true);
    ProcessBuilder pb = new ProcessBuilder("bash", "jobs/spark-submit.sh", "--master", "yarn", "--deploy-mode", "cluster",
        "--files", "conf/cluster.conf", "--", "run", "--conf", "cluster.conf", "--as-of", "2026-11-30");
    pb.environment().put("SPARK_HOME", home.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> args = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertEquals(0, p.waitFor(), String.join("\n", args));
    String log4j = Path.of("conf", "log4j2.properties").toAbsolutePath().toString();
    assertEquals(log4j + ",conf/cluster.conf", args.get(args.indexOf("--files") + 1), "one --files with both");
    assertEquals(1, args.stream().filter("--files"::equals).count());
    assertTrue(args.contains("spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties"), args.toString());
    assertEquals(List.of("run", "--conf", "cluster.conf", "--as-of", "2026-11-30"),
        args.subList(args.size() - 5, args.size()));
    assertEquals(MAIN, args.get(args.indexOf("--class") + 1));
    assertTrue(Files.exists(Path.of("conf", "log4j2.properties")));
  }

  @Test
  void benchShGivesTheIssuesDefaultsOnlyForOptionsNotGiven(@org.junit.jupiter.api.io.TempDir Path home)
      throws Exception {
    // A copy of the project's layout where bin/cskpi prints the arguments it gets and DuckDB's jar is present.
    Files.createDirectories(home.resolve("jobs"));
    Files.copy(Path.of("jobs", "bench.sh"), home.resolve("jobs").resolve("bench.sh"));
    Files.writeString(home.resolve("pom.xml"), "<duckdb.version>9.9</duckdb.version>\n");
    Files.createDirectories(home.resolve("target/bench-lib"));
    Files.writeString(home.resolve("target/bench-lib/duckdb_jdbc-9.9.jar"), "");
    Path cskpi = Files.createDirectories(home.resolve("bin")).resolve("cskpi");
    Files.writeString(cskpi, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    cskpi.toFile().setExecutable(true);
    assertEquals(List.of("bench", "--customers", "100000", "--scales", "1,10", "--formats", "parquet,delta", "--dir",
        "warehouse/bench"), benchSh(home));
    List<String> given = benchSh(home, "--customers", "10000", "--formats=parquet", "--families", "revenue");
    assertEquals(List.of("bench", "--scales", "1,10", "--dir", "warehouse/bench", "--customers", "10000",
        "--formats=parquet", "--families", "revenue"), given);
    assertInvocation("bench.sh", given.stream().map(a -> a.replaceAll("=.*", "")).toList());
  }

  private static List<String> benchSh(Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", home.resolve("jobs/bench.sh").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertEquals(0, p.waitFor(), String.join("\n", out));
    return out;
  }
}
