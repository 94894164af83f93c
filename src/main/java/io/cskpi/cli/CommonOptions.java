package io.cskpi.cli;

import io.cskpi.Families;
import io.cskpi.config.CskpiConfig;
import io.cskpi.pipeline.FamilyPlan;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Options every Spark command takes: the config file, overrides and the master. */
public class CommonOptions {
  @Option(names = "--conf", paramLabel = "FILE", description = "HOCON config file: a local path or any Hadoop URI "
      + "(s3a://, abfss://, ...); defaults: reference.conf")
  String confFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, repeatable")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--master", description = "Spark master; default local[*] or the one spark-submit sets")
  String master;

  /** The config, every setting checked (the families' own sections too) before any Spark work. */
  CskpiConfig config() {
    CskpiConfig c = CskpiConfig.load(confFile, overrides);
    FamilyPlan.of(Families.ALL, c);
    return master == null ? c : c.with("cskpi.spark.master", master);
  }
}
