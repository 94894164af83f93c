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

/**
 * One run at a time per output directory: a run holds the lock file {@code <output>/_cskpi_run.lock} (created only
 * if absent, which HDFS and local disks do atomically) from its first write to its end, and a second run is refused
 * with the holder's run id and start rather than interleaving its writes. On object stores without atomic
 * create-if-absent, the orchestrator's one-run-at-a-time setting (Airflow max_active_runs=1) is the guard.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = "_cskpi_run.lock";

  private final FileSystem fs;
  private final Path path;

  private RunLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  /** Takes the lock of {@code outputDir} for run {@code runId}, or fails naming the run that holds it. */
  public static RunLock acquire(SparkSession spark, Location outputDir, String runId, String what) {
    Path path = new Path(outputDir.child(FILE).toString());
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(path.getParent());
      try (FSDataOutputStream out = fs.create(path, false)) {
        out.write(("run " + runId + " (" + what + ") started " + Instant.now() + " on "
            + java.net.InetAddress.getLocalHost().getHostName() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return new RunLock(fs, path);
    } catch (FileAlreadyExistsException e) {
      throw new RunLockedException("another cskpi run is writing to " + outputDir + ": " + holder(spark, path)
          + "; two runs never write at once. If no run is active (a killed run leaves its lock behind), delete "
          + path + " and run again");
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        throw new RunLockedException("another cskpi run is writing to " + outputDir + ": " + holder(spark, path)
            + "; if no run is active, delete " + path + " and run again");
      }
      throw new UncheckedIOException("cannot create the run lock " + path, e);
    }
  }

  private static String holder(SparkSession spark, Path path) {
    try (InputStream in = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "lock " + path;
    }
  }

  @Override
  public void close() {
    try {
      fs.delete(path, false);
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
