package io.cskpi.kpi.voice;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Segments;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What NPS comments talk about: words and word pairs, and themes from a keyword dictionary, by month, segment,
 * NPS category and language. Text is handled by Spark ML's feature transformers; languages a response does not
 * state are detected.
 */
final class FeedbackText {
  private FeedbackText() {}

  static final String UNKNOWN = Segments.UNKNOWN;
  /** Letters and digits make words; everything else separates them ("prijs-kwaliteitverhouding" is two). */
  static final String WORD_SEPARATORS = "[^\\p{L}\\p{N}]+";

  /**
   * Counted NPS responses with a comment: language (surveys.language lower case, else detected among
   * {@code languages}, else 'unknown'), nps_category, tokens (lower case words) and words (tokens without the
   * language's stop words; for an unknown language without any configured language's stop words).
   */
  static Dataset<Row> comments(Dataset<Row> npsResponses, List<String> languages) {
    Dataset<Row> withText = npsResponses
        .filter(col("comment").isNotNull().and(trim(col("comment")).notEqual("")))
        // A stated language that is no two-letter code is ignored (detected instead), not a reason to drop a score.
        .withColumn("language", coalesce(when(lower(trim(col("language"))).rlike("^[a-z]{2}$"),
            lower(trim(col("language")))), LanguageDetection.detect(col("comment"), languages), lit(UNKNOWN)))
        .withColumn("nps_category", SurveyScores.npsCategory(col("score")));
    Dataset<Row> tokens = new RegexTokenizer().setInputCol("comment").setOutputCol("tokens")
        .setPattern(WORD_SEPARATORS).setGaps(true).setToLowercase(true).transform(withText);
    Dataset<Row> filtered = null;
    Set<String> every = new LinkedHashSet<>();
    for (String language : languages) {
      String[] stopWords = VoiceSettings.stopWords(language);
      every.addAll(List.of(stopWords));
      Dataset<Row> part = remover(stopWords).transform(tokens.filter(col("language").equalTo(language)));
      filtered = filtered == null ? part : filtered.unionByName(part);
    }
    Dataset<Row> others = remover(every.toArray(String[]::new))
        .transform(tokens.filter(col("language").isin(languages.toArray()).unary_$bang()));
    filtered = filtered == null ? others : filtered.unionByName(others);
    return new NGram().setN(2).setInputCol("words").setOutputCol("bigrams").transform(filtered);
  }

  private static StopWordsRemover remover(String[] stopWords) {
    return new StopWordsRemover().setInputCol("tokens").setOutputCol("words").setStopWords(stopWords)
        .setCaseSensitive(false);
  }

  /** Each comment once in its own NPS category and once in 'all'. */
  private static Dataset<Row> withCategoryAll(Dataset<Row> rows) {
    return rows.withColumn("nps_category", explode(array(col("nps_category"), lit(Segments.ALL))));
  }

  static Dataset<Row> terms(Dataset<Row> expandedComments, int perGroup) {
    Dataset<Row> byGroup = withCategoryAll(expandedComments);
    String[] group = {"period_month", "dimension", "segment", "nps_category", "language"};
    Dataset<Row> comments = byGroup.groupBy(SurveyScores.columns(group)).agg(count(lit(1)).as("comments"));
    Dataset<Row> mentions = byGroup
        .withColumn("_term", explode(array(
            struct(lit(1).as("term_words"), array_distinct(col("words")).as("terms")),
            struct(lit(2).as("term_words"), array_distinct(col("bigrams")).as("terms")))))
        .withColumn("term_words", col("_term.term_words"))
        .withColumn("term", explode(col("_term.terms")))
        .groupBy("period_month", "dimension", "segment", "nps_category", "language", "term_words", "term")
        .agg(count(lit(1)).as("mentions"));
    return mentions.join(comments, group, "inner")
        .withColumn("share", ratio(col("mentions"), col("comments")))
        .withColumn("rank", row_number().over(Window
            .partitionBy("period_month", "dimension", "segment", "nps_category", "language", "term_words")
            .orderBy(col("mentions").desc(), col("term"))))
        .filter(col("rank").leq(perGroup));
  }

  /**
   * Per comment and theme whether the comment mentions it, counted by month, segment, NPS category and language
   * (each also 'all'): a theme with no mention in a group is a row with 0 mentions.
   */
  static Dataset<Row> themes(Dataset<Row> expandedComments, Map<String, Map<String, List<String>>> dictionary) {
    List<Column> flags = new ArrayList<>();
    dictionary.forEach((theme, byLanguage) -> flags.add(struct(lit(theme).as("theme"),
        mentions(byLanguage).cast("long").as("mentioned"))));
    // Mentions are decided in the comment's own language, before it also counts under language 'all'.
    Dataset<Row> perTheme = withCategoryAll(expandedComments.withColumn("_themes", array(flags.toArray(Column[]::new))))
        .withColumn("language", explode(array(col("language"), lit(Segments.ALL))))
        .withColumn("_theme", explode(col("_themes")))
        .withColumn("theme", col("_theme.theme"))
        .withColumn("mentioned", col("_theme.mentioned"));
    return perTheme.groupBy("period_month", "dimension", "segment", "nps_category", "language", "theme")
        .agg(count(lit(1)).as("comments"), sum("mentioned").as("mentions"))
        .withColumn("share", ratio(col("mentions"), col("comments")));
  }

  /**
   * True when a token begins with a keyword of the comment's language; of any language when the comment's
   * language is unknown; false when the theme has no keywords in the comment's language.
   */
  private static Column mentions(Map<String, List<String>> byLanguage) {
    List<String> all = byLanguage.values().stream().flatMap(List::stream).distinct().toList();
    Column result = when(col("language").equalTo(UNKNOWN), beginsWithAny(all));
    for (Map.Entry<String, List<String>> e : byLanguage.entrySet()) {
      result = result.when(col("language").equalTo(e.getKey()), beginsWithAny(e.getValue()));
    }
    return result.otherwise(lit(false));
  }

  private static Column beginsWithAny(List<String> keywords) {
    return exists(col("tokens"), token -> keywords.stream().map(token::startsWith).reduce(Column::or)
        .orElse(lit(false)));
  }
}
