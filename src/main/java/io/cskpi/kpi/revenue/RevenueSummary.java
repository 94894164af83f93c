package io.cskpi.kpi.revenue;

import static io.cskpi.kpi.SummaryFormat.num;
import static io.cskpi.kpi.SummaryFormat.pct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cskpi.family.SummarySection;
import io.cskpi.kpi.Segments;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** The revenue family's part of the run summary: the as-of month's MRR bridge and a bar chart of the last year. */
final class RevenueSummary {
  private RevenueSummary() {}

  static String render(SummarySection.Written written, LocalDate asOf) {
    Dataset<Row> revenue = written.read(RevenueFamily.REVENUE_MONTHLY);
    if (revenue == null) {
      return "";
    }
    LocalDate month = asOf.withDayOfMonth(1);
    // Aggregated rows only: one per month for dimension 'all'.
    List<Row> months = revenue.filter(col("dimension").equalTo(Segments.ALL))
        .filter(col("period_month").gt(lit(month.minusMonths(12))))
        .orderBy("period_month").collectAsList();
    Row latest = months.isEmpty() ? null : months.get(months.size() - 1);
    StringBuilder out = new StringBuilder();
    if (latest == null || !latest.<LocalDate>getAs("period_month").equals(month)) {
      out.append(String.format("No recurring revenue in %s.%n", month));
    } else {
      appendBridge(out, latest, month);
      appendTrend(out, months);
    }
    return out.toString();
  }

  private static void appendBridge(StringBuilder out, Row r, LocalDate month) {
    out.append(String.format("MRR bridge %s (all customers)%n", month.toString().substring(0, 7)));
    line(out, "  start", r.getAs("mrr_start"), r.<Long>getAs("customers_start"), "customers");
    line(out, "+ new", r.getAs("mrr_new"), r.<Long>getAs("customers_new"), "");
    line(out, "+ expansion", r.getAs("mrr_expansion"), null, "");
    line(out, "+ reactivation", r.getAs("mrr_reactivation"), r.<Long>getAs("customers_reactivated"), "");
    line(out, "- contraction", r.getAs("mrr_contraction"), null, "");
    line(out, "- churned", r.getAs("mrr_churned"), r.<Long>getAs("customers_churned"), "");
    line(out, "= end", r.getAs("mrr_end"), r.<Long>getAs("customers_end"), "customers");
    out.append(String.format("logo churn %s  (annualized %s)  NRR %s  GRR %s  quick ratio %s  ARPA %s%n",
        pct(r.getAs("logo_churn_rate")), pct(r.getAs("annualized_churn_rate")), pct(r.getAs("nrr")),
        pct(r.getAs("grr")), num(r.getAs("quick_ratio")), r.getAs("arpa")));
  }

  private static void line(StringBuilder out, String label, BigDecimal amount, Long customers, String unit) {
    out.append(String.format("  %-16s %16s%s%n", label, String.format("%,.2f", amount),
        customers == null ? "" : String.format("   %,d %s", customers, unit).stripTrailing()));
  }

  /** A bar per month of the last year's MRR: the picture of the trend. */
  private static void appendTrend(StringBuilder out, List<Row> months) {
    double max = months.stream().mapToDouble(m -> m.<BigDecimal>getAs("mrr_end").doubleValue()).max().orElse(0);
    if (max <= 0) {
      return;
    }
    out.append(String.format("%nMRR, last %d months%n", months.size()));
    for (Row m : months) {
      double v = m.<BigDecimal>getAs("mrr_end").doubleValue();
      out.append(String.format("  %s %-40s %,14.2f%n", m.<LocalDate>getAs("period_month").toString().substring(0, 7),
          "#".repeat((int) Math.round(40 * v / max)), v));
    }
  }
}
