package io.cskpi.cli;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.io.Location;
import io.cskpi.pipeline.CatalogTables;
import io.cskpi.pipeline.RunLog;
import io.cskpi.spark.Sessions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code cskpi serve}: the result tables by name for BI tools over JDBC/ODBC, through Spark's Thrift server on a
 * loopback port, against an embedded metastore (Derby) kept beside the tables. It registers a view per result table,
 * the published run's {@code *_current} views, run_log and kpi_catalog.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the result tables over JDBC/ODBC (Spark Thrift Server, HiveServer2 protocol) on a loopback "
        + "port: database cskpi.catalog.database with every table, the *_current views and kpi_catalog.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin OutputOption outputs = new OutputOption();

  @Option(names = "--port", description = "Port (loopback only; default ${DEFAULT-VALUE})")
  int port = 10000;

  @Option(names = "--refresh-seconds", description = "How often to look for result tables a run added (default "
      + "${DEFAULT-VALUE})")
  int refreshSeconds = 60;

  @Override
  public Integer call() throws Exception {
    CskpiConfig config = outputs.applyTo(common.config());
    Location out = Location.of(new org.apache.hadoop.conf.Configuration(), config.outputDir());
    if (!out.toString().startsWith("file:")) {
      throw new IllegalArgumentException("cskpi serve keeps its embedded metastore beside the tables, on a local "
          + "disk; " + out + " is not local. On a cluster, register the tables in the cluster's metastore or Unity "
          + "Catalog and run its own Thrift server (README, BI access)");
    }
    File metastore = new File(java.net.URI.create(out.child("_metastore").toString()));
    metastore.mkdirs();
    System.setProperty("derby.stream.error.file", new File(metastore, "derby.log").getPath());
    Map<String, String> conf = new LinkedHashMap<>(config.sparkConf());
    conf.put("spark.sql.catalogImplementation", "hive");
    conf.putIfAbsent("spark.hadoop.javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + new File(metastore, "metastore_db").getPath() + ";create=true");
    conf.putIfAbsent("spark.sql.warehouse.dir", out.child("_spark-warehouse").toString());
    conf.put("spark.hadoop.hive.server2.thrift.port", String.valueOf(port));
    conf.put("spark.hadoop.hive.server2.thrift.bind.host", "127.0.0.1");
    SparkSession spark = Sessions.getOrCreate("cskpi serve", config.sparkMaster(), conf);

    String database = config.catalogDatabase();
    Optional<RunLog.Published> published = CatalogTables.register(spark, database, out, Families.ALL,
        config.segmentColumns(), config.catalogExposesQuarantine());
    HiveThriftServer2.startWithContext(spark.sqlContext());
    System.out.printf("cskpi serve: jdbc:hive2://127.0.0.1:%d/%s  (tables of %s; published run %s)%n", port, database,
        out, published.map(p -> p.runId() + " as of " + p.asOf()).orElse("none yet"));
    System.out.flush();
    // The views read the run log when queried: a run that publishes shows at once. This loop only registers tables
    // that appear later (the first run after serve started, a family added to cskpi.families).
    String current = published.map(RunLog.Published::runId).orElse("");
    while (!Thread.currentThread().isInterrupted()) {
      Thread.sleep(refreshSeconds * 1000L);
      try {
        String latest = RunLog.published(spark, out).map(RunLog.Published::runId).orElse("");
        if (!latest.equals(current)) {
          CatalogTables.register(spark, database, out, Families.ALL, config.segmentColumns(),
              config.catalogExposesQuarantine());
          System.out.printf("cskpi serve: run %s published%n", latest);
          System.out.flush();
          current = latest;
        }
      } catch (RuntimeException e) {   // a run writing the log at this moment, a disk hiccup: try again next time
        System.err.println("cskpi serve: warning: could not look for a newly published run: " + e.getMessage());
      }
    }
    return 0;
  }
}
