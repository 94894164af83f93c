package io.cskpi.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cskpi.kpi.Segments;
import io.cskpi.kpi.revenue.RevenueFamily;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The short text a person reads after a run: the latest MRR bridge, churn, retention and where tables are. */
public final class RunSummary {
  private RunSummary() {}

  public static String render(SparkSession spark, NightlyPipeline.RunReport report) {
    StringBuilder out = new StringBuilder();
    LocalDate month = report.asOf().withDayOfMonth(1);
    out.append(String.format("%ncs-kpi nightly run as of %s: %d tables written in %s%n",
        report.asOf(), report.tables().size(), Stages.format(report.stages().totalMillis())));

    io.cskpi.io.Location revenuePath = report.tables().get(RevenueFamily.REVENUE_MONTHLY);
    if (revenuePath != null) {
      // Aggregated rows only: one per month for dimension 'all'.
      List<Row> months = spark.read().format("delta").load(revenuePath.toString())
          .filter(col("dimension").equalTo(Segments.ALL))
          .filter(col("period_month").gt(lit(month.minusMonths(12))))
          .orderBy("period_month").collectAsList();
      Row latest = months.isEmpty() ? null : months.get(months.size() - 1);
      if (latest == null || !latest.<LocalDate>getAs("period_month").equals(month)) {
        out.append(String.format("%nNo recurring revenue in %s.%n", month));
      } else {
        appendBridge(out, latest, month);
        appendTrend(out, months);
      }
    }

    io.cskpi.io.Location economicsPath = report.tables().get(io.cskpi.kpi.economics.EconomicsFamily.UNIT_ECONOMICS_MONTHLY);
    if (economicsPath != null) {
      List<Row> latest = spark.read().format("delta").load(economicsPath.toString())
          .filter(col("dimension").equalTo(Segments.ALL).and(col("period_month").equalTo(lit(month))))
          .collectAsList();
      if (!latest.isEmpty()) {
        Row e = latest.get(0);
        out.append(String.format("%nUnit economics %s: CAC %s (3-month %s)  formula CLV %s  CLV:CAC %s (%s)  "
                + "payback %s months  CRC %s%n", month.toString().substring(0, 7), e.getAs("cac"),
            e.getAs("cac_trailing_3m"), e.getAs("clv_formula"), num(e.getAs("clv_to_cac_ratio")),
            e.getAs("clv_cac_health"), num(e.getAs("cac_payback_months")), e.getAs("crc")));
      }
    }
    io.cskpi.io.Location modelPath = report.tables().get(io.cskpi.kpi.clv.ClvFamily.CLV_MODEL);
    if (modelPath != null) {
      Row m = spark.read().format("delta").load(modelPath.toString()).first();
      out.append(String.format("CLV model (%s): BG/NBD r=%s alpha=%s a=%s b=%s on %s customers (%s distinct rows, "
              + "%s s); Gamma-Gamma p=%s q=%s gamma=%s%n", m.getAs("model_status"), sig(m.getAs("r")),
          sig(m.getAs("alpha")), sig(m.getAs("a")), sig(m.getAs("b")), m.getAs("bgnbd_customers"),
          m.getAs("bgnbd_distinct_rows"), num(m.getAs("bgnbd_fit_seconds")), sig(m.getAs("p")), sig(m.getAs("q")),
          sig(m.getAs("gamma"))));
    }

    if (!report.inputs().isEmpty()) {
      out.append(String.format("%nInputs: rows read = used + rejected%n"));
      report.inputs().values().forEach(c -> out.append(String.format("  %-14s %,12d = %,12d + %,10d%s%n", c.table(),
          c.read(), c.used(), c.rejected(), c.reconciles() ? "" : "   DOES NOT RECONCILE")));
      report.inputs().values().stream().filter(c -> c.repeatedHeaders() > 0).forEach(c -> out.append(String.format(
          "  %s: %,d repeated header line%s inside a CSV file skipped (not rows)%n", c.table(), c.repeatedHeaders(),
          c.repeatedHeaders() == 1 ? "" : "s")));
    }
    if (!report.inputs().isEmpty()) {
      long total = report.inputs().values().stream().mapToLong(InputReconciliation.Counts::rejected).sum();
      out.append(String.format("%nQuarantine: %,d bad input rows%s%n", total, total == 0 ? "" : ", by rule broken:"));
      report.inputs().values().stream().sorted(java.util.Comparator.comparing(InputReconciliation.Counts::table))
          .forEach(c -> c.rejectedByRule().forEach((rule, n) ->
              out.append(String.format("  %-14s %-22s %,10d%n", c.table(), rule, n))));
    }

    out.append(String.format("%nTables (Delta):%n"));
    for (Map.Entry<String, io.cskpi.io.Location> t : report.tables().entrySet()) {
      out.append(String.format("  %-24s %s%n", t.getKey(), t.getValue()));
    }
    out.append(String.format("%nStage timings:%n"));
    report.stages().millis().forEach((stage, ms) ->
        out.append(String.format("  %-40s %10s%n", stage, Stages.format(ms))));
    return out.toString();
  }

  private static void appendBridge(StringBuilder out, Row r, LocalDate month) {
    out.append(String.format("%nMRR bridge %s (all customers)%n", month.toString().substring(0, 7)));
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

  private static String pct(Double v) {
    return v == null ? "n/a" : String.format("%.1f%%", 100 * v);
  }

  private static String sig(Double v) {
    return v == null ? "n/a" : String.format("%.4g", v);
  }

  private static String num(Double v) {
    return v == null ? "n/a" : String.format("%.2f", v);
  }
}
