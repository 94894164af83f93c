package io.cskpi.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.kpi.voice.LanguageDetection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** OpenNLP's language detection on every comment the generator writes: how often it names the right language. */
class CommentLanguageTest {
  @Test
  void detectsTheGeneratorsCommentsWithoutAWrongLanguage() {
    String allowed = String.join(",", Vocabulary.COMMENT_LANGUAGES);
    assertEquals(Vocabulary.COMMENT_LANGUAGES.length, Vocabulary.COMMENTS.length);
    int total = 0;
    int correct = 0;
    int unknown = 0;
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < Vocabulary.COMMENTS.length; i++) {
      String language = Vocabulary.COMMENT_LANGUAGES[i];
      for (String[] sentiment : Vocabulary.COMMENTS[i]) {
        for (String comment : sentiment) {
          total++;
          String detected = LanguageDetection.detect(comment, allowed);
          if (language.equals(detected)) {
            correct++;
          } else if (detected == null) {
            unknown++;
          } else {
            wrong.add(comment + " (" + language + ", detected " + detected + ")");
          }
        }
      }
    }
    System.out.println("language detection: " + correct + "/" + total + " correct, " + unknown + " unknown, "
        + wrong.size() + " wrong");
    assertEquals(List.of(), wrong, "null (unknown) is allowed, a wrong language is not");
    assertTrue((double) correct / total >= 0.9, "accuracy " + correct + "/" + total);
    assertEquals(total, correct + unknown);
  }

  @Test
  void blankTextHasNoLanguage() {
    assertNull(LanguageDetection.detect("  ", "en,nl,de"));
    assertNull(LanguageDetection.detect(null, "en,nl,de"));
  }
}
