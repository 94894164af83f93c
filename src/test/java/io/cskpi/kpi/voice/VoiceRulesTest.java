package io.cskpi.kpi.voice;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cskpi.SparkTest;
import io.cskpi.family.FamilySettings;
import io.cskpi.quality.RowRule;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The quarantine rules the voice family adds to surveys, from its declaration and settings. */
class VoiceRulesTest extends SparkTest {
  private static Object[] answer(String id, String type, Integer score, String language) {
    return row(id, "c1", type, score, null, Instant.parse("2024-03-10T10:00:00Z"), "support", language);
  }

  private static final Dataset<Row> SURVEYS = frame("response_id STRING, customer_id STRING, survey_type STRING, "
          + "score INT, comment STRING, responded_ts TIMESTAMP, touchpoint STRING, language STRING",
      answer("v01", "NPS", 11, "en"),
      answer("v02", "NPS", -1, null),
      answer("v03", "NPS", 0, "eng"),
      answer("v04", "NPS", 10, "e1"),
      answer("v05", "CSAT", 6, null),
      answer("v06", "CSAT", 5, "EN"),
      answer("v07", "CSAT", 0, null),
      answer("v08", "CES", 0, null),
      answer("v09", "CES", 8, null),
      answer("v10", "CES", 7, null),
      answer("v11", "CES", 1, " de "),
      answer("v12", "XYZ", 50, null),
      answer("v13", " nps", 11, null),
      answer("v14", "csat", 3, null),
      answer("v15", "NPS", null, null),
      row("v16", "c1", "NPS", 9, null, Instant.parse("2024-03-10T10:00:00Z"), " All ", null),
      row("v17", "c1", "NPS", 9, null, Instant.parse("2024-03-10T10:00:00Z"), null, null));

  private static VoiceSettings settings(String conf) {
    return FamilySettings.read("voice", ConfigFactory.parseString(conf), List.of(), VoiceSettings::read);
  }

  /** Rule name → response_ids whose row breaks it (a null result keeps the row). */
  private static Map<String, List<String>> violations(List<RowRule> rules) {
    return rules.stream().collect(Collectors.toMap(RowRule::name, r -> SURVEYS.filter(r.violated())
        .select("response_id").collectAsList().stream().map(x -> x.getString(0)).sorted().toList()));
  }

  @Test
  void rulesUnderDefaultSettings() {
    List<RowRule> rules = new VoiceFamily().declaration().rules(settings(""));
    assertTrue(rules.stream().allMatch(r -> r.table().equals("surveys")));
    assertEquals(Map.of(
        // NPS 11, -1 (and " nps" 11); CSAT 6 and 0 outside 1-5; CES 0 and 8 outside 1-7. XYZ is no scale's.
        "score_out_of_scale", List.of("v01", "v02", "v05", "v07", "v08", "v09", "v13"),
        // " nps" and "csat" are NPS and CSAT in any case and spacing
        "unknown_survey_type", List.of("v12"),
        // 'all' names the row of every touchpoint together; a null touchpoint is 'unknown'. A bad language tag
        // ("eng", "e1") is no reason to drop a score: it is detected instead (FeedbackTextTest).
        "reserved_touchpoint", List.of("v16")), violations(rules));
    RowRule scale = rules.stream().filter(r -> r.name().equals("score_out_of_scale")).findFirst().orElseThrow();
    assertTrue(scale.description().contains("NPS 0-10, CSAT 1-5, CES 1-7"), scale.description());
  }

  @Test
  void aOneToTenCsatScaleAcceptsSix() {
    List<RowRule> rules = new VoiceFamily().declaration().rules(settings("csat-scale-max = 10\n"
        + "csat-positive-from = 6"));
    // CSAT 6 is now on the scale; CSAT 0 is still below its minimum 1.
    assertEquals(List.of("v01", "v02", "v07", "v08", "v09", "v13"), violations(rules).get("score_out_of_scale"));
    RowRule scale = rules.stream().filter(r -> r.name().equals("score_out_of_scale")).findFirst().orElseThrow();
    assertTrue(scale.description().contains("CSAT 1-10"), scale.description());
    // The declaration's default rules are those of the default settings.
    assertEquals(violations(new VoiceFamily().declaration().rules(settings(""))),
        violations(new VoiceFamily().declaration().defaultRules()));
  }

  @Test
  void everyRuleIsFalseNotNullOnAGoodRow() {
    // A quarantine filter keeps rows whose rule is null, so a good row must give false, never null.
    for (RowRule r : new VoiceFamily().declaration().rules(settings(""))) {
      Row v10 = SURVEYS.filter(col("response_id").equalTo("v10")).select(r.violated().as("v")).first();
      assertEquals(false, v10.get(0), r.name());
    }
  }
}
