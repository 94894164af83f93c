package io.cskpi.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** Dates on the command line: ISO, today/yesterday (UTC), minus days for schedulers that know only their date. */
class DateArgumentTest {
  private final DateArgument dates = new DateArgument();

  @Test
  void isoDatesTodayYesterdayAndDaysBefore() {
    assertEquals(LocalDate.parse("2024-02-29"), dates.convert("2024-02-29"));
    assertEquals(LocalDate.parse("2024-02-29"), dates.convert("2024-03-01-1d"));   // leap day
    assertEquals(LocalDate.parse("2023-12-31"), dates.convert("2024-01-31-31d"));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate asked = dates.convert("yesterday");
    // around midnight UTC the clock may move between the two calls
    assertTrue(asked.equals(today.minusDays(1)) || asked.equals(today), asked.toString());
    LocalDate weekAgo = dates.convert("today-7d");
    assertTrue(weekAgo.equals(today.minusDays(7)) || weekAgo.equals(today.minusDays(6)), weekAgo.toString());
  }

  @Test
  void anythingElseIsRefusedWithTheFormsItTakes() {
    for (String bad : new String[] {"2024-02-30", "31/01/2024", "2024-01-31-1", "tomorrow", "2024-01-31+1d"}) {
      CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
          () -> dates.convert(bad));
      assertTrue(e.getMessage().contains("is not a date"), e.getMessage());
    }
  }
}
