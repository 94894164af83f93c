package io.cskpi.cli;

import io.cskpi.config.CskpiConfig;
import io.cskpi.generate.GeneratorSettings;
import io.cskpi.generate.SyntheticData;
import io.cskpi.io.Location;
import io.cskpi.io.TableFormat;
import io.cskpi.pipeline.Stopwatch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cskpi generate}: writes the synthetic input tables. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a realistic synthetic dataset of all seven input tables.")
public final class GenerateCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--customers", description = "Number of customers (default ${DEFAULT-VALUE})")
  long customers = 5_000;

  @Option(names = "--months", description = "Months of history (default ${DEFAULT-VALUE})")
  int months = 36;

  @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(names = "--end", paramLabel = "YYYY-MM-DD", description = "Last day of the data (default: today, UTC)")
  LocalDate end;

  @Option(names = "--events-per-month", description = "Mean usage events per engaged customer-month "
      + "(default ${DEFAULT-VALUE})")
  double eventsPerMonth = 12;

  @Option(names = "--output", paramLabel = "DIR", description = "Where to write DIR/<table> (default warehouse/input)")
  String output = "warehouse/input";

  @Option(names = "--format", description = "delta | parquet | csv (default ${DEFAULT-VALUE})")
  String format = "delta";

  @Override
  public Integer call() {
    CskpiConfig config = common.config().with("cskpi.input.format", format);   // checks the format
    TableFormat tableFormat = config.inputFormat();
    GeneratorSettings settings = new GeneratorSettings(customers, months, seed,
        end != null ? end : LocalDate.now(ZoneOffset.UTC), eventsPerMonth);
    SparkSession spark = Cskpi.session(config, "cskpi generate");
    Stopwatch stages = new Stopwatch();
    Location dir = Location.of(spark, output);
    for (Map.Entry<String, Dataset<Row>> t : SyntheticData.generate(spark, settings).entrySet()) {
      stages.time("generate " + t.getKey(), () -> tableFormat.write(t.getValue(), dir.child(t.getKey())));
    }
    System.out.printf("Generated %,d customers x %d months (%s .. %s, seed %d) as %s in %s: %s%n",
        customers, months, settings.start(), settings.end(), seed, format, output,
        Stopwatch.format(stages.totalMillis()));
    return 0;
  }
}
