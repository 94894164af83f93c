package io.cskpi.kpi.revenue;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.cskpi.kpi.Money;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.time.LocalDate;

/**
 * Classifies each customer-month's MRR change. Rows are the months with MRR > 0 plus one churn row in the
 * month after each active run ends (never past the as-of month, so a still-active customer never churns at
 * the end of the data). Order matters: a change from 0 is new or reactivation before it could be expansion.
 */
public final class MrrMovements {
  private MrrMovements() {}

  public static final String NEW = "new";
  public static final String EXPANSION = "expansion";
  public static final String CONTRACTION = "contraction";
  public static final String CHURN = "churn";
  public static final String REACTIVATION = "reactivation";
  public static final String UNCHANGED = "unchanged";

  /**
   * From customer months with mrr > 0 (customer_id, period_month, mrr) to customer_mrr_monthly rows:
   * customer_id, period_month, mrr, previous_mrr, movement, mrr_change, first_month.
   */
  public static Dataset<Row> toMovements(Dataset<Row> activeCustomerMonths, LocalDate asOf) {
    Schemas.requireColumns(activeCustomerMonths, "customer_id", "period_month", "mrr");
    WindowSpec byCustomer = Window.partitionBy("customer_id").orderBy("period_month");
    Column monthBefore = add_months(col("period_month"), -1);
    Column monthAfter = add_months(col("period_month"), 1);
    Dataset<Row> sequenced = activeCustomerMonths
        // The running minimum in month order is the first month: one window (one sort) with the lag and lead.
        .withColumn("first_month", min("period_month").over(byCustomer))
        .withColumn("_prev_month", lag("period_month", 1).over(byCustomer))
        .withColumn("_prev_mrr", lag("mrr", 1).over(byCustomer))
        .withColumn("_next_month", lead("period_month", 1).over(byCustomer));

    Column active = struct(col("period_month"), col("mrr"),
        when(col("_prev_month").equalTo(monthBefore), col("_prev_mrr")).otherwise(Money.zero()).as("previous_mrr"),
        col("first_month"));
    Column churned = when(col("_next_month").isNull().or(col("_next_month").notEqual(monthAfter))
            .and(monthAfter.leq(CustomerMrr.asOfMonth(asOf))),
        struct(monthAfter.as("period_month"), Money.zero().as("mrr"), col("mrr").as("previous_mrr"),
            col("first_month")));
    // Each active month, and the month after it when the customer churns then, from one row: a generator keeps
    // the rows where the window put them (clustered by customer), where a union of the two would not. customer_id
    // passes through the generator as the window's own column, so Spark still knows the rows are clustered by it.
    return withMovement(sequenced.select(col("customer_id"), explode(array(active, churned)).as("_row"))
        .filter(col("_row").isNotNull())
        .select(col("customer_id"), col("_row.period_month"), col("_row.mrr"), col("_row.previous_mrr"),
            col("_row.first_month")));
  }

  /** Adds movement and mrr_change from mrr, previous_mrr, period_month and first_month. */
  public static Dataset<Row> withMovement(Dataset<Row> rows) {
    Schemas.requireColumns(rows, "mrr", "previous_mrr", "period_month", "first_month");
    Column mrr = col("mrr");
    Column prev = col("previous_mrr");
    Column movement =
        when(prev.equalTo(0).and(mrr.gt(0)).and(col("period_month").equalTo(col("first_month"))), lit(NEW))
            .when(prev.equalTo(0).and(mrr.gt(0)), lit(REACTIVATION))
            .when(prev.gt(0).and(mrr.equalTo(0)), lit(CHURN))
            .when(mrr.gt(prev), lit(EXPANSION))
            .when(mrr.lt(prev), lit(CONTRACTION))
            .otherwise(lit(UNCHANGED));
    return rows
        .withColumn("movement", movement)
        .withColumn("mrr_change", Money.of(mrr.minus(prev)));
  }
}
