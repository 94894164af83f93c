package io.cskpi.kpi.clv;

import static io.cskpi.kpi.clv.SpecialFunctions.lnGamma;

import java.io.Serializable;

/**
 * The Gamma-Gamma model of monetary value (Fader &amp; Hardie 2013, "The Gamma-Gamma Model of Monetary
 * Value"): each transaction's value is Gamma(p, ν), ν ~ Gamma(q, γ) across customers, independent of the
 * purchase process. A repeat customer is summarized by x (repeat transactions) and m̄ (their mean value).
 */
public final class GammaGamma {
  private GammaGamma() {}

  public record Params(double p, double q, double gamma) implements Serializable {
    static Params fromLog(double[] v) {
      return new Params(Math.exp(v[0]), Math.exp(v[1]), Math.exp(v[2]));
    }

    double[] toLog() {
      return new double[] {Math.log(p), Math.log(q), Math.log(gamma)};
    }
  }

  /**
   * ln f(m̄ | p, q, γ, x): the density of a customer's mean transaction value, written so that it stays exact
   * when p grows large and γ small together (customers whose spend never varies): ln Γ(px+q) - ln Γ(px) via
   * {@link SpecialFunctions#lnRising}, and (px-1) ln m̄ + px ln x - (px+q) ln(γ+x·m̄) as
   * -px·log1p(γ/(x·m̄)) - ln m̄ - q ln(γ+x·m̄).
   */
  public static double logLikelihood(Params v, double x, double mean) {
    double px = v.p() * x;
    return SpecialFunctions.lnRising(px, v.q()) - lnGamma(v.q()) + v.q() * Math.log(v.gamma())
        - px * Math.log1p(v.gamma() / (x * mean)) - Math.log(mean) - v.q() * Math.log(v.gamma() + x * mean);
  }

  /**
   * {@link #logLikelihood} and its gradient with respect to (ln p, ln q, ln γ), added to {@code gradient} times
   * {@code weight}; returns the log-likelihood.
   */
  static double logLikelihoodAndGradient(Params v, double x, double mean, double weight, double[] gradient) {
    return rowTerm(v, x, mean, countTerms(v, x), weight, gradient);
  }

  /**
   * The parts of one row's ln f and gradient that depend on the parameters and x alone: a fit computes them once
   * per distinct x instead of once per row.
   */
  static double[] countTerms(Params v, double x) {
    double px = v.p() * x;
    return new double[] {SpecialFunctions.lnRising(px, v.q()) - lnGamma(v.q()) + v.q() * Math.log(v.gamma()),
        x * SpecialFunctions.digammaDifference(px, v.q()), SpecialFunctions.digammaDifference(v.q(), px)};
  }

  /** {@link #logLikelihoodAndGradient} from the row's {@link #countTerms}. */
  static double rowTerm(Params v, double x, double mean, double[] count, double weight, double[] gradient) {
    double p = v.p();
    double q = v.q();
    double gamma = v.gamma();
    double px = p * x;
    double xm = x * mean;
    double logPart = Math.log1p(gamma / xm);
    double dp = count[1] - x * logPart;
    // d/dq [ln Γ(px+q) - ln Γ(px) - ln Γ(q)] = ψ(px+q) - ψ(q); with q ln γ - q ln(γ+xm) = -q log1p(xm/γ).
    double dq = count[2] - Math.log1p(xm / gamma);
    double dGamma = q / gamma - px / (xm + gamma) - q / (gamma + xm);
    gradient[0] += weight * p * dp;
    gradient[1] += weight * q * dq;
    gradient[2] += weight * gamma * dGamma;
    return count[0] - px * logPart - Math.log(mean) - q * Math.log(gamma + xm);
  }

  /** E[M | p, q, γ, m̄, x]: a weighted mean of the population mean pγ/(q-1) and the customer's own m̄. */
  public static double expectedSpend(Params v, double x, double mean) {
    if (v.q() <= 1) {
      return Double.NaN;
    }
    double m = x > 0 ? mean : 0;
    return (v.p() * v.gamma() + v.p() * x * m) / (v.p() * x + v.q() - 1);
  }
}
