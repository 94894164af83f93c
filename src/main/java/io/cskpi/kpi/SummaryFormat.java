package io.cskpi.kpi;

/** How the families' run-summary sections print rates and ratios. */
public final class SummaryFormat {
  private SummaryFormat() {}

  /** A rate as a percentage with one decimal; n/a for null. */
  public static String pct(Double v) {
    return v == null ? "n/a" : String.format("%.1f%%", 100 * v);
  }

  /** A ratio with two decimals; n/a for null. */
  public static String num(Double v) {
    return v == null ? "n/a" : String.format("%.2f", v);
  }
}
