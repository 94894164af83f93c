package io.cskpi.generate;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * What to generate: {@code customers} customers signing up over {@code months} months that end on
 * {@code end}; {@code eventsPerCustomerMonth} is the mean number of usage events of an engaged customer.
 */
public record GeneratorSettings(long customers, int months, long seed, LocalDate end, double eventsPerCustomerMonth)
    implements Serializable {
  public GeneratorSettings {
    if (customers < 1) {
      throw new IllegalArgumentException("--customers must be >= 1, got " + customers);
    }
    if (months < 1 || months > 600) {
      throw new IllegalArgumentException("--months must be in 1..600, got " + months);
    }
    if (eventsPerCustomerMonth < 0) {
      throw new IllegalArgumentException("--events-per-month must be >= 0, got " + eventsPerCustomerMonth);
    }
  }

  /** First day of the first month. */
  public LocalDate start() {
    return end.withDayOfMonth(1).minusMonths(months - 1L);
  }

  /** Partitions for customer-level tables: about 25,000 customers each. */
  public int partitions() {
    return (int) Math.max(2, Math.min(10_000, customers / 25_000 + 1));
  }
}
