package io.cskpi.pipeline;

import io.cskpi.io.Location;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run at a time per output directory: a run holds the lock file {@code <output>/_cskpi_run.lock} (created only
 * if absent: atomic on HDFS, and on a local disk through the JDK's create-new) from its first write to its end,
 * and a second run is refused with the holder's run id and start rather than interleaving its writes. On object
 * stores without atomic create-if-absent, the orchestrator's one-run-at-a-time setting (Airflow max_active_runs=1)
 * is the guard.
 *
 * <p>A killed run leaves its lock behind. The lock is taken over (and the dead run recorded as killed in the run
 * log) when its holder ran on this host, in this process namespace, and its process is gone (a pid reused by
 * another process has another start time); or, on a local disk or HDFS, when its holder stopped renewing it: a
 * live run touches its lock every minute, so one untouched for {@code staleMinutes} is dead whatever host ran it
 * (a YARN or Kubernetes driver). Elsewhere {@code cskpi unlock} tells. A takeover renames the dead lock away
 * (atomic), so of two runs taking over the same lock one wins.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = "_cskpi_run.lock";

  private static final long HEARTBEAT_SECONDS = 60;

  private final FileSystem fs;
  private final Path path;
  private volatile String content;
  private final Holder tookOverFrom;
  private final java.util.concurrent.ScheduledExecutorService heartbeat;

  private RunLock(FileSystem fs, Path path, String content, Holder tookOverFrom) {
    this.fs = fs;
    this.path = path;
    this.content = content;
    this.tookOverFrom = tookOverFrom;
    this.heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cskpi-run-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    if (renewable(path)) {
      heartbeat.scheduleAtFixedRate(this::touch, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS,
          java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** File systems whose modification time a run can renew (S3 cannot: there the lock is never stale by age). */
  private static boolean renewable(Path path) {
    return List.of("file", "hdfs", "viewfs").contains(String.valueOf(path.toUri().getScheme()));
  }

  private void touch() {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // the next beat tries again; a lock left untouched for staleMinutes would be taken over
    }
  }

  /** Who holds a lock, as its file says; fields it does not say are null (a lock written by hand). */
  public record Holder(String runId, String what, String mode, LocalDate asOf, Instant started, String host,
      Long pid, String processStart, String pidNamespace, String text) {
    /** True when the holder's process can be checked from here: same host, same process namespace. */
    private boolean checkable() {
      return pid != null && thisHost().equals(host) && thisPidNamespace().equals(pidNamespace);
    }

    /** True when the holder ran here and its process is gone (or the pid is another process's now). */
    boolean deadOnThisHost() {
      return checkable() && !alive(pid, processStart);
    }

    boolean aliveOnThisHost() {
      return checkable() && alive(pid, processStart);
    }

    @Override
    public String toString() {
      return runId == null ? text.strip() : "run " + runId + " (" + what + ") started " + started + " on " + host
          + (pid == null ? "" : " (pid " + pid + ")");
    }

    static Holder parse(String text) {
      Map<String, String> f = new LinkedHashMap<>();
      for (String line : text.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          f.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
      }
      try {
        return new Holder(f.get("run_id"), f.get("what"), f.get("mode"),
            f.get("as_of") == null ? null : LocalDate.parse(f.get("as_of")),
            f.get("started") == null ? null : Instant.parse(f.get("started")), f.get("host"),
            f.get("pid") == null ? null : Long.valueOf(f.get("pid")), f.get("process_start"),
            f.get("pid_namespace"), text);
      } catch (RuntimeException unreadable) {
        return new Holder(null, null, null, null, null, null, null, null, null, text);
      }
    }
  }

  /** The run this lock was taken over from (a dead run on this host), if any. */
  public Optional<Holder> tookOverFrom() {
    return Optional.ofNullable(tookOverFrom);
  }

  /**
   * Takes the lock of {@code outputDir} for run {@code runId} ({@code mode} run, backfill or maintain; {@code asOf}
   * its date, the first of a backfill, or null), or fails naming the run that holds it.
   */
  public static RunLock acquire(SparkSession spark, Location outputDir, String runId, String what, String mode,
      LocalDate asOf, int staleMinutes) {
    Path path = new Path(outputDir.child(FILE).toString());
    String content = content(runId, what, mode, asOf);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(path.getParent());
      if (create(fs, path, content)) {
        return new RunLock(fs, path, content, null);
      }
      Optional<Holder> dead = takeOverIfDead(fs, path, runId, staleMinutes);
      if (dead.isPresent() && create(fs, path, content)) {
        return new RunLock(fs, path, content, dead.get());
      }
      throw locked(outputDir, path, read(fs, path).orElse("(the lock is gone: try again)"), staleMinutes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run lock " + path, e);
    }
  }

  /** Test shorthand: a run lock with no as-of date, stale after 15 minutes untouched. */
  static RunLock acquire(SparkSession spark, Location outputDir, String runId, String what) {
    return acquire(spark, outputDir, runId, what, "run", null, 15);
  }

  private static String content(String runId, String what, String mode, LocalDate asOf) {
    ProcessHandle self = ProcessHandle.current();
    return "run_id=" + runId + "\nwhat=" + what + "\nmode=" + mode + "\n" + (asOf == null ? "" : "as_of=" + asOf
        + "\n") + "started=" + Instant.now() + "\nhost=" + thisHost() + "\npid=" + self.pid() + "\nprocess_start="
        + self.info().startInstant().map(Instant::toString).orElse("") + "\npid_namespace=" + thisPidNamespace() + "\n";
  }

  /**
   * A backfill's lock names the date it computes now (a killed backfill is recorded as the run that died), and
   * the lock stays this run's.
   */
  public void update(String runId, String what, String mode, LocalDate asOf) {
    String next = content(runId, what, mode, asOf);
    try (FSDataOutputStream out = fs.create(path, true)) {
      out.write(next.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update the run lock " + path, e);
    }
    content = next;
  }

  /**
   * If the lock's holder is dead (its process gone on this host, or the lock not renewed for {@code staleMinutes}
   * where runs renew it), moves the lock away — an atomic rename, so only one of several runs gets it — and returns
   * the dead holder.
   */
  private static Optional<Holder> takeOverIfDead(FileSystem fs, Path path, String runId, int staleMinutes)
      throws IOException {
    Optional<String> held = read(fs, path);
    if (held.isEmpty()) {
      return Optional.empty();
    }
    Holder holder = Holder.parse(held.get());
    boolean stale = renewable(path) && !holder.aliveOnThisHost() && staleMinutes > 0
        && modified(fs, path) < System.currentTimeMillis() - staleMinutes * 60_000L;
    if (!holder.deadOnThisHost() && !stale) {
      return Optional.empty();
    }
    Path moved = new Path(path.getParent(), FILE + ".taken-over-by-" + runId);
    try {
      if (!fs.rename(path, moved)) {
        return Optional.empty();   // another run took it over first
      }
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    }
    Optional<String> took = read(fs, moved);
    if (took.isPresent() && !took.get().equals(held.get())) {   // a new holder came in between: give it back
      fs.rename(moved, path);
      return Optional.empty();
    }
    fs.delete(moved, false);
    return Optional.of(holder);
  }

  private static long modified(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path).getModificationTime();
    } catch (java.io.FileNotFoundException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The process-id namespace (Linux: /proc/self/ns/pid), so a run in another container is never judged dead. */
  private static String thisPidNamespace() {
    try {
      return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | RuntimeException | Error e) {
      return "";
    }
  }

  private static boolean alive(long pid, String processStart) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return false;
    }
    String start = process.get().info().startInstant().map(Instant::toString).orElse("");
    return processStart == null || processStart.isEmpty() || start.isEmpty() || start.equals(processStart);
  }

  /**
   * Removes the lock of a run that is no longer running ({@code cskpi unlock}) and returns who held it; empty when
   * there is no lock. Refused when the holder is alive on this host.
   */
  public static Optional<Holder> breakLock(SparkSession spark, Location outputDir) {
    Path path = new Path(outputDir.child(FILE).toString());
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Optional<String> held = read(fs, path);
      if (held.isEmpty()) {
        return Optional.empty();
      }
      Holder holder = Holder.parse(held.get());
      if (holder.aliveOnThisHost()) {
        throw new RunLockedException("the lock of " + outputDir + " is held by " + holder + ", and that process is "
            + "running: let it finish (or stop it) first");
      }
      deleteIfStill(fs, path, held.get());
      return Optional.of(holder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the run lock " + path, e);
    }
  }

  /** Creates the lock if absent; false when it exists. */
  private static boolean create(FileSystem fs, Path path, String content) throws IOException {
    try {
      if ("file".equals(path.toUri().getScheme())) {
        // Hadoop's local create(path, false) checks, then creates: two runs can both pass. The JDK's create-new is
        // one atomic step.
        java.nio.file.Files.writeString(java.nio.file.Path.of(path.toUri()), content,
            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      } else {
        try (FSDataOutputStream out = fs.create(path, false)) {
          out.write(content.getBytes(StandardCharsets.UTF_8));
        }
      }
      return true;
    } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        return false;
      }
      throw e;
    }
  }

  private static Optional<String> read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Deletes the lock if it still says {@code content}; true when it is gone. */
  private static boolean deleteIfStill(FileSystem fs, Path path, String content) throws IOException {
    Optional<String> now = read(fs, path);
    if (now.isPresent() && now.get().equals(content)) {
      fs.delete(path, false);
    }
    return read(fs, path).isEmpty();
  }

  private static RunLockedException locked(Location outputDir, Path path, String held, int staleMinutes) {
    return new RunLockedException("another cskpi run is writing to " + outputDir + ": " + Holder.parse(held)
        + "; two runs never write at once. If that run is no longer running (killed, or its machine lost), "
        + "'cskpi unlock --output " + outputDir + "' removes its lock " + path + " and records it as killed"
        + (renewable(path) ? " (a lock not renewed for " + staleMinutes + " minutes is taken over by itself)" : ""));
  }

  private static String thisHost() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }

  /** Removes the lock if it is still this run's (someone may have deleted a stale one and started another run). */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      deleteIfStill(fs, path, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the run lock " + path, e);
    }
  }

  /** The output directory is locked by another run. */
  public static final class RunLockedException extends RuntimeException {
    RunLockedException(String message) {
      super(message);
    }
  }
}
