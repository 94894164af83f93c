package io.cskpi.kpi.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class MaximumLikelihoodTest {

  @Test
  void findsTheMaximumOfASmoothFunction() {
    // -(x - 1)^2 - 10 (y + 2)^2 peaks at (1, -2) with value 0.
    MaximumLikelihood.Result r = MaximumLikelihood.maximize(
        p -> -Math.pow(p[0] - 1, 2) - 10 * Math.pow(p[1] + 2, 2), new double[] {5, 5});
    assertTrue(r.converged());
    assertEquals(1, r.logParams()[0], 1e-5);
    assertEquals(-2, r.logParams()[1], 1e-5);
    assertEquals(0, r.logLikelihood(), 1e-9);
  }

  @Test
  void aLikelihoodThatIsNeverFiniteIsReportedAsNotConverged() {
    MaximumLikelihood.Result r = MaximumLikelihood.maximize(p -> Double.NaN, new double[] {0, 0});
    assertFalse(r.converged());
  }

  @Test
  void anUnboundedLikelihoodIsReportedAsNotConverged() {
    // Increases without bound as p -> infinity: the search runs off to a non-finite point.
    MaximumLikelihood.Result r = MaximumLikelihood.maximize(p -> p[0], new double[] {0});
    assertFalse(r.converged());
  }

  @Test
  void theSimplexStopsWithinItsEvaluationBudget() {
    // A value that changes at every evaluation never lets the simplex settle, so it runs until its evaluations are
    // used up (before the budget: 200,000 per restart).
    int[] evaluations = {0};
    java.util.Random noise = new java.util.Random(7);
    MaximumLikelihood.Result r = MaximumLikelihood.maximize(p -> {
      evaluations[0]++;
      return noise.nextDouble();
    }, new double[] {0, 0});
    assertFalse(r.converged());
    assertTrue(evaluations[0] <= MaximumLikelihood.MAX_SIMPLEX_EVALUATIONS + 1, evaluations[0] + " evaluations");
  }

  @Test
  void quasiNewtonStopsWhereNoStepLowersTheValueAnyMore() {
    // A large likelihood peaking sharply at 10, where the gradient is off by 0.5 (rounding noise of a sum over many
    // rows is of that kind): every step the gradient suggests lowers the value, down to steps too short to move x
    // at all (0.5 <= 1e-5 |ln L|: the optimum within rounding). Before, the unmoved point's equal value counted as a
    // decrease, and BFGS repeated that step 1,000 times before the simplex took over; the 1,000,000-customer
    // BG/NBD fit did exactly that at its Poisson limit.
    int[] evaluations = {0};
    MaximumLikelihood.Result r = MaximumLikelihood.maximize((MaximumLikelihood.Differentiable) (p, g) -> {
      evaluations[0]++;
      g[0] += p[0] == 10 ? 0.5 : -1e7 * Math.signum(p[0] - 10);
      return 1.2e7 - 1e7 * Math.abs(p[0] - 10);
    }, new double[] {10});
    assertTrue(r.converged());
    assertEquals(10, r.logParams()[0], 0);
    assertTrue(r.iterations() < 5, r.iterations() + " iterations");
    assertTrue(evaluations[0] < 100, evaluations[0] + " evaluations");
  }

  @Test
  void gammaGammaRejectsZeroSpendAndBgNbdRejectsNoCustomers() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> BtydEstimator.fitGammaGamma(List.of(new BtydEstimator.SpendRow(1, 0, 3))));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> BtydEstimator.fitBgNbd(List.of()));
  }

  @Test
  void hypergeometricSeriesMatchesClosedForms() {
    // 2F1(1, 1; 2; z) = -ln(1 - z) / z; 2F1(a, b; b; z) = (1 - z)^-a.
    assertEquals(-Math.log(1 - 0.9) / 0.9, SpecialFunctions.hyp2f1(1, 1, 2, 0.9), 1e-12);
    assertEquals(Math.pow(1 - 0.5, -2.5), SpecialFunctions.hyp2f1(2.5, 3, 3, 0.5), 1e-12);
  }
}
