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
 * if absent: atomic on HDFS, and on a local disk through the JDK's create-new) from its first write to its end,
 * and a second run is refused with the holder's run id and start rather than interleaving its writes. On object
 * stores without atomic create-if-absent, the orchestrator's one-run-at-a-time setting (Airflow max_active_runs=1)
 * is the guard.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = "_cskpi_run.lock";

  private final FileSystem fs;
  private final Path path;
  private final String content;

  private RunLock(FileSystem fs, Path path, String content) {
    this.fs = fs;
    this.path = path;
    this.content = content;
  }

  /** Takes the lock of {@code outputDir} for run {@code runId}, or fails naming the run that holds it. */
  public static RunLock acquire(SparkSession spark, Location outputDir, String runId, String what) {
    Path path = new Path(outputDir.child(FILE).toString());
    String content;
    try {
      content = "run " + runId + " (" + what + ") started " + Instant.now() + " on "
          + java.net.InetAddress.getLocalHost().getHostName() + "\n";
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(path.getParent());
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
      return new RunLock(fs, path, content);
    } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
      throw locked(spark, outputDir, path);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        throw locked(spark, outputDir, path);
      }
      throw new UncheckedIOException("cannot create the run lock " + path, e);
    }
  }

  private static RunLockedException locked(SparkSession spark, Location outputDir, Path path) {
    return new RunLockedException("another cskpi run is writing to " + outputDir + ": " + holder(spark, path)
        + "; two runs never write at once. If no run is active (a killed run leaves its lock behind), delete "
        + path + " and run again");
  }

  private static String holder(SparkSession spark, Path path) {
    try (InputStream in = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "lock " + path;
    }
  }

  /** Removes the lock if it is still this run's (someone may have deleted a stale one and started another run). */
  @Override
  public void close() {
    try (InputStream in = fs.open(path)) {
      if (!new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(content)) {
        return;
      }
    } catch (java.io.FileNotFoundException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the run lock " + path, e);
    }
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
