package io.cskpi.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

class SyntheticDataTest extends SparkTest {
  private static final GeneratorSettings SETTINGS =
      new GeneratorSettings(600, 24, 9, LocalDate.parse("2026-06-30"), 6);
  private static Map<String, Dataset<Row>> data;

  @BeforeAll
  static void generate() {
    data = SyntheticData.generate(spark, SETTINGS);
    data.values().forEach(Dataset::cache);
    data.forEach((name, df) -> df.createOrReplaceTempView("gen_" + name));
  }

  @Test
  void everyTableHasTheCanonicalSchemaAndTheSameSeedGivesTheSameRows() {
    Map<String, Dataset<Row>> again = SyntheticData.generate(spark, SETTINGS);
    for (var spec : InputTables.ALL) {
      Dataset<Row> first = data.get(spec.name());
      assertEquals(spec.schema(), first.schema(), spec.name());
      assertTrue(first.count() > 0, spec.name());
      assertEquals(0, first.exceptAll(again.get(spec.name())).count(), spec.name());
    }
  }

  @Test
  void usageDeclinesInTheMonthsBeforeChurn() {
    // Customers whose subscriptions have all ended: events per month in the 2 months before the end
    // against months 4 or more before it.
    Row r = spark.sql("""
        WITH ended AS (
          SELECT customer_id, max(end_date) AS last_end FROM gen_subscriptions GROUP BY customer_id
          HAVING count(*) = count(end_date)),
        monthly AS (
          SELECT u.customer_id, trunc(u.event_ts, 'MM') AS m, count(*) AS events,
                 months_between(trunc(e.last_end, 'MM'), trunc(u.event_ts, 'MM')) AS before_end
          FROM gen_usage_events u JOIN ended e ON u.customer_id = e.customer_id
          WHERE u.event_ts < e.last_end GROUP BY u.customer_id, trunc(u.event_ts, 'MM'), e.last_end)
        SELECT avg(CASE WHEN before_end BETWEEN 1 AND 2 THEN events END) AS late,
               avg(CASE WHEN before_end >= 4 THEN events END) AS early FROM monthly""").first();
    assertTrue(r.getDouble(0) < 0.8 * r.getDouble(1), "late " + r.getDouble(0) + " vs early " + r.getDouble(1));
  }

  @Test
  void churnHasReasonsAndCustomersComeBack() {
    long reasons = spark.sql("SELECT count(DISTINCT cancel_reason) FROM gen_subscriptions").first().getLong(0);
    assertTrue(reasons >= 5, reasons + " cancel reasons");
    long sameDaySwitches = spark.sql("SELECT count(*) FROM gen_subscriptions a JOIN gen_subscriptions b "
        + "ON a.customer_id = b.customer_id AND a.end_date = b.start_date").first().getLong(0);
    assertTrue(sameDaySwitches > 0, "plan changes are same-day switches");
    long winBacks = spark.sql("SELECT count(*) FROM gen_subscriptions a JOIN gen_subscriptions b "
        + "ON a.customer_id = b.customer_id AND b.start_date > add_months(a.end_date, 1) "
        + "AND a.cancel_reason IS NOT NULL").first().getLong(0);
    assertTrue(winBacks > 0, "some churned customers come back");
  }

  @Test
  void commentsComeInEnglishDutchAndGermanForAllThreeSurveyTypes() {
    long dutch = spark.sql("SELECT count(*) FROM gen_surveys WHERE comment LIKE '%ons team%' "
        + "OR comment LIKE '%support%reageert%' OR comment LIKE '%Veel te duur%'").first().getLong(0);
    long german = spark.sql("SELECT count(*) FROM gen_surveys WHERE comment LIKE '%Support%antwortet%' "
        + "OR comment LIKE '%Tolles Produkt%' OR comment LIKE '%Viel zu teuer%'").first().getLong(0);
    long english = spark.sql("SELECT count(*) FROM gen_surveys WHERE comment LIKE 'Great product%'")
        .first().getLong(0);
    assertTrue(dutch > 0 && german > 0 && english > 0, dutch + " nl, " + german + " de, " + english + " en");
    long types = spark.sql("SELECT count(DISTINCT survey_type) FROM gen_surveys").first().getLong(0);
    assertEquals(3, types);
  }

  @Test
  void scoresAndTicketsWorsenBeforeChurnAndTouchpointsAndLanguagesVary() {
    // NPS and CSAT answers in the 3 months before a customer's last subscription ended, against the others.
    Row r = spark.sql("""
        WITH ended AS (
          SELECT customer_id, max(end_date) AS last_end FROM gen_subscriptions GROUP BY customer_id
          HAVING count(*) = count(end_date))
        SELECT avg(CASE WHEN s.survey_type = 'NPS' AND e.last_end IS NOT NULL
                         AND s.responded_ts >= add_months(e.last_end, -3) THEN score END) AS nps_late,
               avg(CASE WHEN s.survey_type = 'NPS' AND e.last_end IS NULL THEN score END) AS nps_staying,
               avg(CASE WHEN s.survey_type = 'CSAT' AND e.last_end IS NOT NULL
                         AND s.responded_ts >= add_months(e.last_end, -3) THEN score END) AS csat_late,
               avg(CASE WHEN s.survey_type = 'CSAT' AND e.last_end IS NULL THEN score END) AS csat_staying
        FROM gen_surveys s LEFT JOIN ended e ON s.customer_id = e.customer_id""").first();
    assertTrue(r.getDouble(0) < r.getDouble(1) - 1, "NPS before churn " + r.getDouble(0) + " vs " + r.getDouble(1));
    assertTrue(r.getDouble(2) < r.getDouble(3) - 0.3, "CSAT before churn " + r.getDouble(2) + " vs " + r.getDouble(3));
    assertEquals(4, spark.sql("SELECT count(DISTINCT touchpoint) FROM gen_surveys").first().getLong(0),
        "relationship, support, checkout, onboarding (and null)");
    assertTrue(spark.sql("SELECT count(*) FROM gen_surveys WHERE touchpoint IS NULL").first().getLong(0) > 0);
    Row languages = spark.sql("SELECT count(DISTINCT language), count(CASE WHEN comment IS NOT NULL AND language IS "
        + "NULL THEN 1 END) FROM gen_surveys").first();
    assertEquals(3, languages.getLong(0), "en, nl, de stated");
    assertTrue(languages.getLong(1) > 0, "some comments leave the language to detection");
    long outsideHours = spark.sql("SELECT count(*) FROM gen_tickets WHERE first_response_ts IS NOT NULL AND "
        + "(dayofweek(first_response_ts) IN (1, 7) OR hour(first_response_ts) < 9 OR hour(first_response_ts) >= 17)")
        .first().getLong(0);
    assertEquals(0, outsideHours, "agents answer Mon-Fri 09:00-17:00 UTC, so business and wall-clock hours differ");
  }
}
