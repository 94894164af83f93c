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

    define("quarantine", "table_name", "Input table of the rejected row. One quarantine row per rejected input "
        + "row: rows read = rows used + rows rejected for every input table.");
    define("quarantine", "rules", "Names of every rule the row breaks, e.g. [negative_mrr, duplicate_key].");
    define("quarantine", "rule_description", "For each rule broken, 'rule: what it requires' (for invalid_value, "
        + "the values that failed to parse), joined with '; '.");
    define("quarantine", "source_file", "The CSV file the row was read from; null for Delta and Parquet inputs.");
    define("quarantine", "raw_line", "For malformed_record: the CSV line exactly as read; null otherwise.");
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

    String ue = "unit_economics_monthly";
    define(ue, "acquisition_spend", "marketing + sales costs of the month. Costs carry at most an acquisition "
        + "channel: spend counts in dimension 'all' and in its acquisition_channel segment; spend without a "
        + "channel counts in 'all' only; other dimensions have no spend (null).");
    define(ue, "new_customers", "Customers in their first month with MRR > 0 (revenue_monthly.customers_new).");
    define(ue, "cac", "Customer acquisition cost: acquisition_spend / new_customers; null when no new customers.");
    define(ue, "acquisition_spend_3m", "acquisition_spend of this and the 2 months before.");
    define(ue, "new_customers_3m", "new_customers of this and the 2 months before.");
    define(ue, "cac_trailing_3m", "acquisition_spend_3m / new_customers_3m: the smoothed CAC.");
    define(ue, "arpa", "revenue_monthly.arpa of the month.");
    define(ue, "gross_margin", "Gross margin from conf cskpi.economics.gross-margin (default 1.0).");
    define(ue, "churn_rate_trailing", "Monthly logo churn over the N whole months before this one (conf "
        + "cskpi.economics.churn-window-months, default 6): sum of customers_churned / sum of customers_start.");
    define(ue, "clv_churn_rate", "max(churn_rate_trailing, floor) with the floor from conf "
        + "cskpi.economics.churn-rate-floor (default 0.01), so a segment without churn has a finite CLV.");
    define(ue, "is_churn_floor_applied", "True when churn_rate_trailing was below the floor.");
    define(ue, "clv_formula", "arpa × gross_margin / clv_churn_rate; null without a churn history.");
    define(ue, "clv_to_cac_ratio", "clv_formula / cac.");
    define(ue, "cac_payback_months", "cac / (arpa × gross_margin): months of margin to earn back the CAC.");
    define(ue, "profit_per_customer", "clv_formula - cac.");
    define(ue, "clv_cac_health", "healthy when clv_to_cac_ratio >= 3, thin when 1 < ratio < 3, losing_money "
        + "when ratio <= 1; null without a ratio.");
    define(ue, "cs_cost", "customer_success + support costs of the month (same attribution as acquisition_spend).");
    define(ue, "average_active_customers", "(customers_start + customers_end) / 2 of the month.");
    define(ue, "crc", "Customer retention cost: cs_cost / average_active_customers.");
    define(ue, "clv_to_crc_ratio", "clv_formula / crc.");

    String cc = "customer_clv";
    define(cc, "customer_id", "The customer: every row of customers, and every customer_id of subscriptions or "
        + "transactions without one (formula_segment 'unknown').");
    define(cc, "formula_dimension", "The dimension whose segment gives clv_formula (conf "
        + "cskpi.clv.formula-dimension, default plan).");
    define(cc, "formula_segment", "The customer's segment in that dimension.");
    define(cc, "tenure_months", "Months with MRR > 0 up to the as-of month.");
    define(cc, "historic_revenue", "Sum of the customer's monthly MRR + one_off transactions - refunds, up to "
        + "the as-of date.");
    define(cc, "avg_monthly_revenue", "historic_revenue / tenure_months; null without MRR months.");
    define(cc, "first_purchase_date", "Date of the first recurring or one_off transaction.");
    define(cc, "last_purchase_date", "Date of the last recurring or one_off transaction up to the as-of date.");
    define(cc, "clv_formula", "unit_economics_monthly.clv_formula of the customer's segment in the as-of month.");
    define(cc, "frequency", "BTYD x: purchase days in the calibration window (recurring and one_off "
        + "transactions, same-day purchases merged) minus 1, the first being time zero.");
    define(cc, "recency", "BTYD t_x: last minus first purchase day of the window, in the time unit "
        + "(conf cskpi.clv.time-unit, default week).");
    define(cc, "T", "BTYD T: as-of date minus first purchase day of the window, in the time unit.");
    define(cc, "monetary_value", "Mean spend of the repeat purchase days (the first day excluded); 0 when x = 0.");
    define(cc, "p_alive", "BG/NBD P(alive | x, t_x, T) = 1 / (1 + [x > 0]·a/(b+x-1)·((α+T)/(α+t_x))^(r+x)).");
    define(cc, "expected_purchases", "BG/NBD E[Y(h) | x, t_x, T]: expected purchase days over the horizon h "
        + "(conf cskpi.clv.horizon time units, default 52).");
    define(cc, "expected_avg_spend", "Gamma-Gamma E[M | x, m] = (pγ + p·x·m) / (p·x + q - 1).");
    define(cc, "predicted_clv", "Sum over the horizon's months k of (E[Y(t_k)] - E[Y(t_k-1)]) × "
        + "expected_avg_spend / (1 + d)^k, d the monthly rate of conf cskpi.clv.annual-discount-rate; null when a "
        + "model did not converge.");

    String cm = "clv_model";
    define(cm, "model_status", "converged; converged_at_boundary (BG/NBD parameters beyond 1e6 or below 1e-6: "
        + "no spread in purchase rates, as with fixed monthly invoices; predictions hold, parameters are not "
        + "meaningful alone); not_converged (predictions left null); not_fitted (no purchases).");
    define(cm, "time_unit", "Unit of recency, T, the horizon and α.");
    define(cm, "calibration_start", "First day of the calibration window (as-of minus cskpi.clv.calibration-months).");
    define(cm, "calibration_end", "Last day of the calibration window (the as-of date).");
    define(cm, "horizon", "Prediction horizon in time units.");
    define(cm, "annual_discount_rate", "Discount rate of predicted_clv.");
    for (String param : List.of("r", "alpha", "a", "b")) {
      define(cm, param, "BG/NBD parameter " + param + " (maximum likelihood, Fader, Hardie & Lee 2005).");
    }
    for (String param : List.of("p", "q", "gamma")) {
      define(cm, param, "Gamma-Gamma parameter " + param + " (maximum likelihood, Fader & Hardie 2013).");
    }
    for (String m : List.of("bgnbd", "gg")) {
      String name = m.equals("bgnbd") ? "BG/NBD" : "Gamma-Gamma";
      define(cm, m + "_log_likelihood", name + " log-likelihood at the optimum.");
      define(cm, m + "_customers", "Customers in the " + name + " fit.");
      define(cm, m + "_distinct_rows", "Distinct compressed summary rows the optimizer saw.");
      define(cm, m + "_converged", "True when Nelder-Mead restarts stopped improving and the optimum is finite.");
      define(cm, m + "_at_boundary", "True when a parameter is beyond 1e6 or below 1e-6 (a limit of the model).");
      define(cm, m + "_iterations", "Optimizer iterations over all restarts.");
      define(cm, m + "_fit_seconds", "Wall time of the optimizer.");
    }
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
