package io.cskpi.kpi;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;

import java.math.BigDecimal;

/** Money columns: DECIMAL(18,2), rounded half-up. */
public final class Money {
  private Money() {}

  /** A money value. */
  public static Column of(Column value) {
    return round(value, 2).cast(Schemas.MONEY);
  }

  /** Money per unit, null when there are no units. */
  public static Column per(Column amount, Column units) {
    return when(units.notEqual(0), of(amount.divide(units)));
  }

  public static Column zero() {
    return lit(BigDecimal.ZERO.setScale(2)).cast(Schemas.MONEY);
  }
}
