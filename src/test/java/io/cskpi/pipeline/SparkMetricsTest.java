package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class SparkMetricsTest {

  private static List<long[]> runs(long... bounds) {
    List<long[]> runs = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      runs.add(new long[] {bounds[i], bounds[i + 1]});
    }
    return runs;
  }

  @Test
  void busyTimeIsTheUnionOfTheTaskRuns() {
    assertEquals(0, SparkMetrics.busyMillis(runs()));
    assertEquals(7, SparkMetrics.busyMillis(runs(3, 10)));
    // Two cores: 100-160 and 120-150 overlap (60 ms), a gap, then 200-230 and 230-240 touch (40 ms); out of order.
    assertEquals(100, SparkMetrics.busyMillis(runs(230, 240, 120, 150, 200, 230, 100, 160)));
    // A run inside another counts once; one ending after the longest extends it.
    assertEquals(50, SparkMetrics.busyMillis(runs(0, 40, 10, 20, 35, 50)));
  }

  @Test
  void idleTimeIsTheWallLessTheBusyTimeAndNeverNegative() {
    SparkMetrics.Totals t = new SparkMetrics.Totals(2, 4, 900, 600, 0, 0, 0, 0);
    assertEquals(400, t.idleMillis(1000));
    // A stage's wall is the driver's nanoTime, its tasks' times are milliseconds of the clock: rounding may put busy
    // a little above wall.
    assertEquals(0, t.idleMillis(590));
  }
}
