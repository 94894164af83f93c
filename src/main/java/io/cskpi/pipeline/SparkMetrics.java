package io.cskpi.pipeline;

import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spark's own metrics of a run, by stage of the run: jobs, tasks, task time, the time any task ran, rows and bytes
 * read from files, shuffle written and spill. Each stage of the run is a Spark job group (a thread-local property
 * the scheduler carries to every job the stage starts), so the numbers are the stage's whatever order the listener
 * bus delivers them in; jobs outside any stage count as {@link #OTHER}.
 */
public final class SparkMetrics extends SparkListener implements AutoCloseable {
  public static final String OTHER = "(outside the stages)";
  private static final String GROUP = "spark.jobGroup.id";
  private static final String PREFIX = "cskpi:";

  /**
   * One stage's totals. Spill is what tasks wrote to disk for lack of memory (0 when everything fit). Busy is the
   * time at least one of the stage's tasks was running (from each task's launch to its finish, overlaps counted
   * once): the stage's wall time less busy is the time the cores had none of its work, the driver planning,
   * generating code, committing or collecting.
   */
  public record Totals(long jobs, long tasks, long taskMillis, long busyMillis, long inputRows, long inputBytes,
      long shuffleBytes, long spillBytes) {
    public static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0);

    Totals plus(Totals o) {
      return new Totals(jobs + o.jobs, tasks + o.tasks, taskMillis + o.taskMillis, busyMillis + o.busyMillis,
          inputRows + o.inputRows, inputBytes + o.inputBytes, shuffleBytes + o.shuffleBytes,
          spillBytes + o.spillBytes);
    }

    /** Wall time without any of the stage's tasks running, at least 0. */
    public long idleMillis(long wallMillis) {
      return Math.max(0, wallMillis - busyMillis);
    }
  }

  private final SparkContext context;
  private final Map<Integer, String> stageOwner = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong[]> byStage = new ConcurrentHashMap<>();
  /** Each stage's task runs as launch and finish times (ms): two longs per task, a few thousand tasks a run. */
  private final Map<String, List<long[]>> runs = new ConcurrentHashMap<>();

  private SparkMetrics(SparkContext context) {
    this.context = context;
  }

  /** Starts listening on the session's context; {@link #close()} stops. */
  public static SparkMetrics listen(SparkContext context) {
    SparkMetrics metrics = new SparkMetrics(context);
    context.addSparkListener(metrics);
    return metrics;
  }

  private static final String[] GROUP_PROPERTIES = {GROUP, "spark.job.description", "spark.job.interruptOnCancel"};
  private final ThreadLocal<java.util.Deque<String[]>> callers = ThreadLocal.withInitial(java.util.ArrayDeque::new);

  /**
   * Jobs started on this thread until {@link #leave()} count for {@code stage}; the caller's own job group (a
   * notebook's, Databricks') is put back by leave.
   */
  public void enter(String stage) {
    String[] saved = new String[GROUP_PROPERTIES.length];
    for (int i = 0; i < saved.length; i++) {
      saved[i] = context.getLocalProperty(GROUP_PROPERTIES[i]);
    }
    callers.get().push(saved);
    context.setJobGroup(PREFIX + stage, stage, false);
  }

  public void leave() {
    String[] saved = callers.get().poll();
    for (int i = 0; i < GROUP_PROPERTIES.length; i++) {
      context.setLocalProperty(GROUP_PROPERTIES[i], saved == null ? null : saved[i]);
    }
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String group = job.properties() == null ? null : job.properties().getProperty(GROUP);
    String stage = group != null && group.startsWith(PREFIX) ? group.substring(PREFIX.length()) : OTHER;
    scala.collection.JavaConverters.seqAsJavaList(job.stageIds()).forEach(id -> stageOwner.put((Integer) id, stage));
    counters(stage)[0].incrementAndGet();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    String stage = stageOwner.getOrDefault(task.stageId(), OTHER);
    AtomicLong[] c = counters(stage);
    c[1].incrementAndGet();
    if (task.taskInfo() != null && task.taskInfo().finishTime() > 0) {
      runs.computeIfAbsent(stage, k -> Collections.synchronizedList(new ArrayList<>()))
          .add(new long[] {task.taskInfo().launchTime(), task.taskInfo().finishTime()});
    }
    TaskMetrics m = task.taskMetrics();
    if (m != null) {
      c[2].addAndGet(m.executorRunTime());
      c[3].addAndGet(m.inputMetrics().recordsRead());
      c[4].addAndGet(m.inputMetrics().bytesRead());
      c[5].addAndGet(m.shuffleWriteMetrics().bytesWritten());
      c[6].addAndGet(m.diskBytesSpilled());
    }
  }

  private AtomicLong[] counters(String stage) {
    return byStage.computeIfAbsent(stage, s -> {
      AtomicLong[] c = new AtomicLong[7];
      for (int i = 0; i < c.length; i++) {
        c[i] = new AtomicLong();
      }
      return c;
    });
  }

  /**
   * Waits until Spark's listener bus has delivered every event posted so far (listeners hear of jobs and queries
   * asynchronously), at most 10 s; a bus still busy then is reported, not waited for.
   */
  static void drain(SparkContext context) {
    try {
      context.listenerBus().waitUntilEmpty(10_000);
    } catch (java.util.concurrent.TimeoutException e) {
      org.slf4j.LoggerFactory.getLogger("io.cskpi").warn("Spark's listener bus not drained in 10 s: metrics may "
          + "miss the last events");
    }
  }

  /** Every stage's totals so far, once the listener bus has delivered what it holds. */
  public Map<String, Totals> totals() {
    drain(context);
    Map<String, Totals> totals = new LinkedHashMap<>();
    byStage.forEach((stage, c) -> totals.put(stage, new Totals(c[0].get(), c[1].get(), c[2].get(),
        busyMillis(runs.getOrDefault(stage, List.of())), c[3].get(), c[4].get(), c[5].get(), c[6].get())));
    return totals;
  }

  /** The length of the union of [start, end] intervals: time covered by at least one. */
  static long busyMillis(List<long[]> intervals) {
    long[][] sorted;
    synchronized (intervals) {
      sorted = intervals.toArray(long[][]::new);
    }
    Arrays.sort(sorted, Comparator.comparingLong(r -> r[0]));
    long busy = 0;
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    for (long[] r : sorted) {
      if (r[0] > end) {
        busy += end - start;
        start = r[0];
        end = r[1];
      } else {
        end = Math.max(end, r[1]);
      }
    }
    return busy + (end - start);
  }

  /** The sum over every stage. */
  public static Totals sum(Map<String, Totals> totals) {
    return totals.values().stream().reduce(Totals.NONE, Totals::plus);
  }

  @Override
  public void close() {
    context.removeSparkListener(this);
  }
}
