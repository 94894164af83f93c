package io.cskpi.kpi.support;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.cskpi.SparkTest;
import io.cskpi.family.FamilySettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Collectors;

class BusinessCalendarTest extends SparkTest {

  /**
   * The definition, day by day: the sum over the local days from one timestamp to the other of the overlap of
   * [from, to] with that day's working hours (an independent loop over the days, as the first version computed it).
   */
  private static Column dayByDay(BusinessCalendar c, String fromColumn, String toColumn) {
    String day = "date_add(DATE'1970-01-01', CAST(d AS INT))";
    String working = "dayofweek(" + day + ") IN (" + c.days().stream()
        .map(d -> Integer.toString(d.getValue() % 7 + 1)).collect(Collectors.joining(", ")) + ")"
        + (c.holidays().isEmpty() ? "" : " AND NOT array_contains(array(" + c.holidays().stream()
        .map(h -> "DATE'" + h + "'").collect(Collectors.joining(", ")) + "), " + day + ")");
    String overlap = "greatest(0L, least(T1, d * 86400 + " + c.end().toSecondOfDay() + ") - greatest(T0, d * 86400 + "
        + c.start().toSecondOfDay() + "))";
    String hours = "CASE WHEN " + fromColumn + " IS NULL OR " + toColumn + " IS NULL THEN NULL ELSE "
        + "CAST(aggregate(sequence(floor(T0 / 86400), greatest(floor(T0 / 86400), floor(T1 / 86400))), 0L, "
        + "(acc, d) -> acc + IF(" + working + ", " + overlap + ", 0L)) AS DOUBLE) / 3600 END";
    return expr(hours
        .replace("T0", "unix_seconds(from_utc_timestamp(" + fromColumn + ", '" + c.zone().getId() + "'))")
        .replace("T1", "unix_seconds(from_utc_timestamp(" + toColumn + ", '" + c.zone().getId() + "'))"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "holidays = [\"2025-01-06\"]",
      "",
      "business-days = [SUN, WED], business-start = \"07:30\", business-end = \"19:15\"",
      "business-days = [MON, mon, FRI, MON]",   // a day named twice is one working day
      "business-days = [MON, TUE, WED, THU, FRI, SAT, SUN], holidays = [\"2025-12-25\", \"2025-12-25\", \"2026-01-01\"]",
      "business-time-zone = \"Europe/Amsterdam\", holidays = [\"2025-03-29\", \"2025-04-21\", \"2025-12-26\"]",
      "business-time-zone = \"America/New_York\", business-days = [TUE, SAT], business-start = \"00:00\", "
          + "business-end = \"23:59\"",
  })
  void equalsTheDayByDaySumToTheSecond(String conf) {
    BusinessCalendar calendar = FamilySettings.read("support", ConfigFactory.parseString(conf), List.of(),
        BusinessCalendar::read);
    // 3,000 pairs over 2024-2026: spans from seconds to ~50 days, some reversed, some null.
    Dataset<Row> pairs = spark.range(0, 3000).select(
        expr("timestamp_seconds(1704067200 + CAST(rand(7) * 94608000 AS BIGINT))").as("a"),
        expr("CAST(pow(rand(8), 3) * 4320000 AS BIGINT) - 3600").as("span"),
        col("id"))
        .select(expr("CASE WHEN id % 97 = 0 THEN NULL ELSE a END").as("a"),
            expr("CASE WHEN id % 89 = 0 THEN NULL ELSE timestamp_seconds(unix_seconds(a) + span) END").as("b"));
    Dataset<Row> ours = pairs.select(col("a"), col("b"), calendar.hoursBetween("a", "b").as("h"));
    Dataset<Row> reference = pairs.select(col("a"), col("b"), dayByDay(calendar, "a", "b").as("h"));
    assertEquals(0, ours.exceptAll(reference).count());
    assertEquals(0, reference.exceptAll(ours).count());
    assertEquals(3000, ours.count());
  }
}
