package io.cskpi.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

/** {@code cskpi demo}: generate a sample dataset and run the nightly pipeline on it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate a sample dataset under DIR/input and run the pipeline into DIR.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--customers", description = "Number of customers (default ${DEFAULT-VALUE})")
  long customers = 5_000;

  @Option(names = "--months", description = "Months of history (default ${DEFAULT-VALUE})")
  int months = 36;

  @Option(names = "--dir", paramLabel = "DIR", description = "Warehouse directory (default ${DEFAULT-VALUE})")
  String dir = "warehouse";

  @Override
  public Integer call() {
    String asOf = LocalDate.now(ZoneOffset.UTC).toString();
    int generated = Cskpi.execute("generate", "--customers", Long.toString(customers), "--months",
        Integer.toString(months), "--end", asOf, "--output", dir + "/input");
    if (generated != 0) {
      return generated;
    }
    return Cskpi.execute("run", "--input", dir + "/input", "--output", dir, "--as-of", asOf);
  }
}
