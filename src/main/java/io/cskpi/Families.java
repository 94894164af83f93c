package io.cskpi;

import io.cskpi.family.KpiFamily;

import java.util.List;

/**
 * Every KPI family cs-kpi knows, one line each. The pipeline orders them by the tables they read, so the order
 * here is only the order of the README and of ties. Adding a family: see the README, "Adding a KPI family".
 */
public final class Families {
  private Families() {}

  public static final List<KpiFamily> ALL = List.of(
      new io.cskpi.kpi.revenue.RevenueFamily(),
      new io.cskpi.kpi.economics.EconomicsFamily(),
      new io.cskpi.kpi.clv.ClvFamily(),
      new io.cskpi.kpi.voice.VoiceFamily(),
      new io.cskpi.kpi.support.SupportFamily(),
      new io.cskpi.kpi.scorecard.ScorecardFamily(),
      new io.cskpi.kpi.engagement.EngagementFamily(),
      new io.cskpi.kpi.onboarding.OnboardingFamily(),
      new io.cskpi.kpi.health.HealthFamily());
}
