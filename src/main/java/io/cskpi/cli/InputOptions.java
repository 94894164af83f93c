package io.cskpi.cli;

import io.cskpi.config.CskpiConfig;
import picocli.CommandLine.Option;

/** Where the input tables are, for the commands that read them (run, backfill, check). */
public class InputOptions {
  @Option(names = "--input", paramLabel = "DIR", description = "Input directory: DIR/<table>/ or DIR/<table>.csv")
  String input;

  @Option(names = "--input-format", paramLabel = "F", description = "delta | parquet | csv | json (all tables)")
  String inputFormat;

  /** {@code config} with these options over its settings. */
  CskpiConfig applyTo(CskpiConfig config) {
    CskpiConfig c = input == null ? config : config.with("cskpi.input.dir", input);
    return inputFormat == null ? c : c.withInputFormatForAllTables(inputFormat);
  }
}
