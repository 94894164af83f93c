package io.cskpi.cli;

import io.cskpi.config.CskpiConfig;
import io.cskpi.io.Location;
import io.cskpi.pipeline.RunLock;
import io.cskpi.pipeline.RunLog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code cskpi unlock}: removes the lock a killed run left (a run on another host, or whose process cannot be
 * checked) and records that run as killed in the run log. A run on the same host finds a dead holder by itself.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
    description = "Remove the run lock a killed run left on the output directory and record that run as killed in "
        + "run_log. Refused while the holder's process runs on this host.")
public final class UnlockCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin OutputOption outputs = new OutputOption();

  @Override
  public Integer call() {
    CskpiConfig config = outputs.applyTo(common.config());
    SparkSession spark = Cskpi.session(config, "cskpi unlock");
    Location out = Location.of(spark, config.outputDir());
    Optional<RunLock.Holder> holder = RunLock.breakLock(spark, out);
    if (holder.isEmpty()) {
      System.out.println("cskpi unlock: " + out + " is not locked");
      return 0;
    }
    RunLog.appendKilled(spark, out, holder.get(), "its lock removed by cskpi unlock");
    System.out.println("cskpi unlock: removed the lock of " + holder.get()
        + (holder.get().asOf() == null ? "" : "; run_log records it as killed"));
    return 0;
  }
}
