package io.cskpi.kpi.revenue;

import static io.cskpi.schema.Schemas.MONEY;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.cskpi.family.CommonColumns;
import io.cskpi.family.Declaration;
import io.cskpi.family.Inputs;
import io.cskpi.family.KpiFamily;
import io.cskpi.family.ResultTable;
import io.cskpi.family.Results;
import io.cskpi.family.RunContext;
import io.cskpi.kpi.Segments;
import io.cskpi.quality.RowRule;
import io.cskpi.schema.InputTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** MRR, its movements, logo churn, retention and cohorts. */
public final class RevenueFamily implements KpiFamily {
  public static final ResultTable CUSTOMER_MRR_MONTHLY = ResultTable.named("customer_mrr_monthly",
          "Each customer's MRR and its movement per month")
      .grain("customer × month (months with MRR > 0, plus each churn month)")
      .column("customer_id", StringType, "The customer.")
      .column(CommonColumns.PERIOD_MONTH)
      .column("mrr", MONEY, "Customer MRR of the month: sum of mrr of its subscriptions active on the month's last "
          + "day (the as-of date in the as-of month); active on day d = start_date <= d and (end_date is null or "
          + "end_date > d). Rows exist for months with MRR > 0 and for the churn month after each active run.")
      .column("previous_mrr", MONEY, "The customer's MRR of the month before (0 when it had none).")
      .column("mrr_change", MONEY, "mrr - previous_mrr.")
      .column("movement", StringType, "new: previous 0 and never > 0 before; reactivation: previous 0 and > 0 in "
          + "some earlier month; churn: previous > 0, now 0; expansion / contraction: both > 0, up / down; "
          + "unchanged: both > 0 and equal. Checked in that order, so 0 -> positive is never expansion.")
      .nullable("churn_reason", StringType, "For churn rows: cancel_reason of the highest-MRR subscription that "
          + "ended ('unknown' when not given); null otherwise.")
      .column("cohort_month", DateType, "The customer's first month with MRR > 0.")
      .segmentColumns()
      .partitionedBy("period_month")
      .build();

  public static final ResultTable REVENUE_MONTHLY = ResultTable.named("revenue_monthly",
          "MRR bridge, logo churn, retention, NRR, GRR, quick ratio and ARPA per month and segment")
      .grain("month × dimension × segment")
      .monthlyBySegment()
      .column("customers_start", LongType, "CS: customers with MRR > 0 in the previous month.")
      .column("customers_new", LongType, "Customers whose movement is new.")
      .column("customers_reactivated", LongType, "Customers whose movement is reactivation.")
      .column("customers_churned", LongType, "CN churned: customers whose movement is churn.")
      .column("customers_end", LongType, "CE: customers with MRR > 0 in the month. "
          + "customers_start + new + reactivated - churned = customers_end.")
      .column("mrr_start", MONEY, "MRR of the previous month.")
      .column("mrr_new", MONEY, "MRR of new customers.")
      .column("mrr_expansion", MONEY, "Sum of mrr_change of expansion rows (positive).")
      .column("mrr_contraction", MONEY, "Minus the sum of mrr_change of contraction rows (a positive amount).")
      .column("mrr_churned", MONEY, "previous_mrr of churned customers (a positive amount).")
      .column("mrr_reactivation", MONEY, "MRR of reactivated customers.")
      .column("mrr_end", MONEY, "MRR of the month. mrr_start + new + expansion - contraction - churned + "
          + "reactivation = mrr_end.")
      .nullable("logo_churn_rate", DoubleType, "customers_churned / customers_start; null when customers_start = 0.")
      .nullable("annualized_churn_rate", DoubleType, "1 - (1 - logo_churn_rate)^12; null when logo_churn_rate is.")
      .nullable("customer_retention_rate", DoubleType, "(CE - CN) / CS with CN = customers_new + "
          + "customers_reactivated; null when CS = 0.")
      .column("net_new_mrr", MONEY, "mrr_end - mrr_start.")
      .nullable("nrr", DoubleType, "Net revenue retention: (mrr_start + expansion - contraction - churned) / "
          + "mrr_start; a ratio that may exceed 1; null when mrr_start = 0.")
      .nullable("grr", DoubleType, "Gross revenue retention: (mrr_start - contraction - churned) / mrr_start; null "
          + "when mrr_start = 0.")
      .nullable("quick_ratio", DoubleType, "(mrr_new + expansion + reactivation) / (contraction + churned); null "
          + "when nothing was lost.")
      .nullable("arpa", MONEY, "Average revenue per account: mrr_end / customers_end; null when no customers.")
      .build();

  public static final ResultTable CHURN_REASONS_MONTHLY = ResultTable.named("churn_reasons_monthly",
          "Churned customers and MRR by cancel reason per month and segment")
      .grain("month × dimension × segment × cancel reason")
      .monthlyBySegment()
      .column("cancel_reason", StringType, "churn_reason of the churned customers ('unknown' when not given).")
      .column("customers_churned", LongType, "Churned customers with that reason.")
      .column("mrr_churned", MONEY, "Their previous_mrr.")
      .build();

  public static final ResultTable COHORT_RETENTION = ResultTable.named("cohort_retention",
          "Logo and revenue retention of each monthly signup cohort")
      .grain("cohort month × months since × dimension × segment")
      .column("cohort_month", DateType, "The cohort: customers whose first month with MRR > 0 is this month.")
      .column("months_since", IntegerType, "Months from cohort_month to the month observed (0 = the cohort month), "
          + "up to the as-of month.")
      .column(CommonColumns.DIMENSION)
      .column(CommonColumns.SEGMENT)
      .column("cohort_customers", LongType, "Customers in the cohort (and segment).")
      .column("active_customers", LongType, "Of them, customers with MRR > 0 in the month observed.")
      .column("logo_retention_rate", DoubleType, "active_customers / cohort_customers.")
      .column("cohort_mrr", MONEY, "The cohort's MRR in its cohort month.")
      .column("mrr", MONEY, "The cohort's MRR in the month observed (reactivated customers count again).")
      .column("revenue_retention_rate", DoubleType, "mrr / cohort_mrr (may exceed 1 with expansion).")
      .build();

  @Override
  public Declaration declaration() {
    String subs = InputTables.SUBSCRIPTIONS.name();
    return Declaration.family("revenue", "MRR, its movements, logo churn, retention and cohorts")
        .reads(InputTables.CUSTOMERS, InputTables.SUBSCRIPTIONS)
        .writes(CUSTOMER_MRR_MONTHLY, REVENUE_MONTHLY, CHURN_REASONS_MONTHLY, COHORT_RETENTION)
        .rules(new RowRule(subs, "negative_mrr", "mrr must be >= 0", col("mrr").lt(0)),
            new RowRule(subs, "end_before_start", "end_date must not be before start_date",
                col("end_date").lt(col("start_date"))))
        .summary(RevenueSummary::render)
        .build();
  }

  /**
   * customer_mrr_monthly rows with churn_reason and the customer's segment columns: the base of every
   * revenue table.
   */
  public static Dataset<Row> customerMovements(Dataset<Row> customers, Dataset<Row> subscriptions,
      List<String> dims, LocalDate asOf) {
    // Subscriptions clustered by customer once (far fewer rows than their months): the month totals, each
    // customer's window, the segments join and the ended reasons' join then need no shuffle of the exploded months.
    // The reasons are joined by customer alone, as a map from month to reason: a join by customer and month would
    // shuffle the months by both.
    Dataset<Row> byCustomer = subscriptions.repartition(col("customer_id"));
    Dataset<Row> movements = MrrMovements.toMovements(
        CustomerMrr.toCustomerMonths(CustomerMrr.activeSubscriptionMonths(byCustomer, asOf)), asOf);
    Dataset<Row> reasonsByMonth = CustomerMrr.toEndedReasons(byCustomer, asOf)
        .groupBy("customer_id")
        .agg(map_from_entries(collect_list(struct(col("period_month"), col("churn_reason")))).as("_reasons"));
    List<Column> columns = new ArrayList<>();
    java.util.Arrays.stream(movements.columns()).forEach(c -> columns.add(col(c)));
    columns.add(col("churn_reason"));
    dims.forEach(d -> columns.add(col(d)));
    return Segments.withCustomerSegments(movements, customers, dims)
        .join(reasonsByMonth, "customer_id", "left")
        .withColumn("churn_reason", when(col("movement").equalTo(MrrMovements.CHURN),
            coalesce(element_at(col("_reasons"), col("period_month")), lit(Segments.UNKNOWN))))
        .select(columns.toArray(Column[]::new));
  }

  @Override
  public Results compute(Inputs in, RunContext ctx) {
    List<String> dims = ctx.segments();
    Dataset<Row> movements = customerMovements(in.table(InputTables.CUSTOMERS), in.table(InputTables.SUBSCRIPTIONS),
        dims, ctx.asOf()).persist(StorageLevel.MEMORY_AND_DISK());

    List<Column> customerColumns = new ArrayList<>(List.of(col("customer_id"), col("period_month"),
        col("mrr"), col("previous_mrr"), col("mrr_change"), col("movement"), col("churn_reason"),
        col("first_month").as("cohort_month")));
    dims.forEach(d -> customerColumns.add(col(d)));

    return Results.of(CUSTOMER_MRR_MONTHLY, movements.select(customerColumns.toArray(Column[]::new)))
        // Persisted: the economics family reads it again.
        .and(REVENUE_MONTHLY, RevenueMonthly.toRevenueMonthly(movements, dims).persist(StorageLevel.MEMORY_AND_DISK()))
        .and(CHURN_REASONS_MONTHLY, RevenueMonthly.toChurnReasonsMonthly(movements, dims))
        .and(COHORT_RETENTION, CohortRetention.toCohortRetention(movements, dims, ctx.asOf()));
  }
}
