package io.cskpi.family;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueType;
import io.cskpi.config.InvalidSettingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A family's settings section {@code cskpi.<family>}, read by the family's own typed reader. Each getter
 * declares the setting as it reads it — key, default, what is allowed, meaning — so one function gives the typed
 * record, the validation (before any compute) and the README's settings table. A value out of range, of the
 * wrong type, or a key the reader never asked for is an {@link InvalidSettingException} naming the key.
 */
public final class FamilySettings {
  /** One declared setting, for documentation. */
  public record Setting(String key, String defaultValue, String allowed, String meaning) {}

  private final String family;
  private final Config section;
  private final List<String> segments;
  private final boolean validate;
  private final List<Setting> declared = new ArrayList<>();

  private FamilySettings(String family, Config section, List<String> segments, boolean validate) {
    this.family = family;
    this.section = section;
    this.segments = segments;
    this.validate = validate;
  }

  /** Reads {@code family}'s settings from {@code section} (empty for all defaults), validating every value. */
  public static <S> S read(String family, Config section, List<String> segments, Reader<S> reader) {
    FamilySettings s = new FamilySettings(family, section, segments, true);
    S settings = reader.read(s);
    s.rejectUnknownKeys();
    return settings;
  }

  /**
   * Checks only that every key set under cskpi.&lt;family&gt; is one the reader declares: for a family the run
   * leaves out, whose values are not read.
   */
  public static void rejectUnknownKeys(String family, Config section, Reader<?> reader) {
    FamilySettings s = new FamilySettings(family, section, List.of(), false);
    reader.read(s);
    s.rejectUnknownKeys();
  }

  /** The settings {@code reader} declares, with their defaults (nothing is validated). */
  public static List<Setting> declared(String family, Reader<?> reader) {
    FamilySettings s = new FamilySettings(family, ConfigFactory.empty(), List.of(), false);
    reader.read(s);
    return List.copyOf(s.declared);
  }

  /** The settings record {@code reader} returns for an empty section: every default. */
  public static Object defaults(String family, Reader<?> reader) {
    return reader.read(new FamilySettings(family, ConfigFactory.empty(), List.of(), false));
  }

  /** A family's typed reader: {@code ClvSettings::read}. */
  @FunctionalInterface
  public interface Reader<S> {
    S read(FamilySettings section);
  }

  /**
   * A number in an interval written as in mathematics: {@code "(0, 1]"}, {@code "[0, 1]"}, {@code "(0, inf)"}.
   */
  public double number(String key, double defaultValue, String interval, String meaning) {
    Interval in = Interval.parse(interval);
    declare(key, num(defaultValue), interval, meaning);
    double v = value(key) == null ? defaultValue : get(key, "a number", () -> section.getDouble(key));
    if (validate && !in.contains(v)) {
      throw invalid(key, num(v), "must be in " + interval);
    }
    return v;
  }

  /** A whole number {@code >= min} (2.7 is refused, never cut to 2). */
  public int wholeNumber(String key, int defaultValue, int min, String meaning) {
    declare(key, Integer.toString(defaultValue), "whole number >= " + min, meaning);
    if (value(key) == null) {
      return defaultValue;
    }
    double v = get(key, "a number", () -> section.getDouble(key));
    if (validate && v != Math.rint(v)) {
      throw invalid(key, section.getValue(key).render(), "must be a whole number");
    }
    if (validate && v > Integer.MAX_VALUE) {
      throw invalid(key, section.getValue(key).render(), "must be a whole number <= " + Integer.MAX_VALUE);
    }
    if (validate && v < min) {
      throw invalid(key, num(v), "must be a whole number >= " + min);
    }
    return (int) v;
  }

  /** One of {@code allowed} (case-insensitive; returned in lower case). */
  public String choice(String key, String defaultValue, List<String> allowed, String meaning) {
    declare(key, defaultValue, oneOf(allowed), meaning);
    String v = value(key) == null ? defaultValue : get(key, "a text", () -> section.getString(key)).toLowerCase(Locale.ROOT);
    if (validate && !allowed.contains(v)) {
      throw invalid(key, v, "must be " + oneOf(allowed));
    }
    return v;
  }

  /** A text; {@code valid} says whether a value is allowed, {@code allowed} says so in words. */
  public String text(String key, String defaultValue, String allowed, Predicate<String> valid, String meaning) {
    declare(key, defaultValue, allowed, meaning);
    String v = value(key) == null ? defaultValue : get(key, "a text", () -> section.getString(key)).strip();
    if (validate && !valid.test(v)) {
      throw invalid(key, v, "must be " + allowed);
    }
    return v;
  }

  /** A list of texts, each allowed by {@code valid}. */
  public List<String> texts(String key, List<String> defaultValue, String allowed, Predicate<String> valid,
      String meaning) {
    declare(key, defaultValue.toString(), "a list of " + allowed, meaning);
    List<String> v = value(key) == null ? defaultValue
        : get(key, "a list of texts", () -> section.getStringList(key)).stream().map(String::strip).toList();
    for (String item : v) {
      if (validate && !valid.test(item)) {
        throw invalid(key, item, "each must be " + allowed);
      }
    }
    return List.copyOf(v);
  }

  /** An item of an ordered, weighted list: a name and its weight. */
  public record Weighted(String name, double weight) {}

  /**
   * An ordered list {@code [{ <nameField> = text, weight = number }, ...]} with distinct names and weights
   * {@code > 0}, at least one item.
   */
  public List<Weighted> weightedList(String key, String nameField, List<Weighted> defaultValue, String meaning) {
    declare(key, defaultValue.stream().map(w -> "{" + nameField + " = " + w.name() + ", weight = " + num(w.weight())
        + "}").toList().toString(), "a list of { " + nameField + " = text, weight = number > 0 }", meaning);
    if (value(key) == null) {
      return defaultValue;
    }
    String expected = "a list of { " + nameField + " = text, weight = number > 0 }";
    List<? extends Config> items = get(key, expected, () -> section.getConfigList(key));
    List<Weighted> result = new ArrayList<>();
    for (Config item : items) {
      if (!item.hasPath(nameField) || !item.hasPath("weight") || item.root().size() != 2) {
        throw invalid(key, item.root().render(ConfigRenderOptions.concise()), "each item must be " + expected);
      }
      String name = get(key, expected, () -> item.getString(nameField)).strip();
      double weight = get(key, expected, () -> item.getDouble("weight"));
      if (name.isEmpty() || !(weight > 0) || Double.isInfinite(weight)) {
        throw invalid(key, item.root().render(ConfigRenderOptions.concise()), "each item must be " + expected);
      }
      if (result.stream().anyMatch(w -> w.name().equals(name))) {
        throw invalid(key, name, "each " + nameField + " must appear once");
      }
      result.add(new Weighted(name, weight));
    }
    if (result.isEmpty()) {
      throw invalid(key, "[]", "must name at least one item");
    }
    return List.copyOf(result);
  }

  /**
   * A dictionary {@code entry { language = [words, ...] }}: entry and language names as written, words lower
   * case. An entry set in conf replaces the default entry of that name; an entry set to {@code {}} removes it.
   */
  public Map<String, Map<String, List<String>>> dictionary(String key, Map<String, Map<String, List<String>>> defaultValue,
      String meaning) {
    declare(key, defaultValue.keySet().toString(), "{ entry { language = [words] } }", meaning);
    if (value(key) == null) {
      return defaultValue;
    }
    Config dict = get(key, "an object { entry { language = [words] } }", () -> section.getConfig(key));
    Map<String, Map<String, List<String>>> result = new TreeMap<>(defaultValue);
    for (String entry : new TreeSet<>(dict.root().keySet())) {
      Config languages = get(key + "." + entry, "an object { language = [words] }", () -> dict.getConfig(entry));
      Map<String, List<String>> words = new TreeMap<>();
      for (String language : new TreeSet<>(languages.root().keySet())) {
        words.put(language, get(key + "." + entry + "." + language, "a list of texts",
            () -> languages.getStringList(language)).stream().map(w -> w.strip().toLowerCase(Locale.ROOT)).toList());
      }
      if (words.isEmpty()) {
        result.remove(entry);
      } else {
        result.put(entry, words);
      }
    }
    return result;
  }

  /** One of the run's segment dimensions (conf cskpi.segments), lower case. */
  public String segmentDimension(String key, String defaultValue, String meaning) {
    declare(key, defaultValue, "one of cskpi.segments", meaning);
    String v = value(key) == null ? defaultValue : get(key, "a text", () -> section.getString(key)).strip().toLowerCase(Locale.ROOT);
    if (validate && !segments.contains(v)) {
      throw invalid(key, v, "must be one of cskpi.segments " + segments);
    }
    return v;
  }

  private static String oneOf(List<String> allowed) {
    return allowed.size() == 1 ? allowed.get(0)
        : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
  }

  private void declare(String key, String defaultValue, String allowed, String meaning) {
    if (declared.stream().anyMatch(d -> d.key().equals(key))) {
      throw new IllegalStateException("setting cskpi." + family + "." + key + " declared twice");
    }
    declared.add(new Setting(key, defaultValue, allowed, meaning));
  }

  /** The value set for {@code key}, or null for the default (always, when only declaring). */
  private Object value(String key) {
    return validate && section.hasPath(key) ? section.getValue(key) : null;
  }

  private <T> T get(String key, String expected, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ConfigException e) {
      if (!section.hasPath(key)) {
        throw invalid(key, "?", "must be " + expected);
      }
      ConfigValueType type = section.getValue(key).valueType();
      throw invalid(key, section.getValue(key).render(), "must be " + expected + ", not a "
          + type.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Every key under cskpi.&lt;family&gt; must be one the reader asked for. */
  private void rejectUnknownKeys() {
    Set<String> known = new TreeSet<>(declared.stream().map(Setting::key).toList());
    for (String key : new TreeSet<>(section.entrySet().stream().map(e -> e.getKey()).toList())) {
      // Keys beneath a declared dictionary are its entries.
      if (!known.contains(key) && known.stream().noneMatch(k -> key.startsWith(k + "."))) {
        throw new InvalidSettingException("unknown setting cskpi." + family + "." + key + " = "
            + section.getValue(key).render() + " (" + section.getValue(key).origin().description() + "); cskpi."
            + family + " takes " + known);
      }
    }
  }

  /** An error naming cskpi.<family>.<key>, for a rule between settings that the getters cannot check. */
  public InvalidSettingException invalid(String key, Object value, String allowed) {
    return new InvalidSettingException("cskpi." + family + "." + key + " = " + value + ": " + allowed);
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** "(lo, hi]" and friends; "inf" for no upper bound. */
  private record Interval(double lo, boolean loIncluded, double hi, boolean hiIncluded) {
    static Interval parse(String text) {
      String t = text.strip();
      String[] parts = t.substring(1, t.length() - 1).split(",");
      if (parts.length != 2 || "([".indexOf(t.charAt(0)) < 0 || ")]".indexOf(t.charAt(t.length() - 1)) < 0) {
        throw new IllegalArgumentException("not an interval: " + text);
      }
      String hi = parts[1].strip();
      return new Interval(Double.parseDouble(parts[0].strip()), t.charAt(0) == '[',
          hi.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(hi), t.endsWith("]"));
    }

    boolean contains(double v) {
      return !Double.isNaN(v) && (loIncluded ? v >= lo : v > lo) && (hiIncluded ? v <= hi : v < hi);
    }
  }
}
