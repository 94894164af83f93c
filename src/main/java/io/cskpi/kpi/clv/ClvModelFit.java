package io.cskpi.kpi.clv;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;
import java.util.Locale;

/** Both fits on one summary. */
public record ClvModelFit(BtydFit.BgNbdFit bgNbd, BtydFit.GammaGammaFit gammaGamma) {
  /** Fits BG/NBD on all customers and Gamma-Gamma on repeat customers with spend &gt; 0 (if any). */
  public static ClvModelFit fit(Dataset<Row> summary, int resolutionDays, TimeUnit unit, double spendResolution) {
    BtydFit.BgNbdFit bg = BtydFit.fitBgNbd(PurchaseSummary.collectFrequencyRows(
        PurchaseSummary.toFrequencyRows(summary, resolutionDays, unit)));
    var spendRows = PurchaseSummary.collectSpendRows(PurchaseSummary.toSpendRows(summary, spendResolution));
    return new ClvModelFit(bg, spendRows.isEmpty() ? null : BtydFit.fitGammaGamma(spendRows));
  }

  public String toText(LocalDate calEnd, LocalDate holdEnd, TimeUnit unit, Double predicted, Long actual) {
    StringBuilder s = new StringBuilder();
    var p = bgNbd.params();
    s.append(String.format(Locale.ROOT, "BG/NBD (%s, calibration to %s, %,d customers, %,d distinct rows)%n",
        unit.name().toLowerCase(), calEnd, bgNbd.customers(), bgNbd.rows()));
    s.append(String.format(Locale.ROOT, "  r = %.4f  alpha = %.4f  a = %.4f  b = %.4f%n", p.r(), p.alpha(),
        p.a(), p.b()));
    s.append(String.format(Locale.ROOT, "  log-likelihood = %.4f  converged = %s  iterations = %d  %.2f s%s%n",
        bgNbd.logLikelihood(), bgNbd.converged(), bgNbd.iterations(), bgNbd.seconds(),
        bgNbd.atBoundary() ? "  (at the model's boundary: no spread in purchase rates)" : ""));
    if (gammaGamma != null) {
      var g = gammaGamma.params();
      s.append(String.format(Locale.ROOT, "Gamma-Gamma (%,d repeat customers)%n", gammaGamma.customers()));
      s.append(String.format(Locale.ROOT, "  p = %.4f  q = %.4f  gamma = %.4f%n", g.p(), g.q(), g.gamma()));
      s.append(String.format(Locale.ROOT, "  log-likelihood = %.4f  converged = %s  iterations = %d%n",
          gammaGamma.logLikelihood(), gammaGamma.converged(), gammaGamma.iterations()));
    }
    if (predicted != null) {
      s.append(String.format(Locale.ROOT, "Holdout %s .. %s: predicted repeat purchases %.1f, actual %d "
          + "(%+.1f%%)%n", calEnd.plusDays(1), holdEnd, predicted, actual, 100 * (predicted - actual) / actual));
    }
    return s.toString().stripTrailing();
  }

  public String toJson(LocalDate calEnd, LocalDate holdEnd, TimeUnit unit, Double predicted, Long actual) {
    var p = bgNbd.params();
    StringBuilder s = new StringBuilder("{");
    s.append(String.format(Locale.ROOT, "\"time_unit\":\"%s\",\"calibration_end\":\"%s\",",
        unit.name().toLowerCase(), calEnd));
    s.append(String.format(Locale.ROOT, "\"r\":%.10g,\"alpha\":%.10g,\"a\":%.10g,\"b\":%.10g,", p.r(), p.alpha(),
        p.a(), p.b()));
    s.append(String.format(Locale.ROOT, "\"bgnbd_log_likelihood\":%.10g,\"bgnbd_converged\":%s,"
        + "\"bgnbd_at_boundary\":%s,\"bgnbd_iterations\":%d,\"customers\":%d,\"distinct_rows\":%d",
        bgNbd.logLikelihood(), bgNbd.converged(), bgNbd.atBoundary(), bgNbd.iterations(), bgNbd.customers(),
        bgNbd.rows()));
    if (gammaGamma != null) {
      var g = gammaGamma.params();
      s.append(String.format(Locale.ROOT, ",\"p\":%.10g,\"q\":%.10g,\"gamma\":%.10g,"
          + "\"gg_log_likelihood\":%.10g,\"gg_converged\":%s,\"repeat_customers\":%d", g.p(), g.q(), g.gamma(),
          gammaGamma.logLikelihood(), gammaGamma.converged(), gammaGamma.customers()));
    }
    if (predicted != null) {
      s.append(String.format(Locale.ROOT, ",\"holdout_end\":\"%s\",\"holdout_predicted\":%.6f,"
          + "\"holdout_actual\":%d", holdEnd, predicted, actual));
    }
    return s.append("}").toString();
  }
}
