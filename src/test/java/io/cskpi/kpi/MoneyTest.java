package io.cskpi.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cskpi.SparkTest;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

class MoneyTest extends SparkTest {

  @Test
  void sumAddsMoneyExactlyAndIsNullWithoutValuesOrBeyondMoney() {
    Dataset<Row> amounts = frame("g STRING, amount DECIMAL(18,2)",
        row("a", new BigDecimal("10.10")), row("a", new BigDecimal("0.20")), row("a", null),
        row("a", new BigDecimal("-3.05")),
        row("b", new BigDecimal("0.01")),
        row("c", null), row("c", null),
        // Each fits DECIMAL(18,2); their total (1.6e16) does not.
        row("d", new BigDecimal("8000000000000000.00")), row("d", new BigDecimal("8000000000000000.00")),
        row("e", new BigDecimal("9999999999999999.99")), row("e", new BigDecimal("-9999999999999999.99")),
        row("e", new BigDecimal("0.07")));
    Dataset<Row> sums = amounts.groupBy("g").agg(Money.sum(col("amount")).as("total"));
    assertEquals(Schemas.MONEY, sums.schema().apply("total").dataType());
    Map<String, Row> r = byFirstColumn(sums);
    assertEquals(new BigDecimal("7.25"), r.get("a").getDecimal(1));   // 10.10 + 0.20 - 3.05, the null skipped
    assertEquals(new BigDecimal("0.01"), r.get("b").getDecimal(1));
    assertNull(r.get("c").get(1));                                    // no value: null, like sum
    assertNull(r.get("d").get(1));                                    // beyond DECIMAL(18,2): null
    assertEquals(new BigDecimal("0.07"), r.get("e").getDecimal(1));   // the largest amounts cancel exactly
  }

  @Test
  void sumAgreesWithSparksDecimalSumOnManyGroups() {
    // 50 groups of 400 amounts with cents, negatives and nulls; one group of nulls only.
    Dataset<Row> many = spark.range(0, 20_000).select(col("id").mod(50).as("g"),
        expr("CASE WHEN id % 11 = 4 OR id % 50 = 7 THEN NULL "
            + "ELSE CAST(round((rand(7) - 0.3) * 100000, 2) AS DECIMAL(18,2)) END").as("amount"));
    Dataset<Row> ours = many.groupBy("g").agg(Money.sum(col("amount")).as("total"));
    Dataset<Row> decimals = many.groupBy("g").agg(round(sum("amount"), 2).cast(Schemas.MONEY).as("total"));
    assertEquals(50, ours.count());
    assertEquals(0, ours.exceptAll(decimals).count());
    assertEquals(0, decimals.exceptAll(ours).count());
  }
}
