package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cskpi.SparkTest;
import io.cskpi.kpi.voice.VoiceSettings.ScoreScale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** nps_monthly, csat_monthly and ces_monthly from tiny survey frames, every figure computed by hand. */
class SurveyScoresTest extends SparkTest {
  private static final String SURVEYS = "response_id STRING, customer_id STRING, survey_type STRING, score INT, "
      + "comment STRING, responded_ts TIMESTAMP, touchpoint STRING, language STRING";
  private static final String NPS = "period_month DATE, dimension STRING, segment STRING, touchpoint STRING, "
      + "responses BIGINT, promoters BIGINT, passives BIGINT, detractors BIGINT, nps DOUBLE, "
      + "nps_margin_of_error DOUBLE, nps_change DOUBLE";
  private static final String CSAT = "period_month DATE, dimension STRING, segment STRING, touchpoint STRING, "
      + "responses BIGINT, positive BIGINT, csat_rate DOUBLE, mean_score DOUBLE";
  private static final String CES = "period_month DATE, dimension STRING, segment STRING, touchpoint STRING, "
      + "responses BIGINT, agree BIGINT, agree_rate DOUBLE, ces_mean DOUBLE";
  private static final LocalDate MAR = d("2024-03-01");

  private static Object[] answer(String id, String customer, String type, int score, String ts, String touchpoint) {
    return row(id, customer, type, score, null, Instant.parse(ts), touchpoint, null);
  }

  private static Dataset<Row> noSegmentCustomers(String... ids) {
    Object[][] rows = new Object[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      rows[i] = row(ids[i]);
    }
    return frame("customer_id STRING", rows);
  }

  private static Dataset<Row> expanded(Dataset<Row> surveys, LocalDate asOf, boolean latestOnly,
      Dataset<Row> customers, List<String> segments) {
    return SurveyScores.bySegmentAndTouchpoint(SurveyScores.counted(surveys, asOf, latestOnly), customers, segments);
  }

  @Test
  void npsSharesAndMarginOfErrorPerTouchpointAndSegment() {
    // March, touchpoint onboarding. Scores: c01 10, c02 9, c03 10, c04 9, c05 9 (5 promoters), c06 8, c07 7,
    // c08 7 (3 passives), c09 6, c10 0 (2 detractors). plan: c01 c02 c03 c06 pro; c04 c05 c07 c09 basic;
    // c08 has a null plan and c10 no customers row: both are the segment 'unknown'.
    Dataset<Row> surveys = frame(SURVEYS,
        answer("r01", "c01", "NPS", 10, "2024-03-01T08:00:00Z", "onboarding"),
        answer("r02", "c02", "NPS", 9, "2024-03-02T08:00:00Z", "onboarding"),
        answer("r03", "c03", "NPS", 10, "2024-03-03T08:00:00Z", "onboarding"),
        answer("r04", "c04", "NPS", 9, "2024-03-04T08:00:00Z", "onboarding"),
        answer("r05", "c05", "nps", 9, "2024-03-05T08:00:00Z", "onboarding"),
        answer("r06", "c06", "NPS", 8, "2024-03-06T08:00:00Z", "onboarding"),
        answer("r07", "c07", "NPS", 7, "2024-03-07T08:00:00Z", "onboarding"),
        answer("r08", "c08", "NPS", 7, "2024-03-08T08:00:00Z", "onboarding"),
        answer("r09", "c09", " NPS", 6, "2024-03-09T08:00:00Z", "onboarding"),
        answer("r10", "c10", "NPS", 0, "2024-03-31T23:59:59Z", "onboarding"));
    Dataset<Row> customers = frame("customer_id STRING, plan STRING",
        row("c01", "pro"), row("c02", "pro"), row("c03", "pro"), row("c04", "basic"), row("c05", "basic"),
        row("c06", "pro"), row("c07", "basic"), row("c08", null), row("c09", "basic"));
    Dataset<Row> nps = SurveyScores.npsMonthly(expanded(surveys, d("2024-03-31"), true, customers, List.of("plan")));

    // all: n 10, p .5, d .2: nps 100 × 3 / 10 = 30; v = .7 - .3² = .61; moe = 196 × sqrt(.061) = 48.408
    double allMoe = 196 * Math.sqrt(0.61 / 10);
    // pro: c01 10, c02 9, c03 10, c06 8: n 4, P 3, Pa 1, D 0: nps 75; p .75, d 0: v = .75 - .5625 = .1875
    double proMoe = 196 * Math.sqrt(0.1875 / 4);       // 42.435
    // basic: c04 9, c05 9, c07 7, c09 6: n 4, P 2, Pa 1, D 1: nps 25; p .5, d .25: v = .75 - .0625 = .6875
    double basicMoe = 196 * Math.sqrt(0.6875 / 4);     // 81.257
    // unknown: c08 7, c10 0: n 2, Pa 1, D 1: nps -50; p 0, d .5: v = .5 - .25 = .25
    double unknownMoe = 196 * Math.sqrt(0.25 / 2);     // 69.296
    // Every response is at onboarding, so the 'all' touchpoint rows are the same; no February: no change.
    Dataset<Row> expected = frame(NPS,
        row(MAR, "all", "all", "onboarding", 10L, 5L, 3L, 2L, 30.0, allMoe, null),
        row(MAR, "all", "all", "all", 10L, 5L, 3L, 2L, 30.0, allMoe, null),
        row(MAR, "plan", "pro", "onboarding", 4L, 3L, 1L, 0L, 75.0, proMoe, null),
        row(MAR, "plan", "pro", "all", 4L, 3L, 1L, 0L, 75.0, proMoe, null),
        row(MAR, "plan", "basic", "onboarding", 4L, 2L, 1L, 1L, 25.0, basicMoe, null),
        row(MAR, "plan", "basic", "all", 4L, 2L, 1L, 1L, 25.0, basicMoe, null),
        row(MAR, "plan", "unknown", "onboarding", 2L, 0L, 1L, 1L, -50.0, unknownMoe, null),
        row(MAR, "plan", "unknown", "all", 2L, 0L, 1L, 1L, -50.0, unknownMoe, null));
    assertSameRowsApprox(expected, nps);
    Row all = nps.filter(col("dimension").equalTo("all").and(col("touchpoint").equalTo("all"))).first();
    assertEquals(48.408, all.<Double>getAs("nps_margin_of_error"), 0.001);
  }

  @Test
  void npsChangeAgainstTheSameRowAMonthEarlierAndUnknownTouchpoint() {
    // Jan: c1 10 and c2 6 at support, c4 8 without touchpoint (unknown), on Jan 31 23:59:59 UTC.
    // Feb: c1 10 at onboarding on Feb 29 23:59:59 UTC (still February). No support row in February.
    // Mar: c1 9 (Mar 1 00:00 UTC), c2 9, c3 7 at support; c1 0 at onboarding.
    Dataset<Row> surveys = frame(SURVEYS,
        answer("b1", "c1", "NPS", 10, "2024-01-10T10:00:00Z", "support"),
        answer("b2", "c2", "NPS", 6, "2024-01-11T10:00:00Z", "support"),
        answer("b3", "c4", "NPS", 8, "2024-01-31T23:59:59Z", null),
        answer("b4", "c1", "NPS", 10, "2024-02-29T23:59:59Z", "onboarding"),
        answer("b5", "c1", "NPS", 9, "2024-03-01T00:00:00Z", "support"),
        answer("b6", "c2", "NPS", 9, "2024-03-05T10:00:00Z", "support"),
        answer("b7", "c3", "NPS", 7, "2024-03-06T10:00:00Z", "support"),
        answer("b8", "c1", "NPS", 0, "2024-03-07T10:00:00Z", "onboarding"));
    Dataset<Row> nps = SurveyScores.npsMonthly(expanded(surveys, d("2024-03-31"), true,
        noSegmentCustomers("c1", "c2", "c3", "c4"), List.of()));
    LocalDate jan = d("2024-01-01");
    LocalDate feb = d("2024-02-01");
    Dataset<Row> expected = frame(NPS,
        // Jan support: n 2, P 1, D 1: nps 0; p = d = .5: v = 1 - 0 = 1; moe = 196 × sqrt(1 / 2) = 138.593
        row(jan, "all", "all", "support", 2L, 1L, 0L, 1L, 0.0, 196 * Math.sqrt(0.5), null),
        // Jan unknown: n 1, one passive: nps 0, v = 0 - 0 = 0: moe 0
        row(jan, "all", "all", "unknown", 1L, 0L, 1L, 0L, 0.0, 0.0, null),
        // Jan all: n 3, P 1, Pa 1, D 1: nps 0; p = d = 1/3: v = 2/3; moe = 196 × sqrt(2/9) = 92.395
        row(jan, "all", "all", "all", 3L, 1L, 1L, 1L, 0.0, 196 * Math.sqrt(2.0 / 9), null),
        // Feb onboarding: n 1, a promoter: nps 100, v = 1 - 1 = 0; no January onboarding row: change null
        row(feb, "all", "all", "onboarding", 1L, 1L, 0L, 0L, 100.0, 0.0, null),
        // Feb all: nps 100, change 100 - 0 = 100 against January's 'all'
        row(feb, "all", "all", "all", 1L, 1L, 0L, 0L, 100.0, 0.0, 100.0),
        // Mar support: n 3, P 2, Pa 1: nps 66.667; p 2/3, d 0: v = 2/3 - 4/9 = 2/9; moe = 196 × sqrt(2/27)
        // = 53.345; change null: February has no support row (January's is two months back).
        row(MAR, "all", "all", "support", 3L, 2L, 1L, 0L, 200.0 / 3, 196 * Math.sqrt(2.0 / 27), null),
        // Mar onboarding: n 1, a detractor: nps -100, moe 0, change -100 - 100 = -200
        row(MAR, "all", "all", "onboarding", 1L, 0L, 0L, 1L, -100.0, 0.0, -200.0),
        // Mar all: c1 counts once at support and once at onboarding: n 4, P 2, Pa 1, D 1: nps 25;
        // p .5, d .25: v = .75 - .0625 = .6875; moe = 196 × sqrt(.6875 / 4) = 81.257; change 25 - 100 = -75
        row(MAR, "all", "all", "all", 4L, 2L, 1L, 1L, 25.0, 196 * Math.sqrt(0.6875 / 4), -75.0));
    assertSameRowsApprox(expected, nps);
  }

  /** Responses of March up to the as-of date 2024-03-20. */
  private static Dataset<Row> twiceAnswered() {
    return frame(SURVEYS,
        answer("r1", "c1", "NPS", 2, "2024-03-05T09:00:00Z", "support"),
        answer("r2", "c1", "NPS", 10, "2024-03-20T23:59:59Z", "support"),     // last second of the as-of date
        answer("r3", "c1", "NPS", 8, "2024-03-10T09:00:00Z", "onboarding"),
        answer("r4", "c2", "NPS", 6, "2024-03-06T09:00:00Z", "support"),
        answer("r5", "c2", "NPS", 10, "2024-03-21T00:00:00Z", "support"),     // after the as-of date: never
        answer("r6", "c3", "NPS", 0, "2024-03-12T10:00:00Z", "support"),
        answer("r7", "c3", "NPS", 9, "2024-03-12T10:00:00Z", "support"),      // same instant: highest id wins
        answer("r8", "c1", " csat", 5, "2024-03-06T09:00:00Z", "support"));   // another survey type
  }

  private static List<String> ids(Dataset<Row> counted) {
    return counted.select("response_id").collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @Test
  void countedKeepsTheLatestPerCustomerMonthTouchpointAndTypeUpToTheAsOfDate() {
    Dataset<Row> latest = SurveyScores.counted(twiceAnswered(), d("2024-03-20"), true);
    // c1 support: r2 (later than r1); c1 onboarding: r3; c2: r4 (r5 is after the as-of date, so it never
    // displaces r4); c3: r7 (tie on responded_ts, highest response_id); the CSAT answer r8 is its own type.
    assertEquals(List.of("r2", "r3", "r4", "r7", "r8"), ids(latest));
    assertEquals(List.of("r1", "r2", "r3", "r4", "r6", "r7", "r8"),
        ids(SurveyScores.counted(twiceAnswered(), d("2024-03-20"), false)));
    Row csat = latest.filter(col("response_id").equalTo("r8")).first();
    assertEquals("CSAT", csat.getAs("survey_type"));
    assertEquals(MAR, csat.getAs("period_month"));
  }

  @Test
  void latestCountsACustomerOncePerTouchpointAndAllCountsEveryAnswer() {
    String ddl = "touchpoint STRING, responses BIGINT, promoters BIGINT, passives BIGINT, detractors BIGINT, "
        + "nps DOUBLE";
    Dataset<Row> customers = noSegmentCustomers("c1", "c2", "c3");
    Dataset<Row> latest = SurveyScores.npsMonthly(expanded(twiceAnswered(), d("2024-03-20"), true, customers,
        List.of()));
    assertSameRowsApprox(frame(ddl,
        // support: r2 10, r4 6, r7 9: n 3, P 2, D 1: nps 100 × 1 / 3
        row("support", 3L, 2L, 0L, 1L, 100.0 / 3),
        // onboarding: r3 8
        row("onboarding", 1L, 0L, 1L, 0L, 0.0),
        // all: c1 at support and at onboarding both count: r2, r3, r4, r7: n 4, P 2, Pa 1, D 1: nps 25
        row("all", 4L, 2L, 1L, 1L, 25.0)), latest);
    Dataset<Row> every = SurveyScores.npsMonthly(expanded(twiceAnswered(), d("2024-03-20"), false, customers,
        List.of()));
    assertSameRowsApprox(frame(ddl,
        // support: r1 2, r2 10, r4 6, r6 0, r7 9: n 5, P 2, D 3: nps 100 × -1 / 5 = -20
        row("support", 5L, 2L, 0L, 3L, -20.0),
        row("onboarding", 1L, 0L, 1L, 0L, 0.0),
        // all: n 6, P 2, Pa 1, D 3: nps 100 × -1 / 6
        row("all", 6L, 2L, 1L, 3L, -100.0 / 6)), every);
  }

  /** CSAT at checkout and support, with an NPS and a CES answer at checkout that must not count. */
  private static Dataset<Row> csatSurveys() {
    return frame(SURVEYS,
        answer("s1", "c1", "CSAT", 5, "2024-03-01T10:00:00Z", "checkout"),
        answer("s2", "c2", "CSAT", 4, "2024-03-02T10:00:00Z", "checkout"),
        answer("s3", "c3", "CSAT", 3, "2024-03-03T10:00:00Z", "checkout"),
        answer("s4", "c4", "CSAT", 1, "2024-03-04T10:00:00Z", "checkout"),
        answer("s5", "c5", "CSAT", 4, "2024-03-05T10:00:00Z", "checkout"),
        answer("s6", "c1", "csat", 2, "2024-03-06T10:00:00Z", "support"),
        answer("n1", "c1", "NPS", 9, "2024-03-06T10:00:00Z", "checkout"),
        answer("e1", "c2", "CES", 7, "2024-03-06T10:00:00Z", "checkout"));
  }

  @Test
  void csatOnTheDefaultOneToFiveScale() {
    Dataset<Row> csat = SurveyScores.csatMonthly(expanded(csatSurveys(), d("2024-03-31"), true,
        noSegmentCustomers("c1", "c2", "c3", "c4", "c5"), List.of()), new ScoreScale(1, 5, 4));
    assertSameRowsApprox(frame(CSAT,
        // checkout: 5, 4, 3, 1, 4: positive (>= 4) 3, rate 3/5, mean 17/5 = 3.4
        row(MAR, "all", "all", "checkout", 5L, 3L, 0.6, 3.4),
        // support: 2: positive 0, rate 0 (not null: there are responses), mean 2
        row(MAR, "all", "all", "support", 1L, 0L, 0.0, 2.0),
        // all: 6 responses, 3 positive: rate .5, mean 19/6
        row(MAR, "all", "all", "all", 6L, 3L, 0.5, 19.0 / 6)), csat);
  }

  @Test
  void csatOnAOneToTenScaleUsesItsOwnThreshold() {
    Dataset<Row> surveys = frame(SURVEYS,
        answer("t1", "c1", "CSAT", 6, "2024-03-01T10:00:00Z", "checkout"),
        answer("t2", "c2", "CSAT", 5, "2024-03-02T10:00:00Z", "checkout"),
        answer("t3", "c3", "CSAT", 10, "2024-03-03T10:00:00Z", "checkout"),
        answer("t4", "c4", "CSAT", 1, "2024-03-04T10:00:00Z", "checkout"));
    Dataset<Row> expanded = expanded(surveys, d("2024-03-31"), true, noSegmentCustomers("c1", "c2", "c3", "c4"),
        List.of());
    // 1-10, positive >= 6: 6 and 10: 2 of 4 = .5; mean (6 + 5 + 10 + 1) / 4 = 5.5
    assertSameRowsApprox(frame(CSAT,
        row(MAR, "all", "all", "checkout", 4L, 2L, 0.5, 5.5),
        row(MAR, "all", "all", "all", 4L, 2L, 0.5, 5.5)),
        SurveyScores.csatMonthly(expanded, new ScoreScale(1, 10, 6)));
    // The threshold comes from the scale: with positive >= 4, 6, 5 and 10 are positive: 3 of 4.
    Row defaultThreshold = SurveyScores.csatMonthly(expanded, new ScoreScale(1, 5, 4))
        .filter(col("touchpoint").equalTo("checkout")).first();
    assertEquals(3L, defaultThreshold.<Long>getAs("positive"));
    assertEquals(0.75, defaultThreshold.<Double>getAs("csat_rate"), 1e-12);
  }

  @Test
  void cesMeanAndAgreeRate() {
    Dataset<Row> surveys = frame(SURVEYS,
        answer("e1", "c1", "CES", 7, "2024-03-01T10:00:00Z", "support"),
        answer("e2", "c2", "CES", 5, "2024-03-02T10:00:00Z", "support"),
        answer("e3", "c3", "CES", 4, "2024-03-03T10:00:00Z", "support"),
        answer("e4", "c4", "ces", 1, "2024-03-04T10:00:00Z", "support"),
        answer("e5", "c5", "CES", 6, "2024-03-05T10:00:00Z", "support"),
        answer("e6", "c6", "CES", 3, "2024-03-06T10:00:00Z", null),
        answer("s1", "c1", "CSAT", 5, "2024-03-06T10:00:00Z", "support"));
    Dataset<Row> ces = SurveyScores.cesMonthly(expanded(surveys, d("2024-03-31"), true,
        noSegmentCustomers("c1", "c2", "c3", "c4", "c5", "c6"), List.of()), new ScoreScale(1, 7, 5));
    assertSameRowsApprox(frame(CES,
        // support: 7, 5, 4, 1, 6: agree (>= 5) 3 of 5 = .6; mean 23/5 = 4.6
        row(MAR, "all", "all", "support", 5L, 3L, 0.6, 4.6),
        // no touchpoint: 'unknown': 3: agree 0, mean 3
        row(MAR, "all", "all", "unknown", 1L, 0L, 0.0, 3.0),
        // all: agree 3 of 6 = .5; mean 26/6
        row(MAR, "all", "all", "all", 6L, 3L, 0.5, 26.0 / 6)), ces);
  }

  @Test
  void segmentsAreCustomersColumnsAndEachHasItsOwnTouchpointRows() {
    // CSAT in March: c1 (region EU) 5 at checkout, c2 (EU) 2 at support, c3 (US) 4 at checkout.
    Dataset<Row> surveys = frame(SURVEYS,
        answer("s1", "c1", "CSAT", 5, "2024-03-01T10:00:00Z", "checkout"),
        answer("s2", "c2", "CSAT", 2, "2024-03-02T10:00:00Z", "support"),
        answer("s3", "c3", "CSAT", 4, "2024-03-03T10:00:00Z", "checkout"));
    Dataset<Row> customers = frame("customer_id STRING, region STRING, plan STRING",
        row("c1", "EU", "pro"), row("c2", "EU", "pro"), row("c3", "US", "basic"));
    Dataset<Row> csat = SurveyScores.csatMonthly(expanded(surveys, d("2024-03-31"), true, customers,
        List.of("region", "plan")), new ScoreScale(1, 5, 4));
    Map<String, Long> responses = csat.collectAsList().stream().collect(Collectors.toMap(
        r -> r.getAs("dimension") + "/" + r.getAs("segment") + "/" + r.getAs("touchpoint"),
        r -> r.<Long>getAs("responses")));
    assertEquals(Map.ofEntries(
        Map.entry("all/all/checkout", 2L), Map.entry("all/all/support", 1L), Map.entry("all/all/all", 3L),
        Map.entry("region/EU/checkout", 1L), Map.entry("region/EU/support", 1L), Map.entry("region/EU/all", 2L),
        Map.entry("region/US/checkout", 1L), Map.entry("region/US/all", 1L),
        Map.entry("plan/pro/checkout", 1L), Map.entry("plan/pro/support", 1L), Map.entry("plan/pro/all", 2L),
        Map.entry("plan/basic/checkout", 1L), Map.entry("plan/basic/all", 1L)), responses);
    // region EU, all touchpoints: 5 and 2: positive 1 of 2, mean 3.5
    Row eu = csat.filter(col("segment").equalTo("EU").and(col("touchpoint").equalTo("all"))).first();
    assertEquals(0.5, eu.<Double>getAs("csat_rate"), 1e-12);
    assertEquals(3.5, eu.<Double>getAs("mean_score"), 1e-12);
  }
}
