package io.cskpi.kpi.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The likelihoods and predictions stay exact where r and α (or p and 1/γ) grow large together — where the
 * textbook forms subtract two huge log-gammas and lose every digit — so an optimizer cannot run to a ridge
 * of rounding error, and the values there agree with the model's limit.
 */
class BtydNumericsTest {

  @Test
  void bgNbdLikelihoodConvergesToItsPoissonLimit() {
    // r, α -> ∞ with r/α = λ = 0.5: ln L -> x ln λ - λ T + ln B-terms (+ the dropout term). Compare two far
    // points on the ridge; the textbook form differs by thousands here.
    double near = BgNbd.logLikelihood(new BgNbd.Params(0.5e8, 1e8, 0.8, 2.5), 7, 30, 40);
    double far = BgNbd.logLikelihood(new BgNbd.Params(0.5e16, 1e16, 0.8, 2.5), 7, 30, 40);
    assertEquals(near, far, 1e-6);
    assertTrue(Double.isFinite(far) && far < 0, "a log-likelihood of a count is negative: " + far);
  }

  @Test
  void bgNbdPredictionsConvergeToTheirPoissonLimit() {
    BgNbd.Params near = new BgNbd.Params(0.5e8, 1e8, 0.8, 2.5);
    BgNbd.Params far = new BgNbd.Params(0.5e16, 1e16, 0.8, 2.5);
    double limit = BgNbd.expectedPurchases(far, 52, 7, 30, 40);
    assertEquals(limit, BgNbd.expectedPurchases(near, 52, 7, 30, 40), 1e-5 * limit, "differs by O(T/α) only");
    assertEquals(BgNbd.probabilityAlive(far, 7, 30, 40), BgNbd.probabilityAlive(near, 7, 30, 40), 1e-6);
    assertTrue(BgNbd.expectedPurchases(far, 52, 7, 30, 40) > 0);
  }

  @Test
  void gammaGammaLikelihoodIsStableWhenSpendNeverVaries() {
    double near = GammaGamma.logLikelihood(new GammaGamma.Params(1e7, 3, 4e-6 * 3), 5, 30);
    double far = GammaGamma.logLikelihood(new GammaGamma.Params(1e13, 3, 4e-12 * 3), 5, 30);
    assertTrue(Double.isFinite(near) && Double.isFinite(far));
    assertEquals(near, far, 1e-3 * Math.abs(near));
  }

  @Test
  void risingFactorialMatchesLogGammaWhereBothAreAccurate() {
    assertEquals(SpecialFunctions.lnGamma(7.3) - SpecialFunctions.lnGamma(2.3), SpecialFunctions.lnRising(2.3, 5),
        1e-12);
    assertEquals(SpecialFunctions.lnGamma(12.5) - SpecialFunctions.lnGamma(10), SpecialFunctions.lnRising(10, 2.5),
        1e-12);
  }

  @Test
  void analyticGradientsMatchCentralDifferences() {
    double[][] bgPoints = {{0.24, 4.4, 0.79, 2.4}, {3.0, 20.0, 0.2, 8.0}, {500.0, 2000.0, 1.5, 0.7}};
    double[][] bgRows = {{0, 0, 30}, {1, 5.5, 30}, {7, 29, 40}, {26, 30.86, 31}};
    for (double[] point : bgPoints) {
      for (double[] row : bgRows) {
        double[] lp = new BgNbd.Params(point[0], point[1], point[2], point[3]).toLog();
        double[] g = new double[4];
        double value = BgNbd.logLikelihoodAndGradient(BgNbd.Params.fromLog(lp), row[0], row[1], row[2], 1, g);
        assertEquals(BgNbd.logLikelihood(BgNbd.Params.fromLog(lp), row[0], row[1], row[2]), value, 1e-12);
        for (int i = 0; i < 4; i++) {
          double h = 1e-4;
          double[] up = lp.clone();
          double[] down = lp.clone();
          up[i] += h;
          down[i] -= h;
          double numeric = (BgNbd.logLikelihood(BgNbd.Params.fromLog(up), row[0], row[1], row[2])
              - BgNbd.logLikelihood(BgNbd.Params.fromLog(down), row[0], row[1], row[2])) / (2 * h);
          assertEquals(numeric, g[i], 1e-5 * Math.max(1, Math.abs(numeric)),
              "BG/NBD d/d log param " + i + " at " + java.util.Arrays.toString(point) + " row "
                  + java.util.Arrays.toString(row));
        }
      }
    }
    double[][] ggPoints = {{6.25, 3.74, 15.44}, {1e3, 2.0, 0.01}, {0.5, 12.0, 300.0}};
    double[][] ggRows = {{1, 20}, {3, 35.5}, {12, 4.25}};
    for (double[] point : ggPoints) {
      for (double[] row : ggRows) {
        double[] lp = new GammaGamma.Params(point[0], point[1], point[2]).toLog();
        double[] g = new double[3];
        double value = GammaGamma.logLikelihoodAndGradient(GammaGamma.Params.fromLog(lp), row[0], row[1], 1, g);
        assertEquals(GammaGamma.logLikelihood(GammaGamma.Params.fromLog(lp), row[0], row[1]), value, 1e-12);
        for (int i = 0; i < 3; i++) {
          double h = 1e-4;
          double[] up = lp.clone();
          double[] down = lp.clone();
          up[i] += h;
          down[i] -= h;
          double numeric = (GammaGamma.logLikelihood(GammaGamma.Params.fromLog(up), row[0], row[1])
              - GammaGamma.logLikelihood(GammaGamma.Params.fromLog(down), row[0], row[1])) / (2 * h);
          assertEquals(numeric, g[i], 1e-5 * Math.max(1, Math.abs(numeric)),
              "Gamma-Gamma d/d log param " + i + " at " + java.util.Arrays.toString(point));
        }
      }
    }
  }
}
