package io.cskpi.cli;

import picocli.CommandLine;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A date on the command line: {@code YYYY-MM-DD}, {@code today} or {@code yesterday} (UTC), optionally minus days
 * ({@code 2026-12-02-1d}), so a scheduler that only knows its trigger date ({@code {{job.trigger.time.iso_date}}}
 * on Databricks) can ask for the day before.
 */
final class DateArgument implements CommandLine.ITypeConverter<LocalDate> {
  private static final Pattern FORM = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}|today|yesterday)(?:-(\\d+)d)?");

  @Override
  public LocalDate convert(String value) {
    Matcher m = FORM.matcher(value.strip());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a date: YYYY-MM-DD, today or "
          + "yesterday (UTC), optionally minus days as in 2026-12-02-1d");
    }
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate date;
    try {
      date = switch (m.group(1)) {
        case "today" -> today;
        case "yesterday" -> today.minusDays(1);
        default -> LocalDate.parse(m.group(1));
      };
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a date: " + e.getMessage());
    }
    return m.group(2) == null ? date : date.minusDays(Long.parseLong(m.group(2)));
  }
}
