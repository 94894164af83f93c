package io.cskpi.cli;

import io.cskpi.config.CskpiConfig;
import picocli.CommandLine.Option;

/** Where the result tables are, for the commands that write or read them. */
public class OutputOption {
  @Option(names = "--output", paramLabel = "DIR", description = "Output directory: result tables at DIR/<table>")
  String output;

  /** {@code config} with this option over its settings. */
  CskpiConfig applyTo(CskpiConfig config) {
    return output == null ? config : config.with("cskpi.output.dir", output);
  }
}
