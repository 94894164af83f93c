package io.cskpi.kpi.engagement;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.trunc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.exchange.ENSURE_REQUIREMENTS$;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeExec;
import scala.collection.JavaConverters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Engagement on hand-made events, as of 2025-03-15, session gap 30 minutes.
 * <pre>
 * #  customer user ts (UTC)              event              session_id
 * 1  c1       u1   2025-01-31 23:50:00   login              -          inferred session A starts (January)
 * 2  c1       u1   2025-02-01 00:15:00   report_viewed      -          25 min later: A, across midnight and month
 * 3  c1       u1   2025-02-01 00:45:00   export             -          exactly 30 min later: still A
 * 4  c1       u1   2025-02-01 01:15:01   login              -          30 min 1 s later: session B (February)
 * 5  c1       u2   2025-02-01 00:20:00   login              S9         given session S9 (February)
 * 6  c1       u2   2025-02-03 10:00:00   login              S9         same session S9
 * 7  c1       u1   2025-03-10 09:00:00   login              -          session C (March)
 * 8  c1       u1   2025-03-20 09:00:00   login              -          after the as-of date: not counted
 * 9  c2       u1   2025-02-10 12:00:00   dashboard_created  X1         (another customer's u1: another user)
 * 10 c2       u1   2025-03-14 12:00:00   login              X2
 * 11 c3       u7   2024-11-05 08:00:00   login              -          c3's only event
 * </pre>
 * Customers: c1 basic signed up 2025-01-10, c2 pro 2025-02-01, c3 basic 2024-11-01.
 */
class EngagementMetricsTest extends SparkTest {
  private static final LocalDate AS_OF = d("2025-03-15");
  private static final List<String> SEGMENTS = List.of("plan");
  private static Dataset<Row> customers;
  private static Dataset<Row> events;
  private static Dataset<Row> sessions;
  private static Dataset<Row> userDays;

  @BeforeAll
  static void compute() {
    customers = frame("customer_id STRING, signup_date DATE, plan STRING",
        row("c1", d("2025-01-10"), "basic"), row("c2", d("2025-02-01"), "pro"), row("c3", d("2024-11-01"), "basic"));
    Dataset<Row> raw = frame("customer_id STRING, user_id STRING, event_ts TIMESTAMP, event_name STRING, "
            + "session_id STRING",
        row("c1", "u1", t("2025-01-31 23:50:00"), "login", null),
        row("c1", "u1", t("2025-02-01 00:15:00"), "report_viewed", null),
        row("c1", "u1", t("2025-02-01 00:45:00"), "export", null),
        row("c1", "u1", t("2025-02-01 01:15:01"), "login", null),
        row("c1", "u2", t("2025-02-01 00:20:00"), "login", "S9"),
        row("c1", "u2", t("2025-02-03 10:00:00"), "login", "S9"),
        row("c1", "u1", t("2025-03-10 09:00:00"), "login", null),
        row("c1", "u1", t("2025-03-20 09:00:00"), "login", null),
        row("c2", "u1", t("2025-02-10 12:00:00"), "dashboard_created", "X1"),
        row("c2", "u1", t("2025-03-14 12:00:00"), "login", "X2"),
        row("c3", "u7", t("2024-11-05 08:00:00"), "login", null));
    events = UsageSessions.asOf(raw, AS_OF).cache();
    sessions = UsageSessions.sessions(events, 30).cache();
    userDays = EngagementMetrics.userDays(events).cache();
  }

  @Test
  void sessionsSplitAfterTheGapAndBelongToTheirFirstEvent() {
    // c1: A (events 1-3, across midnight and the month's end), B, C inferred; S9 given. c2: X1, X2. c3: one.
    assertEquals(List.of("c1 2025-01-31T23:50:00Z 2025-01-31", "c1 2025-02-01T00:20:00Z 2025-02-01",
            "c1 2025-02-01T01:15:01Z 2025-02-01", "c1 2025-03-10T09:00:00Z 2025-03-10",
            "c2 2025-02-10T12:00:00Z 2025-02-10", "c2 2025-03-14T12:00:00Z 2025-03-14",
            "c3 2024-11-05T08:00:00Z 2024-11-05"),
        starts(sessions));
  }

  @Test
  void aUserMixingGivenAndMissingSessionIdsGetsInferredSessionsAmongTheMissingOnly() {
    Dataset<Row> mixed = frame("customer_id STRING, user_id STRING, event_ts TIMESTAMP, event_name STRING, "
            + "session_id STRING",
        row("c9", "u1", t("2025-01-10 10:00:00"), "login", "S1"),
        row("c9", "u1", t("2025-01-10 10:05:00"), "login", "S1"),
        row("c9", "u1", t("2025-01-10 10:10:00"), "export", null),
        row("c9", "u1", t("2025-01-10 10:20:00"), "export", null),     // 10 min on (S1 does not cut): one session
        row("c9", "u1", t("2025-01-10 10:50:00.5"), "login", null),    // 30 min 0.5 s later: a new one
        row("c9", "u1", t("2025-01-10 10:50:00.5"), "export", null));  // the same instant: the same session
    // S1 starts at its first event; the inferred sessions at 10:10 and 10:50:00.5.
    assertEquals(List.of("c9 2025-01-10T10:00:00Z 2025-01-10", "c9 2025-01-10T10:10:00Z 2025-01-10",
        "c9 2025-01-10T10:50:00.500Z 2025-01-10"),
        starts(UsageSessions.sessions(UsageSessions.asOf(mixed, AS_OF), 30)));
  }

  /** Each session as "customer start date", sorted. */
  private static List<String> starts(Dataset<Row> sessions) {
    return sessions.collectAsList().stream()
        .map(r -> r.getAs("customer_id") + " " + r.getAs("session_start") + " " + r.getAs("session_date"))
        .sorted().toList();
  }

  @Test
  void customerMonthsAgainstTheirOwnTrailingThreeMonths() {
    Map<String, Row> rows = CustomerEngagement.monthly(events, UsageSessions.perMonth(sessions), customers, AS_OF)
        .collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id") + "/" + r.getAs("period_month").toString().substring(0, 7),
            r -> r));
    // c1 Jan..Mar; c2 Feb, Mar; c3 Nov and the 3 months after (Dec..Feb, no events); nothing else.
    assertEquals(java.util.Set.of("c1/2025-01", "c1/2025-02", "c1/2025-03", "c2/2025-02", "c2/2025-03",
        "c3/2024-11", "c3/2024-12", "c3/2025-01", "c3/2025-02"), rows.keySet());
    // columns: active_days, sessions, events, distinct_features, active_users
    assertCounts(rows.get("c1/2025-01"), 1, 1, 1, 1, 1);
    assertCounts(rows.get("c1/2025-02"), 2, 2, 5, 3, 2);
    assertCounts(rows.get("c1/2025-03"), 1, 1, 1, 1, 1);
    assertCounts(rows.get("c3/2024-12"), 0, 0, 0, 0, 0);
    // First month: no baseline.
    assertNull(rows.get("c1/2025-01").getAs("events_trailing_3m_avg"));
    assertNull(rows.get("c1/2025-01").getAs("events_change_ratio"));
    // c1 Feb: baseline January only (signed up in January): 1 event, 1 day.
    assertChange(rows.get("c1/2025-02"), 1.0, 5.0 / 1 - 1, 1.0, 2.0 / 1 - 1);
    // c1 Mar: baseline Jan and Feb: (1 + 5) / 2 = 3 events, (1 + 2) / 2 = 1.5 days.
    assertChange(rows.get("c1/2025-03"), 3.0, 1.0 / 3 - 1, 1.5, 1.0 / 1.5 - 1);
    // c2 Mar: baseline Feb (signed up in February).
    assertChange(rows.get("c2/2025-03"), 1.0, 0.0, 1.0, 0.0);
    // c3: months without events count as 0 in the baseline.
    assertChange(rows.get("c3/2024-12"), 1.0, -1.0, 1.0, -1.0);
    assertChange(rows.get("c3/2025-01"), 0.5, -1.0, 0.5, -1.0);
    assertChange(rows.get("c3/2025-02"), 1.0 / 3, -1.0, 1.0 / 3, -1.0);
  }

  @Test
  void customerMonthCountsEqualDistinctCountsOfTheEvents() {
    Dataset<Row> sample = randomEvents();
    Dataset<Row> expected = sample.groupBy(col("customer_id"), trunc(col("event_date"), "month").as("period_month"))
        .agg(count(lit(1)).as("events"), countDistinct("event_date").as("active_days"),
            countDistinct("event_name").as("distinct_features"), countDistinct("user_id").as("active_users"));
    Dataset<Row> rows = CustomerEngagement.monthly(sample,
        UsageSessions.perMonth(UsageSessions.sessions(sample, 30)), customers, AS_OF).cache();
    Dataset<Row> actual = rows.filter(col("events").gt(0))
        .select("customer_id", "period_month", "events", "active_days", "distinct_features", "active_users");
    assertEquals(11L, expected.count());   // c0-c2 in Dec-Feb, c1 in Nov, c2 in Mar
    assertEquals(0, expected.exceptAll(actual).count(), "customer-months missing or different");
    assertEquals(0, actual.exceptAll(expected).count(), "customer-months the events do not have");
    // Sessions against a count in plain Java over the same events (a session starts in a month with events).
    Map<String, Long> sessions = rows.filter(col("sessions").gt(0)).collectAsList().stream().collect(Collectors.toMap(
        r -> r.getAs("customer_id") + "/" + r.getAs("period_month"), r -> r.<Long>getAs("sessions")));
    assertEquals(sessionsPerMonth(sample.collectAsList(), 30), sessions);
  }

  /**
   * Sessions per "customer/first day of month", counted in plain Java: a (customer, session_id) in the month of its
   * first event; a user's events without session_id in time order, a new session at the first and at each event
   * more than {@code gapMinutes} after the one before.
   */
  private static Map<String, Long> sessionsPerMonth(List<Row> events, int gapMinutes) {
    Map<String, java.time.Instant> given = new java.util.HashMap<>();
    Map<String, List<java.time.Instant>> inferred = new java.util.HashMap<>();
    for (Row r : events) {
      java.time.Instant ts = r.getAs("event_ts");
      String customer = r.getAs("customer_id");
      if (r.getAs("session_id") != null) {
        given.merge(customer + "/" + r.getAs("session_id"), ts, (a, b) -> a.isBefore(b) ? a : b);
      } else {
        inferred.computeIfAbsent(customer + "/" + r.getAs("user_id"), k -> new java.util.ArrayList<>()).add(ts);
      }
    }
    Map<String, Long> perMonth = new java.util.HashMap<>();
    java.util.function.BiConsumer<String, java.time.Instant> count = (key, start) -> perMonth.merge(
        key.substring(0, key.indexOf('/')) + "/"
            + start.atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(1), 1L, Long::sum);
    given.forEach(count);
    inferred.forEach((key, times) -> {
      times.sort(null);
      for (int i = 0; i < times.size(); i++) {
        if (i == 0 || java.time.Duration.between(times.get(i - 1), times.get(i))
            .compareTo(java.time.Duration.ofMinutes(gapMinutes)) > 0) {
          count.accept(key, times.get(i));
        }
      }
    });
    return perMonth;
  }

  @Test
  void monthlyActivesStickinessAndSessions() {
    Map<String, Row> rows = EngagementMetrics.monthly(userDays,
            Segments.withCustomerSegments(UsageSessions.perMonth(sessions), customers, SEGMENTS), customers,
            SEGMENTS, AS_OF)
        .collectAsList().stream().collect(Collectors.toMap(
            r -> r.getAs("period_month").toString().substring(0, 7) + "/" + r.getAs("segment"), r -> r));
    // Feb: user-days c1/u1 Feb 1, c1/u2 Feb 1 and Feb 3, c2/u1 Feb 10; 6 events; sessions B, S9, X1.
    Row feb = rows.get("2025-02/all");
    assertEquals(3L, feb.<Long>getAs("mau_users"));
    assertEquals(2L, feb.<Long>getAs("mau_customers"));
    assertEquals(4L, feb.<Long>getAs("active_user_days"));
    assertEquals(4.0 / 28, feb.<Double>getAs("dau_users_avg"), 1e-12);
    assertEquals(4.0 / 28 / 3, feb.<Double>getAs("stickiness_ratio"), 1e-12);
    assertEquals(3L, feb.<Long>getAs("sessions"));
    assertEquals(0.75, feb.<Double>getAs("sessions_per_active_day"), 1e-12);
    assertEquals(2.0, feb.<Double>getAs("events_per_active_user"), 1e-12);
    // January: session A counts here although most of its events are in February.
    assertEquals(1L, rows.get("2025-01/all").<Long>getAs("sessions"));
    assertEquals(1.0 / 31, rows.get("2025-01/all").<Double>getAs("dau_users_avg"), 1e-12);
    // The as-of month averages over its 15 days so far; event 8 (March 20) is not there.
    Row mar = rows.get("2025-03/all");
    assertEquals(2L, mar.<Long>getAs("mau_users"));
    assertEquals(2.0 / 15, mar.<Double>getAs("dau_users_avg"), 1e-12);
    assertEquals(2L, mar.<Long>getAs("events"));
    // Segment basic in February: c1 alone.
    Row basic = rows.get("2025-02/basic");
    assertEquals(2L, basic.<Long>getAs("mau_users"));
    assertEquals(3.0 / 28, basic.<Double>getAs("dau_users_avg"), 1e-12);
    assertEquals(2L, basic.<Long>getAs("sessions"));
    // No row for a month nobody was active in (December 2024).
    assertTrue(!rows.containsKey("2024-12/all"));
  }

  @Test
  void dailyTrailingActivesAtTheirWindowEdges() {
    Dataset<Row> daily = EngagementMetrics.daily(userDays, customers, SEGMENTS, AS_OF).cache();
    Map<String, Row> all = daily.filter(col("dimension").equalTo("all")).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("period_date").toString(), r -> r));
    // Every day from c3's first event to the as-of date.
    assertEquals(26 + 31 + 31 + 28 + 15, all.size());
    // day: dau users, dau customers, wau users, mau users, mau customers
    assertDay(all.get("2025-01-31"), 1, 1, 1, 1, 1);
    assertDay(all.get("2025-02-01"), 2, 1, 2, 2, 1);
    assertDay(all.get("2025-02-02"), 0, 0, 2, 2, 1);
    assertDay(all.get("2025-02-07"), 0, 0, 2, 2, 1);   // u1's Feb 1 is still in Feb 1..7
    assertDay(all.get("2025-02-08"), 0, 0, 1, 2, 1);   // Feb 2..8: only u2 (Feb 3)
    assertDay(all.get("2025-02-10"), 1, 1, 1, 3, 2);
    assertDay(all.get("2025-03-02"), 0, 0, 0, 3, 2);   // Feb 1..Mar 2: c1/u1's Feb 1 is in, the 30th day
    assertDay(all.get("2025-03-03"), 0, 0, 0, 2, 2);   // Feb 2..Mar 3: no longer
    assertDay(all.get("2025-03-05"), 0, 0, 0, 1, 1);   // Feb 4..Mar 5: c2/u1 alone
    assertDay(all.get("2025-03-15"), 0, 0, 2, 2, 2);
    // Segment pro starts on c2's first active day.
    assertEquals(19 + 15, daily.filter(col("segment").equalTo("pro")).count());
    assertEqualsBruteForce(userDays, daily);
  }

  @Test
  void dailyEqualsABruteForceCountOnRandomEvents() {
    // A customer's day repeats once per active user: c1's first day three times (first, middle and last copy), c2's
    // last day twice, many days in between. c0 has no customers row: segment unknown.
    Dataset<Row> days = EngagementMetrics.userDays(randomEvents()).cache();
    Dataset<Row> daily = EngagementMetrics.daily(days, customers, SEGMENTS, AS_OF).cache();
    assertEqualsBruteForce(days, daily);
  }

  /**
   * 400 events of c0, c1 and c2 (users u0-u3, names e0-e4, a third with a session_id) on random days of December to
   * February, and a few set ones: days 1 and 31, c1's first day (November 30) with three users, c2's last (March 1)
   * with two. Few users and names, so that days, users and names repeat.
   */
  private static Dataset<Row> randomEvents() {
    java.util.Random random = new java.util.Random(11);
    List<Object[]> rows = new java.util.ArrayList<>();
    rows.add(row("c0", "u0", t("2024-12-31 23:59:59"), "e0", null));
    rows.add(row("c0", "u1", t("2025-01-01 00:00:00"), "e1", null));
    for (String user : new String[] {"u0", "u1", "u2"}) {
      rows.add(row("c1", user, t("2024-11-30 12:00:00"), "e2", null));
    }
    rows.add(row("c2", "u0", t("2025-03-01 12:00:00"), "e3", null));
    rows.add(row("c2", "u3", t("2025-03-01 13:00:00"), "e3", "s99"));
    for (int i = 0; i < 400; i++) {
      LocalDate day = d("2024-12-01").plusDays(random.nextInt(90));
      Timestamp ts = Timestamp.from(day.atTime(10, 0).toInstant(java.time.ZoneOffset.UTC)
          .plusSeconds(random.nextInt(50_000)));   // the same day
      rows.add(row("c" + random.nextInt(3), "u" + random.nextInt(4), ts, "e" + random.nextInt(5),
          random.nextInt(3) == 0 ? "s" + random.nextInt(50) : null));
    }
    return UsageSessions.asOf(frame("customer_id STRING, user_id STRING, event_ts TIMESTAMP, event_name STRING, "
        + "session_id STRING", rows.toArray(Object[][]::new)), AS_OF);
  }

  @Test
  void theUserDaysClusteredByCustomerAreNotShuffledAgainWithoutBroadcasts() {
    // The family's user-days (clustered by customer), cached as there. Without broadcasts (as where the
    // customers are too large), engagement_daily's windows by user and by customer and its customer-days, and
    // engagement_monthly's customer-months, use that clustering: only the customers move to meet them, and only
    // aggregates by segment move after them. A required exchange by customer or user above the user-days would move
    // rows as many as the user-days again (the deltas given segments after their union did).
    Dataset<Row> clustered = EngagementMetrics.userDaysByCustomer(events).cache();
    String threshold = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    try {
      Dataset<Row> sessionMonths = Segments.withCustomerSegments(UsageSessions.perMonth(sessions), customers, SEGMENTS);
      Map<String, Dataset<Row>> tables = Map.of(
          "engagement_daily", EngagementMetrics.daily(clustered, customers, SEGMENTS, AS_OF),
          "engagement_monthly", EngagementMetrics.monthly(clustered, sessionMonths, customers, SEGMENTS, AS_OF));
      tables.forEach((name, table) -> {
        SparkPlan plan = table.queryExecution().executedPlan();
        List<String> exchanges = new java.util.ArrayList<>();
        List<String> userDayMoves = new java.util.ArrayList<>();
        requiredExchanges(plan, exchanges, userDayMoves);
        assertTrue(!exchanges.isEmpty(), name + ": the customers must move to join: " + plan);
        assertEquals(List.of(), userDayMoves, name + ": " + plan);
      });
      // The check sees such a move: the same user-days without the clustering are moved by user for the windows.
      List<String> unclustered = new java.util.ArrayList<>();
      requiredExchanges(EngagementMetrics.daily(userDays, customers, SEGMENTS, AS_OF).queryExecution().executedPlan(),
          new java.util.ArrayList<>(), unclustered);
      assertTrue(!unclustered.isEmpty());
    } finally {
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
      clustered.unpersist();
    }
  }

  /**
   * Every exchange the planner added for a requirement (its keys), and of those the ones by customer_id or user_id
   * with a cached user-days scan below them (customer_id, user_id, event_date, events).
   */
  private static void requiredExchanges(SparkPlan plan, List<String> exchanges, List<String> userDayMoves) {
    if (plan instanceof ShuffleExchangeExec shuffle && shuffle.shuffleOrigin() == ENSURE_REQUIREMENTS$.MODULE$
        && shuffle.outputPartitioning() instanceof HashPartitioning hash) {
      List<String> keys = new java.util.ArrayList<>();
      JavaConverters.seqAsJavaList(hash.expressions()).forEach(e -> keys.add(
          e instanceof Attribute a ? a.name() : e.sql()));
      exchanges.add(keys.toString());
      if ((keys.contains("customer_id") || keys.contains("user_id")) && readsUserDays(shuffle.child())) {
        userDayMoves.add(keys.toString());
      }
    }
    JavaConverters.seqAsJavaList(plan.children()).forEach(c -> requiredExchanges(c, exchanges, userDayMoves));
  }

  private static boolean readsUserDays(SparkPlan plan) {
    if (plan instanceof InMemoryTableScanExec scan) {
      List<String> names = new java.util.ArrayList<>();
      JavaConverters.seqAsJavaList(scan.relation().output()).forEach(a -> names.add(a.name()));
      return names.equals(List.of("customer_id", "user_id", "event_date", "events"));
    }
    return JavaConverters.seqAsJavaList(plan.children()).stream().anyMatch(EngagementMetricsTest::readsUserDays);
  }

  /**
   * Every day and segment of {@code daily} equals a brute-force count of distinct actives in each window, compared
   * both ways; the brute force's days are its own (each segment's first active day to the as-of date), so a missing
   * or extra segment or day fails too.
   */
  private static void assertEqualsBruteForce(Dataset<Row> userDays, Dataset<Row> daily) {
    for (int w : new int[] {1, 7, 30}) {
      String prefix = w == 1 ? "dau" : w == 7 ? "wau" : "mau";
      Dataset<Row> expected = bruteForce(userDays, w);
      Dataset<Row> actual = daily.select(col("period_date"), col("dimension"), col("segment"),
          col(prefix + "_users").as("users"), col(prefix + "_customers").as("customers"));
      assertEquals(0, expected.exceptAll(actual).count(), prefix + ": brute-force rows missing from the sweep");
      assertEquals(0, actual.exceptAll(expected).count(), prefix + ": sweep rows the brute force does not have");
    }
  }

  /** Distinct users and customers with an active day in [day - w + 1, day], per segment and day from its first. */
  private static Dataset<Row> bruteForce(Dataset<Row> userDays, int w) {
    Dataset<Row> segmentDays = Segments.explodeDimensions(
        Segments.withCustomerSegments(userDays, customers, SEGMENTS), SEGMENTS);
    Dataset<Row> active = segmentDays
        .select(col("dimension").as("a_dimension"), col("segment").as("a_segment"), col("customer_id"),
            col("user_id"), col("event_date"));
    Dataset<Row> days = segmentDays.groupBy("dimension", "segment").agg(min("event_date").as("_first"))
        .select(col("dimension"), col("segment"), explode(sequence(col("_first"), lit(AS_OF))).as("period_date"));
    Dataset<Row> joined = days.join(active, col("dimension").equalTo(col("a_dimension"))
        .and(col("segment").equalTo(col("a_segment")))
        .and(col("event_date").leq(col("period_date")))
        .and(col("event_date").gt(date_add(col("period_date"), -w))), "left");
    return joined.groupBy("period_date", "dimension", "segment")
        .agg(countDistinct(col("customer_id"), col("user_id")).as("users"), countDistinct(col("customer_id")).as("customers"));
  }

  private static void assertCounts(Row r, long activeDays, long sessions, long events, long features, long users) {
    assertEquals(List.of(activeDays, sessions, events, features, users), List.of(r.<Long>getAs("active_days"),
        r.<Long>getAs("sessions"), r.<Long>getAs("events"), r.<Long>getAs("distinct_features"),
        r.<Long>getAs("active_users")), "customer month " + r);
  }

  private static void assertChange(Row r, double eventsAvg, double eventsChange, double daysAvg, double daysChange) {
    assertEquals(eventsAvg, r.<Double>getAs("events_trailing_3m_avg"), 1e-12, "events avg " + r);
    assertEquals(eventsChange, r.<Double>getAs("events_change_ratio"), 1e-12, "events change " + r);
    assertEquals(daysAvg, r.<Double>getAs("active_days_trailing_3m_avg"), 1e-12, "days avg " + r);
    assertEquals(daysChange, r.<Double>getAs("active_days_change_ratio"), 1e-12, "days change " + r);
  }

  private static void assertDay(Row r, long dauUsers, long dauCustomers, long wauUsers, long mauUsers,
      long mauCustomers) {
    assertEquals(List.of(dauUsers, dauCustomers, wauUsers, mauUsers, mauCustomers), List.of(r.<Long>getAs("dau_users"),
        r.<Long>getAs("dau_customers"), r.<Long>getAs("wau_users"), r.<Long>getAs("mau_users"),
        r.<Long>getAs("mau_customers")), "day " + r.getAs("period_date"));
  }

  private static Timestamp t(String utc) {
    return Timestamp.from(java.time.LocalDateTime.parse(utc.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC));
  }
}
