package io.cskpi.kpi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one written definition of every result column: what BI users see as Delta column comments and what
 * the README's KPI section states. A test checks that every column written has an entry here.
 */
public final class KpiCatalog {
  private KpiCatalog() {}

  public record Entry(String table, String column, String definition) {}

  private static final Map<String, Map<String, String>> TABLES = new LinkedHashMap<>();

  private static void define(String table, String column, String definition) {
    TABLES.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(column, definition);
  }

  private static final String SEGMENT_NOTE = " Segments: dimension 'all' (segment 'all') or a customers column "
      + "from conf cskpi.segments; a null value is segment 'unknown'.";

  static {
    // Columns every result carries.
    define("*", "as_of_date", "The as-of date of the run that wrote the row.");
    define("*", "period_month", "First day of the month the row describes (UTC).");
    define("*", "dimension", "'all' or the name of the customers column the row is broken down by." + SEGMENT_NOTE);
    define("*", "segment", "The value of that column ('all' for dimension all; null is 'unknown').");

    define("quarantine", "table_name", "Input table of the bad row.");
    define("quarantine", "rule", "Name of the rule the row breaks (one row per broken rule).");
    define("quarantine", "rule_description", "What the rule requires, or the value that failed to parse.");
    define("quarantine", "raw_row", "The row as read (CSV text where a value failed to parse), as JSON.");

    String cmm = "customer_mrr_monthly";
    define(cmm, "customer_id", "The customer.");
    define(cmm, "mrr", "Customer MRR of the month: sum of mrr of its subscriptions active on the month's last "
        + "day (the as-of date in the as-of month); active on day d = start_date <= d and (end_date is null or "
        + "end_date > d). Rows exist for months with MRR > 0 and for the churn month after each active run.");
    define(cmm, "previous_mrr", "The customer's MRR of the month before (0 when it had none).");
    define(cmm, "movement", "new: previous 0 and never > 0 before; reactivation: previous 0 and > 0 in some "
        + "earlier month; churn: previous > 0, now 0; expansion / contraction: both > 0, up / down; "
        + "unchanged: both > 0 and equal. Checked in that order, so 0 -> positive is never expansion.");
    define(cmm, "mrr_change", "mrr - previous_mrr.");
    define(cmm, "churn_reason", "For churn rows: cancel_reason of the highest-MRR subscription that ended "
        + "('unknown' when not given); null otherwise.");
    define(cmm, "cohort_month", "The customer's first month with MRR > 0.");

    String rm = "revenue_monthly";
    define(rm, "customers_start", "CS: customers with MRR > 0 in the previous month.");
    define(rm, "customers_new", "Customers whose movement is new.");
    define(rm, "customers_reactivated", "Customers whose movement is reactivation.");
    define(rm, "customers_churned", "CN churned: customers whose movement is churn.");
    define(rm, "customers_end", "CE: customers with MRR > 0 in the month. "
        + "customers_start + new + reactivated - churned = customers_end.");
    define(rm, "mrr_start", "MRR of the previous month.");
    define(rm, "mrr_new", "MRR of new customers.");
    define(rm, "mrr_expansion", "Sum of mrr_change of expansion rows (positive).");
    define(rm, "mrr_contraction", "Minus the sum of mrr_change of contraction rows (a positive amount).");
    define(rm, "mrr_churned", "previous_mrr of churned customers (a positive amount).");
    define(rm, "mrr_reactivation", "MRR of reactivated customers.");
    define(rm, "mrr_end", "MRR of the month. mrr_start + new + expansion - contraction - churned + "
        + "reactivation = mrr_end.");
    define(rm, "net_new_mrr", "mrr_end - mrr_start.");
    define(rm, "logo_churn_rate", "customers_churned / customers_start; null when customers_start = 0.");
    define(rm, "annualized_churn_rate", "1 - (1 - logo_churn_rate)^12.");
    define(rm, "customer_retention_rate", "(CE - CN) / CS with CN = customers_new + customers_reactivated; "
        + "null when CS = 0.");
    define(rm, "nrr", "Net revenue retention: (mrr_start + expansion - contraction - churned) / mrr_start; "
        + "a ratio that may exceed 1; null when mrr_start = 0.");
    define(rm, "grr", "Gross revenue retention: (mrr_start - contraction - churned) / mrr_start; null when "
        + "mrr_start = 0.");
    define(rm, "quick_ratio", "(mrr_new + expansion + reactivation) / (contraction + churned); null when "
        + "nothing was lost.");
    define(rm, "arpa", "Average revenue per account: mrr_end / customers_end; null when no customers.");

    String crm = "churn_reasons_monthly";
    define(crm, "cancel_reason", "churn_reason of the churned customers ('unknown' when not given).");
    define(crm, "customers_churned", "Churned customers with that reason.");
    define(crm, "mrr_churned", "Their previous_mrr.");

    String cr = "cohort_retention";
    define(cr, "cohort_month", "The cohort: customers whose first month with MRR > 0 is this month.");
    define(cr, "months_since", "Months from cohort_month to the month observed (0 = the cohort month), "
        + "up to the as-of month.");
    define(cr, "cohort_customers", "Customers in the cohort (and segment).");
    define(cr, "active_customers", "Of them, customers with MRR > 0 in the month observed.");
    define(cr, "logo_retention_rate", "active_customers / cohort_customers.");
    define(cr, "cohort_mrr", "The cohort's MRR in its cohort month.");
    define(cr, "mrr", "The cohort's MRR in the month observed (reactivated customers count again).");
    define(cr, "revenue_retention_rate", "mrr / cohort_mrr (may exceed 1 with expansion).");
  }

  /** The definition of a result column: the table's own, else one shared by all tables, else null. */
  public static String definition(String table, String column) {
    Map<String, String> own = TABLES.getOrDefault(table, Map.of());
    if (own.containsKey(column)) {
      return own.get(column);
    }
    return TABLES.get("*").get(column);
  }

  /** A segment column copied from customers into a result (plan, region, ...). */
  public static String segmentColumnDefinition(String column) {
    return "The customer's " + column + " from the customers table ('unknown' when null).";
  }

  public static List<Entry> entries() {
    return TABLES.entrySet().stream()
        .flatMap(t -> t.getValue().entrySet().stream().map(c -> new Entry(t.getKey(), c.getKey(), c.getValue())))
        .toList();
  }
}
