package io.cskpi.kpi.clv;

import java.util.List;

/**
 * Fits BG/NBD and Gamma-Gamma by maximum likelihood on compressed summaries: each row is a distinct
 * (x, t_x, T) — or (x, m̄) — with the number of customers that share it, so the optimizer's work grows with
 * the number of distinct summaries, not of customers.
 */
public final class BtydFit {
  private BtydFit() {}

  /** One distinct BG/NBD summary and how many customers have it. */
  public record FrequencyRow(double x, double tx, double t, long customers) {}

  /** One distinct Gamma-Gamma summary (x > 0) and how many customers have it. */
  public record SpendRow(double x, double mean, long customers) {}

  /** A parameter beyond 1e6 or below 1e-6 is at the edge of the model (see {@link BgNbdFit#atBoundary}). */
  static final double BOUNDARY = 1e6;

  static boolean atBoundary(double... params) {
    for (double v : params) {
      if (v > BOUNDARY || v < 1 / BOUNDARY) {
        return true;
      }
    }
    return false;
  }

  /**
   * A BG/NBD fit. {@code atBoundary}: the likelihood keeps rising towards a limit of the model (r and α
   * growing together is the limit of no spread in purchase rates across customers); its predictions hold,
   * its parameter values are not meaningful on their own.
   */
  public record BgNbdFit(BgNbd.Params params, double logLikelihood, long customers, int rows, int iterations,
      boolean converged, double seconds) {
    public boolean atBoundary() {
      return BtydFit.atBoundary(params.r(), params.alpha(), params.a(), params.b());
    }
  }

  /** A Gamma-Gamma fit; {@code atBoundary} as for BG/NBD (p large, γ small: spend that never varies). */
  public record GammaGammaFit(GammaGamma.Params params, double logLikelihood, long customers, int rows,
      int iterations, boolean converged, double seconds) {
    public boolean atBoundary() {
      return BtydFit.atBoundary(params.p(), params.q(), params.gamma());
    }
  }

  public static BgNbdFit fitBgNbd(List<FrequencyRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("BG/NBD fit needs at least one customer");
    }
    double[] x = new double[rows.size()];
    double[] tx = new double[rows.size()];
    double[] t = new double[rows.size()];
    double[] w = new double[rows.size()];
    long customers = 0;
    double meanT = 0;
    for (int i = 0; i < rows.size(); i++) {
      FrequencyRow r = rows.get(i);
      x[i] = r.x();
      tx[i] = r.tx();
      t[i] = r.t();
      w[i] = r.customers();
      customers += r.customers();
      meanT += r.t() * r.customers();
    }
    meanT /= customers;
    // Start where lifetimes starts (all ones), with α on the scale of the observation time.
    double[] start = new BgNbd.Params(1, Math.max(1e-3, meanT / 10), 1, 1).toLog();
    MaximumLikelihood.Result res = MaximumLikelihood.maximize(lp -> {
      BgNbd.Params p = BgNbd.Params.fromLog(lp);
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        sum += w[i] * BgNbd.logLikelihood(p, x[i], tx[i], t[i]);
      }
      return sum;
    }, start);
    return new BgNbdFit(BgNbd.Params.fromLog(res.logParams()), res.logLikelihood(), customers, rows.size(),
        res.iterations(), res.converged(), res.seconds());
  }

  public static GammaGammaFit fitGammaGamma(List<SpendRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Gamma-Gamma fit needs at least one repeat customer");
    }
    double[] x = new double[rows.size()];
    double[] m = new double[rows.size()];
    double[] w = new double[rows.size()];
    long customers = 0;
    double meanSpend = 0;
    for (int i = 0; i < rows.size(); i++) {
      SpendRow r = rows.get(i);
      if (r.x() <= 0 || r.mean() <= 0) {
        throw new IllegalArgumentException("Gamma-Gamma needs x > 0 and mean > 0, got " + r);
      }
      x[i] = r.x();
      m[i] = r.mean();
      w[i] = r.customers();
      customers += r.customers();
      meanSpend += r.mean() * r.customers();
    }
    meanSpend /= customers;
    double[] start = new GammaGamma.Params(1, 1, Math.max(1e-3, meanSpend)).toLog();
    MaximumLikelihood.Result res = MaximumLikelihood.maximize(lp -> {
      GammaGamma.Params v = GammaGamma.Params.fromLog(lp);
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        sum += w[i] * GammaGamma.logLikelihood(v, x[i], m[i]);
      }
      return sum;
    }, start);
    return new GammaGammaFit(GammaGamma.Params.fromLog(res.logParams()), res.logLikelihood(), customers,
        rows.size(), res.iterations(), res.converged(), res.seconds());
  }
}
