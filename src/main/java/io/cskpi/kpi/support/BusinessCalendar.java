package io.cskpi.kpi.support;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_utc_timestamp;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import io.cskpi.family.FamilySettings;
import org.apache.spark.sql.Column;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

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
        days.stream().filter(BusinessCalendar::isDay).map(BusinessCalendar::day).distinct().toList(), from, to,
        holidays.stream().filter(BusinessCalendar::isDate).map(LocalDate::parse).distinct().toList());
  }

  /**
   * Working hours between two timestamps (null when either is null; 0 when the second is before the first): the
   * sum over the local days from the one to the other of the overlap of [from, to] with that day's working hours.
   *
   * <p>Computed as W(to) − W(from), where W(t) is the working seconds from a fixed origin up to local time t:
   * the working days before t's day (whole weeks, the days of a partial week, less the holidays) times the
   * day's working seconds, plus the working seconds of t's own day up to t. Plain arithmetic Spark compiles, where
   * a loop over the days in a lambda ran interpreted for every ticket and day.
   */
  public Column hoursBetween(String fromColumn, String toColumn) {
    Column from = col(fromColumn);
    Column to = col(toColumn);
    Column seconds = greatest(lit(0L), workedUpTo(localSeconds(to)).minus(workedUpTo(localSeconds(from))));
    return when(from.isNotNull().and(to.isNotNull()), seconds.cast("double").divide(3600.0));
  }

  /** Local wall-clock seconds of an instant in the calendar's zone (DST changes happen at night, outside hours). */
  private Column localSeconds(Column instant) {
    return unix_seconds(from_utc_timestamp(instant, zone.getId()));
  }

  /** Working seconds from the origin (day 0 = 1970-01-01, a Thursday) up to local second {@code t}. */
  private Column workedUpTo(Column t) {
    long length = end.toSecondOfDay() - start.toSecondOfDay();
    Column day = floor(t.divide(86400));
    Column secondOfDay = t.minus(day.multiply(86400L));
    List<LocalDate> workingHolidays = holidays.stream().filter(h -> days.contains(h.getDayOfWeek()))
        .toList();
    // Working days before `day`: whole weeks from the origin, then the first days of its week (looked up by the
    // day's place in the week, pmod(day, 7), as is whether the day itself is a working day).
    long[] beforeInWeek = new long[7];
    boolean[] isWorking = new boolean[7];
    long perWeek = 0;
    for (int r = 0; r < 7; r++) {
      beforeInWeek[r] = perWeek;
      isWorking[r] = working(r);
      perWeek += working(r) ? 1 : 0;
    }
    Column place = pmod(day, lit(7L)).cast("int");
    Column workingDaysBefore = floor(day.divide(7)).multiply(perWeek)
        .plus(get(lit(beforeInWeek), place));
    for (LocalDate h : workingHolidays) {
      workingDaysBefore = workingDaysBefore.minus(when(day.gt(h.toEpochDay()), 1L).otherwise(0L));
    }
    Column workingDay = get(lit(isWorking), place);
    if (!workingHolidays.isEmpty()) {
      Object[] holidayDays = workingHolidays.stream().map(LocalDate::toEpochDay).toArray();
      workingDay = workingDay.and(day.isin(holidayDays).unary_$bang());
    }
    Column today = when(workingDay, least(greatest(secondOfDay.minus(start.toSecondOfDay()), lit(0L)), lit(length)))
        .otherwise(0L);
    return workingDaysBefore.multiply(length).plus(today);
  }

  /** Whether the weekday of day number r (mod 7) since 1970-01-01 (a Thursday) is a working day. */
  private boolean working(int r) {
    return days.contains(DayOfWeek.THURSDAY.plus(r));
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
