package io.cskpi.kpi.clv;

import static io.cskpi.kpi.clv.SpecialFunctions.logSumExp;

import java.io.Serializable;

/**
 * The BG/NBD model of Fader, Hardie &amp; Lee (2005), "Counting Your Customers the Easy Way". While alive a
 * customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase it drops out with probability
 * p ~ Beta(a, b). A customer is summarized by x (repeat purchases), t_x (time of the last purchase) and T
 * (time observed), all measured from its first purchase.
 */
public final class BgNbd {
  private BgNbd() {}

  public record Params(double r, double alpha, double a, double b) implements Serializable {
    static Params fromLog(double[] p) {
      return new Params(Math.exp(p[0]), Math.exp(p[1]), Math.exp(p[2]), Math.exp(p[3]));
    }

    double[] toLog() {
      return new double[] {Math.log(r), Math.log(alpha), Math.log(a), Math.log(b)};
    }
  }

  /**
   * ln L(r, α, a, b | x, t_x, T): equation (6) of the paper, evaluated with log-sum-exp and in a form that
   * stays exact when r and α grow large together (the Poisson limit): ln Γ(r+x) - ln Γ(r) as a sum of logs,
   * and r ln α - (r+x) ln(α+T) as -r·log1p(T/α) - x ln(α+T).
   */
  public static double logLikelihood(Params p, double x, double tx, double t) {
    double lnA1 = SpecialFunctions.lnRising(p.r(), x);
    double lnA2 = SpecialFunctions.lnRising(p.b(), x) - SpecialFunctions.lnRising(p.a() + p.b(), x);
    double lnA3 = -p.r() * Math.log1p(t / p.alpha()) - x * Math.log(p.alpha() + t);
    double lnA4 = x > 0
        ? Math.log(p.a()) - Math.log(p.b() + x - 1) - p.r() * Math.log1p(tx / p.alpha())
            - x * Math.log(p.alpha() + tx)
        : Double.NEGATIVE_INFINITY;
    return lnA1 + lnA2 + logSumExp(lnA3, lnA4);
  }

  /**
   * {@link #logLikelihood} and its gradient with respect to (ln r, ln α, ln a, ln b), added to {@code gradient}
   * times {@code weight}; returns the log-likelihood. Each term's derivative, then the log-sum-exp's weights.
   */
  static double logLikelihoodAndGradient(Params p, double x, double tx, double t, double weight, double[] gradient) {
    return rowTerm(p, x, countTerms(p, x), timeTerms(p, tx), timeTerms(p, t), weight, gradient);
  }

  /**
   * The parts of one row's ln L and gradient that depend on the parameters and x alone: a fit computes them once
   * per distinct x (tens) instead of once per row (the special functions are most of a row's cost).
   */
  static double[] countTerms(Params p, double x) {
    double lnA1 = SpecialFunctions.lnRising(p.r(), x);
    double lnA2 = SpecialFunctions.lnRising(p.b(), x) - SpecialFunctions.lnRising(p.a() + p.b(), x);
    double lnA4Start = x > 0 ? Math.log(p.a()) - Math.log(p.b() + x - 1) : Double.NEGATIVE_INFINITY;
    double abShift = SpecialFunctions.digammaDifference(p.a() + p.b(), x);
    return new double[] {lnA1, lnA2, lnA4Start, SpecialFunctions.digammaDifference(p.r(), x), abShift,
        SpecialFunctions.digammaDifference(p.b(), x) - abShift};
  }

  /** The parts that depend on the parameters and one time (t_x or T) alone: ln(1 + time/α), ln(α + time), α + time. */
  static double[] timeTerms(Params p, double time) {
    return new double[] {Math.log1p(time / p.alpha()), Math.log(p.alpha() + time), p.alpha() + time};
  }

  /** {@link #logLikelihoodAndGradient} from the row's {@link #countTerms} and {@link #timeTerms} at t_x and T. */
  static double rowTerm(Params p, double x, double[] count, double[] atTx, double[] atT, double weight,
      double[] gradient) {
    double r = p.r();
    double alpha = p.alpha();
    double a = p.a();
    double b = p.b();
    double lnA3 = -r * atT[0] - x * atT[1];
    double lnA4 = x > 0 ? count[2] - r * atTx[0] - x * atTx[1] : Double.NEGATIVE_INFINITY;
    double lse = logSumExp(lnA3, lnA4);
    double w3 = Math.exp(lnA3 - lse);
    double w4 = x > 0 ? Math.exp(lnA4 - lse) : 0;
    double dr = count[3] - w3 * atT[0] - (x > 0 ? w4 * atTx[0] : 0);
    double dAlpha = w3 * (r / alpha - (r + x) / atT[2]) + (x > 0 ? w4 * (r / alpha - (r + x) / atTx[2]) : 0);
    double da = -count[4] + (x > 0 ? w4 / a : 0);
    double db = count[5] - (x > 0 ? w4 / (b + x - 1) : 0);
    gradient[0] += weight * r * dr;
    gradient[1] += weight * alpha * dAlpha;
    gradient[2] += weight * a * da;
    gradient[3] += weight * b * db;
    return count[0] + count[1] + lse;
  }

  /** The odds-like term a/(b+x-1)·((α+T)/(α+t_x))^(r+x) that P(alive) and E[Y] share (0 when x = 0). */
  private static double deadOdds(Params p, double x, double tx, double t) {
    if (x <= 0) {
      return 0;
    }
    double ln = Math.log(p.a()) - Math.log(p.b() + x - 1)
        + (p.r() + x) * Math.log1p((t - tx) / (p.alpha() + tx));
    return Math.exp(Math.min(ln, 700));
  }

  /**
   * P(alive | x, t_x, T) = 1 / (1 + [x > 0]·a/(b+x-1)·((α+T)/(α+t_x))^(r+x)): Fader, Hardie &amp; Lee, "Computing
   * P(alive) Using the BG/NBD Model" (2008, brucehardie.com/notes/021).
   */
  public static double probabilityAlive(Params p, double x, double tx, double t) {
    return 1.0 / (1.0 + deadOdds(p, x, tx, t));
  }

  /**
   * E[Y(horizon) | x, t_x, T]: expected purchases in the next {@code horizon} time units (equation 10). The
   * factor ((α+T)/(α+T+t))^(r+x)·2F1(r+x, b+x; a+b+x-1; z) is evaluated through Euler's transformation as
   * (1-z)^(a-1)·2F1(a+b-1-r, a-1; a+b+x-1; z), whose parameters do not grow with x.
   */
  public static double expectedPurchases(Params p, double horizon, double x, double tx, double t) {
    if (horizon <= 0) {
      return 0;
    }
    double z = horizon / (p.alpha() + t + horizon);
    double c = p.a() + p.b() + x - 1;
    // 1 - (1-z)^(a-1)·F = -((1-z)^(a-1) - 1) - (1-z)^(a-1)·(F - 1): no cancellation when z is tiny.
    double power = Math.pow(1 - z, p.a() - 1);
    double powerMinus1 = Math.expm1((p.a() - 1) * Math.log1p(-z));
    double oneMinusTail = -powerMinus1
        - power * SpecialFunctions.hyp2f1Minus1(p.a() + p.b() - 1 - p.r(), p.a() - 1, c, z);
    double value = (c / (p.a() - 1)) * oneMinusTail / (1 + deadOdds(p, x, tx, t));
    return Double.isFinite(value) ? value : Double.NaN;
  }

  /** E[X(t)]: expected purchases of a new customer in its first t time units (equation 7). */
  public static double expectedPurchasesNewCustomer(Params p, double t) {
    return expectedPurchases(p, t, 0, 0, 0);
  }
}
