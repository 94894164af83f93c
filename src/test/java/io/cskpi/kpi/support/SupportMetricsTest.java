package io.cskpi.kpi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;

import com.typesafe.config.ConfigFactory;
import io.cskpi.SparkTest;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.FamilySettings;
import io.cskpi.kpi.Segments;
import io.cskpi.quality.RowRule;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * support_monthly on five hand-made tickets, as of 2025-02-15. Calendar: Mon-Fri 09:00-17:00 UTC, holiday Monday
 * 2025-01-06.
 * <pre>
 * ticket customer agent prio  created            first response     resolved           contacts reopened
 * A      c1       a1    high  Fri 01-03 16:00    Tue 01-07 10:00    Fri 01-10 16:00    1        false
 * B      c1       a2    norm  Wed 01-08 08:00    Wed 01-08 12:30    Mon 02-03 12:00    2        false
 * C      c2       a1    low   Sat 01-11 10:00    Mon 01-13 09:30    Mon 01-13 10:00    null     null
 * D      c2       a2    low   Mon 01-20 10:00    -                  -                  null     null
 * E      c1       a1    norm  Mon 02-10 10:00    02-20 (after as-of: none yet)          1        false
 * </pre>
 */
class SupportMetricsTest extends SparkTest {
  private static final LocalDate AS_OF = LocalDate.parse("2025-02-15");
  private static final List<String> SEGMENTS = List.of("plan");
  private static final BusinessCalendar CALENDAR = calendar("holidays = [\"2025-01-06\"]");
  private static Dataset<Row> tickets;
  private static Dataset<Row> customers;
  private static Map<String, Row> rows;

  @BeforeAll
  static void compute() {
    tickets = frame("ticket_id STRING, customer_id STRING, agent_id STRING, channel STRING, priority STRING, "
            + "created_ts TIMESTAMP, first_response_ts TIMESTAMP, resolved_ts TIMESTAMP, contacts INT, reopened BOOLEAN",
        row("A", "c1", "a1", "email", "high", t("2025-01-03 16:00"), t("2025-01-07 10:00"), t("2025-01-10 16:00"), 1, false),
        row("B", "c1", "a2", "chat", "normal", t("2025-01-08 08:00"), t("2025-01-08 12:30"), t("2025-02-03 12:00"), 2, false),
        row("C", "c2", "a1", "web", "low", t("2025-01-11 10:00"), t("2025-01-13 09:30"), t("2025-01-13 10:00"), null, null),
        row("D", "c2", "a2", "web", "low", t("2025-01-20 10:00"), null, null, null, null),
        row("E", "c1", "a1", "email", "normal", t("2025-02-10 10:00"), t("2025-02-20 10:00"), t("2025-02-21 10:00"), 1, false));
    customers = frame("customer_id STRING, signup_date DATE, plan STRING",
        row("c1", d("2024-12-01"), "basic"), row("c2", d("2025-01-15"), "pro"), row("c3", d("2025-02-01"), "pro"),
        row("c4", d("2025-02-20"), "pro"));   // signs up after the as-of date: not yet a customer
    rows = byKey(monthly(Optional.empty()));
  }

  private static Dataset<Row> monthly(Optional<Dataset<Row>> revenue) {
    Dataset<Row> asOf = Segments.withCustomerSegments(SupportMetrics.asOf(tickets, AS_OF, CALENDAR), customers, SEGMENTS);
    return SupportMetrics.withCustomerBase(SupportMetrics.monthly(asOf, SEGMENTS, AS_OF), customers, SEGMENTS, revenue,
        AS_OF);
  }

  private static Map<String, Row> byKey(Dataset<Row> monthly) {
    return monthly.collectAsList().stream().collect(Collectors.toMap(
        r -> r.getAs("period_month").toString().substring(0, 7) + "/" + r.getAs("dimension") + "/" + r.getAs("segment"),
        r -> r));
  }

  private static Timestamp t(String utc) {
    return Timestamp.from(java.time.LocalDateTime.parse(utc.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC));
  }

  private static BusinessCalendar calendar(String conf) {
    return FamilySettings.read("support", ConfigFactory.parseString(conf), List.of(), BusinessCalendar::read);
  }

  private static double dbl(Row r, String column) {
    return r.<Double>getAs(column);
  }

  @Test
  void countsCreatedResolvedOpenAndUnanswered() {
    Row jan = rows.get("2025-01/all/all");
    assertEquals(4L, jan.<Long>getAs("tickets_created"));
    assertEquals(2L, jan.<Long>getAs("tickets_resolved"), "A and C resolved in January; B in February");
    assertEquals(2L, jan.<Long>getAs("tickets_open_end"), "B and D open on 31 January");
    assertEquals(1L, jan.<Long>getAs("tickets_without_response"), "D");
    Row feb = rows.get("2025-02/all/all");
    assertEquals(1L, feb.<Long>getAs("tickets_created"), "E");
    assertEquals(1L, feb.<Long>getAs("tickets_resolved"), "B");
    assertEquals(2L, feb.<Long>getAs("tickets_open_end"), "D, and E: its resolution is after the as-of date");
    assertEquals(1L, feb.<Long>getAs("tickets_without_response"), "E's response comes after the as-of date");
    assertEquals(List.of("2025-01", "2025-02"), rows.keySet().stream().filter(k -> k.endsWith("/all/all"))
        .map(k -> k.substring(0, 7)).sorted().toList(), "months with tickets up to the as-of month");
  }

  @Test
  void percentilesAreExactWithLinearInterpolation() {
    Row jan = rows.get("2025-01/all/all");
    // First responses: A 90 h (Fri 16:00 to Tue 10:00), B 4.5 h, C 47.5 h; sorted 4.5, 47.5, 90.
    assertEquals(47.5, dbl(jan, "first_response_hours_median"), 1e-9);
    assertEquals(47.5 + 0.8 * (90 - 47.5), dbl(jan, "first_response_hours_p90"), 1e-9, "rank 0.9 x 2 = 1.8");
    assertEquals((90 + 4.5 + 47.5) / 3, dbl(jan, "first_response_hours_mean"), 1e-9);
    // Resolutions of January's tickets: A 168 h, B 628 h (resolved in February, still January's ticket), C 48 h.
    assertEquals(168.0, dbl(jan, "resolution_hours_median"), 1e-9);
    assertEquals(168 + 0.8 * (628 - 168), dbl(jan, "resolution_hours_p90"), 1e-9);
    Row feb = rows.get("2025-02/all/all");
    assertNull(feb.getAs("first_response_hours_median"), "E has no response as of the as-of date");
    assertNull(feb.getAs("resolution_hours_median"));
  }

  @Test
  void businessHoursSkipNightsWeekendsAndHolidays() {
    // A: Fri 16-17 (1 h), weekend, Monday holiday, Tue 9-10 (1 h) = 2 h. B: 09:00-12:30 = 3.5 h. C: Sat -> Mon 9:30
    // = 0.5 h. Median of 2, 3.5, 0.5 = 2.
    assertEquals(2.0, dbl(rows.get("2025-01/all/all"), "first_response_business_hours_median"), 1e-9);
    Map<String, Double> hours = SupportMetrics.asOf(tickets, AS_OF, CALENDAR).collectAsList().stream()
        .filter(r -> r.getAs("first_response_business_hours") != null)
        .collect(Collectors.toMap(r -> r.getAs("ticket_id"), r -> r.<Double>getAs("first_response_business_hours")));
    assertEquals(Map.of("A", 2.0, "B", 3.5, "C", 0.5), hours);
    // Without the holiday, A also gets Monday's 8 hours.
    BusinessCalendar noHoliday = calendar("");
    double a = SupportMetrics.asOf(tickets.filter(col("ticket_id").equalTo("A")), AS_OF, noHoliday).first()
        .getAs("first_response_business_hours");
    assertEquals(10.0, a, 1e-9);
    // In Amsterdam (UTC+1 in winter) B runs 09:00-13:30 local: 4.5 h.
    BusinessCalendar amsterdam = calendar("business-time-zone = \"Europe/Amsterdam\"");
    double b = SupportMetrics.asOf(tickets.filter(col("ticket_id").equalTo("B")), AS_OF, amsterdam).first()
        .getAs("first_response_business_hours");
    assertEquals(4.5, b, 1e-9);
  }

  @Test
  void firstContactResolutionLeavesOutUnknownContacts() {
    // January: resolved with known contacts A (1, not reopened: yes) and B (2: no); C's contacts unknown.
    assertEquals(0.5, dbl(rows.get("2025-01/all/all"), "fcr_rate"), 1e-9);
    assertNull(rows.get("2025-01/priority/low").getAs("fcr_rate"), "C and D: no resolved ticket with known contacts");
    assertEquals(1.0, dbl(rows.get("2025-01/priority/high"), "fcr_rate"), 1e-9, "A alone");
  }

  @Test
  void agentsAndPrioritiesAreDimensionsBesideSegments() {
    assertEquals(2L, rows.get("2025-01/agent_id/a1").<Long>getAs("tickets_created"), "A and C");
    assertEquals(2L, rows.get("2025-01/agent_id/a2").<Long>getAs("tickets_created"), "B and D");
    assertEquals(2L, rows.get("2025-01/plan/basic").<Long>getAs("tickets_created"), "c1's A and B");
    assertEquals(2L, rows.get("2025-01/priority/low").<Long>getAs("tickets_created"));
  }

  @Test
  void ticketsPer100CustomersUseSignupsOrPayingCustomersWhenRevenueRuns() {
    // Without revenue: signed up by 31 January c1, c2 -> 4 tickets per 2 customers = 200; February 1 per 3.
    assertEquals(200.0, dbl(rows.get("2025-01/all/all"), "tickets_per_100_customers"), 1e-9);
    assertEquals(100.0 / 3, dbl(rows.get("2025-02/all/all"), "tickets_per_100_customers"), 1e-9,
        "c1, c2, c3; c4 signs up after the as-of date");
    assertEquals(200.0, dbl(rows.get("2025-01/plan/basic"), "tickets_per_100_customers"), 1e-9, "2 tickets, c1");
    assertEquals(100.0, dbl(rows.get("2025-01/agent_id/a1"), "tickets_per_100_customers"), 1e-9,
        "agents count per every customer: 2 tickets per 2");
    // With revenue: customers with MRR > 0 (customers_end).
    Dataset<Row> revenue = frame("period_month DATE, dimension STRING, segment STRING, customers_end BIGINT",
        row(d("2025-01-01"), "all", "all", 8L), row(d("2025-01-01"), "plan", "basic", 4L),
        row(d("2025-02-01"), "all", "all", 10L));
    Map<String, Row> paid = byKey(monthly(Optional.of(revenue)));
    assertEquals(50.0, dbl(paid.get("2025-01/all/all"), "tickets_per_100_customers"), 1e-9);
    assertEquals(50.0, dbl(paid.get("2025-01/plan/basic"), "tickets_per_100_customers"), 1e-9);
    assertEquals(25.0, dbl(paid.get("2025-01/priority/low"), "tickets_per_100_customers"), 1e-9, "2 per the 8 of all");
    assertNull(paid.get("2025-01/plan/pro").getAs("tickets_per_100_customers"), "no paying pro customer: null");
  }

  @Test
  void aMonthBeforeTheFirstSignupHasNoCustomers() {
    // Every customer signs up in February: January's tickets are counted per 0 customers, for segments and
    // agents alike (tickets_per_100_customers null); February per the 3 signed up by the as-of date.
    Dataset<Row> late = frame("customer_id STRING, signup_date DATE, plan STRING",
        row("c1", d("2025-02-01"), "basic"), row("c2", d("2025-02-05"), "pro"), row("c3", d("2025-02-10"), "pro"));
    Dataset<Row> asOf = Segments.withCustomerSegments(SupportMetrics.asOf(tickets, AS_OF, CALENDAR), late, SEGMENTS);
    Map<String, Row> r = byKey(SupportMetrics.withCustomerBase(SupportMetrics.monthly(asOf, SEGMENTS, AS_OF), late,
        SEGMENTS, Optional.empty(), AS_OF));
    for (String key : List.of("2025-01/all/all", "2025-01/plan/basic", "2025-01/agent_id/a1", "2025-01/priority/low")) {
      assertEquals(0L, r.get(key).<Long>getAs("customers"), key);
      assertNull(r.get(key).getAs("tickets_per_100_customers"), key);
    }
    assertEquals(3L, r.get("2025-02/all/all").<Long>getAs("customers"));
    assertEquals(2L, r.get("2025-02/plan/pro").<Long>getAs("customers"));
    assertEquals(3L, r.get("2025-02/agent_id/a1").<Long>getAs("customers"));
    // Nobody signed up by the as-of date: 0 customers for agents and priorities too (no row to count per).
    Dataset<Row> after = frame("customer_id STRING, signup_date DATE, plan STRING",
        row("c1", d("2025-03-01"), "basic"), row("c2", d("2025-03-05"), "pro"));
    Dataset<Row> none = Segments.withCustomerSegments(SupportMetrics.asOf(tickets, AS_OF, CALENDAR), after, SEGMENTS);
    Map<String, Row> n = byKey(SupportMetrics.withCustomerBase(SupportMetrics.monthly(none, SEGMENTS, AS_OF), after,
        SEGMENTS, Optional.empty(), AS_OF));
    for (String key : List.of("2025-01/all/all", "2025-02/agent_id/a1", "2025-02/priority/normal")) {
      assertEquals(0L, n.get(key).<Long>getAs("customers"), key);
    }
  }

  @Test
  void responseOrResolutionBeforeCreationBreaksANamedRule() {
    List<RowRule> rules = new SupportFamily().declaration().rules(calendar(""));
    Dataset<Row> bad = frame("ticket_id STRING, created_ts TIMESTAMP, first_response_ts TIMESTAMP, "
            + "resolved_ts TIMESTAMP, contacts INT",
        row("ok", t("2025-01-02 10:00"), t("2025-01-02 10:00"), t("2025-01-02 11:00"), 1),
        row("early_response", t("2025-01-02 10:00"), t("2025-01-02 09:59"), null, 1),
        row("early_resolution", t("2025-01-02 10:00"), null, t("2025-01-01 10:00"), 1),
        row("negative_contacts", t("2025-01-02 10:00"), null, null, -1));
    Map<String, String> broken = new java.util.TreeMap<>();
    for (RowRule rule : rules) {
      bad.filter(rule.violated()).collectAsList().forEach(r -> broken.merge(r.getString(0), rule.name(), (x, y) -> x + "," + y));
    }
    assertEquals(Map.of("early_response", "response_before_creation", "early_resolution", "resolution_before_creation",
        "negative_contacts", "negative_contacts"), broken);
  }

  @Test
  void calendarSettingsAreValidatedNamingTheKey() {
    InvalidSettingException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
        () -> calendar("business-start = \"18:00\""));
    assertTrue(e.getMessage().contains("cskpi.support.business-end"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
        () -> calendar("holidays = [\"2025-13-01\"]"));
    assertTrue(e.getMessage().contains("cskpi.support.holidays"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
        () -> calendar("business-time-zone = \"Mars/Olympus\""));
    assertTrue(e.getMessage().contains("business-time-zone"), e.getMessage());
  }
}
