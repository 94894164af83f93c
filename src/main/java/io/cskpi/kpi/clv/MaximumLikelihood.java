package io.cskpi.kpi.clv;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

import java.util.function.ToDoubleFunction;

/**
 * Maximizes a log-likelihood over log-parameters with Apache Commons Math's Nelder-Mead simplex, restarted
 * from its own optimum until a restart no longer improves it (the usual guard against a collapsed simplex).
 * A non-finite likelihood counts as -infinity, so the search moves away from it.
 */
final class MaximumLikelihood {
  private MaximumLikelihood() {}

  record Result(double[] logParams, double logLikelihood, int iterations, boolean converged, double seconds) {}

  private static final int MAX_RESTARTS = 20;
  private static final double RESTART_TOLERANCE = 1e-9;

  static Result maximize(ToDoubleFunction<double[]> logLikelihood, double[] logStart) {
    long t0 = System.nanoTime();
    ObjectiveFunction objective = new ObjectiveFunction(p -> {
      double v = logLikelihood.applyAsDouble(p);
      return Double.isFinite(v) ? v : -1e300;
    });
    double[] point = logStart.clone();
    double best = Double.NEGATIVE_INFINITY;
    int iterations = 0;
    boolean converged = false;
    try {
      for (int restart = 0; restart < MAX_RESTARTS; restart++) {
        SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-13, 1e-13));
        PointValuePair optimum = optimizer.optimize(new MaxEval(200_000), new MaxIter(100_000), objective,
            GoalType.MAXIMIZE, new InitialGuess(point), new NelderMeadSimplex(point.length, 0.5));
        iterations += optimizer.getIterations();
        double value = optimum.getValue();
        point = optimum.getPoint();
        if (value - best < RESTART_TOLERANCE && value >= best) {
          best = value;
          converged = true;
          break;
        }
        best = Math.max(best, value);
      }
    } catch (TooManyEvaluationsException e) {
      converged = false;
    }
    converged &= Double.isFinite(best) && best > -1e299;
    for (double v : point) {
      converged &= Double.isFinite(v) && Math.abs(v) < 50;
    }
    return new Result(point, best, iterations, converged, (System.nanoTime() - t0) / 1e9);
  }
}
