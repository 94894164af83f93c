package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.generate.GeneratorSettings;
import io.cskpi.generate.SyntheticData;
import io.cskpi.kpi.revenue.RevenueFamily;
import io.cskpi.kpi.revenue.RevenueMonthly;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The bridge identities on a generated dataset, for every month, dimension and segment. */
class RevenueIdentitiesTest extends SparkTest {
  private static final LocalDate AS_OF = LocalDate.parse("2026-06-17");
  private static final List<String> DIMS = List.of("plan", "region", "acquisition_channel", "csm_owner");
  private static Dataset<Row> revenue;

  @BeforeAll
  static void generate() {
    Map<String, Dataset<Row>> data = SyntheticData.generate(spark, new GeneratorSettings(400, 24, 7, AS_OF, 1));
    Dataset<Row> movements = RevenueFamily.customerMovements(data.get("customers"), data.get("subscriptions"),
        DIMS, AS_OF);
    revenue = RevenueMonthly.toRevenueMonthly(movements, DIMS).cache();
  }

  @Test
  void theDataExercisesEveryMovement() {
    Row totals = revenue.filter("dimension = 'all'").agg(sum("customers_new"), sum("customers_reactivated"),
        sum("customers_churned"), sum("mrr_expansion"), sum("mrr_contraction")).first();
    for (int i = 0; i < 5; i++) {
      assertTrue(((Number) totals.get(i)).doubleValue() > 0, "movement " + i + " never happens: " + totals);
    }
  }

  @Test
  void mrrBridgeAndCustomerCountsAddUp() {
    long broken = revenue.filter(col("mrr_start").plus(col("mrr_new")).plus(col("mrr_expansion"))
            .minus(col("mrr_contraction")).minus(col("mrr_churned")).plus(col("mrr_reactivation"))
            .notEqual(col("mrr_end"))
        .or(col("customers_start").plus(col("customers_new")).plus(col("customers_reactivated"))
            .minus(col("customers_churned")).notEqual(col("customers_end")))).count();
    assertEquals(0, broken);
    assertTrue(revenue.count() > 100);
  }

  @Test
  void eachMonthStartsWhereThePreviousEnded() {
    long broken = revenue.filter("dimension = 'all'")
        .withColumn("prev_end", lag("mrr_end", 1).over(Window.orderBy("period_month")))
        .withColumn("prev_customers", lag("customers_end", 1).over(Window.orderBy("period_month")))
        .filter("prev_end IS NOT NULL AND (prev_end != mrr_start OR prev_customers != customers_start)").count();
    assertEquals(0, broken);
  }

  @Test
  void segmentsOfEveryDimensionSumToAll() {
    String[] measures = {"customers_start", "customers_new", "customers_reactivated", "customers_churned",
        "customers_end", "mrr_start", "mrr_new", "mrr_expansion", "mrr_contraction", "mrr_churned",
        "mrr_reactivation", "mrr_end"};
    Dataset<Row> all = revenue.filter("dimension = 'all'");
    for (String dim : DIMS) {
      Dataset<Row> summed = revenue.filter(col("dimension").equalTo(dim)).groupBy("period_month")
          .agg(sum(measures[0]).as(measures[0]), java.util.Arrays.stream(measures).skip(1)
              .map(m -> sum(m).as(m)).toArray(org.apache.spark.sql.Column[]::new));
      Dataset<Row> expected = all.select("period_month", measures);
      assertEquals(0, expected.selectExpr("period_month", "customers_start", "customers_new",
              "customers_reactivated", "customers_churned", "customers_end", "cast(mrr_start as decimal(28,2))",
              "cast(mrr_new as decimal(28,2))", "cast(mrr_expansion as decimal(28,2))",
              "cast(mrr_contraction as decimal(28,2))", "cast(mrr_churned as decimal(28,2))",
              "cast(mrr_reactivation as decimal(28,2))", "cast(mrr_end as decimal(28,2))")
          .exceptAll(summed).count(), "dimension " + dim);
    }
  }
}
