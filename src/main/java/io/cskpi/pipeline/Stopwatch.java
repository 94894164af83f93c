package io.cskpi.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Times the stages of a run (or of a command) and logs each as it ends. */
public final class Stopwatch {
  private static final Logger LOG = LoggerFactory.getLogger("io.cskpi");
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private final long started = System.nanoTime();
  private final SparkMetrics metrics;

  public Stopwatch() {
    this(null);
  }

  /** Attributes the Spark jobs of each stage to it in {@code metrics} (null: timings only). */
  public Stopwatch(SparkMetrics metrics) {
    this.metrics = metrics;
  }

  public <T> T time(String stage, Supplier<T> work) {
    LOG.info("{} ...", stage);
    long t0 = System.nanoTime();
    T result;
    if (metrics != null) {
      metrics.enter(stage);
    }
    try {
      result = work.get();
    } finally {
      if (metrics != null) {
        metrics.leave();
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    millis.put(stage, ms);
    LOG.info("{} done in {}", stage, format(ms));
    return result;
  }

  public void time(String stage, Runnable work) {
    time(stage, () -> {
      work.run();
      return null;
    });
  }

  public Map<String, Long> millis() {
    return millis;
  }

  public long totalMillis() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  public static String format(long ms) {
    return ms < 10_000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
  }
}
