package io.cskpi.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.cskpi.io.TableFormat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
      try {
        base = ConfigFactory.parseString(ConfigFile.read(conf),
            com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription(conf)).withFallback(base);
      } catch (ConfigException e) {
        throw new InvalidSettingException("config file " + conf + ": " + e.getMessage(), e);
      }
    }
    for (String kv : overrides) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new InvalidSettingException("--set expects key=value, got: " + kv);
      }
      String key = kv.substring(0, eq).trim();
      String value = kv.substring(eq + 1).trim();
      try {
        base = ConfigFactory.parseString(quoteKey(key) + " = " + value).withFallback(base);
      } catch (ConfigException e) {
        throw new InvalidSettingException("--set " + kv + ": " + e.getMessage(), e);
      }
    }
    try {
      return new CskpiConfig(base.resolve());
    } catch (ConfigException e) {
      throw new InvalidSettingException("invalid config: " + e.getMessage(), e);
    }
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

  /** Tables and keys a {@code cskpi.input.tables.<table>} section may set. */
  private static final List<String> INPUT_TABLES =
      io.cskpi.schema.InputTables.ALL.stream().map(io.cskpi.schema.TableSpec::name).toList();
  private static final List<String> INPUT_TABLE_KEYS = List.of("path", "format", "options", "columns", "where");
  /** Keys of a table section that hold an object of the user's own keys. */
  private static final List<String> INPUT_TABLE_OBJECTS = List.of("options", "columns");
  /** Sections whose keys are the user's own (Spark settings), not cs-kpi's. */
  private static final List<String> OPEN_SECTIONS = List.of("cskpi.spark.conf");
  /** The sections reference.conf defines; every other section under cskpi belongs to a KPI family. */
  public static final java.util.Set<String> CORE_SECTIONS =
      ConfigFactory.defaultReference().getConfig("cskpi").root().keySet();

  /**
   * Checks every setting before any compute, so a typo or a value out of range stops the run with the key, the
   * value and what is allowed, instead of a wrong number in a table or a failure an hour in.
   */
  private void validate() {
    try {
      rejectUnknownKeys();
      for (String key : List.of("cskpi.input.dir", "cskpi.output.dir")) {
        if (config.getString(key).isBlank()) {
          throw InvalidSettingException.of(key, "\"\"", "must be a directory path or URI");
        }
      }
      for (String table : INPUT_TABLES) {
        String key = "cskpi.input.tables." + table + ".path";
        if (config.hasPath(key) && config.getString(key).isBlank()) {
          throw InvalidSettingException.of(key, "\"\"", "must be a path or URI");
        }
      }
      inputFormat();
      logRetentionDays();
      deletedFileRetentionDays();
      keepDailyAsOfDays();
      lockStaleMinutes();
      catalogDatabase();
      catalogRegisterOnRun();
      catalogExposesQuarantine();
      quarantineKeepsSourceColumns();
      quarantineRetentionDays();
      for (String table : INPUT_TABLES) {
        inputFormat(table);
        inputMapping(table);
        try {
          io.cskpi.io.TextParsing.of(inputFormat(table), inputOptions(table));
        } catch (IllegalArgumentException e) {
          throw InvalidSettingException.of("cskpi.input.tables." + table + ".options", inputOptions(table),
              e.getMessage());
        }
      }
      if (families().isEmpty()) {
        throw InvalidSettingException.of("cskpi.families", "[]", "name at least one KPI family");
      }
      List<String> segments = segmentColumns();
      for (String s : segments) {
        if (s.isBlank() || List.of("dimension", "segment").contains(s)) {
          throw InvalidSettingException.of("cskpi.segments", segments,
              "each entry must be a customers column other than 'dimension' and 'segment'");
        }
      }
      if (segments.stream().distinct().count() < segments.size()) {
        throw InvalidSettingException.of("cskpi.segments", segments, "each column at most once");
      }
    } catch (ConfigException e) {
      throw new InvalidSettingException("invalid config: " + e.getMessage(), e);
    }
  }

  /**
   * Every key of a core section must be one reference.conf defines (or an input table's path/format, or a Spark
   * setting). Keys of the other sections are KPI families' settings, which each family's reader checks.
   */
  private void rejectUnknownKeys() {
    Config reference = ConfigFactory.defaultReference();
    for (String key : config.getConfig("cskpi").entrySet().stream().map(e -> "cskpi." + e.getKey()).sorted().toList()) {
      if (OPEN_SECTIONS.stream().anyMatch(p -> key.startsWith(p + "."))
          || !CORE_SECTIONS.contains(com.typesafe.config.ConfigUtil.splitPath(key).get(1))) {
        continue;
      }
      if (key.startsWith("cskpi.input.tables.")) {
        List<String> parts = com.typesafe.config.ConfigUtil.splitPath(key);
        boolean known = parts.size() >= 5 && INPUT_TABLES.contains(parts.get(3)) && INPUT_TABLE_KEYS.contains(parts.get(4))
            && (parts.size() == 5 ? !INPUT_TABLE_OBJECTS.contains(parts.get(4))
                : parts.size() == 6 && INPUT_TABLE_OBJECTS.contains(parts.get(4)));
        if (!known) {
          throw new InvalidSettingException("unknown setting " + key + ": cskpi.input.tables.<table>.<key> takes "
              + "a table of " + INPUT_TABLES + " and a key of " + INPUT_TABLE_KEYS);
        }
        continue;
      }
      if (!reference.hasPath(key)) {
        throw new InvalidSettingException("unknown setting " + key + " = " + config.getValue(key).render() + " ("
            + config.getValue(key).origin().description() + "); the settings are listed in the README and in "
            + "reference.conf");
      }
    }
  }

  public String inputDir() { return config.getString("cskpi.input.dir"); }
  public String outputDir() { return config.getString("cskpi.output.dir"); }

  /** The default input format. */
  public TableFormat inputFormat() {
    return checkFormat(config.getString("cskpi.input.format"), "cskpi.input.format");
  }

  /** A table's own format if {@code cskpi.input.tables.<table>.format} is set, else the default. */
  public TableFormat inputFormat(String table) {
    String key = "cskpi.input.tables." + table + ".format";
    return config.hasPath(key) ? checkFormat(config.getString(key), key) : inputFormat();
  }

  /** A table's own path if {@code cskpi.input.tables.<table>.path} is set, else null. */
  public String inputPath(String table) {
    String key = "cskpi.input.tables." + table + ".path";
    return config.hasPath(key) ? config.getString(key) : null;
  }

  /** Spark reader options of a table, {@code cskpi.input.tables.<table>.options}; empty when none. */
  public java.util.Map<String, String> inputOptions(String table) {
    return stringObject("cskpi.input.tables." + table + ".options");
  }

  /** How a table maps onto the data model: {@code columns} and {@code where} of cskpi.input.tables.<table>. */
  public io.cskpi.io.InputMapping inputMapping(String table) {
    String where = "cskpi.input.tables." + table + ".where";
    String whereValue = config.hasPath(where) ? config.getString(where).strip() : null;
    if (whereValue != null && whereValue.isEmpty()) {
      throw InvalidSettingException.of(where, "\"\"", "must be a Spark SQL condition over the source columns");
    }
    return new io.cskpi.io.InputMapping(stringObject("cskpi.input.tables." + table + ".columns"), whereValue);
  }

  private java.util.Map<String, String> stringObject(String key) {
    java.util.Map<String, String> values = new java.util.TreeMap<>();
    if (!config.hasPath(key)) {
      return values;
    }
    for (var e : config.getConfig(key).root().entrySet()) {
      Object v = e.getValue().unwrapped();
      // Empty, not blank: a tab or a space is a delimiter.
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean) || v.toString().isEmpty()) {
        throw InvalidSettingException.of(key + "." + e.getKey(),
            e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()), "must be a text");
      }
      values.put(e.getKey(), v.toString());
    }
    return values;
  }

  /** The segment dimensions: customers columns, lower case (column names are case-insensitive). */
  public List<String> segmentColumns() {
    return config.getStringList("cskpi.segments").stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
  }

  /** The KPI families the nightly run computes. */
  public List<String> families() { return config.getStringList("cskpi.families"); }
  public String sparkMaster() { return config.getString("cskpi.spark.master"); }

  /** Days of Delta log (time travel, and so the published run's table versions) every result table keeps. */
  public int logRetentionDays() { return positiveInt("cskpi.output.log-retention-days"); }

  /** Days removed data files stay on disk before VACUUM deletes them (readers of an older version need them). */
  public int deletedFileRetentionDays() { return positiveInt("cskpi.output.deleted-file-retention-days"); }

  /**
   * Minutes after which a run lock nobody renewed is a killed run's (runs renew theirs every minute on a local
   * disk and HDFS); 0: never by age.
   */
  public int lockStaleMinutes() { return nonNegativeInt("cskpi.output.lock-stale-minutes"); }

  /** The Spark catalog database the result tables are registered in (cskpi serve, BI tools). */
  public String catalogDatabase() {
    String db = config.getString("cskpi.catalog.database");
    if (!db.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw InvalidSettingException.of("cskpi.catalog.database", db, "must be a database name: letters, digits, _");
    }
    return db;
  }

  /** True when each published run registers its tables and views in the session's catalog. */
  public boolean catalogRegisterOnRun() { return config.getBoolean("cskpi.catalog.register-on-run"); }

  /** Days of daily as-of dates cskpi maintain keeps before the published one (month ends stay); 0 = all. */
  public int keepDailyAsOfDays() { return nonNegativeInt("cskpi.output.keep-daily-as-of-days"); }

  /**
   * True when the quarantine (rejected input rows as read, possibly personal data) is registered for BI tools too;
   * by default only the data team reads it, from its Delta path.
   */
  public boolean catalogExposesQuarantine() { return config.getBoolean("cskpi.catalog.expose-quarantine"); }

  /** True when quarantine rows keep every source column, not only the data model's. */
  public boolean quarantineKeepsSourceColumns() { return config.getBoolean("cskpi.quarantine.keep-source-columns"); }

  /** Days of as-of dates cskpi maintain keeps in the quarantine before the published one. */
  public int quarantineRetentionDays() { return positiveInt("cskpi.quarantine.retention-days"); }

  private int nonNegativeInt(String key) {
    int days = config.getInt(key);
    if (days < 0) {
      throw InvalidSettingException.of(key, days, "must be a whole number of days >= 0");
    }
    return days;
  }

  private int positiveInt(String key) {
    int days = config.getInt(key);
    if (days < 1) {
      throw InvalidSettingException.of(key, days, "must be a whole number of days >= 1");
    }
    return days;
  }

  /** The resolved cskpi settings as one-line JSON, values of Spark settings that look secret redacted. */
  public String renderRedacted() {
    Config c = config.getConfig("cskpi");
    if (c.hasPath("spark.conf")) {
      for (var e : c.getConfig("spark.conf").entrySet()) {
        if (e.getKey().toLowerCase(Locale.ROOT).matches(".*(secret|password|token|credential|key).*")) {
          c = c.withValue("spark.conf." + e.getKey(), ConfigValueFactory.fromAnyRef("<redacted>"));
        }
      }
    }
    return c.root().render(com.typesafe.config.ConfigRenderOptions.concise());
  }

  public Map<String, String> sparkConf() {
    Map<String, String> out = new LinkedHashMap<>();
    if (config.hasPath("cskpi.spark.conf")) {
      config.getConfig("cskpi.spark.conf").entrySet()
          .forEach(e -> out.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped())));
    }
    return out;
  }

  /** The sections under cskpi that are not core settings: KPI families' settings, by section name. */
  public java.util.Set<String> familySectionNames() {
    java.util.Set<String> names = new java.util.TreeSet<>(config.getConfig("cskpi").root().keySet());
    names.removeAll(CORE_SECTIONS);
    return names;
  }

  /** The section cskpi.&lt;name&gt; (a KPI family's settings); empty when not set. */
  public Config familySection(String name) {
    String key = "cskpi." + com.typesafe.config.ConfigUtil.joinPath(name);
    if (!config.hasPath(key)) {
      return ConfigFactory.empty();
    }
    if (config.getValue(key).valueType() != com.typesafe.config.ConfigValueType.OBJECT) {
      throw InvalidSettingException.of(key, config.getValue(key).render(), "must be a section { ... } of settings");
    }
    return config.getConfig(key);
  }

  private static TableFormat checkFormat(String f, String key) {
    try {
      return TableFormat.of(f);
    } catch (IllegalArgumentException e) {
      throw InvalidSettingException.of(key, f, "must be delta, parquet, csv or json");
    }
  }
}
