package io.cskpi.kpi.onboarding;

import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cskpi.SparkTest;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.FamilySettings;
import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Onboarding and trials as of 2025-03-31 with the default settings: window 30 days (day 0 to 29), milestones
 * login 10, dashboard_created 30, integration_connected 30, invite_sent 30; activation dashboard_created and
 * integration_connected; stuck without dashboard_created 14 to 90 days after signup; trial 14 days when the end is
 * null, grace 7 days.
 * <pre>
 * customer signup     trial              events (day since signup)                            first paid
 * a        03-01      03-01 .. 03-15     login 0, dashboard 4, integration 19, invite 30 (out) 03-20 (0-MRR 03-16)
 * b        03-10      -                  login 03-08 (before signup: day 0), export 2           03-12
 * c        01-01      01-01 .. null      login 1, dashboard 45 (after the window)              01-25 (late)
 * d        2024-12-01 12-01 .. 12-15     -                                                     12-22 (deadline)
 * e        03-25      03-25 .. 04-08     -                                                     04-01 (after as-of)
 * f        04-02      -                  (after the as-of date: not a customer yet)
 * g        03-17      -                  -   (14 days: stuck from today)
 * </pre>
 */
class OnboardingTest extends SparkTest {
  private static final LocalDate AS_OF = d("2025-03-31");
  private static final List<String> SEGMENTS = List.of("plan");
  private static final OnboardingSettings SETTINGS = settings("");
  private static Dataset<Row> customers;
  private static Dataset<Row> progress;

  @BeforeAll
  static void compute() {
    customers = frame("customer_id STRING, signup_date DATE, plan STRING, csm_owner STRING, trial_start_date DATE, "
            + "trial_end_date DATE",
        row("a", d("2025-03-01"), "basic", "csm_1", d("2025-03-01"), d("2025-03-15")),
        row("b", d("2025-03-10"), "pro", null, null, null),
        row("c", d("2025-01-01"), "basic", "csm_2", d("2025-01-01"), null),
        row("d", d("2024-12-01"), "basic", null, d("2024-12-01"), d("2024-12-15")),
        row("e", d("2025-03-25"), "pro", null, d("2025-03-25"), d("2025-04-08")),
        row("f", d("2025-04-02"), "pro", null, null, null),
        row("g", d("2025-03-17"), "pro", "csm_1", null, null));
    Dataset<Row> events = frame("customer_id STRING, user_id STRING, event_ts TIMESTAMP, event_name STRING",
        row("a", "u", t("2025-03-01 10:00"), "login"), row("a", "u", t("2025-03-05 10:00"), "dashboard_created"),
        row("a", "u", t("2025-03-20 10:00"), "integration_connected"), row("a", "u", t("2025-03-31 10:00"), "invite_sent"),
        row("b", "u", t("2025-03-08 10:00"), "login"), row("b", "u", t("2025-03-12 10:00"), "export"),
        row("c", "u", t("2025-01-02 10:00"), "login"), row("c", "u", t("2025-02-15 10:00"), "dashboard_created"))
        .withColumn("event_date", to_date(col("event_ts")));
    progress = Segments.withCustomerSegments(OnboardingProgress.perCustomer(customers, events, SETTINGS, AS_OF),
        customers, SEGMENTS).cache();
  }

  @Test
  void milestonesInTheWindowScoreAndActivation() {
    Map<String, Row> rows = byCustomer(progress);
    assertEquals(Set.of("a", "b", "c", "d", "e", "g"), rows.keySet());
    Row a = rows.get("a");
    assertEquals(d("2025-03-30"), a.getAs("window_end_date"));
    assertEquals(true, a.getAs("window_complete"));
    assertEquals(3L, a.<Long>getAs("milestones_reached"));
    assertEquals("login, dashboard_created, integration_connected", a.getAs("reached_milestones"));
    assertEquals(70.0, a.<Double>getAs("onboarding_score"), 1e-12);
    assertEquals(true, a.getAs("activated"));
    assertEquals(19, a.<Integer>getAs("days_to_activation"));   // the later aha milestone: day 19
    assertEquals("invite_sent", a.getAs("first_missing_milestone"));   // day 30 is past the window
    Row b = rows.get("b");
    assertEquals(10.0, b.<Double>getAs("onboarding_score"), 1e-12);   // login before signup counts
    assertEquals(false, b.getAs("window_complete"));
    assertEquals(false, b.getAs("activated"));
    assertNull(b.getAs("days_to_activation"));
    assertEquals("dashboard_created", b.getAs("first_missing_milestone"));
    Row c = rows.get("c");
    assertEquals("login", c.getAs("reached_milestones"));   // dashboard on day 45 does not count
    assertEquals(10.0, c.<Double>getAs("onboarding_score"), 1e-12);
    Row d = rows.get("d");
    assertEquals(0L, d.<Long>getAs("milestones_reached"));
    assertEquals("", d.getAs("reached_milestones"));
    assertEquals(0.0, d.<Double>getAs("onboarding_score"), 1e-12);
    assertEquals("login", d.getAs("first_missing_milestone"));
    assertNull(d.getAs("last_event_date"));
  }

  @Test
  void weightsAreTheirShareOfTheTotal() {
    OnboardingSettings custom = settings("milestones = [{event = login, weight = 1}, {event = dashboard_created, "
        + "weight = 3}]\nactivation = [dashboard_created]\n");
    Dataset<Row> events = frame("customer_id STRING, event_name STRING, event_date DATE",
        row("a", "dashboard_created", d("2025-03-30")));   // day 29: the window's last day
    Row a = byCustomer(OnboardingProgress.perCustomer(customers, events, custom, AS_OF)).get("a");
    assertEquals(75.0, a.<Double>getAs("onboarding_score"), 1e-12);
    assertEquals(true, a.getAs("activated"));
    assertEquals(29, a.<Integer>getAs("days_to_activation"));
    assertEquals("login", a.getAs("first_missing_milestone"));
  }

  @Test
  void stuckCustomersBetweenTheirDaysWithTheirOwner() {
    Map<String, Row> stuck = byCustomer(OnboardingProgress.stuck(progress, SETTINGS, AS_OF));
    // b (21 days) and g (exactly 14); c reached the milestone after its window; d is past 90 days; e too new.
    assertEquals(Set.of("b", "g"), stuck.keySet());
    assertEquals("csm_1", stuck.get("g").getAs("owner"));
    assertEquals(14, stuck.get("g").<Integer>getAs("days_since_signup"));
    assertEquals("dashboard_created", stuck.get("b").getAs("missing_milestone"));
    assertEquals(d("2025-03-12"), stuck.get("b").getAs("last_event_date"));
  }

  @Test
  void trialsConvertByTheirEndPlusGrace() {
    Dataset<Row> subscriptions = frame("customer_id STRING, start_date DATE, mrr DECIMAL(18,2)",
        row("a", d("2025-03-16"), m("0")), row("a", d("2025-03-20"), m("50")), row("b", d("2025-03-12"), m("20")),
        row("c", d("2025-01-25"), m("30")), row("d", d("2024-12-22"), m("30")), row("e", d("2025-04-01"), m("30")));
    Dataset<Row> trials = Segments.withCustomerSegments(TrialConversion.trials(customers, subscriptions, SETTINGS,
        AS_OF), customers, SEGMENTS);
    Map<String, Row> rows = TrialConversion.monthly(trials, SEGMENTS).collectAsList().stream().collect(
        Collectors.toMap(r -> r.getAs("period_month").toString().substring(0, 7) + "/" + r.getAs("segment"), r -> r));
    assertEquals(Set.of("2024-12/all", "2024-12/basic", "2025-01/all", "2025-01/basic", "2025-03/all",
        "2025-03/basic", "2025-03/pro"), rows.keySet());
    assertTrial(rows.get("2024-12/all"), 1, 1, 0, 1.0, 21.0);   // paid on the deadline day
    assertTrial(rows.get("2025-01/all"), 1, 0, 0, 0.0, null);   // null end: 14 days, paid 3 days after the grace
    assertTrial(rows.get("2025-03/all"), 2, 1, 1, 1.0, 19.0);   // e is still in its trial
    assertTrial(rows.get("2025-03/pro"), 1, 0, 1, null, null);
  }

  @Test
  void settingsAreChecked() {
    assertThrows(InvalidSettingException.class, () -> settings("activation = [export]"));
    assertThrows(InvalidSettingException.class, () -> settings("stuck-milestone = export"));
    assertThrows(InvalidSettingException.class, () -> settings("stuck-after-days = 30\nstuck-max-days = 20"));
    assertThrows(InvalidSettingException.class, () -> settings("milestones = [{event = login, weight = 0}]"));
    assertThrows(InvalidSettingException.class, () -> settings(
        "milestones = [{event = login, weight = 1}, {event = login, weight = 2}]"));
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> settings("milestones = [{name = login, weight = 1}]"));
    assertTrue(e.getMessage().contains("cskpi.onboarding.milestones"), e.getMessage());
  }

  private static void assertTrial(Row r, long started, long converted, long pending, Double rate, Double median) {
    assertEquals(List.of(started, converted, pending), List.of(r.<Long>getAs("trials_started"),
        r.<Long>getAs("trials_converted"), r.<Long>getAs("trials_pending")), r.toString());
    assertEquals(rate, r.<Double>getAs("trial_to_paid_rate"), r.toString());
    assertEquals(median, r.<Double>getAs("days_to_convert_median"), r.toString());
  }

  private static Map<String, Row> byCustomer(Dataset<Row> rows) {
    return rows.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("customer_id"), r -> r));
  }

  private static OnboardingSettings settings(String conf) {
    return FamilySettings.read("onboarding", ConfigFactory.parseString(conf), List.of(), OnboardingSettings::read);
  }

  private static Timestamp t(String utc) {
    return Timestamp.from(java.time.LocalDateTime.parse(utc.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC));
  }
}
