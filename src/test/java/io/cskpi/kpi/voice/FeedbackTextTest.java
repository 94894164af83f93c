package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * NPS comments: language (stated or detected), words without the language's stop words, word pairs, terms and
 * themes by NPS category and language.
 */
class FeedbackTextTest extends SparkTest {
  private static final LocalDate MAR = d("2024-03-01");
  private static final List<String> LANGUAGES = List.of("en", "nl", "de");
  private static Dataset<Row> comments;
  private static Dataset<Row> expanded;

  private static Object[] answer(String id, int score, String comment, String language) {
    return row(id, "c-" + id, "NPS", score, comment, Instant.parse("2024-03-10T10:00:00Z"), "support", language);
  }

  @BeforeAll
  static void prepare() {
    Dataset<Row> surveys = frame("response_id STRING, customer_id STRING, survey_type STRING, score INT, "
            + "comment STRING, responded_ts TIMESTAMP, touchpoint STRING, language STRING",
        answer("k01", 2, "Price, price: the price is too expensive and the support is slow.", "en"),
        answer("k02", 10, "Great support, the price is also fair.", "EN "),
        answer("k03", 8, "The dashboards are great but the exports are clunky.", null),        // detected: en
        answer("k04", 3, "De prijs is te hoog en de support reageert traag.", "nl"),
        answer("k05", 9, "Der Support ist also sehr gut und die Doku auch.", "de"),
        answer("k06", 0, "Viel zu teuer und der Support antwortet erst nach Tagen.", null),   // detected: de
        answer("k07", 9, "Goede price en snelle app", "nl"),
        answer("k08", 1, "OK de the teuer", null),                                            // undetected
        answer("k09", 10, "   ", "en"),                                                       // blank: no comment
        answer("k10", 5, null, "en"),                                                         // no comment
        answer("k12", 6, "Crashes every day; unsupported setup.", "en"));
    comments = FeedbackText.comments(SurveyScores.counted(surveys, d("2024-03-31"), true), LANGUAGES).cache();
    expanded = Segments.explodeDimensions(comments, List.of()).cache();
  }

  private static Map<String, Row> byId() {
    return comments.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("response_id"), r -> r));
  }

  @Test
  void languageIsStatedLowerCaseElseDetectedElseUnknown() {
    Map<String, String> languages = byId().values().stream().collect(Collectors.toMap(
        r -> r.getAs("response_id"), r -> r.getAs("language")));
    assertEquals(Map.of("k01", "en", "k02", "en", "k03", "en", "k04", "nl", "k05", "de", "k06", "de",
        "k07", "nl", "k08", "unknown", "k12", "en"), languages, "blank and null comments are left out");
    Map<String, String> categories = byId().values().stream().collect(Collectors.toMap(
        r -> r.getAs("response_id"), r -> r.getAs("nps_category")));
    assertEquals(Map.of("k01", "detractor", "k02", "promoter", "k03", "passive", "k04", "detractor",
        "k05", "promoter", "k06", "detractor", "k07", "promoter", "k08", "detractor", "k12", "detractor"),
        categories);
  }

  @Test
  void wordsAreLowerCaseTokensWithoutTheLanguagesStopWords() {
    Map<String, Row> rows = byId();
    Map<String, List<String>> expected = Map.of(
        // English: the, is, too, and removed; a repeated word stays in the words (it is counted once later)
        "k01", List.of("price", "price", "price", "expensive", "support", "slow"),
        // "also" is no English stop word (it is a German one)
        "k02", List.of("great", "support", "price", "also", "fair"),
        "k03", List.of("dashboards", "great", "exports", "clunky"),
        // Dutch: de, is, te, en removed
        "k04", List.of("prijs", "hoog", "support", "reageert", "traag"),
        // German: der, ist, also, sehr, und, die, auch removed
        "k05", List.of("support", "gut", "doku"),
        // detected German: viel, zu, und, der, nach removed
        "k06", List.of("teuer", "support", "antwortet", "erst", "tagen"),
        // Dutch: en removed, the English word price kept
        "k07", List.of("goede", "price", "snelle", "app"),
        // unknown: every configured language's stop words: de (Dutch) and the (English) removed
        "k08", List.of("ok", "teuer"),
        "k12", List.of("crashes", "every", "day", "unsupported", "setup"));
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertEquals(e.getValue(), rows.get(e.getKey()).getList(rows.get(e.getKey()).fieldIndex("words")), e.getKey());
    }
    Row k01 = rows.get("k01");
    assertEquals(List.of("price", "price", "the", "price", "is", "too", "expensive", "and", "the", "support", "is",
        "slow"), k01.getList(k01.fieldIndex("tokens")));
    // Pairs of consecutive remaining words: stop words never form a pair ("too expensive" is not one).
    assertEquals(List.of("price price", "price price", "price expensive", "expensive support", "support slow"),
        k01.getList(k01.fieldIndex("bigrams")));
    Row k05 = rows.get("k05");
    assertEquals(List.of("support gut", "gut doku"), k05.getList(k05.fieldIndex("bigrams")));
  }

  private static final String TERMS = "nps_category STRING, language STRING, term_words INT, term STRING, "
      + "mentions BIGINT, comments BIGINT, share DOUBLE, rank INT";

  @Test
  void termsCountCommentsPerTermRankThemAndKeepTheTopOfEachGroup() {
    Dataset<Row> terms = FeedbackText.terms(expanded, 3);
    // All categories, English: k01, k02, k03, k12 (4 comments). Words: great (k02, k03), price (k01 three times,
    // once counted; k02), support (k01, k02): 2 each, ties by term; every other word 1. Pairs: each once, so
    // the first three by name.
    assertSameRowsApprox(frame(TERMS,
        row("all", "en", 1, "great", 2L, 4L, 0.5, 1),
        row("all", "en", 1, "price", 2L, 4L, 0.5, 2),
        row("all", "en", 1, "support", 2L, 4L, 0.5, 3),
        row("all", "en", 2, "also fair", 1L, 4L, 0.25, 1),
        row("all", "en", 2, "crashes every", 1L, 4L, 0.25, 2),
        row("all", "en", 2, "dashboards great", 1L, 4L, 0.25, 3)),
        terms.filter(col("nps_category").equalTo("all").and(col("language").equalTo("en"))));
    // Detractors in German: k06 alone; its 5 words, cut to 3 by name: antwortet, erst, support.
    assertSameRowsApprox(frame(TERMS,
        row("detractor", "de", 1, "antwortet", 1L, 1L, 1.0, 1),
        row("detractor", "de", 1, "erst", 1L, 1L, 1.0, 2),
        row("detractor", "de", 1, "support", 1L, 1L, 1.0, 3),
        row("detractor", "de", 2, "antwortet erst", 1L, 1L, 1.0, 1),
        row("detractor", "de", 2, "erst tagen", 1L, 1L, 1.0, 2),
        row("detractor", "de", 2, "support antwortet", 1L, 1L, 1.0, 3)),
        terms.filter(col("nps_category").equalTo("detractor").and(col("language").equalTo("de"))));
    // Groups: 8 category × language pairs with comments, plus 'all' for en, nl, de, unknown; no 'all' language.
    assertEquals(12, terms.select("nps_category", "language").distinct().count());
    assertEquals(0, terms.filter(col("language").equalTo("all")).count());
    assertEquals(MAR, terms.first().getAs("period_month"));
  }

  @Test
  void allTermsWithAGenerousCut() {
    Dataset<Row> terms = FeedbackText.terms(expanded, 25);
    // All categories, Dutch: k04 (5 words) and k07 (4 words), no shared word: 9 words, 7 pairs (4 + 3).
    Dataset<Row> nl = terms.filter(col("nps_category").equalTo("all").and(col("language").equalTo("nl")));
    assertEquals(9, nl.filter(col("term_words").equalTo(1)).count());
    assertEquals(7, nl.filter(col("term_words").equalTo(2)).count());
    Row price = nl.filter(col("term").equalTo("price")).first();
    assertEquals(1L, price.<Long>getAs("mentions"));
    assertEquals(2L, price.<Long>getAs("comments"));
    assertEquals(0.5, price.<Double>getAs("share"), 1e-12);
    // Unknown: k08's words ok, teuer and the pair "ok teuer".
    assertEquals(List.of("ok", "ok teuer", "teuer"), terms.filter(col("language").equalTo("unknown")
            .and(col("nps_category").equalTo("detractor"))).select("term").collectAsList().stream()
        .map(r -> r.getString(0)).sorted().toList());
  }

  private static final String THEMES = "nps_category STRING, language STRING, theme STRING, comments BIGINT, "
      + "mentions BIGINT, share DOUBLE";

  private static Object[] theme(String category, String language, String theme, long comments, long mentions) {
    return row(category, language, theme, comments, mentions, (double) mentions / comments);
  }

  @Test
  void themesByWordBeginningsInTheCommentsLanguage() {
    Dataset<Row> themes = FeedbackText.themes(expanded, VoiceSettings.DEFAULT_THEMES);
    // Per comment (keywords of its own language; any language's for unknown):
    // k01 en: price (price, expensive), support_quality (support), reliability (slow)
    // k02 en: price, support_quality
    // k03 en: ease_of_use (clunky)
    // k04 nl: price (prijs), support_quality (support, reageert), reliability (traag)
    // k05 de: support_quality (support), onboarding (doku)
    // k06 de: price (teuer), support_quality (support, antwortet)
    // k07 nl: none: "price" is an English keyword, not a Dutch one
    // k08 unknown: price (teuer, a German keyword)
    // k12 en: reliability (crashes begins with crash), onboarding (setup); not support_quality: "unsupported"
    //         contains support but does not begin with it
    // All categories, all languages: 9 comments.
    assertSameRowsApprox(frame(THEMES,
        theme("all", "all", "price", 9, 5),               // k01 k02 k04 k06 k08
        theme("all", "all", "support_quality", 9, 5),     // k01 k02 k04 k05 k06
        theme("all", "all", "missing_features", 9, 0),
        theme("all", "all", "onboarding", 9, 2),          // k05 k12
        theme("all", "all", "reliability", 9, 3),         // k01 k04 k12
        theme("all", "all", "ease_of_use", 9, 1),         // k03
        theme("all", "all", "competitor", 9, 0)),
        themes.filter(col("nps_category").equalTo("all").and(col("language").equalTo("all"))));
    // Detractors, all languages: k01 k04 k06 k08 k12.
    assertSameRowsApprox(frame(THEMES,
        theme("detractor", "all", "price", 5, 4),         // k01 k04 k06 k08
        theme("detractor", "all", "support_quality", 5, 3),
        theme("detractor", "all", "missing_features", 5, 0),
        theme("detractor", "all", "onboarding", 5, 1),
        theme("detractor", "all", "reliability", 5, 3),
        theme("detractor", "all", "ease_of_use", 5, 0),
        theme("detractor", "all", "competitor", 5, 0)),
        themes.filter(col("nps_category").equalTo("detractor").and(col("language").equalTo("all"))));
    // All categories, Dutch: k04 and k07.
    assertSameRowsApprox(frame(THEMES,
        theme("all", "nl", "price", 2, 1),
        theme("all", "nl", "support_quality", 2, 1),
        theme("all", "nl", "missing_features", 2, 0),
        theme("all", "nl", "onboarding", 2, 0),
        theme("all", "nl", "reliability", 2, 1),
        theme("all", "nl", "ease_of_use", 2, 0),
        theme("all", "nl", "competitor", 2, 0)),
        themes.filter(col("nps_category").equalTo("all").and(col("language").equalTo("nl"))));
    // Promoters in Dutch: k07 alone, every theme present with 0 mentions.
    Dataset<Row> promoterNl = themes.filter(col("nps_category").equalTo("promoter").and(col("language").equalTo("nl")));
    assertEquals(7, promoterNl.count());
    assertEquals(7, promoterNl.filter(col("mentions").equalTo(0).and(col("share").equalTo(0.0))
        .and(col("comments").equalTo(1))).count());
    // Unknown language: k08 matches the German keyword teuer.
    Row unknownPrice = themes.filter(col("nps_category").equalTo("detractor").and(col("language").equalTo("unknown"))
        .and(col("theme").equalTo("price"))).first();
    assertEquals(1L, unknownPrice.<Long>getAs("mentions"));
    // 16 groups (8 own category × own language, 3 categories × all, 4 languages × all, all × all), 7 themes each.
    assertEquals(16 * 7, themes.count());
    assertTrue(themes.filter(col("period_month").notEqual(MAR)).isEmpty());
  }
}
