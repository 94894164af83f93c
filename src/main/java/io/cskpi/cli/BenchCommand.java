package io.cskpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cskpi.pipeline.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code cskpi bench}: for each scale and input format, generates the data once, then times a whole
 * {@code cskpi run} process and the floor job's process (one query reading every input column once), each in its
 * own JVM as a nightly orchestrator starts them. Prints a table and adds it with the machine as the newest section of
 * a Markdown file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: generated data at N customers x each scale, run vs floor, per stage, memory.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--customers", description = "Customers at scale 1 (default ${DEFAULT-VALUE})")
  long customers = 100_000;
  @Option(names = "--scales", split = ",", description = "Multiples of --customers (default ${DEFAULT-VALUE})")
  List<Integer> scales = List.of(1);
  @Option(names = "--formats", split = ",", description = "Input formats: parquet, delta, csv "
      + "(default ${DEFAULT-VALUE})")
  List<String> formats = List.of("parquet");
  @Option(names = "--months", description = "default ${DEFAULT-VALUE}") int months = 36;
  @Option(names = "--events-per-month", description = "default ${DEFAULT-VALUE}") double events = 12;
  @Option(names = "--families", split = ",", description = "Families to run (default all)") List<String> families;
  @Option(names = "--dir", description = "Working directory; generated inputs are kept and reused "
      + "(default ${DEFAULT-VALUE})") String dir = "warehouse/bench";
  @Option(names = "--results", description = "Markdown results file (default ${DEFAULT-VALUE})")
  Path results = Path.of("bench", "RESULTS.md");
  @Option(names = "--as-of", description = "As-of date and end of the data (default ${DEFAULT-VALUE})")
  LocalDate asOf = LocalDate.parse("2026-06-30");

  /**
   * The revenue bridge against DuckDB on the same Parquet files: the revenue-only cskpi run process, DuckDB's time
   * (in this JVM, through JDBC) and how the values agree.
   */
  record DuckDb(long revenueRunMs, long duckMs, io.cskpi.bench.DuckDbBridge.Agreement agreement,
      long quarantined) {}

  /** One run and its floor at one scale and format. */
  record Measurement(long customers, String format, long runMs, long floorMs, JsonNode run, JsonNode floor,
      DuckDb duckDb) {
    long inputRows() {
      long rows = 0;
      for (JsonNode t : run.get("inputs")) {
        rows += t.get("rows").asLong();
      }
      return rows;
    }

    /** How often the run scanned its inputs' files: one count when all equal ("1x"), else the fewest and most. */
    String scans() {
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (JsonNode t : run.get("inputs")) {
        min = Math.min(min, t.get("scans").asInt());
        max = Math.max(max, t.get("scans").asInt());
      }
      return min >= max ? max + "x" : min + "-" + max + "x";
    }
  }

  @Override
  public Integer call() throws Exception {
    List<Measurement> measured = new ArrayList<>();
    for (int scale : scales) {
      long n = customers * scale;
      for (String format : formats) {
        // Generated data is reused only for the same scale, format, months, events and end date.
        Path base = Path.of(dir, n + "-" + format + "-" + months + "m-" + events + "e-" + asOf);
        Path input = base.resolve("input");
        Path done = base.resolve("input.done");
        Files.createDirectories(base);
        if (!Files.exists(done)) {
          progress("generate %,d customers x %d months as %s", n, months, format);
          child(base.resolve("generate.log"), "generate", "--customers", Long.toString(n), "--months",
              Integer.toString(months), "--end", asOf.toString(), "--events-per-month", Double.toString(events),
              "--format", format, "--output", input.toString());
          Files.writeString(done, "generated\n");
        }
        deleteTree(base.resolve("output"));
        List<String> run = new ArrayList<>(List.of("run", "--input", input.toString(), "--input-format", format,
            "--output", base.resolve("output").toString(), "--as-of", asOf.toString(), "--report",
            base.resolve("run.json").toString()));
        List<String> floor = new ArrayList<>(List.of("bench-floor", "--input", input.toString(), "--input-format",
            format, "--report", base.resolve("floor.json").toString()));
        if (families != null) {
          String set = "cskpi.families=[" + String.join(",", families) + "]";
          run.addAll(List.of("--set", set));
          floor.addAll(List.of("--set", set));
        }
        progress("run %,d customers (%s)", n, format);
        long runMs = child(base.resolve("run.log"), run.toArray(String[]::new));
        progress("floor job %,d customers (%s)", n, format);
        long floorMs = child(base.resolve("floor.log"), floor.toArray(String[]::new));
        DuckDb duck = null;
        if (format.equals("parquet") && io.cskpi.bench.DuckDbBridge.available()
            && (families == null || families.contains("revenue") || families.contains("all"))) {
          duck = compareWithDuckDb(base, input, n, List.of("revenue").equals(families) ? runMs : -1);
        }
        ObjectMapper json = new ObjectMapper();
        measured.add(new Measurement(n, format, runMs, floorMs, json.readTree(base.resolve("run.json").toFile()),
            json.readTree(base.resolve("floor.json").toFile()), duck));
      }
    }
    String report = render(measured);
    System.out.print(report);
    if (results.getParent() != null) {
      Files.createDirectories(results.getParent());
    }
    String section = markdown(report);
    // Written beside and moved over the file: it holds earlier runs and notes, which a half-written file would lose.
    Path partial = results.resolveSibling(results.getFileName() + ".partial");
    Files.writeString(partial, withSection(Files.exists(results) ? Files.readString(results) : "", section));
    Files.move(partial, results, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.printf("%nWritten to %s%n", results);
    int code = exitCode(measured);
    if (code != 0) {
      System.err.println("cskpi bench: the revenue bridge does not agree with DuckDB's on the same files (see above)");
    }
    return code;
  }

  /** 1 when a revenue bridge compared with DuckDB's does not agree (a value differs or a key is on one side only). */
  static int exitCode(List<Measurement> measured) {
    return measured.stream().anyMatch(m -> m.duckDb() != null && !m.duckDb().agreement().agrees()) ? 1 : 0;
  }

  static final String TITLE = "# cs-kpi benchmark results\n\n";

  /**
   * The results file with a new run's section first among its sections (after the title and any text before
   * them), so that earlier runs and the notes written beside them are kept.
   */
  static String withSection(String existing, String section) {
    if (existing.isBlank()) {
      return TITLE + section;
    }
    // The first "## " heading outside fenced code blocks.
    boolean fenced = false;
    int at = 0;
    for (String line : existing.split("\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.startsWith("## ")) {
        return existing.substring(0, at) + section + "\n" + existing.substring(at);
      }
      at += line.length() + 1;
    }
    return existing.stripTrailing() + "\n\n" + section;
  }

  /**
   * Times the revenue-only run process (unless {@code revenueRunMs} is that run's already) and DuckDB's bridge on
   * the same files, and compares revenue_monthly's values with DuckDB's, both ways.
   */
  private DuckDb compareWithDuckDb(Path base, Path input, long n, long revenueRunMs) throws Exception {
    Path output = base.resolve(revenueRunMs >= 0 ? "output" : "revenue-output");
    if (revenueRunMs < 0) {
      deleteTree(output);
      progress("revenue-only run %,d customers (parquet), for DuckDB", n);
      revenueRunMs = child(base.resolve("revenue-run.log"), "run", "--input", input.toString(), "--input-format",
          "parquet", "--output", output.toString(), "--as-of", asOf.toString(), "--set", "cskpi.families=[revenue]");
    }
    progress("DuckDB revenue bridge %,d customers", n);
    io.cskpi.config.CskpiConfig config = io.cskpi.config.CskpiConfig.load(null, List.of());
    var duck = io.cskpi.bench.DuckDbBridge.compute(input.toAbsolutePath().toString(), asOf, config.segmentColumns());
    org.apache.spark.sql.SparkSession spark = Cskpi.session(config, "cskpi bench");
    java.util.Map<List<String>, List<java.math.BigDecimal>> ours = new java.util.LinkedHashMap<>();
    for (org.apache.spark.sql.Row r : spark.read().format("delta").load(output.resolve("revenue_monthly").toString())
        .filter(org.apache.spark.sql.functions.col("as_of_date").equalTo(org.apache.spark.sql.functions.lit(asOf)))
        .collectAsList()) {
      List<java.math.BigDecimal> values = new ArrayList<>();
      for (String v : io.cskpi.bench.DuckDbBridge.VALUES) {
        Object o = r.getAs(v);
        values.add(o == null ? null : o instanceof java.math.BigDecimal d ? d : java.math.BigDecimal.valueOf(
            ((Number) o).longValue()));
      }
      ours.put(List.of(r.getAs("period_month").toString(), r.getAs("dimension"), r.getAs("segment")), values);
    }
    // DuckDB reads the raw files; cs-kpi's bridge leaves out the rows it quarantined (none in generated data).
    long quarantined = spark.read().format("delta").load(output.resolve("quarantine").toString())
        .filter(org.apache.spark.sql.functions.col("as_of_date").equalTo(org.apache.spark.sql.functions.lit(asOf))
            .and(org.apache.spark.sql.functions.col("table_name").isin("customers", "subscriptions"))).count();
    return new DuckDb(revenueRunMs, duck.millis(), io.cskpi.bench.DuckDbBridge.compare(ours, duck.rows()),
        quarantined);
  }

  /** The tables: one line per run, fixed cost and scaling when scales 1 and 10 ran, then each run's stages. */
  String render(List<Measurement> measured) {
    StringBuilder out = new StringBuilder(String.format("%nBenchmark: %s%n%n", command()));
    out.append(String.format("%-10s %-8s %12s %9s %9s %9s %12s %10s %10s %10s %10s %6s%n", "customers", "input",
        "input rows", "run s", "floor s", "run/floor", "rows/s", "shuffle", "spill", "peak heap", "peak RSS",
        "scans"));
    for (Measurement m : measured) {
      out.append(String.format(Locale.ROOT, "%,10d %-8s %,12d %9.1f %9.1f %9.1f %,12d %10s %10s %10s %10s %6s%n",
          m.customers(), m.format(), m.inputRows(), m.runMs() / 1000.0, m.floorMs() / 1000.0,
          (double) m.runMs() / m.floorMs(), m.inputRows() * 1000 / Math.max(1, m.runMs()),
          RunSummary.bytes(m.run().get("shuffle_bytes").asLong()), RunSummary.bytes(m.run().get("spill_bytes")
              .asLong()), RunSummary.bytes(m.run().get("peak_heap_bytes").asLong()),
          RunSummary.bytes(m.run().get("peak_resident_bytes").asLong()), m.scans()));
    }
    for (String format : formats) {
      Measurement one = find(measured, customers, format);
      Measurement ten = find(measured, customers * 10, format);
      if (one != null && ten != null) {
        double t1 = one.runMs() / 1000.0;
        double t10 = ten.runMs() / 1000.0;
        out.append(String.format(Locale.ROOT, "%n%s: fixed cost F = (10 T1 - T10) / 9 = %.1f s; T10 / T1 = %.2f "
            + "(T1 %.1f s at %,d customers, T10 %.1f s at %,d)%n", format, (10 * t1 - t10) / 9, t10 / t1, t1,
            customers, t10, customers * 10));
      }
    }
    for (Measurement m : measured) {
      if (m.duckDb() != null) {
        DuckDb d = m.duckDb();
        var a = d.agreement();
        out.append(String.format(Locale.ROOT, "%nRevenue bridge at %,d customers (parquet): cs-kpi revenue-only run "
                + "process %.1f s, DuckDB %.2f s: %.1fx; values %s: %,d of %,d equal, %d keys only in cs-kpi, %d only "
                + "in DuckDB%n", m.customers(), d.revenueRunMs() / 1000.0, d.duckMs() / 1000.0,
            (double) d.revenueRunMs() / Math.max(1, d.duckMs()), a.agrees() ? "agree" : "DIFFER", a.equal(),
            a.values(), a.onlyOurs(), a.onlyTheirs()));
        if (d.quarantined() > 0) {
          out.append(String.format("  (the run quarantined %,d customers/subscriptions rows that DuckDB, reading the "
              + "raw files, counts: values may differ)%n", d.quarantined()));
        }
      }
    }
    if (formats.contains("parquet") && !io.cskpi.bench.DuckDbBridge.available()) {
      out.append(String.format("%nDuckDB comparison skipped: its JDBC driver is not on the classpath "
          + "(jobs/bench.sh adds it)%n"));
    }
    for (Measurement m : measured) {
      out.append(String.format("%nStages of the run at %,d customers (%s): wall, of it with no task running, Spark "
          + "jobs, tasks, task time, shuffle written, spill%n", m.customers(), m.format()));
      for (JsonNode s : m.run().get("stages")) {
        out.append(String.format(Locale.ROOT, "  %-36s %8.1f s %7.1f s %5d %6d %9.1f s %10s %10s%n",
            s.get("stage").asText(), s.get("wall_ms").asLong() / 1000.0, s.get("idle_ms").asLong() / 1000.0,
            s.get("jobs").asLong(), s.get("tasks").asLong(),
            s.get("task_ms").asLong() / 1000.0, RunSummary.bytes(s.get("shuffle_bytes").asLong()),
            RunSummary.bytes(s.get("spill_bytes").asLong())));
      }
      out.append(String.format(Locale.ROOT, "  %-36s %8.1f s %7.1f s (stages; the process took %.1f s)%n", "run",
          m.run().get("run_ms").asLong() / 1000.0, m.run().get("idle_ms").asLong() / 1000.0, m.runMs() / 1000.0));
    }
    return out.toString();
  }

  private static Measurement find(List<Measurement> measured, long n, String format) {
    return measured.stream().filter(m -> m.customers() == n && m.format().equals(format)).findFirst().orElse(null);
  }

  private String command() {
    return String.format("cskpi bench --customers %d --scales %s --formats %s --months %d --events-per-month %s%s",
        customers, String.join(",", scales.stream().map(String::valueOf).toList()), String.join(",", formats),
        months, events, families == null ? "" : " --families " + String.join(",", families));
  }

  /** The results as a section of the results file, with the machine they were measured on. */
  private String markdown(String report) {
    Runtime rt = Runtime.getRuntime();
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0);
    return "## " + command() + " (" + now + ")\n\n"
        + "Measured " + now + " on: "
        + rt.availableProcessors() + " cores (" + cpuModel() + "), " + memTotal() + " memory, "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
        + ", Java " + System.getProperty("java.version") + ", Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + " local mode, driver heap max " + RunSummary.bytes(rt.maxMemory()) + ".\n\n"
        + "Each run and floor job is its own JVM process (wall time of the process, start-up included). The floor "
        + "job reads every input column the pipeline uses once, in one query, and aggregates it trivially.\n\n"
        + "```\n" + report.strip() + "\n```\n";
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.replaceAll("model name\\s*:\\s*", "")).findFirst().orElse("cpu unknown");
    } catch (IOException | RuntimeException e) {
      return "cpu unknown";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> RunSummary.bytes(Long.parseLong(l.replaceAll("\\D", "")) * 1024)).findFirst().orElse("?");
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void progress(String format, Object... args) {
    System.err.printf("cskpi bench: " + format + "%n", args);
  }

  /** Runs cskpi with {@code args} in a new JVM like this one (same options and classpath); its wall time in ms. */
  private static long child(Path log, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-XX:StartFlightRecording")).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cskpi.class.getName()));
    command.addAll(List.of(args));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int code = p.waitFor();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (code != 0) {
      throw new IllegalStateException("cskpi " + args[0] + " failed (exit " + code + "), see " + log);
    }
    return ms;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
