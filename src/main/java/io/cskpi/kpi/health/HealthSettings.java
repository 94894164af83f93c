package io.cskpi.kpi.health;

import io.cskpi.family.FamilySettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the health family, conf {@code cskpi.health}.
 *
 * @param weights         component → weight, summing to 100
 * @param neutralMissing  false: a missing component's weight goes to the others (renormalise); true: it counts 50
 */
public record HealthSettings(Map<String, Double> weights, boolean neutralMissing, int snapshotMonths,
    int voiceDays, int csatScaleMin, int csatScaleMax, int supportDays, int overdueDays, double alertDropPoints,
    int backtestMonths) {

  /** The components, in the order of health_scores' columns. */
  public static final List<String> COMPONENTS = List.of("usage", "voice", "support", "billing");
  private static final Map<String, Double> DEFAULT_WEIGHTS = Map.of("usage", 40.0, "voice", 10.0, "support", 20.0,
      "billing", 30.0);

  public double weight(String component) {
    return weights.get(component);
  }

  public static HealthSettings read(FamilySettings s) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String c : COMPONENTS) {
      weights.put(c, s.number("weights." + c, DEFAULT_WEIGHTS.get(c), "[0, 100]", "weight of the " + c
          + " component in the score; the four weights must sum to 100"));
    }
    if (weights.get("usage") <= 0) {
      throw s.invalid("weights.usage", weights.get("usage"), "must be above 0: usage is the one component every "
          + "customer has, so every score has a weight to stand on");
    }
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    if (Math.abs(total - 100) > 1e-9) {
      throw s.invalid("weights", weights, "must sum to 100, not " + total);
    }
    boolean neutral = s.choice("missing-component", "renormalise", List.of("renormalise", "neutral"), "a component "
        + "a customer has no data for (no survey answer yet, no MRR three months ago): renormalise spreads its weight "
        + "over the others; neutral counts it as 50. Never 0.").equals("neutral");
    int months = s.wholeNumber("snapshot-months", 24, 1, "month-end snapshots before the as-of date kept in "
        + "health_scores (and so in the backtest)");
    int voiceDays = s.wholeNumber("voice-days", 180, 1, "the voice component uses the latest NPS and CSAT answers of "
        + "this many days up to the snapshot date");
    int csatMin = s.wholeNumber("csat-scale-min", 1, 0, "lowest CSAT score (as cskpi.voice.csat-scale-min)");
    int csatMax = s.wholeNumber("csat-scale-max", 5, 1, "highest CSAT score (as cskpi.voice.csat-scale-max)");
    if (csatMax <= csatMin) {
      throw s.invalid("csat-scale-max", csatMax, "must be above csat-scale-min (" + csatMin + ")");
    }
    int supportDays = s.wholeNumber("support-days", 90, 1, "the support component counts tickets created in this "
        + "many days up to the snapshot date");
    int overdue = s.wholeNumber("overdue-days", 7, 1, "a ticket still open this many days after creation is overdue");
    double drop = s.number("alert-drop-points", 15, "(0, 100]", "health_alerts: a score drop of more than this "
        + "many points since the previous snapshot");
    int backtest = s.wholeNumber("backtest-months", 3, 1, "health_backtest: churn within this many months after a "
        + "snapshot");
    return new HealthSettings(Map.copyOf(weights), neutral, months, voiceDays, csatMin, csatMax, supportDays, overdue,
        drop, backtest);
  }
}
