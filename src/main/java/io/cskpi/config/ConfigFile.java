package io.cskpi.config;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Reads a config file given as a local path (relative to the working directory), a {@code file:} URI or any
 * Hadoop URI ({@code s3a://}, {@code abfss://}, {@code hdfs://}): the config is read before the Spark session
 * exists, so remote files go through a Hadoop configuration built from the Spark settings spark-submit passed.
 */
final class ConfigFile {
  private ConfigFile() {}

  static String read(String location) {
    Path path = new Path(location);
    String scheme = path.toUri().getScheme();
    try {
      if (scheme == null || scheme.equals("file")) {
        java.nio.file.Path local = scheme == null ? java.nio.file.Path.of(location) : java.nio.file.Path.of(path.toUri());
        if (!Files.isRegularFile(local)) {
          throw new InvalidSettingException("config file not found: " + local.toAbsolutePath());
        }
        return Files.readString(local, StandardCharsets.UTF_8);
      }
      Configuration hadoop = SparkHadoopUtil.get().newConfiguration(new SparkConf(true));
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.isFile(path)) {
        throw new InvalidSettingException("config file not found: " + location);
      }
      try (InputStream in = fs.open(path)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new InvalidSettingException("cannot read config file " + location + ": " + e.getMessage(), e);
    }
  }
}
