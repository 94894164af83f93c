package io.cskpi.cli;

import io.cskpi.config.CskpiConfig;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.schema.InputSchemaException;
import io.cskpi.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The cskpi command line: a thin shell over the pipeline, generator and exporters. */
@Command(name = "cskpi", mixinStandardHelpOptions = true, version = "cskpi 0.1.0",
    description = "Customer-success KPIs on Apache Spark, written as Delta tables.",
    subcommands = {DemoCommand.class, GenerateCommand.class, RunCommand.class, ExportCommand.class,
        CatalogCommand.class, ClvFitCommand.class, BenchCommand.class,
        TicketsFromEventLogCommand.class, CheckCommand.class, BackfillCommand.class, MaintainCommand.class,
        ServeCommand.class, UnlockCommand.class, FloorCommand.class})
public final class Cskpi implements Runnable {
  /**
   * Exit code for input or settings that cannot be used (missing table or column, wrong type, a setting out of
   * range): raised before any compute, nothing written; rerunning will not help.
   */
  public static final int EXIT_BAD_INPUT = 2;
  /** Exit code for any other failure. */
  public static final int EXIT_FAILURE = 1;
  /** Exit code when another run holds the output directory: retry after it ends. */
  public static final int EXIT_LOCKED = 3;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /**
   * Exits non-zero on failure; on success returns normally and never calls System.exit: under spark-submit
   * --deploy-mode cluster the driver's main runs inside YARN's (or Kubernetes') application master, which reports a
   * System.exit as a failed attempt and may retry a run that succeeded.
   */
  public static void main(String[] args) {
    int code = execute(args);
    boolean databricks = System.getenv("DATABRICKS_RUNTIME_VERSION") != null;
    if (code != 0 && databricks) {
      // a JAR task fails by throwing; System.exit there ends the cluster's driver, not just the task
      throw new IllegalStateException("cskpi " + String.join(" ", args) + " failed with exit code " + code
          + " (see the error above)");
    }
    if (code != 0) {
      System.exit(code);
    }
    if (databricks) {
      return;   // a Databricks JAR task shares the cluster's session: stopping it fails the job
    }
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();   // no non-daemon thread is left to keep a local JVM alive
      return null;
    });
  }

  /** Runs the command line and returns its exit code (tests call this). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Cskpi());
    cli.registerConverter(java.time.LocalDate.class, new DateArgument());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof InputSchemaException || e instanceof InvalidSettingException) {
        cmd.getErr().println("cskpi: error: " + e.getMessage());
        return EXIT_BAD_INPUT;
      }
      if (e instanceof io.cskpi.pipeline.RunLock.RunLockedException) {
        cmd.getErr().println("cskpi: error: " + e.getMessage());
        return EXIT_LOCKED;
      }
      if (e instanceof io.cskpi.io.DeltaOutput.SchemaChangedException) {
        cmd.getErr().println("cskpi: error: " + e.getMessage());
        return EXIT_BAD_INPUT;
      }
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("cskpi: error: " + e.getMessage());
        return EXIT_FAILURE;
      }
      cmd.getErr().println("cskpi: failed: " + e);
      e.printStackTrace(cmd.getErr());
      return EXIT_FAILURE;
    });
    return cli.execute(args);
  }

  static SparkSession session(CskpiConfig config, String appName) {
    return Sessions.getOrCreate(appName, config.sparkMaster(), config.sparkConf());
  }
}
