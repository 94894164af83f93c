package io.cskpi.kpi;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;

/** Column helpers shared by the KPI families. */
public final class Ratios {
  private Ratios() {}

  /** numerator / denominator as a double; null when the denominator is 0 or null (never an error). */
  public static Column ratio(Column numerator, Column denominator) {
    return when(denominator.notEqual(0), numerator.cast("double").divide(denominator.cast("double")));
  }

  /** A money value: DECIMAL(18,2), rounded half-up. */
  public static Column money(Column value) {
    return org.apache.spark.sql.functions.round(value, 2).cast(Schemas.MONEY);
  }

  /** Money per unit, null when there are no units. */
  public static Column moneyPer(Column amount, Column units) {
    return when(units.notEqual(0), money(amount.divide(units)));
  }

  public static Column zeroMoney() {
    return lit(java.math.BigDecimal.ZERO.setScale(2)).cast(Schemas.MONEY);
  }
}
