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
}
