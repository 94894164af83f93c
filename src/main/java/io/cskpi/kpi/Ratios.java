package io.cskpi.kpi;

import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/** Rates and ratios: a double, null when the denominator is 0 or null (never an error, never 0). */
public final class Ratios {
  private Ratios() {}

  /** numerator / denominator as a double; null when the denominator is 0 or null. */
  public static Column ratio(Column numerator, Column denominator) {
    return when(denominator.notEqual(0), numerator.cast("double").divide(denominator.cast("double")));
  }
}
