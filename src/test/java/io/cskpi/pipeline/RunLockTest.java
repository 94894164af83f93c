package io.cskpi.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cskpi.SparkTest;
import io.cskpi.io.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run lock on a local disk: never held twice, also when two runs take over a dead one; a run removes only its
 * own lock; a lock of another host is taken over only once it was not renewed for the stale minutes; a live
 * holder on this host never.
 */
class RunLockTest extends SparkTest {
  @TempDir Path dir;

  /**
   * Trials in which two runs starting together both held the lock; {@code before} writes what the directory holds
   * before each trial (nothing, a dead run's lock). Each trial one of them at least gets it.
   */
  private int bothHeld(int trials, java.util.function.IntFunction<String> before) throws Exception {
    Location out = Location.of(spark, dir.toString());
    int bothHeld = 0;
    for (int trial = 0; trial < trials; trial++) {
      String held = before.apply(trial);
      if (held != null) {
        Files.writeString(dir.resolve(RunLock.FILE), held);
      }
      CyclicBarrier start = new CyclicBarrier(2);
      AtomicInteger holders = new AtomicInteger();
      Runnable run = () -> {
        try {
          start.await();
          // a run creates the lock, takes a dead one over, or creates its own when the other just moved it away
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
    return bothHeld;
  }

  @Test
  void twoRunsStartingTogetherNeverBothHoldTheLock() throws Exception {
    assertEquals(0, bothHeld(200, trial -> null), "trials in which both runs held the lock");
  }

  @Test
  void aRunRemovesOnlyItsOwnLock() throws Exception {
    Location out = Location.of(spark, dir.toString());
    RunLock first = RunLock.acquire(spark, out, "first", "test");
    // Someone deletes what they take for a stale lock and another run starts.
    Files.delete(dir.resolve(RunLock.FILE));
    RunLock second = RunLock.acquire(spark, out, "second", "test");
    first.close();
    assertTrue(Files.readString(dir.resolve(RunLock.FILE)).startsWith("run_id=second"), "the second run's lock stays");
    second.close();
    assertTrue(Files.notExists(dir.resolve(RunLock.FILE)));
  }

  private static String deadHolderOnThisHost(String runId) {
    try {
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      return "run_id=" + runId + "\nwhat=run as of 2024-04-30\nmode=run\nas_of=2024-04-30\nstarted=2024-06-02T02:00:00Z"
          + "\nhost=" + java.net.InetAddress.getLocalHost().getHostName() + "\npid=" + gone.pid() + "\npid_namespace="
          + Files.readSymbolicLink(Path.of("/proc/self/ns/pid")) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void ofTwoRunsTakingOverADeadLockOnlyOneGetsIt() throws Exception {
    assertEquals(0, bothHeld(50, trial -> deadHolderOnThisHost("dead-" + trial)),
        "trials in which both runs held the lock");
  }

  @Test
  void aLockOfAnotherHostIsTakenOverOnlyOnceNobodyRenewedItForTheStaleMinutes() throws Exception {
    Location out = Location.of(spark, dir.toString());
    Path lock = dir.resolve(RunLock.FILE);
    Files.writeString(lock, "run_id=elsewhere\nwhat=run as of 2024-04-30\nmode=run\nas_of=2024-04-30\n"
        + "started=2024-06-02T02:00:00Z\nhost=yarn-node-7\npid=99\n");
    assertThrows(RunLock.RunLockedException.class, () -> RunLock.acquire(spark, out, "now", "test"));   // renewed now
    Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(16 * 60)));
    assertThrows(RunLock.RunLockedException.class,
        () -> RunLock.acquire(spark, out, "now", "test", "run", null, 0), "0: never stale by age");
    RunLock taken = RunLock.acquire(spark, out, "now", "test");
    assertEquals("elsewhere", taken.tookOverFrom().orElseThrow().runId());
    assertTrue(Files.readString(lock).startsWith("run_id=now"));
    taken.close();
    assertTrue(Files.notExists(lock));
  }

  @Test
  void aLiveHolderOnThisHostIsNeverTakenOverNorUnlocked() throws Exception {
    Location out = Location.of(spark, dir.toString());
    RunLock mine = RunLock.acquire(spark, out, "alive", "test");
    Files.setLastModifiedTime(dir.resolve(RunLock.FILE),
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60 * 60)));
    assertThrows(RunLock.RunLockedException.class, () -> RunLock.acquire(spark, out, "other", "test"));
    assertThrows(RunLock.RunLockedException.class, () -> RunLock.breakLock(spark, out));
    mine.close();
  }
}
