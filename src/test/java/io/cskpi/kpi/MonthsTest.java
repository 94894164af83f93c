package io.cskpi.kpi;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.months_between;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cskpi.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class MonthsTest extends SparkTest {

  @Test
  void betweenAgreesWithMonthsBetweenAcrossYears() {
    // Every pair of first-of-month dates from 2019-01 to 2026-12 (9,216 pairs, both orders, year boundaries).
    Dataset<Row> months = spark.range(0, 96).select(expr("add_months(DATE'2019-01-01', CAST(id AS INT))").as("m"));
    Dataset<Row> pairs = months.select(col("m").as("a")).crossJoin(months.select(col("m").as("b")));
    Dataset<Row> ours = pairs.select(col("a"), col("b"), Months.between(col("a"), col("b")).as("n"));
    Dataset<Row> reference = pairs.select(col("a"), col("b"), months_between(col("b"), col("a")).cast("int").as("n"));
    assertEquals(9216, ours.count());
    assertEquals(0, ours.exceptAll(reference).count());
    assertEquals(0, reference.exceptAll(ours).count());
    // Consecutive months, across a year end, are one apart (the range offsets of monthly windows).
    Row r = spark.sql("SELECT DATE'2024-12-01' AS dec, DATE'2025-01-01' AS jan")
        .select(Months.index(col("jan")).minus(Months.index(col("dec")))).first();
    assertEquals(1, r.getInt(0));
  }
}
