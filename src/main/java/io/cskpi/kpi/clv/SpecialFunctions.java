package io.cskpi.kpi.clv;

import org.apache.commons.math3.special.Gamma;

/** The special functions the BTYD models need, guarded so that no NaN or infinity leaks out silently. */
final class SpecialFunctions {
  private SpecialFunctions() {}

  static double lnGamma(double x) {
    return Gamma.logGamma(x);
  }

  /**
   * ln Γ(z + n) - ln Γ(z), the log of the rising factorial. For large z and whole n it is the sum of
   * ln(z + k), exact where the difference of two log-gammas loses every digit; for large z otherwise a
   * Stirling expansion; else (and for few terms) the plain difference or sum, whichever is cheaper.
   */
  static double lnRising(double z, double n) {
    boolean whole = n == Math.rint(n) && n >= 0;
    if (whole && (n <= 4 || (z > 1e5 && n <= 100_000))) {
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += Math.log(z + k);
      }
      return sum;
    }
    if (z > 1e7) {
      // Stirling: n ln z + n(n-1)/(2z) + O(z^-2).
      return n * Math.log(z) + n * (n - 1) / (2 * z);
    }
    // Below 1e5 the two log-gammas are < 1e6 and their difference keeps ~1e-10 absolute accuracy.
    return lnGamma(z + n) - lnGamma(z);
  }

  /**
   * ψ(z + n) - ψ(z), the derivative of {@link #lnRising} in z, computed the way lnRising is (the sum of 1/(z + k)
   * for whole n where lnRising sums logs, Stirling's derivative for huge z), so gradients match the likelihood.
   */
  static double digammaDifference(double z, double n) {
    boolean whole = n == Math.rint(n) && n >= 0;
    if (whole && (n <= 4 || (z > 1e5 && n <= 100_000))) {
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += 1 / (z + k);
      }
      return sum;
    }
    if (z > 1e7) {
      return n / z - n * (n - 1) / (2 * z * z);
    }
    return Gamma.digamma(z + n) - Gamma.digamma(z);
  }

  /** ψ(x). */
  static double digamma(double x) {
    return Gamma.digamma(x);
  }

  /** ln(e^u + e^v) without overflow; either may be -infinity. */
  static double logSumExp(double u, double v) {
    double m = Math.max(u, v);
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    return m + Math.log(Math.exp(u - m) + Math.exp(v - m));
  }

  /**
   * Gauss hypergeometric 2F1(a, b; c; z) for 0 <= z < 1 by its power series; NaN if it does not converge in
   * a million terms (the caller reports it, never uses it).
   */
  static double hyp2f1(double a, double b, double c, double z) {
    return 1.0 + hyp2f1Minus1(a, b, c, z);
  }

  /** 2F1(a, b; c; z) - 1, accurate also when z is tiny (where 2F1 rounds to 1). */
  static double hyp2f1Minus1(double a, double b, double c, double z) {
    if (z < 0 || z >= 1) {
      throw new IllegalArgumentException("hyp2f1 series needs 0 <= z < 1, got " + z);
    }
    double term = 1.0;
    double sum = 0.0;
    for (int n = 0; n < 1_000_000; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (Math.abs(term) <= 1e-16 * Math.abs(sum) || term == 0) {
        return sum;
      }
      if (!Double.isFinite(sum)) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }
}
