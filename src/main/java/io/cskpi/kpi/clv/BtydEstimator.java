package io.cskpi.kpi.clv;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.stream.DoubleStream;

/**
 * Fits BG/NBD and Gamma-Gamma by maximum likelihood on compressed summaries: each row is a distinct
 * (x, t_x, T) — or (x, m̄) — with the number of customers that share it, so the optimizer's work grows with
 * the number of distinct summaries, not of customers.
 */
public final class BtydEstimator {
  private BtydEstimator() {}

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

  /** What every maximum-likelihood fit reports, whatever its model. */
  public interface Fit {
    double logLikelihood();

    long customers();

    /** Distinct compressed summary rows the optimizer saw. */
    int rows();

    int iterations();

    boolean converged();

    boolean atBoundary();

    double seconds();
  }

  /**
   * A BG/NBD fit. {@code atBoundary}: the likelihood keeps rising towards a limit of the model (r and α
   * growing together is the limit of no spread in purchase rates across customers); its predictions hold,
   * its parameter values are not meaningful on their own.
   */
  public record BgNbdFit(BgNbd.Params params, double logLikelihood, long customers, int rows, int iterations,
      boolean converged, double seconds) implements Fit {
    @Override
    public boolean atBoundary() {
      return BtydEstimator.atBoundary(params.r(), params.alpha(), params.a(), params.b());
    }
  }

  /** A Gamma-Gamma fit; {@code atBoundary} as for BG/NBD (p large, γ small: spend that never varies). */
  public record GammaGammaFit(GammaGamma.Params params, double logLikelihood, long customers, int rows,
      int iterations, boolean converged, double seconds) implements Fit {
    @Override
    public boolean atBoundary() {
      return BtydEstimator.atBoundary(params.p(), params.q(), params.gamma());
    }
  }

  public static BgNbdFit fitBgNbd(List<FrequencyRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("BG/NBD fit needs at least one customer");
    }
    long customers = rows.stream().mapToLong(FrequencyRow::customers).sum();
    double meanT = rows.stream().mapToDouble(r -> r.t() * r.customers()).sum() / customers;
    // Start where lifetimes starts (all ones), with α on the scale of the observation time.
    double[] start = new BgNbd.Params(1, Math.max(1e-3, meanT / 10), 1, 1).toLog();
    double[] counts = distinct(rows.stream().mapToDouble(FrequencyRow::x));
    double[] times = distinct(rows.stream().flatMapToDouble(r -> DoubleStream.of(r.tx(), r.t())));
    List<int[]> at = rows.stream().map(r -> new int[] {Arrays.binarySearch(counts, r.x()),
        Arrays.binarySearch(times, r.tx()), Arrays.binarySearch(times, r.t())}).toList();
    MaximumLikelihood.Result res = MaximumLikelihood.maximize(inChunks(rows.size(), lp -> {
      BgNbd.Params p = BgNbd.Params.fromLog(lp);
      double[][] countTerms = tabulate(counts, x -> BgNbd.countTerms(p, x));
      double[][] timeTerms = tabulate(times, time -> BgNbd.timeTerms(p, time));
      return (i, g) -> {
        FrequencyRow r = rows.get(i);
        int[] k = at.get(i);
        return BgNbd.rowTerm(p, r.x(), countTerms[k[0]], timeTerms[k[1]], timeTerms[k[2]], r.customers(), g)
            * r.customers();
      };
    }), start);
    return new BgNbdFit(BgNbd.Params.fromLog(res.logParams()), res.logLikelihood(), customers, rows.size(),
        res.iterations(), res.converged(), res.seconds());
  }

  /** Row i's weighted log-likelihood at the parameters of one evaluation, its weighted gradient added into g. */
  private interface RowTerm {
    double apply(int i, double[] gradient);
  }

  private static final int CHUNK = 2048;

  /**
   * The sum over rows of the term {@code atParams} returns for the evaluation's log-parameters (having computed
   * once what rows share), in fixed chunks of rows evaluated in parallel and added in chunk order: the same sums
   * (to the last bit) whatever the number of cores.
   */
  private static MaximumLikelihood.Differentiable inChunks(int rows, Function<double[], RowTerm> atParams) {
    int chunks = (rows + CHUNK - 1) / CHUNK;
    return (lp, gradient) -> {
      RowTerm term = atParams.apply(lp);
      double[][] parts = new double[chunks][];
      java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
        double[] part = new double[lp.length + 1];
        double[] g = new double[lp.length];
        for (int i = c * CHUNK; i < Math.min(rows, (c + 1) * CHUNK); i++) {
          part[lp.length] += term.apply(i, g);
        }
        System.arraycopy(g, 0, part, 0, lp.length);
        parts[c] = part;
      });
      double value = 0;
      for (double[] part : parts) {
        for (int i = 0; i < lp.length; i++) {
          gradient[i] += part[i];
        }
        value += part[lp.length];
      }
      return value;
    };
  }

  /** The distinct values, sorted (for binary search). */
  private static double[] distinct(DoubleStream values) {
    return values.distinct().sorted().toArray();
  }

  /** f of each value, in the values' order. */
  private static double[][] tabulate(double[] values, DoubleFunction<double[]> f) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = f.apply(values[i]);
    }
    return out;
  }

  public static GammaGammaFit fitGammaGamma(List<SpendRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Gamma-Gamma fit needs at least one repeat customer");
    }
    rows.stream().filter(r -> r.x() <= 0 || r.mean() <= 0).findFirst().ifPresent(r -> {
      throw new IllegalArgumentException("Gamma-Gamma needs x > 0 and mean > 0, got " + r);
    });
    long customers = rows.stream().mapToLong(SpendRow::customers).sum();
    double meanSpend = rows.stream().mapToDouble(r -> r.mean() * r.customers()).sum() / customers;
    double[] start = new GammaGamma.Params(1, 1, Math.max(1e-3, meanSpend)).toLog();
    double[] counts = distinct(rows.stream().mapToDouble(SpendRow::x));
    int[] at = rows.stream().mapToInt(r -> Arrays.binarySearch(counts, r.x())).toArray();
    MaximumLikelihood.Result res = MaximumLikelihood.maximize(inChunks(rows.size(), lp -> {
      GammaGamma.Params v = GammaGamma.Params.fromLog(lp);
      double[][] countTerms = tabulate(counts, x -> GammaGamma.countTerms(v, x));
      return (i, g) -> {
        SpendRow r = rows.get(i);
        return GammaGamma.rowTerm(v, r.x(), r.mean(), countTerms[at[i]], r.customers(), g) * r.customers();
      };
    }), start);
    return new GammaGammaFit(GammaGamma.Params.fromLog(res.logParams()), res.logLikelihood(), customers,
        rows.size(), res.iterations(), res.converged(), res.seconds());
  }
}
