package io.cskpi.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, immutable view of the {@code cskpi} config: defaults in {@code reference.conf}, then an optional
 * file ({@code --conf}), then {@code --set key=value} overrides, then CLI options.
 */
public final class CskpiConfig {
  private final Config config;

  private CskpiConfig(Config config) {
    this.config = config;
    validate();
  }

  /** Defaults, then the file at {@code conf} (a local path or a Hadoop URI; null for none), then {@code overrides}. */
  public static CskpiConfig load(String conf, List<String> overrides) {
    Config base = ConfigFactory.defaultReference();
    if (conf != null) {
      base = ConfigFactory.parseString(ConfigFile.read(conf),
          com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription(conf)).withFallback(base);
    }
    for (String kv : overrides) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects key=value, got: " + kv);
      }
      String key = kv.substring(0, eq).trim();
      String value = kv.substring(eq + 1).trim();
      base = ConfigFactory.parseString(quoteKey(key) + " = " + value).withFallback(base);
    }
    return new CskpiConfig(base.resolve());
  }

  public static CskpiConfig defaults() {
    return load(null, List.of());
  }

  /** Returns a copy with one value replaced (used by CLI options such as --input). */
  public CskpiConfig with(String path, Object value) {
    return new CskpiConfig(config.withValue(path, ConfigValueFactory.fromAnyRef(value)));
  }

  /** Returns a copy that reads every input table in {@code format}, dropping per-table formats. */
  public CskpiConfig withInputFormatForAllTables(String format) {
    Config c = config.withValue("cskpi.input.format", ConfigValueFactory.fromAnyRef(format));
    if (c.hasPath("cskpi.input.tables")) {
      for (String table : c.getConfig("cskpi.input.tables").root().keySet()) {
        c = c.withoutPath("cskpi.input.tables." + table + ".format");
      }
    }
    return new CskpiConfig(c);
  }

  private static String quoteKey(String key) {
    return key.startsWith("cskpi.") ? key : "cskpi." + key;
  }

  private void validate() {
    try {
      inputFormat();
      double gm = grossMargin();
      if (gm <= 0 || gm > 1) {
        throw new IllegalArgumentException("cskpi.economics.gross-margin must be in (0,1], got " + gm);
      }
    } catch (ConfigException e) {
      throw new IllegalArgumentException("invalid config: " + e.getMessage(), e);
    }
  }

  public String inputDir() { return config.getString("cskpi.input.dir"); }
  public String outputDir() { return config.getString("cskpi.output.dir"); }

  /** The default input format: delta, parquet or csv. */
  public String inputFormat() {
    return checkFormat(config.getString("cskpi.input.format"), "cskpi.input.format");
  }

  /** A table's own format if {@code cskpi.input.tables.<table>.format} is set, else the default. */
  public String inputFormat(String table) {
    String key = "cskpi.input.tables." + table + ".format";
    return config.hasPath(key) ? checkFormat(config.getString(key), key) : inputFormat();
  }

  /** A table's own path if {@code cskpi.input.tables.<table>.path} is set, else null. */
  public String inputPath(String table) {
    String key = "cskpi.input.tables." + table + ".path";
    return config.hasPath(key) ? config.getString(key) : null;
  }

  public List<String> segmentColumns() { return config.getStringList("cskpi.segments"); }

  /** The KPI families the nightly run computes. */
  public List<String> families() { return config.getStringList("cskpi.families"); }
  public String sparkMaster() { return config.getString("cskpi.spark.master"); }

  public Map<String, String> sparkConf() {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.hasPath("cskpi.spark.conf")) {
      config.getConfig("cskpi.spark.conf").entrySet()
          .forEach(e -> out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    }
    return out;
  }

  public double grossMargin() { return config.getDouble("cskpi.economics.gross-margin"); }
  public int churnWindowMonths() { return config.getInt("cskpi.economics.churn-window-months"); }
  public double churnRateFloor() { return config.getDouble("cskpi.economics.churn-rate-floor"); }
  public String clvTimeUnit() { return config.getString("cskpi.clv.time-unit"); }
  public int clvHorizon() { return config.getInt("cskpi.clv.horizon"); }
  public double clvAnnualDiscountRate() { return config.getDouble("cskpi.clv.annual-discount-rate"); }
  public int clvCalibrationMonths() { return config.getInt("cskpi.clv.calibration-months"); }

  public Config raw() { return config; }

  private static String checkFormat(String f, String key) {
    String lower = f.toLowerCase();
    if (!List.of("delta", "parquet", "csv").contains(lower)) {
      throw new IllegalArgumentException(key + " must be delta, parquet or csv, got: " + f);
    }
    return lower;
  }
}
