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
    // A large likelihood peaking at 0 whose gradient near the peak is off by 0.5 (rounding noise of a sum over many
    // rows is of that kind): there it points uphill in a value that only falls. Within rounding the peak is the
    // optimum (0.5 <= 1e-5 |ln L|). Before, a step too short to change the value counted as a decrease, and BFGS
    // repeated such steps for 1,000 iterations before the simplex took over.
    int[] evaluations = {0};
    MaximumLikelihood.Result r = MaximumLikelihood.maximize((MaximumLikelihood.Differentiable) (p, g) -> {
      evaluations[0]++;
      g[0] += -2 * p[0] + (Math.abs(p[0]) < 1e-3 ? 0.5 : 0);
      return 1.2e7 - p[0] * p[0];
    }, new double[] {-3});
    assertTrue(r.converged());
    assertEquals(0, r.logParams()[0], 1e-3);
    assertTrue(r.iterations() < 50, r.iterations() + " iterations");
    assertTrue(evaluations[0] < 500, evaluations[0] + " evaluations");
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
