package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import io.cskpi.SparkTest;
import io.cskpi.family.FamilySettings;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** nps_followups: window, latest answer, action, priority, due time, unused feature, owner and churn. */
class NpsFollowupsTest extends SparkTest {
  private static final LocalDate AS_OF = d("2024-03-31");   // window: 2024-03-02 00:00 UTC to 2024-04-01 00:00
  private static final String COLUMNS = "customer_id STRING, csm_owner STRING, response_id STRING, "
      + "responded_ts TIMESTAMP, touchpoint STRING, score INT, nps_category STRING, action STRING, priority STRING, "
      + "due_ts TIMESTAMP, guidance STRING, unused_feature STRING, comment STRING, is_churned BOOLEAN";
  private static final String CALL = "Call within 24 hours: hear what went wrong and agree a fix";
  private static final String REFERRAL = "Ask for a referral or a review";
  private static final String GENERIC_GUIDANCE = "Send guidance on the next step to full value";

  private static Instant ts(String iso) {
    return Instant.parse(iso);
  }

  private static Object[] answer(String id, String customer, String type, int score, String comment, String at,
      String touchpoint) {
    return row(id, customer, type, score, comment, ts(at), touchpoint, null);
  }

  private static Dataset<Row> surveys() {
    return frame("response_id STRING, customer_id STRING, survey_type STRING, score INT, comment STRING, "
            + "responded_ts TIMESTAMP, touchpoint STRING, language STRING",
        answer("f01", "c1", "NPS", 10, "Love it", "2024-03-05T10:00:00Z", "support"),     // older than f02
        answer("f02", "c1", "NPS", 3, "Too slow", "2024-03-10T08:00:00Z", "support"),     // c1's latest
        answer("f03", "c1", "NPS", 10, null, "2024-04-01T10:00:00Z", "support"),          // after the as-of date
        answer("f04", "c2", "NPS", 7, "It is ok", "2024-03-02T00:00:00Z", "onboarding"),  // first instant in
        answer("f05", "c3", "nps ", 9, "Great", "2024-03-31T23:59:59Z", null),            // last instant in
        answer("f06", "c4", "NPS", 0, "Bad", "2024-03-01T23:59:59Z", "support"),          // 30 days back: out
        answer("f07", "c5", "NPS", 0, "Bad", "2024-04-01T00:00:00Z", "support"),          // after as-of: out
        answer("f08", "c6", "CSAT", 1, "Bad", "2024-03-15T00:00:00Z", "support"),         // not NPS: out
        answer("f09", "c7", "NPS", 8, null, "2024-03-15T12:00:00Z", "checkout"),
        answer("f10", "c8", "NPS", 6, "Meh", "2024-03-20T00:00:00Z", "support"),
        answer("f11", "c8", "NPS", 9, "Fine", "2024-03-20T00:00:00Z", "support"));        // tie: highest id
  }

  private static Dataset<Row> customers() {
    return frame("customer_id STRING, csm_owner STRING",
        row("c1", "alice"), row("c2", "bob"), row("c3", null), row("c4", "dave"), row("c5", "erin"),
        row("c7", "carol"));   // c8 has no customers row
  }

  /**
   * Adoption up to the as-of date: login c1 c2 c3 c5 c7 (5), export c1 c3 c7 (3), report_viewed c1 c3 c7 (3;
   * c9's use on Apr 5 is after the as-of date and would make it 4), dashboard_created c5 c7 (2).
   */
  private static Dataset<Row> usage() {
    return frame("customer_id STRING, user_id STRING, event_ts TIMESTAMP, event_name STRING",
        row("c1", "u1", ts("2024-02-01T10:00:00Z"), "login"),
        row("c1", "u1", ts("2024-02-01T10:05:00Z"), "report_viewed"),
        row("c1", "u1", ts("2024-02-01T10:10:00Z"), "export"),
        row("c3", "u3", ts("2024-02-02T10:00:00Z"), "login"),
        row("c3", "u3", ts("2024-02-02T10:05:00Z"), "report_viewed"),
        row("c3", "u3", ts("2024-02-02T10:10:00Z"), "export"),
        row("c5", "u5", ts("2024-02-03T10:00:00Z"), "login"),
        row("c5", "u5", ts("2024-02-03T10:05:00Z"), "dashboard_created"),
        row("c2", "u2", ts("2024-02-04T10:00:00Z"), "login"),
        row("c2", "u2b", ts("2024-03-04T10:00:00Z"), "login"),
        row("c7", "u7", ts("2024-02-05T10:00:00Z"), "login"),
        row("c7", "u7", ts("2024-02-05T10:01:00Z"), "export"),
        row("c7", "u7", ts("2024-02-05T10:02:00Z"), "report_viewed"),
        row("c7", "u7", ts("2024-02-05T10:03:00Z"), "dashboard_created"),
        row("c9", "u9", ts("2024-04-05T10:00:00Z"), "report_viewed"));
  }

  /** customer_mrr_monthly: c1 churned in March (its April row is after the as-of month), c7 in February. */
  private static Dataset<Row> customerMrr() {
    return frame("customer_id STRING, period_month DATE, mrr DECIMAL(18,2)",
        row("c1", d("2024-02-01"), m("100")), row("c1", d("2024-03-01"), m("0")), row("c1", d("2024-04-01"), m("100")),
        row("c2", d("2024-02-01"), m("100")), row("c2", d("2024-03-01"), m("100")),
        row("c7", d("2024-01-01"), m("50")), row("c7", d("2024-02-01"), m("0")));
  }

  private static VoiceSettings settings(String conf) {
    return FamilySettings.read("voice", ConfigFactory.parseString(conf), List.of(), VoiceSettings::read);
  }

  private static Dataset<Row> followups(Dataset<Row> usage, Optional<Dataset<Row>> mrr, VoiceSettings s) {
    return NpsFollowups.followups(surveys(), customers(), usage, mrr, AS_OF, s);
  }

  @Test
  void theLatestRecentAnswerOfEachCustomerWithItsAction() {
    Dataset<Row> actual = followups(usage(), Optional.of(customerMrr()), settings(""));
    Dataset<Row> expected = frame(COLUMNS,
        // detractor (3): call, high, due 24 hours later; c1's Mar 5 promoter answer is older, its Apr 1 one
        // after the as-of date; churned: MRR 100 in Feb, 0 in Mar (the as-of month).
        row("c1", "alice", "f02", ts("2024-03-10T08:00:00Z"), "support", 3, "detractor", "call", "high",
            ts("2024-03-11T08:00:00Z"), CALL, null, "Too slow", true),
        // passive (7) on the window's first instant (Mar 2 00:00 = as-of - 29 days): guide, normal, due +7 days;
        // c2 only logged in: export and report_viewed (3 adopters each) tie, export wins by name.
        row("c2", "bob", "f04", ts("2024-03-02T00:00:00Z"), "onboarding", 7, "passive", "guide", "normal",
            ts("2024-03-09T00:00:00Z"), "Show how export helps: the most adopted feature this customer has not "
                + "used", "export", "It is ok", false),
        // promoter (9) on the as-of date's last second: ask_referral, low, due +14 days; touchpoint as given
        // (null, not 'unknown'); no csm_owner; no MRR rows: not churned.
        row("c3", null, "f05", ts("2024-03-31T23:59:59Z"), null, 9, "promoter", "ask_referral", "low",
            ts("2024-04-14T23:59:59Z"), REFERRAL, null, "Great", false),
        // passive (8) that has used every feature: no unused feature, generic guidance; churned in February.
        row("c7", "carol", "f09", ts("2024-03-15T12:00:00Z"), "checkout", 8, "passive", "guide", "normal",
            ts("2024-03-22T12:00:00Z"), GENERIC_GUIDANCE, null, null, true),
        // two answers at the same instant: the highest response_id (f11, a promoter) is the latest.
        row("c8", null, "f11", ts("2024-03-20T00:00:00Z"), "support", 9, "promoter", "ask_referral", "low",
            ts("2024-04-03T00:00:00Z"), REFERRAL, null, "Fine", false));
    assertSameRows(expected, actual);
    assertEquals(5, actual.count());
  }

  @Test
  void withoutTheRevenueFamilyIsChurnedIsNull() {
    Dataset<Row> actual = followups(usage(), Optional.empty(), settings(""));
    assertEquals(List.of("c1", "c2", "c3", "c7", "c8"), actual.filter(col("is_churned").isNull())
        .select("customer_id").collectAsList().stream().map(r -> r.getString(0)).sorted().toList());
    assertEquals(5, actual.count());
  }

  @Test
  void withoutUsageDataAPassiveHasNoUnusedFeature() {
    Dataset<Row> noUsage = usage().limit(0);
    Row c2 = followups(noUsage, Optional.of(customerMrr()), settings(""))
        .filter(col("customer_id").equalTo("c2")).first();
    assertNull(c2.getAs("unused_feature"));
    assertEquals(GENERIC_GUIDANCE, c2.getAs("guidance"));
    assertEquals("guide", c2.getAs("action"));
  }

  @Test
  void dueTimesAndWindowFromSettings() {
    // followup-days 22: from Mar 31 - 21 days = Mar 10 00:00 UTC, so c2 (Mar 2) drops out; c1 (Mar 10 08:00) stays.
    VoiceSettings s = settings("followup-days = 22\ndetractor-call-hours = 48\npassive-followup-days = 3\n"
        + "promoter-followup-days = 1");
    Dataset<Row> actual = followups(usage(), Optional.of(customerMrr()), s)
        .select("customer_id", "response_id", "due_ts", "guidance");
    assertSameRows(frame("customer_id STRING, response_id STRING, due_ts TIMESTAMP, guidance STRING",
        row("c1", "f02", ts("2024-03-12T08:00:00Z"), "Call within 48 hours: hear what went wrong and agree a fix"),
        row("c3", "f05", ts("2024-04-01T23:59:59Z"), REFERRAL),
        row("c7", "f09", ts("2024-03-18T12:00:00Z"), GENERIC_GUIDANCE),
        row("c8", "f11", ts("2024-03-21T00:00:00Z"), REFERRAL)), actual);
    assertEquals(4, actual.count());
  }
}
