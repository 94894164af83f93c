package io.cskpi.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The JVM's peak heap in use, sampled every 100 ms while it runs, and the process's peak resident memory. */
public final class MemoryPeak implements AutoCloseable {
  private final AtomicLong peakHeap = new AtomicLong();
  private final Thread sampler;

  private MemoryPeak() {
    var memory = ManagementFactory.getMemoryMXBean();
    sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "cskpi-memory-peak");
    sampler.setDaemon(true);
    sampler.start();
  }

  public static MemoryPeak start() {
    return new MemoryPeak();
  }

  public long heapBytes() {
    return peakHeap.get();
  }

  /** VmHWM of this process (Linux), in bytes; -1 where unknown. */
  public static long residentBytes() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    sampler.interrupt();
  }
}
