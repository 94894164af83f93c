package io.cskpi.kpi.revenue;

import static io.cskpi.kpi.Ratios.ratio;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;

import io.cskpi.kpi.Money;
import io.cskpi.kpi.Months;
import io.cskpi.kpi.Segments;
import io.cskpi.schema.Schemas;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.List;

/**
 * Cohort retention: customers grouped by cohort_month (their first month with MRR > 0), followed for every
 * month from 0 to the as-of month. Months in which nobody of a cohort is active appear with zeros.
 */
public final class CohortRetention {
  private CohortRetention() {}

  /** From customer_mrr_monthly rows (with first_month and segment columns) to cohort_retention. */
  public static Dataset<Row> toCohortRetention(Dataset<Row> customerMovements, List<String> dims, LocalDate asOf) {
    Schemas.requireColumns(customerMovements, "customer_id", "period_month", "first_month", "mrr");
    Column monthsSince = Months.between(col("cohort_month"), col("period_month"));
    Dataset<Row> activity = Segments.explodeDimensions(
            customerMovements.filter(col("mrr").gt(0)).withColumnRenamed("first_month", "cohort_month"), dims)
        .withColumn("months_since", monthsSince)
        .groupBy("cohort_month", "months_since", "dimension", "segment")
        .agg(count(lit(1)).as("active_customers"), Money.sum(col("mrr")).as("mrr"));

    Dataset<Row> cohorts = activity.filter(col("months_since").equalTo(0))
        .select(col("cohort_month"), col("dimension"), col("segment"),
            col("active_customers").as("cohort_customers"), col("mrr").as("cohort_mrr"));
    Column lastMonthsSince = Months.between(col("cohort_month"), CustomerMrr.asOfMonth(asOf));
    Dataset<Row> grid = cohorts.withColumn("months_since", explode(sequence(lit(0), lastMonthsSince)));

    return grid.join(activity, new String[] {"cohort_month", "months_since", "dimension", "segment"}, "left")
        .select(col("cohort_month"), col("months_since"), col("dimension"), col("segment"),
            col("cohort_customers"),
            coalesce(col("active_customers"), lit(0L)).as("active_customers"),
            ratio(coalesce(col("active_customers"), lit(0L)), col("cohort_customers"))
                .as("logo_retention_rate"),
            col("cohort_mrr"),
            coalesce(col("mrr"), Money.zero()).as("mrr"),
            ratio(coalesce(col("mrr"), Money.zero()), col("cohort_mrr")).as("revenue_retention_rate"));
  }
}
