package io.cskpi.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/** Builds the one SparkSession a job uses: local mode by default, the cluster's master under spark-submit. */
public final class Sessions {
  private Sessions() {}

  /**
   * Returns a session with Delta enabled, UTC time and java.time values. A master set by spark-submit wins
   * over {@code defaultMaster}; {@code extraConf} comes from the cskpi config ({@code cskpi.spark.conf}).
   */
  public static SparkSession getOrCreate(String appName, String defaultMaster, Map<String, String> extraConf) {
    SparkConf conf = new SparkConf(true);
    conf.setIfMissing("spark.master", defaultMaster);
    conf.setIfMissing("spark.app.name", appName);
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.set("spark.sql.session.timeZone", "UTC");
    conf.set("spark.sql.datetime.java8API.enabled", "true");
    // A date that does not match its pattern is an invalid value for the quarantine, not an error that stops the
    // run (Spark 3's default raises one when the pre-3.0 lenient parser would have read it).
    conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED");
    if (conf.get("spark.master").startsWith("local")) {
      // Local runs only: keep the driver on loopback and skip the UI and Delta's 50 snapshot partitions.
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "localhost");
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "2");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
      // File listings (Delta's VACUUM) run this many tasks: Spark's 10,000 took minutes on a small local table.
      conf.setIfMissing("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8");
      // Local files without a forked chmod/readlink per file (no native Hadoop library): see LocalFiles.
      conf.setIfMissing("spark.hadoop.fs.file.impl", LocalFiles.FileSystem.class.getName());
      conf.setIfMissing("spark.hadoop.fs.AbstractFileSystem.file.impl", LocalFiles.Fs.class.getName());
    }
    extraConf.forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
