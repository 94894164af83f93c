package io.cskpi.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.Map;

class PercentilesTest extends SparkTest {

  /** Groups: a (1, 2, 4, 10, unordered, a null), b (7), c (only nulls), d (3, 3, 3, 9). */
  private static Dataset<Row> values() {
    return frame("g STRING, x DOUBLE",
        row("a", 10.0), row("a", 1.0), row("a", null), row("a", 4.0), row("a", 2.0),
        row("b", 7.0),
        row("c", null), row("c", null),
        row("d", 3.0), row("d", 9.0), row("d", 3.0), row("d", 3.0));
  }

  @Test
  void interpolatesBetweenTheClosestRanksLikeSparksPercentile() {
    Map<String, Row> r = byFirstColumn(values().groupBy("g").agg(Percentiles.sortedValues(col("x")).as("v"))
        .select(col("g"), Percentiles.at(col("v"), 0.5).as("p50"), Percentiles.at(col("v"), 0.9).as("p90"),
            Percentiles.at(col("v"), 0.0).as("p0"), Percentiles.at(col("v"), 1.0).as("p100")));
    // a sorted: 1, 2, 4, 10. p50: position 1.5 -> 2 + 0.5 x (4 - 2) = 3. p90: position 2.7 -> 0.3 x 4 + 0.7 x 10.
    assertEquals(3.0, r.get("a").getDouble(1), 1e-12);
    assertEquals(0.3 * 4 + 0.7 * 10, r.get("a").getDouble(2), 1e-12);
    assertEquals(1.0, r.get("a").getDouble(3));
    assertEquals(10.0, r.get("a").getDouble(4));
    // One value: every percentile is it.
    assertEquals(7.0, r.get("b").getDouble(1));
    assertEquals(7.0, r.get("b").getDouble(2));
    // No value: null, not 0.
    assertNull(r.get("c").get(1));
    assertNull(r.get("c").get(2));
    // d sorted: 3, 3, 3, 9. p50: position 1.5 between two 3s -> 3. p90: position 2.7 -> 0.3 x 3 + 0.7 x 9 = 7.2.
    assertEquals(3.0, r.get("d").getDouble(1));
    assertEquals(7.2, r.get("d").getDouble(2), 1e-12);
  }

  @Test
  void agreesWithSparksPercentileToTheLastBit() {
    // 40 groups of 30 rows, with ties (rounded to 0.01), some nulls, and one group of nulls only.
    Dataset<Row> many = spark.range(0, 1200).select(col("id").mod(40).as("g"),
        expr("CASE WHEN id % 7 = 3 THEN NULL ELSE round(rand(42) * 100, 2) END").as("x"))
        .filter(col("g").notEqual(5).or(col("x").isNull()));   // group 5: nulls only
    Dataset<Row> ours = many.groupBy("g").agg(Percentiles.sortedValues(col("x")).as("v"))
        .select(col("g"), Percentiles.at(col("v"), 0.5).as("p50"), Percentiles.at(col("v"), 0.9).as("p90"),
            Percentiles.at(col("v"), 0.25).as("p25"));
    Dataset<Row> sparks = many.groupBy("g").agg(expr("percentile(x, 0.5)").as("p50"),
        expr("percentile(x, 0.9)").as("p90"), expr("percentile(x, 0.25)").as("p25"));
    assertEquals(40, ours.count());
    assertEquals(0, ours.exceptAll(sparks).count());
    assertEquals(0, sparks.exceptAll(ours).count());
  }

  @Test
  void aPercentileOutsideZeroToOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Percentiles.at(col("v"), 1.5));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.at(col("v"), -0.1));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.at(col("v"), Double.NaN));
  }
}
