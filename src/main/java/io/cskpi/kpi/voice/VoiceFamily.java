package io.cskpi.kpi.voice;

import static io.cskpi.kpi.SummaryFormat.num;
import static io.cskpi.kpi.SummaryFormat.pct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.Declaration;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Segments;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/** Voice of the customer: NPS, CSAT and CES by month, touchpoint and segment; follow-ups; what comments say. */
public final class VoiceFamily implements KpiFamily {
  private static final String COUNTED = "Counts the responses of the month (of responded_ts, UTC) up to the as-of "
      + "date; with conf cskpi.voice.responses = latest (the default) only each customer's latest response of the "
      + "month and touchpoint.";
  private static final ResultColumn_ TOUCHPOINT = new ResultColumn_();

  /** touchpoint is shared by the three score tables. */
  private static final class ResultColumn_ {
    final io.cskpi.family.ResultColumn column = new io.cskpi.family.ResultColumn("touchpoint", StringType, false,
        "surveys.touchpoint ('unknown' when null), or 'all' for every touchpoint together: there a customer who "
            + "answered at two touchpoints counts once at each.");
  }

  public static final ResultTable NPS_MONTHLY = ResultTable.named("nps_monthly",
          "Net Promoter Score per month, touchpoint and segment, with its margin of error")
      .grain("month × touchpoint × dimension × segment with NPS responses")
      .monthlyBySegment()
      .column(TOUCHPOINT.column)
      .column("responses", LongType, "n: NPS responses counted. " + COUNTED)
      .column("promoters", LongType, "Responses scoring 9 or 10.")
      .column("passives", LongType, "Responses scoring 7 or 8.")
      .column("detractors", LongType, "Responses scoring 0 to 6.")
      .column("nps", DoubleType, "100 × (promoters - detractors) / responses, from -100 to 100.")
      .column("nps_margin_of_error", DoubleType, "95% margin of error of nps: 1.96 × 100 × sqrt(v / n) with p, d the "
          + "promoter and detractor shares and v = (p + d) - (p - d)²; 0 when every answer is in one category.")
      .nullable("nps_change", DoubleType, "nps - nps of the same touchpoint, dimension and segment a month earlier; "
          + "null when that month has no row.")
      .build();

  public static final ResultTable CSAT_MONTHLY = ResultTable.named("csat_monthly",
          "Customer satisfaction per month, touchpoint and segment")
      .grain("month × touchpoint × dimension × segment with CSAT responses")
      .monthlyBySegment()
      .column(TOUCHPOINT.column)
      .column("responses", LongType, "CSAT responses counted. " + COUNTED)
      .column("positive", LongType, "Responses at or above conf cskpi.voice.csat-positive-from (default 4 on 1-5).")
      .column("csat_rate", DoubleType, "positive / responses. Compare touchpoint rows: the 'all' row averages "
          + "satisfaction with different things (a checkout with a support contact) and is only a volume-weighted "
          + "overall.")
      .column("mean_score", DoubleType, "Mean score on the configured scale (cskpi.voice.csat-scale-min to -max).")
      .build();

  public static final ResultTable CES_MONTHLY = ResultTable.named("ces_monthly",
          "Customer effort score per month, touchpoint and segment")
      .grain("month × touchpoint × dimension × segment with CES responses")
      .monthlyBySegment()
      .column(TOUCHPOINT.column)
      .column("responses", LongType, "CES responses counted. " + COUNTED)
      .column("agree", LongType, "Responses at or above conf cskpi.voice.ces-agree-from (default 5 on 1-7: "
          + "'it was easy' agreed).")
      .column("agree_rate", DoubleType, "agree / responses.")
      .column("ces_mean", DoubleType, "Mean score on the configured scale (cskpi.voice.ces-scale-min to -max).")
      .build();

  public static final ResultTable NPS_FOLLOWUPS = ResultTable.named("nps_followups",
          "The follow-up list: each customer's latest recent NPS answer with the action owed")
      .grain("customer with an NPS response on the as-of date or the days before it (conf "
          + "cskpi.voice.followup-days, default 30)")
      .column("customer_id", StringType, "The customer.")
      .nullable("csm_owner", StringType, "customers.csm_owner: who acts; null when the customer has none.")
      .column("response_id", StringType, "The customer's latest NPS response in the window (ties: highest "
          + "response_id).")
      .column("responded_ts", TimestampType, "When it answered (UTC).")
      .nullable("touchpoint", StringType, "surveys.touchpoint as given.")
      .column("score", IntegerType, "The NPS answer, 0-10.")
      .column("nps_category", StringType, "promoter (9-10), passive (7-8) or detractor (0-6).")
      .column("action", StringType, "call (detractor), guide (passive) or ask_referral (promoter).")
      .column("priority", StringType, "high (detractor), normal (passive) or low (promoter).")
      .column("due_ts", TimestampType, "responded_ts + conf cskpi.voice.detractor-call-hours (24) for a detractor, "
          + "+ passive-followup-days (7) for a passive, + promoter-followup-days (14) for a promoter.")
      .column("guidance", StringType, "What to do, in words: for a passive it names unused_feature when there is "
          + "one.")
      .nullable("unused_feature", StringType, "Passives only: the event_name of usage_events the most customers "
          + "have used and this customer never has (up to the as-of date; ties by name); null for others, or "
          + "without usage data (usage_events is read when present).")
      .nullable("comment", StringType, "The response's comment.")
      .nullable("is_churned", BooleanType, "The customer had MRR > 0 and has none in the as-of month "
          + "(customer_mrr_monthly); null when the revenue family does not run.")
      .build();

  private static final String COMMENTS = "NPS responses counted (as in nps_monthly) with a non-blank comment";

  public static final ResultTable FEEDBACK_TERMS = ResultTable.named("feedback_terms",
          "Most mentioned words and word pairs of NPS comments")
      .grain("month × dimension × segment × NPS category × language × term, the top terms (conf "
          + "cskpi.voice.terms-per-group) of words and of word pairs each")
      .monthlyBySegment()
      .column("nps_category", StringType, "promoter, passive, detractor, or 'all'.")
      .column("language", StringType, "surveys.language (lower case) when it is a two-letter code, else detected by "
          + "OpenNLP among conf cskpi.voice.languages; 'unknown' when neither tells.")
      .column("term_words", IntegerType, "1 for a word, 2 for a pair of consecutive words.")
      .column("term", StringType, "Lower-case word(s) of the comment after Spark ML's RegexTokenizer (letters and "
          + "digits) and StopWordsRemover with the language's stop words (every configured language's for "
          + "'unknown'); pairs by NGram(2) of the remaining words.")
      .column("mentions", LongType, "Comments containing the term (a comment counts once).")
      .column("comments", LongType, COMMENTS + " in the group.")
      .column("share", DoubleType, "mentions / comments.")
      .column("rank", IntegerType, "1 for the most mentioned term of the group and term_words (ties by term).")
      .build();

  public static final ResultTable FEEDBACK_THEMES = ResultTable.named("feedback_themes",
          "How often NPS comments mention each theme of the conf dictionary")
      .grain("month × dimension × segment × NPS category × language × theme (every theme, also at 0 mentions)")
      .monthlyBySegment()
      .column("nps_category", StringType, "promoter, passive, detractor, or 'all'.")
      .column("language", StringType, "As in feedback_terms, or 'all' for every language together.")
      .column("theme", StringType, "A theme of conf cskpi.voice.themes (price, support_quality, "
          + "missing_features, onboarding, reliability, ease_of_use, competitor by default).")
      .column("comments", LongType, COMMENTS + " in the group.")
      .column("mentions", LongType, "Of them, comments with a word beginning with one of the theme's keywords in "
          + "the comment's language (any language's when the language is unknown; none when the theme has no "
          + "keywords in it).")
      .column("share", DoubleType, "mentions / comments.")
      .build();

  @Override
  public Declaration declaration() {
    String surveys = InputTables.SURVEYS.name();
    return Declaration.family("voice", "NPS, CSAT, CES, follow-ups and feedback themes")
        .reads(InputTables.CUSTOMERS, InputTables.SURVEYS)
        .readsWhenPresent(InputTables.USAGE_EVENTS)
        .usesResultsWhenRun(RevenueFamily.CUSTOMER_MRR_MONTHLY)
        .writes(NPS_MONTHLY, CSAT_MONTHLY, CES_MONTHLY, NPS_FOLLOWUPS, FEEDBACK_TERMS, FEEDBACK_THEMES)
        .rules(new RowRule(surveys, "unknown_survey_type", "survey_type must be NPS, CSAT or CES (any case)",
                SurveyScores.surveyType().isin("NPS", "CSAT", "CES").unary_$bang()),
            new RowRule(surveys, "reserved_touchpoint", "touchpoint must not be 'all', the name of the row of every "
                + "touchpoint together", lower(trim(col("touchpoint"))).equalTo(Segments.ALL)))
        .rules(VoiceSettings.class, s -> List.of(new RowRule(surveys, "score_out_of_scale", "score must be on its "
            + "survey type's scale: NPS " + range(VoiceSettings.NPS) + ", CSAT " + range(s.csat()) + ", CES "
            + range(s.ces()), outOfScale(s))))
        .settings(VoiceSettings::read)
        .summary(VoiceFamily::summary)
        .build();
  }

  private static String range(VoiceSettings.ScoreScale scale) {
    return scale.min() + "-" + scale.max();
  }

  private static Column outOfScale(VoiceSettings s) {
    Column type = SurveyScores.surveyType();
    Column score = col("score");
    return when(type.equalTo("NPS"), score.between(VoiceSettings.NPS.min(), VoiceSettings.NPS.max()).unary_$bang())
        .when(type.equalTo("CSAT"), score.between(s.csat().min(), s.csat().max()).unary_$bang())
        .when(type.equalTo("CES"), score.between(s.ces().min(), s.ces().max()).unary_$bang())
        .otherwise(lit(false));
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    VoiceSettings s = ctx.settings(VoiceSettings.class);
    List<String> segments = ctx.segments();
    Dataset<Row> customers = in.table(InputTables.CUSTOMERS);
    Dataset<Row> surveys = in.table(InputTables.SURVEYS);
    Dataset<Row> counted = SurveyScores.counted(surveys, ctx.asOf(), s.latestOnly());
    Dataset<Row> expanded = SurveyScores.bySegmentAndTouchpoint(counted, customers, segments);
    Dataset<Row> comments = FeedbackText.comments(counted.filter(col("survey_type").equalTo("NPS")), s.languages());
    // Kept: feedback_terms and feedback_themes read it in a dozen branches of their plans (few rows: comments).
    Dataset<Row> commentsBySegment = Segments.explodeDimensions(
        Segments.withCustomerSegments(comments, customers, segments), segments)
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    return Results
        .of(NPS_MONTHLY, NPS_MONTHLY.selectFrom(SurveyScores.npsMonthly(expanded), segments))
        .and(CSAT_MONTHLY, CSAT_MONTHLY.selectFrom(SurveyScores.csatMonthly(expanded, s.csat()), segments))
        .and(CES_MONTHLY, CES_MONTHLY.selectFrom(SurveyScores.cesMonthly(expanded, s.ces()), segments))
        .and(NPS_FOLLOWUPS, NPS_FOLLOWUPS.selectFrom(NpsFollowups.followups(surveys, customers,
            in.table(InputTables.USAGE_EVENTS), in.resultWhenRun(RevenueFamily.CUSTOMER_MRR_MONTHLY), ctx.asOf(), s),
            segments))
        .and(FEEDBACK_TERMS, FEEDBACK_TERMS.selectFrom(FeedbackText.terms(commentsBySegment, s.termsPerGroup()),
            segments))
        .and(FEEDBACK_THEMES, FEEDBACK_THEMES.selectFrom(FeedbackText.themes(commentsBySegment, s.themes()),
            segments));
  }

  private static String summary(SummarySection.Written written, LocalDate asOf) {
    Column month = col("period_month").equalTo(lit(asOf.withDayOfMonth(1)));
    Column total = col("dimension").equalTo(Segments.ALL);
    StringBuilder out = new StringBuilder("Voice " + asOf.toString().substring(0, 7) + ":");
    Dataset<Row> nps = written.read(NPS_MONTHLY);
    List<Row> npsRows = nps == null ? List.of()
        : nps.filter(month.and(total).and(col("touchpoint").equalTo(Segments.ALL))).collectAsList();
    for (Row r : npsRows) {
      out.append(String.format(" NPS %.1f ± %.1f (%d responses, change %s)", r.<Double>getAs("nps"),
          r.<Double>getAs("nps_margin_of_error"), r.<Long>getAs("responses"), num(r.getAs("nps_change"))));
    }
    if (npsRows.isEmpty()) {
      out.append(" no NPS responses this month");
    }
    Dataset<Row> csat = written.read(CSAT_MONTHLY);
    if (csat != null) {
      String byTouchpoint = csat.filter(month.and(total).and(col("touchpoint").notEqual(Segments.ALL)))
          .orderBy("touchpoint").collectAsList().stream()
          .map(r -> r.getAs("touchpoint") + " " + pct(r.getAs("csat_rate"))).collect(Collectors.joining(", "));
      out.append(byTouchpoint.isEmpty() ? "" : "  CSAT " + byTouchpoint);
    }
    Dataset<Row> followups = written.read(NPS_FOLLOWUPS);
    if (followups != null) {
      String actions = followups.groupBy("action").agg(count(lit(1)).as("n")).orderBy("action").collectAsList()
          .stream().map(r -> r.getLong(1) + " " + r.getString(0)).collect(Collectors.joining(", "));
      out.append("\n  Follow-ups owed: ").append(actions.isEmpty() ? "none" : actions);
    }
    Dataset<Row> themes = written.read(FEEDBACK_THEMES);
    if (themes != null) {
      String top = themes.filter(total.and(col("nps_category").equalTo("detractor"))
              .and(col("language").equalTo(Segments.ALL)).and(col("mentions").gt(0)))
          .groupBy("theme").agg(org.apache.spark.sql.functions.sum("mentions").as("m"))
          .orderBy(col("m").desc(), col("theme")).limit(3).collectAsList().stream()
          .map(r -> r.getString(0) + " (" + r.getLong(1) + ")").collect(Collectors.joining(", "));
      out.append(top.isEmpty() ? "" : "\n  Detractors talk most about: " + top + " (comments, all months)");
    }
    return out + "\n";
  }
}
