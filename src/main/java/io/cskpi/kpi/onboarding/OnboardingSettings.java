package io.cskpi.kpi.onboarding;

import io.cskpi.family.FamilySettings;
import io.cskpi.family.FamilySettings.Weighted;

import java.util.List;

/**
 * Settings of the onboarding family, conf {@code cskpi.onboarding}.
 *
 * @param windowDays      a milestone counts when first reached within this many days from signup (day 0)
 * @param milestones      event names in the order a customer should reach them, with their weights
 * @param activation      the "aha" milestones: all reached in the window = activated
 * @param stuckMilestone  onboarding_stuck lists customers without this milestone ...
 * @param stuckAfterDays  ... this many days or more after signup ...
 * @param stuckMaxDays    ... and at most this many (older customers are past onboarding)
 * @param trialDays       trial length when trial_end_date is null
 * @param trialGraceDays  a trial converts when paid by trial end + this many days
 */
public record OnboardingSettings(int windowDays, List<Weighted> milestones, List<String> activation,
    String stuckMilestone, int stuckAfterDays, int stuckMaxDays, int trialDays, int trialGraceDays) {

  static final List<Weighted> DEFAULT_MILESTONES = List.of(new Weighted("login", 10),
      new Weighted("dashboard_created", 30), new Weighted("integration_connected", 30), new Weighted("invite_sent", 30));

  public double totalWeight() {
    return milestones.stream().mapToDouble(Weighted::weight).sum();
  }

  public List<String> milestoneNames() {
    return milestones.stream().map(Weighted::name).toList();
  }

  public static OnboardingSettings read(FamilySettings s) {
    int window = s.wholeNumber("window-days", 30, 1, "a milestone counts for onboarding when its event first happens "
        + "within this many days of signup: on day 0 (the signup date) to day window-days - 1; an event before "
        + "signup counts as day 0");
    List<Weighted> milestones = s.weightedList("milestones", "event", DEFAULT_MILESTONES, "onboarding milestones: "
        + "event names in the order a new customer should reach them, each with its weight in onboarding_score");
    List<String> names = milestones.stream().map(Weighted::name).toList();
    List<String> activation = s.texts("activation", List.of("dashboard_created", "integration_connected"),
        "event names of cskpi.onboarding.milestones", names::contains, "the \"aha\" milestones: a customer is "
            + "activated when it reached all of them in the window");
    if (activation.isEmpty()) {
      throw s.invalid("activation", "[]", "must name at least one milestone");
    }
    String stuck = s.text("stuck-milestone", "dashboard_created", "an event name of cskpi.onboarding.milestones",
        names::contains, "onboarding_stuck lists customers that have not reached this milestone ...");
    int after = s.wholeNumber("stuck-after-days", 14, 0, "... stuck-after-days or more days after signup ...");
    int max = s.wholeNumber("stuck-max-days", 90, 0, "... and at most stuck-max-days (older customers are past "
        + "onboarding and left to other lists)");
    if (max < after) {
      throw s.invalid("stuck-max-days", max, "must be >= stuck-after-days (" + after + ")");
    }
    int trialDays = s.wholeNumber("trial-days", 14, 0, "trial length in days where trial_end_date is null");
    int grace = s.wholeNumber("trial-grace-days", 7, 0, "a trial converted when its customer's first paid "
        + "subscription starts by trial_end_date + this many days");
    return new OnboardingSettings(window, milestones, activation, stuck, after, max, trialDays, grace);
  }
}
