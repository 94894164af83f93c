package io.cskpi.kpi;

import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.year;

import org.apache.spark.sql.Column;

/**
 * Whole months of DATE columns by year and month number: the order key of monthly windows and the distance
 * between two months. months_between would give the same whole numbers for first-of-month dates, but converts
 * each date to a timestamp in the session's time zone, per row.
 */
public final class Months {
  private Months() {}

  /** year × 12 + month: consecutive months differ by 1 (a window's range offsets count months). */
  public static Column index(Column date) {
    return year(date).multiply(12).plus(month(date));
  }

  /** Whole months from {@code fromMonth}'s month to {@code toMonth}'s (negative when it is earlier). */
  public static Column between(Column fromMonth, Column toMonth) {
    return index(toMonth).minus(index(fromMonth));
  }
}
