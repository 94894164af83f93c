package io.cskpi.family;

import java.time.LocalDate;
import java.util.List;

/**
 * What a family may read besides its inputs: the as-of date, the segment dimensions of the run and its own
 * settings (the record its declared reader returned, validated before any compute).
 */
public record RunContext(LocalDate asOf, List<String> segments, Object settings) {
  public <S> S settings(Class<S> type) {
    return type.cast(settings);
  }
}
