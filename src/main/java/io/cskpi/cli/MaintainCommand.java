package io.cskpi.cli;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.pipeline.Maintenance;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code cskpi maintain}: Delta housekeeping of the result tables. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = "Delete as-of dates past their retention, OPTIMIZE and VACUUM every result table (under the run "
        + "lock; schedule it weekly, outside the nightly run).")
public final class MaintainCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin OutputOption outputs = new OutputOption();

  @Override
  public Integer call() {
    CskpiConfig config = outputs.applyTo(common.config());
    SparkSession spark = Cskpi.session(config, "cskpi maintain");
    List<Maintenance.Done> done = Maintenance.run(spark, config, Families.ALL);
    System.out.printf("%-28s %14s %20s %16s %8s%n", "table", "runs removed", "as-of dates deleted",
        "files compacted", "seconds");
    done.forEach(d -> System.out.printf("%-28s %14d %20d %16d %8d%n", d.table(), d.runsRemoved(), d.asOfDatesDeleted(),
        d.filesCompacted(), d.seconds()));
    System.out.printf("maintained %d tables; VACUUM kept files of the last %d days%n", done.size(),
        config.deletedFileRetentionDays());
    return 0;
  }
}
