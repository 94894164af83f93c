package io.cskpi.generate;

import java.util.List;

/**
 * The economics of the synthetic market: each plan's price and monthly churn, each acquisition channel's share,
 * trial conversion, churn multiplier and acquisition costs. The KPIs of a demo run follow from these numbers.
 */
final class Market {
  private Market() {}

  record Plan(String name, double price, double monthlyChurn) {}

  record Channel(String name, double weight, double trialConversion, double churnMultiplier,
      double marketingCac, double salesCac) {}

  static final List<Plan> PLANS = List.of(
      new Plan("starter", 49, 0.045),
      new Plan("growth", 149, 0.030),
      new Plan("pro", 399, 0.020),
      new Plan("enterprise", 1200, 0.012));
  static final String ADDON = "analytics_addon";
  static final double ADDON_PRICE = 29;

  static final List<Channel> CHANNELS = List.of(
      new Channel("organic", 0.35, 0.30, 0.8, 600, 200),
      new Channel("paid_search", 0.25, 0.22, 1.1, 2600, 400),
      new Channel("paid_social", 0.15, 0.15, 1.4, 2200, 300),
      new Channel("partner", 0.10, 0.35, 0.7, 1200, 900),
      new Channel("outbound_sales", 0.15, 0.40, 0.9, 1000, 7500));
}
