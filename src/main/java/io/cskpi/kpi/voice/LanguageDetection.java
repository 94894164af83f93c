package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.udf;

import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetector;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.langdetect.ThreadSafeLanguageDetectorME;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The language of a comment by Apache OpenNLP's language detector (model langdetect-183, 103 languages),
 * restricted to the configured languages: an ISO 639-1 code, or null when the text is blank or the best allowed
 * language is not clearly ahead of the next (at least {@link #MIN_RATIO} times as likely). The model is loaded
 * once per JVM (each Spark executor) on first use; the detector is thread-safe.
 */
public final class LanguageDetection {
  private LanguageDetection() {}

  /** Short texts get low, close probabilities: a ratio separates "clearly this" from "could be either". */
  static final double MIN_RATIO = 1.1;

  /** ISO 639-1 (our codes) to ISO 639-3 (the model's), for the languages with Spark ML stop words. */
  private static final Map<String, List<String>> MODEL_CODES = Map.ofEntries(Map.entry("da", List.of("dan")),
      Map.entry("nl", List.of("nld")), Map.entry("en", List.of("eng")), Map.entry("fi", List.of("fin")),
      Map.entry("fr", List.of("fra")), Map.entry("de", List.of("deu")), Map.entry("hu", List.of("hun")),
      Map.entry("it", List.of("ita")), Map.entry("no", List.of("nor", "nob", "nno")),
      Map.entry("pt", List.of("por")), Map.entry("ru", List.of("rus")), Map.entry("es", List.of("spa")),
      Map.entry("sv", List.of("swe")), Map.entry("tr", List.of("tur")));

  private static final class Holder {   // lazy, thread-safe, once per JVM
    static final LanguageDetector DETECTOR = load();

    private static LanguageDetector load() {
      try (InputStream in = LanguageDetection.class.getResourceAsStream("/langdetect-183.bin")) {
        if (in == null) {
          throw new IllegalStateException("langdetect-183.bin not on the classpath: opennlp-models-langdetect missing");
        }
        return new ThreadSafeLanguageDetectorME(new LanguageDetectorModel(new BufferedInputStream(in)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The ISO 639-1 code of {@code text} among {@code languages} (comma-separated ISO 639-1 codes), or null. */
  public static String detect(String text, String languages) {
    if (text == null || text.isBlank()) {
      return null;
    }
    List<String> allowed = Arrays.asList(languages.split(","));
    String best = null;
    double bestConfidence = 0;
    for (Language l : Holder.DETECTOR.predictLanguages(text)) {   // best first
      String code = isoCode(l.getLang());
      if (code == null || !allowed.contains(code) || code.equals(best)) {   // "nob" after "nor" is Norwegian again
        continue;
      }
      if (best == null) {
        best = code;
        bestConfidence = l.getConfidence();
      } else {
        return bestConfidence >= MIN_RATIO * l.getConfidence() ? best : null;
      }
    }
    return best;
  }

  private static String isoCode(String modelCode) {
    return MODEL_CODES.entrySet().stream().filter(e -> e.getValue().contains(modelCode)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
  }

  /** A column of the detected language of {@code text} among {@code languages}. */
  static Column detect(Column text, List<String> languages) {
    String codes = String.join(",", languages);
    return udf((UDF1<String, String>) t -> detect(t, codes), DataTypes.StringType).apply(text);
  }
}
