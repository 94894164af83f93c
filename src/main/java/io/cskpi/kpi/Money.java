package io.cskpi.kpi;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.MakeDecimal;
import org.apache.spark.sql.catalyst.expressions.UnscaledValue;
import org.apache.spark.sql.functions;

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

  /**
   * The sum of money values as money, like SQL's sum: null when every value is null. Adds the values' cents as
   * longs (exact), which is several times faster than Spark's sum of a DECIMAL(18,2), a DECIMAL(28,2) computed
   * with BigDecimal (Spark rewrites only narrower decimals this way, see its DecimalAggregates rule). A total
   * beyond DECIMAL(18,2) is null, as the cast of the wider sum gives; so is one whose running total leaves the
   * long range on the way (above 9.2e18 cents, 92 million billion in money units), where the wider sum could still have come back.
   * {@code money} is cast to DECIMAL(18,2) first: pass money columns, never amounts with more decimals.
   */
  public static Column sum(Column money) {
    Column cents = new Column(new UnscaledValue(money.cast(Schemas.MONEY).expr()));
    return new Column(new MakeDecimal(functions.try_sum(cents).expr(), Schemas.MONEY.precision(),
        Schemas.MONEY.scale()));
  }

  /**
   * {@link #sum} of {@code money} over the rows that meet {@code condition}: 0 when none does (a group always has
   * rows); null when the total does not fit money, or when every row meets it and every value is null.
   */
  public static Column sumWhere(Column condition, Column money) {
    return sum(when(condition, money).otherwise(zero()));
  }

  public static Column zero() {
    return lit(BigDecimal.ZERO.setScale(2)).cast(Schemas.MONEY);
  }
}
