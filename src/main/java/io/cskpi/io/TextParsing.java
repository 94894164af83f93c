package io.cskpi.io;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.try_to_timestamp;

import org.apache.spark.sql.Column;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an input's text becomes the data model's values, from a table's reader options
 * ({@code cskpi.input.tables.<table>.options}, Spark's option names): CSV's {@code delimiter} (or {@code sep}) and
 * {@code quote}, and the {@code dateFormat} and {@code timestampFormat} that dates and timestamps written as text
 * must follow (CSV, JSON, and a mapped expression that gives text). Without a pattern, text dates are ISO
 * (yyyy-MM-dd) and timestamps ISO 8601. A pattern is strict: the whole value must match it ("1/2/2024" does not
 * match dd/MM/yyyy), so a value in another form is quarantined rather than guessed.
 *
 * @param dateFormat      a Spark datetime pattern, or null for ISO
 * @param timestampFormat a Spark datetime pattern, or null for ISO 8601
 */
public record TextParsing(char delimiter, char quote, String dateFormat, String timestampFormat) {
  public static final TextParsing DEFAULT = new TextParsing(',', '"', null, null);

  /** The options cs-kpi's CSV reader takes; other formats pass every option to Spark's reader. */
  public static final List<String> CSV_OPTIONS = List.of("delimiter", "sep", "quote", "dateFormat", "timestampFormat");

  /**
   * The parsing that {@code options} ask for, reading {@code format}. An option CSV does not take, a delimiter or
   * quote that is not one character, or a pattern Spark cannot parse with is an {@link IllegalArgumentException}
   * whose message names the option.
   */
  public static TextParsing of(TableFormat format, Map<String, String> options) {
    Map<String, String> given = new LinkedHashMap<>(options);
    if (format == TableFormat.CSV) {
      for (String key : given.keySet()) {
        if (!CSV_OPTIONS.contains(key)) {
          throw new IllegalArgumentException("option '" + key + "': CSV is read by cs-kpi's own strict reader (a "
              + "header line, one record per line, UTF-8), which takes the options " + CSV_OPTIONS);
        }
      }
      if (given.containsKey("delimiter") && given.containsKey("sep")) {
        throw new IllegalArgumentException("options 'delimiter' and 'sep' are the same option: set one");
      }
    }
    String delimiter = given.getOrDefault("delimiter", given.getOrDefault("sep", ","));
    String quote = given.getOrDefault("quote", "\"");
    char d = oneCharacter("delimiter", delimiter);
    char q = oneCharacter("quote", quote);
    if (d == q) {
      throw new IllegalArgumentException("options 'delimiter' and 'quote' must differ, both are '" + d + "'");
    }
    return new TextParsing(d, q, pattern("dateFormat", given.get("dateFormat")),
        pattern("timestampFormat", given.get("timestampFormat")));
  }

  /**
   * Asks Spark's own formatter for each pattern (it refuses more than java.time does, e.g. {@code MMMMM}), once on
   * the driver: a refused pattern stops the read naming the option, instead of failing mid-run.
   */
  void requireSparkAccepts(org.apache.spark.sql.SparkSession spark, String table) {
    for (var p : new String[][] {{"dateFormat", dateFormat}, {"timestampFormat", timestampFormat}}) {
      if (p[1] == null) {
        continue;
      }
      try {
        spark.range(1).select(try_to_timestamp(lit("2000-01-01"), lit(p[1]))).collectAsList();
      } catch (Exception e) {
        String reason = String.valueOf(e.getMessage()).strip().split("\n")[0];
        throw new io.cskpi.schema.InputSchemaException("table '" + table + "': cskpi.input.tables." + table
            + ".options." + p[0] + " = \"" + p[1] + "\": Spark refuses this pattern: " + reason);
      }
    }
  }

  /** The text's date in {@link #dateFormat}, or null when the whole text does not match it. */
  Column date(Column text) {
    return to_date(try_to_timestamp(text, lit(dateFormat)));
  }

  /** The text's timestamp in {@link #timestampFormat} (UTC unless it names a zone), or null. */
  Column timestamp(Column text) {
    return try_to_timestamp(text, lit(timestampFormat));
  }

  private static char oneCharacter(String option, String value) {
    String v = "\\t".equals(value) ? "\t" : value;
    if (v.length() != 1 || v.equals("\n") || v.equals("\r")) {
      throw new IllegalArgumentException("option '" + option + "' must be one character (\"\\t\" for a tab), got \""
          + value + "\"");
    }
    return v.charAt(0);
  }

  // Letters Spark 3 refuses in a datetime pattern: week-based fields and a few java.time letters it does not support.
  private static final String UNSUPPORTED_LETTERS = "YWwuecAnNp";

  private static String pattern(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      DateTimeFormatter.ofPattern(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("option '" + option + "' = \"" + value + "\" is not a datetime pattern: "
          + e.getMessage());
    }
    boolean quoted = false;
    for (char c : value.toCharArray()) {
      quoted = c == '\'' ? !quoted : quoted;
      if (!quoted && UNSUPPORTED_LETTERS.indexOf(c) >= 0) {
        throw new IllegalArgumentException("option '" + option + "' = \"" + value + "\": Spark's datetime patterns "
            + "do not take '" + c + "' (week-based fields are unsupported; use y, M, d, H, m, s)");
      }
    }
    if (!unquoted(value).contains("M") && !unquoted(value).contains("L") && !unquoted(value).contains("D")) {
      throw new IllegalArgumentException("option '" + option + "' = \"" + value + "\" has no month (M) or day of "
          + "year (D): " + (unquoted(value).contains("m") ? "'m' is the minute, 'M' the month" : "add one"));
    }
    return value;
  }

  private static String unquoted(String pattern) {
    return pattern.replaceAll("'[^']*'", "");
  }
}
