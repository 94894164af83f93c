package io.cskpi.kpi.revenue;

import static org.apache.spark.sql.functions.col;

import io.cskpi.kpi.Segments;
import io.cskpi.pipeline.KpiFamily;
import io.cskpi.pipeline.OutputTable;
import io.cskpi.pipeline.RunContext;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import io.cskpi.schema.TableSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** MRR, its movements, logo churn, retention and cohorts. */
public final class RevenueFamily implements KpiFamily {
  public static final String CUSTOMER_MRR_MONTHLY = "customer_mrr_monthly";
  public static final String REVENUE_MONTHLY = "revenue_monthly";
  public static final String CHURN_REASONS_MONTHLY = "churn_reasons_monthly";
  public static final String COHORT_RETENTION = "cohort_retention";

  @Override
  public String name() {
    return "revenue";
  }

  @Override
  public List<TableSpec> inputs() {
    return List.of(InputTables.CUSTOMERS, InputTables.SUBSCRIPTIONS);
  }

  @Override
  public List<RowRule> rules() {
    String subs = InputTables.SUBSCRIPTIONS.name();
    return List.of(
        new RowRule(subs, "negative_mrr", "mrr must be >= 0", col("mrr").lt(0)),
        new RowRule(subs, "end_before_start", "end_date must not be before start_date",
            col("end_date").lt(col("start_date"))));
  }

  /**
   * customer_mrr_monthly rows with churn_reason and the customer's segment columns: the base of every
   * revenue table.
   */
  public static Dataset<Row> customerMovements(Dataset<Row> customers, Dataset<Row> subscriptions,
      List<String> dims, LocalDate asOf) {
    Dataset<Row> subscriptionMonths = CustomerMrr.activeSubscriptionMonths(subscriptions, asOf);
    Dataset<Row> movements = MrrMovements.toMovements(CustomerMrr.toCustomerMonths(subscriptionMonths), asOf);
    Dataset<Row> reasons = CustomerMrr.toEndedReasons(subscriptions, asOf);
    Dataset<Row> withReason = movements
        .join(reasons, new String[] {"customer_id", "period_month"}, "left")
        .withColumn("churn_reason",
            org.apache.spark.sql.functions.when(col("movement").equalTo(MrrMovements.CHURN),
                org.apache.spark.sql.functions.coalesce(col("churn_reason"),
                    org.apache.spark.sql.functions.lit(Segments.UNKNOWN))));
    return Segments.withCustomerSegments(withReason, customers, dims);
  }

  @Override
  public List<OutputTable> compute(Map<String, Dataset<Row>> inputs, RunContext ctx) {
    List<String> dims = ctx.config().segmentColumns();
    Dataset<Row> movements = customerMovements(inputs.get("customers"), inputs.get("subscriptions"), dims,
        ctx.asOf()).persist(StorageLevel.MEMORY_AND_DISK());

    List<Column> customerColumns = new ArrayList<>(List.of(col("customer_id"), col("period_month"),
        col("mrr"), col("previous_mrr"), col("mrr_change"), col("movement"), col("churn_reason"),
        col("first_month").as("cohort_month")));
    dims.forEach(d -> customerColumns.add(col(d)));

    return List.of(
        new OutputTable(CUSTOMER_MRR_MONTHLY, movements.select(customerColumns.toArray(Column[]::new)),
            List.of("period_month"), "Each customer's MRR and its movement per month"),
        // Persisted: the economics family reads it again.
        new OutputTable(REVENUE_MONTHLY, RevenueMonthly.toRevenueMonthly(movements, dims)
            .persist(StorageLevel.MEMORY_AND_DISK()), List.of(),
            "MRR bridge, logo churn, retention, NRR, GRR, quick ratio and ARPA per month and segment"),
        new OutputTable(CHURN_REASONS_MONTHLY, RevenueMonthly.toChurnReasonsMonthly(movements, dims), List.of(),
            "Churned customers and MRR by cancel reason per month and segment"),
        new OutputTable(COHORT_RETENTION, CohortRetention.toCohortRetention(movements, dims, ctx.asOf()),
            List.of(), "Logo and revenue retention of each monthly signup cohort"));
  }
}
