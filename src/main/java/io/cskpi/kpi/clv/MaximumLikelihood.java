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
 * Maximizes a log-likelihood over log-parameters. With an analytic gradient: a quasi-Newton method (BFGS with a
 * backtracking line search), tens of evaluations. Without one, or when BFGS does not converge (a likelihood rising
 * towards a limit of the model): Apache Commons Math's Nelder-Mead simplex from the same start, restarted from its
 * own optimum until a restart no longer improves it (the usual guard against a collapsed simplex), within
 * {@link #MAX_SIMPLEX_EVALUATIONS} evaluations. A non-finite likelihood counts as -infinity, so the search moves
 * away from it.
 */
final class MaximumLikelihood {
  private MaximumLikelihood() {}

  record Result(double[] logParams, double logLikelihood, int iterations, boolean converged, double seconds) {}

  private static final int MAX_RESTARTS = 20;
  private static final double RESTART_TOLERANCE = 1e-9;
  /**
   * The simplex's evaluations over all its restarts: each costs a pass over the rows, so an unbounded search on a
   * large fit could run for hours. A search that needs more is reported as not converged.
   */
  static final int MAX_SIMPLEX_EVALUATIONS = 20_000;

  /** A log-likelihood that adds its gradient (with respect to the log-parameters) into {@code gradient}. */
  interface Differentiable {
    double valueAndGradient(double[] logParams, double[] gradient);
  }

  /** BFGS on {@code logLikelihood}; the simplex from {@code logStart} when BFGS does not converge. */
  static Result maximize(Differentiable logLikelihood, double[] logStart) {
    long t0 = System.nanoTime();
    Result bfgs = quasiNewton(logLikelihood, logStart);
    if (!bfgs.converged()) {
      Result simplex = maximize(p -> logLikelihood.valueAndGradient(p, new double[p.length]), logStart);
      return new Result(simplex.logParams(), simplex.logLikelihood(), bfgs.iterations() + simplex.iterations(),
          simplex.converged(), (System.nanoTime() - t0) / 1e9);
    }
    return new Result(bfgs.logParams(), bfgs.logLikelihood(), bfgs.iterations(), true,
        (System.nanoTime() - t0) / 1e9);
  }

  /** The largest step of one log-parameter in one line search (e^5: 150 times the value). */
  private static final double MAX_STEP = 5;
  /** A log-parameter beyond ±50 is a run towards a limit of the model, not an optimum. */
  private static final double EDGE = 50;

  /**
   * BFGS minimizing -ln L: converged when the largest gradient component is below 1e-9·max(1, |ln L|), or when no
   * step along the search direction decreases -ln L while the gradient is below 1e-5·max(1, |ln L|) (the optimum
   * up to rounding).
   */
  private static Result quasiNewton(Differentiable logLikelihood, double[] start) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = negated(logLikelihood, x, g);
    double[][] h = identity(n, 1);
    for (int iteration = 0; iteration < 1000; iteration++) {
      if (!Double.isFinite(fx) || !finite(g) || outside(x)) {
        return new Result(x, -fx, iteration, false, 0);
      }
      double scale = Math.max(1, Math.abs(fx));
      if (normInf(g) <= 1e-9 * scale) {
        return new Result(x, -fx, iteration, true, 0);
      }
      double[] d = times(h, g, -1);
      double slope = dot(d, g);
      if (!(slope < 0)) {   // not a descent direction: restart from the gradient
        h = identity(n, 1);
        d = times(h, g, -1);
        slope = dot(d, g);
      }
      // Backtracking until -ln L decreases enough (Armijo); a full step that does is then lengthened while the
      // slope along d stays steep (the curvature condition), so that s·y > 0 and the update learns the curvature.
      double limit = Math.min(1, MAX_STEP / normInf(d));
      double step = limit;
      double[] xn = null;
      double[] gn = null;
      double fn = Double.NaN;
      boolean decreased = false;
      for (int k = 0; k < 60; k++) {
        xn = along(x, d, step);
        if (java.util.Arrays.equals(xn, x)) {
          break;   // the step no longer moves x: no decrease is left to find along d
        }
        gn = new double[n];
        fn = negated(logLikelihood, xn, gn);
        // Strictly lower: near a flat optimum the Armijo margin rounds away, and an equal value is no progress.
        decreased = Double.isFinite(fn) && finite(gn) && fn < fx && fn <= fx + 1e-4 * step * slope;
        if (decreased) {
          break;
        }
        step /= 2;
      }
      if (!decreased) {
        return new Result(x, -fx, iteration, normInf(g) <= 1e-5 * scale, 0);
      }
      for (int e = 0; step == limit && e < 30 && dot(gn, d) < 0.9 * slope && 2 * step * normInf(d) <= MAX_STEP; e++) {
        double longer = step * 2;
        double[] xl = along(x, d, longer);
        double[] gl = new double[n];
        double fl = negated(logLikelihood, xl, gl);
        if (!(Double.isFinite(fl) && finite(gl) && fl <= fx + 1e-4 * longer * slope && fl < fn)) {
          break;
        }
        step = longer;
        limit = longer;
        xn = xl;
        gn = gl;
        fn = fl;
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = xn[i] - x[i];
        y[i] = gn[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
        if (iteration == 0) {
          h = identity(n, sy / dot(y, y));
        }
        double rho = 1 / sy;
        double[] hy = times(h, y, 1);
        double yhy = dot(y, hy);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
          }
        }
      }
      x = xn;
      g = gn;
      fx = fn;
    }
    return new Result(x, -fx, 1000, false, 0);
  }

  private static double[] along(double[] x, double[] d, double step) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + step * d[i];
    }
    return out;
  }

  /** -ln L at x, its gradient into g (overwritten). */
  private static double negated(Differentiable logLikelihood, double[] x, double[] g) {
    java.util.Arrays.fill(g, 0);
    double v = logLikelihood.valueAndGradient(x, g);
    for (int i = 0; i < g.length; i++) {
      g[i] = -g[i];
    }
    return -v;
  }

  private static double[][] identity(int n, double diagonal) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = diagonal;
    }
    return m;
  }

  private static double[] times(double[][] m, double[] v, double factor) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v.length; j++) {
        out[i] += factor * m[i][j] * v[j];
      }
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double normInf(double[] v) {
    double max = 0;
    for (double e : v) {
      max = Math.max(max, Math.abs(e));
    }
    return max;
  }

  private static boolean finite(double[] v) {
    for (double e : v) {
      if (!Double.isFinite(e)) {
        return false;
      }
    }
    return true;
  }

  private static boolean outside(double[] x) {
    for (double e : x) {
      if (Math.abs(e) > EDGE) {
        return true;
      }
    }
    return false;
  }

  /** Nelder-Mead simplex with restarts, on the value alone. */
  static Result maximize(ToDoubleFunction<double[]> logLikelihood, double[] logStart) {
    long t0 = System.nanoTime();
    ObjectiveFunction objective = new ObjectiveFunction(p -> {
      double v = logLikelihood.applyAsDouble(p);
      return Double.isFinite(v) ? v : -1e300;
    });
    double[] point = logStart.clone();
    double best = Double.NEGATIVE_INFINITY;
    int iterations = 0;
    int evaluationsLeft = MAX_SIMPLEX_EVALUATIONS;
    boolean converged = false;
    try {
      for (int restart = 0; restart < MAX_RESTARTS && evaluationsLeft > 0; restart++) {
        SimplexOptimizer optimizer = new SimplexOptimizer(new SimpleValueChecker(1e-13, 1e-13));
        PointValuePair optimum = optimizer.optimize(new MaxEval(evaluationsLeft), new MaxIter(evaluationsLeft),
            objective, GoalType.MAXIMIZE, new InitialGuess(point), new NelderMeadSimplex(point.length, 0.5));
        iterations += optimizer.getIterations();
        evaluationsLeft -= optimizer.getEvaluations();
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
