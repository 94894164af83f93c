package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.io.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/** The run lock on a local disk: never held twice, and a run removes only its own lock. */
class RunLockTest extends SparkTest {
  @TempDir Path dir;

  @Test
  void twoRunsStartingTogetherNeverBothHoldTheLock() throws Exception {
    Location out = Location.of(spark, dir.toString());
    int bothHeld = 0;
    for (int trial = 0; trial < 200; trial++) {
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicInteger holders = new AtomicInteger();
      Runnable run = () -> {
        try {
          start.await();
          RunLock.acquire(spark, out, java.util.UUID.randomUUID().toString(), "test");
          holders.incrementAndGet();
        } catch (RunLock.RunLockedException expected) {
          // the other one has it
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      Thread a = new Thread(run);
      Thread b = new Thread(run);
      a.start();
      b.start();
      a.join();
      b.join();
      assertTrue(holders.get() >= 1, "one of them gets it");
      bothHeld += holders.get() == 2 ? 1 : 0;
      Files.delete(dir.resolve(RunLock.FILE));
    }
    assertEquals(0, bothHeld, "trials in which both runs held the lock");
  }

  @Test
  void aRunRemovesOnlyItsOwnLock() throws Exception {
    Location out = Location.of(spark, dir.toString());
    RunLock first = RunLock.acquire(spark, out, "first", "test");
    // Someone deletes what they take for a stale lock and another run starts.
    Files.delete(dir.resolve(RunLock.FILE));
    RunLock second = RunLock.acquire(spark, out, "second", "test");
    first.close();
    assertTrue(Files.readString(dir.resolve(RunLock.FILE)).startsWith("run second"), "the second run's lock stays");
    second.close();
    assertTrue(Files.notExists(dir.resolve(RunLock.FILE)));
  }
}
