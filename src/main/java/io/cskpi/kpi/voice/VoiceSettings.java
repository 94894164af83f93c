package io.cskpi.kpi.voice;

import io.cskpi.family.FamilySettings;
import org.apache.spark.ml.feature.StopWordsRemover;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the voice family, conf {@code cskpi.voice}.
 *
 * @param latestOnly      true: per customer only its latest response of a month and touchpoint counts
 * @param csat            the CSAT scale and its first positive score
 * @param ces             the CES scale and its first agreeing score
 * @param followupDays    days up to the as-of date whose NPS responses get a follow-up
 * @param themes          theme → language → keywords, matched as word beginnings
 */
public record VoiceSettings(boolean latestOnly, ScoreScale csat, ScoreScale ces, int followupDays,
    int detractorCallHours, int passiveFollowupDays, int promoterFollowupDays, List<String> languages,
    int termsPerGroup, Map<String, Map<String, List<String>>> themes) {

  /** NPS is 0-10 everywhere; promoters answer 9 or 10. */
  public static final ScoreScale NPS = new ScoreScale(0, 10, 9);

  /** A survey's score range and the lowest score that counts as good (positive, agree, promoter). */
  public record ScoreScale(int min, int max, int goodFrom) {
    public boolean contains(int score) {
      return score >= min && score <= max;
    }
  }

  /** ISO 639-1 codes with a stop-word list in Spark ML, and the list's name there. */
  static final Map<String, String> STOP_WORD_LISTS = Map.ofEntries(Map.entry("da", "danish"),
      Map.entry("nl", "dutch"), Map.entry("en", "english"), Map.entry("fi", "finnish"), Map.entry("fr", "french"),
      Map.entry("de", "german"), Map.entry("hu", "hungarian"), Map.entry("it", "italian"),
      Map.entry("no", "norwegian"), Map.entry("pt", "portuguese"), Map.entry("ru", "russian"),
      Map.entry("es", "spanish"), Map.entry("sv", "swedish"), Map.entry("tr", "turkish"));

  static final Map<String, Map<String, List<String>>> DEFAULT_THEMES = defaultThemes();

  public static VoiceSettings read(FamilySettings s) {
    boolean latest = s.choice("responses", "latest", List.of("latest", "all"), "latest: per customer only its "
        + "latest response of a month and touchpoint counts (a customer asked twice is one voice); all: every "
        + "response counts").equals("latest");
    ScoreScale csat = scale(s, "csat", 1, 5, 4, "positive");
    ScoreScale ces = scale(s, "ces", 1, 7, 5, "agree");
    int followupDays = s.wholeNumber("followup-days", 30, 1, "NPS responses of the as-of date and the days before "
        + "it, in all this many days, get a row in nps_followups");
    int callHours = s.wholeNumber("detractor-call-hours", 24, 1, "a detractor's call is due this many hours after "
        + "the response");
    int passiveDays = s.wholeNumber("passive-followup-days", 7, 1, "a passive's guidance is due this many days "
        + "after the response");
    int promoterDays = s.wholeNumber("promoter-followup-days", 14, 1, "a promoter's referral or review request is "
        + "due this many days after the response");
    List<String> languages = s.texts("languages", List.of("en", "nl", "de"), "ISO 639-1 codes with a Spark ML "
            + "stop-word list (" + String.join(", ", new java.util.TreeSet<>(STOP_WORD_LISTS.keySet())) + ")",
        STOP_WORD_LISTS::containsKey, "languages comments are detected in (when surveys.language is null) and "
            + "whose stop words are removed from terms");
    int terms = s.wholeNumber("terms-per-group", 25, 1, "feedback_terms keeps the most mentioned terms (and as many "
        + "bigrams) of each month, segment, NPS category and language");
    Map<String, Map<String, List<String>>> themes = s.dictionary("themes", DEFAULT_THEMES, "feedback themes: theme "
        + "{ language = [keywords] }; a comment mentions a theme when one of its words begins with a keyword of its "
        + "language (of any language when its language is unknown)");
    return new VoiceSettings(latest, csat, ces, followupDays, callHours, passiveDays, promoterDays, languages, terms,
        themes);
  }

  private static ScoreScale scale(FamilySettings s, String survey, int min, int max, int good, String goodWord) {
    String upper = survey.toUpperCase(java.util.Locale.ROOT);
    int lo = s.wholeNumber(survey + "-scale-min", min, 0, "lowest " + upper + " score");
    int hi = s.wholeNumber(survey + "-scale-max", max, 1, "highest " + upper + " score");
    int from = s.wholeNumber(survey + "-" + goodWord + "-from", good, 0, "lowest " + upper + " score that counts as "
        + goodWord);
    if (hi <= lo) {
      throw s.invalid(survey + "-scale-max", hi, "must be above " + survey + "-scale-min (" + lo + ")");
    }
    if (from < lo || from > hi) {
      throw s.invalid(survey + "-" + goodWord + "-from", from, "must be within the scale " + lo + "-" + hi);
    }
    return new ScoreScale(lo, hi, from);
  }

  private static Map<String, Map<String, List<String>>> defaultThemes() {
    Map<String, Map<String, List<String>>> t = new LinkedHashMap<>();
    t.put("price", Map.of("en", List.of("price", "pricing", "expensive", "cost", "money"),
        "nl", List.of("prijs", "duur", "kosten"), "de", List.of("preis", "teuer", "kosten")));
    t.put("support_quality", Map.of("en", List.of("support", "answer", "respon", "help"),
        "nl", List.of("support", "reageer", "reageert", "geholpen", "hulp"),
        "de", List.of("support", "antwort", "hilfe", "gelöst")));
    t.put("missing_features", Map.of("en", List.of("missing", "integration", "feature", "lack"),
        "nl", List.of("missen", "mist", "koppeling", "functie"), "de", List.of("fehl", "integration", "funktion")));
    t.put("onboarding", Map.of("en", List.of("onboarding", "setup", "documentation", "training", "tutorial"),
        "nl", List.of("onboarding", "documentatie", "installatie"),
        "de", List.of("onboarding", "doku", "einricht", "schulung")));
    t.put("reliability", Map.of("en", List.of("slow", "crash", "bug", "outage", "downtime", "error"),
        "nl", List.of("traag", "crash", "storing", "fout"), "de", List.of("langsam", "stürz", "absturz", "fehler",
            "ausfall")));
    t.put("ease_of_use", Map.of("en", List.of("easy", "simple", "intuitive", "clunky"),
        "nl", List.of("makkelijk", "eenvoudig", "gebruik"), "de", List.of("einfach", "benutz", "bedien")));
    t.put("competitor", Map.of("en", List.of("competitor", "switch", "moving"),
        "nl", List.of("concurrent", "overstap"), "de", List.of("konkurrenz", "wechsel")));
    return java.util.Collections.unmodifiableMap(t);
  }

  /** Spark ML's stop words of an ISO 639-1 language. */
  static String[] stopWords(String language) {
    return StopWordsRemover.loadDefaultStopWords(STOP_WORD_LISTS.get(language));
  }
}
