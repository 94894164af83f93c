package io.cskpi.kpi.clv;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.LinkedHashMap;
import java.util.Map;

/** The night's CLV model: BG/NBD on every customer and Gamma-Gamma on the repeat customers (null if none). */
public record FittedClvModel(BtydEstimator.BgNbdFit bgNbd, BtydEstimator.GammaGammaFit gammaGamma) {
  /** Fits BG/NBD on all customers and Gamma-Gamma on repeat customers with spend &gt; 0 (if any). */
  public static FittedClvModel fit(Dataset<Row> summary, int resolutionDays, TimeUnit unit, double spendResolution) {
    BtydEstimator.BgNbdFit bg = BtydEstimator.fitBgNbd(PurchaseSummary.collectFrequencyRows(
        PurchaseSummary.toFrequencyRows(summary, resolutionDays, unit)));
    var spendRows = PurchaseSummary.collectSpendRows(PurchaseSummary.toSpendRows(summary, spendResolution));
    return new FittedClvModel(bg, spendRows.isEmpty() ? null : BtydEstimator.fitGammaGamma(spendRows));
  }

  /** converged, converged_at_boundary or not_converged (see clv_model.model_status). */
  public String status() {
    return !bgNbd.converged() ? "not_converged" : bgNbd.atBoundary() ? "converged_at_boundary" : "converged";
  }

  /**
   * The fit as named values, in the order and under the names of the clv_model columns: what the table, the run
   * summary and {@code cskpi clv-fit} all show (see {@link ClvModelReport}).
   */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    BgNbd.Params p = bgNbd.params();
    f.put("r", p.r());
    f.put("alpha", p.alpha());
    f.put("a", p.a());
    f.put("b", p.b());
    putFit(f, "bgnbd", bgNbd);
    if (gammaGamma != null) {
      GammaGamma.Params g = gammaGamma.params();
      f.put("p", g.p());
      f.put("q", g.q());
      f.put("gamma", g.gamma());
      putFit(f, "gg", gammaGamma);
    }
    return f;
  }

  /** A fit's report under the clv_model column names {@code <prefix>_log_likelihood}, ... */
  private static void putFit(Map<String, Object> f, String prefix, BtydEstimator.Fit fit) {
    f.put(prefix + "_log_likelihood", fit.logLikelihood());
    f.put(prefix + "_customers", fit.customers());
    f.put(prefix + "_distinct_rows", fit.rows());
    f.put(prefix + "_converged", fit.converged());
    f.put(prefix + "_at_boundary", fit.atBoundary());
    f.put(prefix + "_iterations", fit.iterations());
  }
}
