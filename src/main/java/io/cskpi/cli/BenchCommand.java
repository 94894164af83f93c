package io.cskpi.cli;

import io.cskpi.pipeline.Stopwatch;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** {@code cskpi bench}: generate + run at scale in one JVM, with wall times, row counts and peak memory. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: generate N customers x M months, run the pipeline, report times and memory.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--customers", description = "default ${DEFAULT-VALUE}") long customers = 100_000;
  @Option(names = "--months", description = "default ${DEFAULT-VALUE}") int months = 36;
  @Option(names = "--events-per-month", description = "default ${DEFAULT-VALUE}") double events = 12;
  @Option(names = "--dir", description = "Working directory (default ${DEFAULT-VALUE})") String dir = "warehouse/bench";
  @Option(names = "--as-of", description = "As-of date and end of the data (default ${DEFAULT-VALUE})")
  LocalDate asOf = LocalDate.parse("2026-06-30");

  @Override
  public Integer call() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peakHeap = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "cskpi-bench-memory");
    sampler.setDaemon(true);
    sampler.start();

    long t0 = System.nanoTime();
    int generated = Cskpi.execute("generate", "--customers", Long.toString(customers), "--months",
        Integer.toString(months), "--end", asOf.toString(), "--events-per-month", Double.toString(events),
        "--output", dir + "/input");
    long t1 = System.nanoTime();
    if (generated != 0) {
      return generated;
    }
    int ran = Cskpi.execute("run", "--input", dir + "/input", "--output", dir + "/output", "--as-of",
        asOf.toString());
    long t2 = System.nanoTime();
    sampler.interrupt();
    if (ran != 0) {
      return ran;
    }

    SparkSession spark = SparkSession.active();
    StringBuilder out = new StringBuilder(String.format("%nBenchmark: %,d customers x %d months, %d cores%n",
        customers, months, Runtime.getRuntime().availableProcessors()));
    for (var table : InputTables.ALL) {
      long rows = spark.read().format("delta")
          .load(io.cskpi.io.Location.of(spark, dir).child("input").child(table.name()).toString()).count();
      out.append(String.format("  %-16s %,14d rows%n", table.name(), rows));
    }
    out.append(String.format("  generate %s, run %s, total %s%n", Stopwatch.format((t1 - t0) / 1_000_000),
        Stopwatch.format((t2 - t1) / 1_000_000), Stopwatch.format((t2 - t0) / 1_000_000)));
    out.append(String.format("  peak JVM heap used %,d MiB (max %,d MiB), peak resident memory %s%n",
        peakHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20, peakResident()));
    System.out.print(out);
    return 0;
  }

  /** VmHWM of this process on Linux, else "n/a". */
  private static String peakResident() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
          .map(l -> l.replaceAll("VmHWM:\\s*", "")).findFirst().orElse("n/a");
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
