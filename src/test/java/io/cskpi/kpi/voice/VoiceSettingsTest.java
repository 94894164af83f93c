package io.cskpi.kpi.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.cskpi.config.InvalidSettingException;
import io.cskpi.family.FamilySettings;
import io.cskpi.kpi.voice.VoiceSettings.ScoreScale;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** conf cskpi.voice read through FamilySettings: defaults, scales, themes and the errors that name the key. */
class VoiceSettingsTest {
  private static VoiceSettings read(String conf) {
    return FamilySettings.read("voice", ConfigFactory.parseString(conf), List.of("plan"), VoiceSettings::read);
  }

  private static String error(String conf) {
    return assertThrows(InvalidSettingException.class, () -> read(conf)).getMessage();
  }

  @Test
  void defaults() {
    VoiceSettings s = read("");
    assertEquals(new VoiceSettings(true, new ScoreScale(1, 5, 4), new ScoreScale(1, 7, 5), 30, 24, 7, 14,
        List.of("en", "nl", "de"), 25, VoiceSettings.DEFAULT_THEMES), s);
    assertEquals(List.of("price", "support_quality", "missing_features", "onboarding", "reliability",
        "ease_of_use", "competitor"), List.copyOf(s.themes().keySet()));
    assertEquals(new ScoreScale(0, 10, 9), VoiceSettings.NPS);
    // FamilySettings.defaults gives the same record (used for the rules under default settings).
    assertEquals(s, FamilySettings.defaults("voice", VoiceSettings::read));
  }

  @Test
  void responsesLatestOrAll() {
    assertFalse(read("responses = all").latestOnly());
    assertTrue(read("responses = LATEST").latestOnly());
    assertTrue(error("responses = newest").startsWith("cskpi.voice.responses = newest: must be latest or all"));
  }

  @Test
  void csatOnAOneToTenScaleWithPositiveFromSix() {
    VoiceSettings s = read("csat-scale-max = 10\ncsat-positive-from = 6");
    assertEquals(new ScoreScale(1, 10, 6), s.csat());
    assertEquals(new ScoreScale(1, 7, 5), s.ces());
    assertTrue(s.csat().contains(10) && s.csat().contains(1) && !s.csat().contains(0) && !s.csat().contains(11));
    assertEquals(new ScoreScale(0, 10, 3), read("ces-scale-min = 0\nces-scale-max = 10\nces-agree-from = 3").ces());
  }

  @Test
  void goodFromOutsideTheScaleNamesItsKey() {
    // positive-from 6 on the default 1-5 scale
    assertEquals("cskpi.voice.csat-positive-from = 6: must be within the scale 1-5",
        error("csat-positive-from = 6"));
    // agree-from 0 is a whole number >= 0, but below the 1-7 scale
    assertEquals("cskpi.voice.ces-agree-from = 0: must be within the scale 1-7", error("ces-agree-from = 0"));
    // a smaller scale makes the default positive-from (4) fall outside it
    assertEquals("cskpi.voice.csat-positive-from = 4: must be within the scale 0-3", error("csat-scale-min = 0\n"
        + "csat-scale-max = 3"));
  }

  @Test
  void scaleMaxAtOrBelowMinNamesTheMax() {
    assertEquals("cskpi.voice.csat-scale-max = 5: must be above csat-scale-min (5)",
        error("csat-scale-min = 5\ncsat-scale-max = 5"));
    assertEquals("cskpi.voice.ces-scale-max = 7: must be above ces-scale-min (8)", error("ces-scale-min = 8"));
    assertTrue(error("ces-scale-max = 0").startsWith("cskpi.voice.ces-scale-max = 0: must be a whole number >= 1"));
  }

  @Test
  void wholeNumbersAreCheckedAndNamed() {
    assertEquals(14, read("followup-days = 14").followupDays());
    assertTrue(error("followup-days = 0").startsWith("cskpi.voice.followup-days = 0: must be a whole number >= 1"));
    assertTrue(error("terms-per-group = 2.5").startsWith("cskpi.voice.terms-per-group = 2.5: must be a whole number"));
    VoiceSettings s = read("detractor-call-hours = 48\npassive-followup-days = 3\npromoter-followup-days = 1");
    assertEquals(List.of(48, 3, 1), List.of(s.detractorCallHours(), s.passiveFollowupDays(), s.promoterFollowupDays()));
  }

  @Test
  void aThemeOverrideReplacesThatThemeAndAnEmptyOneRemovesIt() {
    VoiceSettings s = read("themes { price { en = [Cheap, \" costly \"], nl = [goedkoop] }\ncompetitor {} }");
    Map<String, Map<String, List<String>>> expected = new LinkedHashMap<>(VoiceSettings.DEFAULT_THEMES);
    // price is replaced entirely (no German keywords left), words lower case and stripped
    expected.put("price", Map.of("en", List.of("cheap", "costly"), "nl", List.of("goedkoop")));
    expected.remove("competitor");
    assertEquals(expected, s.themes());
    assertEquals(Set.of("price", "support_quality", "missing_features", "onboarding", "reliability",
        "ease_of_use"), s.themes().keySet());
    // A new theme is added next to the defaults.
    VoiceSettings added = read("themes { security { en = [secur, privacy] } }");
    assertEquals(8, added.themes().size());
    assertEquals(Map.of("en", List.of("secur", "privacy")), added.themes().get("security"));
    assertEquals(VoiceSettings.DEFAULT_THEMES.get("price"), added.themes().get("price"));
  }

  @Test
  void aThemeThatIsNotAnObjectNamesItsKey() {
    assertTrue(error("themes { price = [cheap] }").startsWith("cskpi.voice.themes.price = "), "names the entry");
  }

  @Test
  void unknownKeysAreRejected() {
    String message = error("csat-scale-maximum = 10");
    assertTrue(message.startsWith("unknown setting cskpi.voice.csat-scale-maximum = 10"), message);
    assertTrue(message.contains("csat-scale-max"), "lists the keys it takes: " + message);
  }

  @Test
  void aLanguageWithoutSparkStopWordsIsRejected() {
    assertEquals(List.of("en", "fr"), read("languages = [en, fr]").languages());
    String message = error("languages = [en, ja]");
    assertTrue(message.startsWith("cskpi.voice.languages = ja: each must be ISO 639-1 codes with a Spark ML "
        + "stop-word list"), message);
  }
}
