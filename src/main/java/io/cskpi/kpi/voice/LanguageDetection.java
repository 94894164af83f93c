package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.udf;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The language of a comment, by Lingua (a maintained n-gram detector) restricted to the configured languages:
 * an ISO 639-1 code, or null when the text is too short or ambiguous to tell. One detector per language set
 * and JVM, built on first use on each executor; Lingua's detector is thread-safe.
 */
public final class LanguageDetection {
  private LanguageDetection() {}

  private static final Map<String, LanguageDetector> DETECTORS = new ConcurrentHashMap<>();

  /** The detected ISO 639-1 code of {@code text}, or null; {@code languages} comma-separated ISO 639-1 codes. */
  public static String detect(String text, String languages) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Language language = DETECTORS.computeIfAbsent(languages, LanguageDetection::build).detectLanguageOf(text);
    String code = language == Language.UNKNOWN ? null : language.getIsoCode639_1().name().toLowerCase(Locale.ROOT);
    return code != null && Arrays.asList(languages.split(",")).contains(code) ? code : null;
  }

  /** A column of the detected language of {@code text} among {@code languages}. */
  static Column detect(Column text, List<String> languages) {
    String codes = String.join(",", languages);
    return udf((UDF1<String, String>) t -> detect(t, codes), DataTypes.StringType).apply(text);
  }

  /** Lingua needs two languages to choose between; with one configured, English (or Dutch) is the other. */
  private static LanguageDetector build(String languages) {
    List<String> codes = new java.util.ArrayList<>(Arrays.asList(languages.split(",")));
    if (codes.size() < 2) {
      codes.add(codes.contains("en") ? "nl" : "en");
    }
    return LanguageDetectorBuilder.fromIsoCodes639_1(codes.stream()
        .map(c -> IsoCode639_1.valueOf(c.toUpperCase(Locale.ROOT))).toArray(IsoCode639_1[]::new)).build();
  }
}
