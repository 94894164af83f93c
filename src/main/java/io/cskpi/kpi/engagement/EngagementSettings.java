package io.cskpi.kpi.engagement;

import io.cskpi.family.FamilySettings;

/**
 * Settings of the engagement family, conf {@code cskpi.engagement}.
 *
 * @param sessionGapMinutes a user's events without session_id more than this many minutes apart are two sessions
 */
public record EngagementSettings(int sessionGapMinutes) {
  public static EngagementSettings read(FamilySettings s) {
    return new EngagementSettings(s.wholeNumber("session-gap-minutes", 30, 1, "events without session_id: a user's "
        + "event more than this many minutes after its previous one (without session_id) starts a new session; "
        + "exactly this many minutes apart is still the same session"));
  }
}
