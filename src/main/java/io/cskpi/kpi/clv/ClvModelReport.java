package io.cskpi.kpi.clv;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one rendering of a CLV model, from its named values ({@link FittedClvModel#fields()} plus the run's
 * model_status, time_unit, calibration window, horizon and, for {@code clv-fit}, the holdout): as text for people,
 * as JSON for scripts. The clv_model table holds the same values under the same names.
 */
public final class ClvModelReport {
  private ClvModelReport() {}

  public static String text(Map<String, ?> m) {
    StringBuilder s = new StringBuilder();
    if (m.get("model_status") != null) {
      s.append(String.format(Locale.ROOT, "CLV model: %s", m.get("model_status")));
      if (m.get("calibration_start") != null) {
        s.append(String.format(Locale.ROOT, ", calibration %s .. %s", m.get("calibration_start"),
            m.get("calibration_end")));
      }
      if (m.get("horizon") != null) {
        s.append(String.format(Locale.ROOT, ", horizon %s %ss", num(m.get("horizon")), m.get("time_unit")));
      }
      s.append(String.format("%n"));
    }
    if (m.get("r") != null) {
      s.append(String.format(Locale.ROOT, "BG/NBD (%s, calibration to %s, %,d customers, %,d distinct rows)%n",
          m.get("time_unit"), m.get("calibration_end"), number(m, "bgnbd_customers").longValue(),
          number(m, "bgnbd_distinct_rows").longValue()));
      s.append(String.format(Locale.ROOT, "  r = %s  alpha = %s  a = %s  b = %s%n", param(m.get("r")),
          param(m.get("alpha")), param(m.get("a")), param(m.get("b"))));
      s.append(String.format(Locale.ROOT, "  log-likelihood = %.4f  converged = %s  iterations = %d%s%s%n",
          m.get("bgnbd_log_likelihood"), m.get("bgnbd_converged"), number(m, "bgnbd_iterations").intValue(),
          m.get("bgnbd_fit_seconds") == null ? "" : String.format(Locale.ROOT, "  %.2f s", m.get("bgnbd_fit_seconds")),
          Boolean.TRUE.equals(m.get("bgnbd_at_boundary"))
              ? "  (at the model's boundary: no spread in purchase rates)" : ""));
    }
    if (m.get("p") != null) {
      s.append(String.format(Locale.ROOT, "Gamma-Gamma (%,d repeat customers)%n", number(m, "gg_customers").longValue()));
      s.append(String.format(Locale.ROOT, "  p = %s  q = %s  gamma = %s%n", param(m.get("p")), param(m.get("q")),
          param(m.get("gamma"))));
      s.append(String.format(Locale.ROOT, "  log-likelihood = %.4f  converged = %s  iterations = %d%n",
          m.get("gg_log_likelihood"), m.get("gg_converged"), number(m, "gg_iterations").intValue()));
    }
    if (m.get("holdout_predicted") != null) {
      double predicted = number(m, "holdout_predicted").doubleValue();
      long actual = number(m, "holdout_actual").longValue();
      s.append(String.format(Locale.ROOT, "Holdout %s .. %s: predicted repeat purchases %.1f, actual %d (%+.1f%%)%n",
          ((LocalDate) m.get("calibration_end")).plusDays(1), m.get("holdout_end"), predicted, actual,
          100 * (predicted - actual) / actual));
    }
    return s.toString().stripTrailing();
  }

  /** One JSON object; null values are left out. */
  public static String json(Map<String, ?> m) {
    return m.entrySet().stream().filter(e -> e.getValue() != null)
        .map(e -> "\"" + e.getKey() + "\":" + jsonValue(e.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String jsonValue(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%.10g", d) : "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Four decimals, or four significant digits for a parameter at the model's boundary (1e13, 1e-9). */
  private static String param(Object v) {
    double d = ((Number) v).doubleValue();
    return String.format(Locale.ROOT, d >= 1e-3 && d < 1e6 ? "%.4f" : "%.4g", d);
  }

  private static Number number(Map<String, ?> m, String key) {
    return (Number) m.get(key);
  }

  private static String num(Object v) {
    double d = ((Number) v).doubleValue();
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
