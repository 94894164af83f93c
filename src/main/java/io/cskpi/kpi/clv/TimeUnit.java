package io.cskpi.kpi.clv;

/** The time unit BTYD quantities are measured in: days per unit. A month is 365.25 / 12 days. */
public enum TimeUnit {
  DAY(1.0), WEEK(7.0), MONTH(365.25 / 12);

  public final double days;

  TimeUnit(double days) {
    this.days = days;
  }

  public static TimeUnit parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("time unit must be day, week or month, got: " + s);
    }
  }
}
