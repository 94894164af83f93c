package io.cskpi.kpi.support;

import static org.apache.spark.sql.functions.expr;

import io.cskpi.family.FamilySettings;
import org.apache.spark.sql.Column;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Working time of the support team: a time zone, working days, daily hours and holidays (conf
 * {@code cskpi.support.business-*} and {@code holidays}). Durations count only the seconds inside working hours
 * on working days that are not holidays, in local wall-clock time of the zone.
 */
public record BusinessCalendar(ZoneId zone, List<DayOfWeek> days, LocalTime start, LocalTime end,
    List<LocalDate> holidays) {

  public static BusinessCalendar read(FamilySettings s) {
    String zone = s.text("business-time-zone", "UTC", "a time zone id (UTC, Europe/Amsterdam, America/New_York, ...)",
        BusinessCalendar::isZone, "time zone of the working hours");
    List<String> days = s.texts("business-days", List.of("MON", "TUE", "WED", "THU", "FRI"), "MON, TUE, WED, THU, "
        + "FRI, SAT or SUN", BusinessCalendar::isDay, "working days");
    String start = s.text("business-start", "09:00", "a time HH:mm", BusinessCalendar::isTime,
        "start of working hours, local time");
    String end = s.text("business-end", "17:00", "a time HH:mm", BusinessCalendar::isTime,
        "end of working hours, local time (after business-start)");
    List<String> holidays = s.texts("holidays", List.of(), "dates yyyy-MM-dd", BusinessCalendar::isDate,
        "days without working hours");
    LocalTime from = isTime(start) ? LocalTime.parse(start) : LocalTime.of(9, 0);
    LocalTime to = isTime(end) ? LocalTime.parse(end) : LocalTime.of(17, 0);
    if (!to.isAfter(from)) {
      throw s.invalid("business-end", end, "must be after business-start (" + start + ")");
    }
    return new BusinessCalendar(isZone(zone) ? ZoneId.of(zone) : ZoneId.of("UTC"),
        days.stream().filter(BusinessCalendar::isDay).map(BusinessCalendar::day).toList(), from, to,
        holidays.stream().filter(BusinessCalendar::isDate).map(LocalDate::parse).toList());
  }

  /**
   * Working hours between two timestamps (null when either is null): the sum over the local days from the one
   * to the other of the overlap of [from, to] with that day's working hours.
   */
  public Column hoursBetween(String fromColumn, String toColumn) {
    String from = "`" + fromColumn + "`";
    String to = "`" + toColumn + "`";
    String day = "date_add(DATE'1970-01-01', CAST(d AS INT))";
    String working = "dayofweek(" + day + ") IN (" + days.stream().map(d -> Integer.toString(d.getValue() % 7 + 1))
        .collect(Collectors.joining(", ")) + ")"
        + (holidays.isEmpty() ? "" : " AND NOT array_contains(array(" + holidays.stream()
        .map(h -> "DATE'" + h + "'").collect(Collectors.joining(", ")) + "), " + day + ")");
    // T0, T1: local wall-clock seconds of the two instants; d: a local day number. DST changes happen at night,
    // outside working hours.
    String overlap = "greatest(0L, least(T1, d * 86400 + " + end.toSecondOfDay() + ") - greatest(T0, d * 86400 + "
        + start.toSecondOfDay() + "))";
    String hours = "CASE WHEN " + from + " IS NULL OR " + to + " IS NULL THEN NULL ELSE "
        + "CAST(aggregate(sequence(floor(T0 / 86400), greatest(floor(T0 / 86400), floor(T1 / 86400))), 0L, (acc, d) -> acc + IF(" + working + ", "
        + overlap + ", 0L)) AS DOUBLE) / 3600 END";
    return expr(hours
        .replace("T0", "unix_seconds(from_utc_timestamp(" + from + ", '" + zone.getId() + "'))")
        .replace("T1", "unix_seconds(from_utc_timestamp(" + to + ", '" + zone.getId() + "'))"));
  }

  private static boolean isZone(String z) {
    try {
      ZoneId.of(z);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static boolean isDay(String d) {
    return List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN").contains(d.toUpperCase(Locale.ROOT));
  }

  private static DayOfWeek day(String d) {
    return List.of(DayOfWeek.values()).stream()
        .filter(x -> x.name().startsWith(d.toUpperCase(Locale.ROOT))).findFirst().orElseThrow();
  }

  private static boolean isTime(String t) {
    return t.matches("([01]\\d|2[0-3]):[0-5]\\d");
  }

  private static boolean isDate(String d) {
    try {
      LocalDate.parse(d);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
