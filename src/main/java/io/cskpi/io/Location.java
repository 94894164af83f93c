package io.cskpi.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import io.cskpi.schema.InputSchemaException;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A fully qualified table or file location ({@code file:/abs/dir}, {@code s3a://bucket/dir}, ...). Every path a
 * user gives (options, conf) becomes a Location once, where it enters; everything downstream (readers, writers,
 * Delta's {@code delta.`path`} identifiers) takes only Locations, so a relative path can never reach SQL.
 */
public final class Location {
  private final String uri;

  private Location(String uri) {
    this.uri = uri;
  }

  /** Qualifies {@code path} against the session's Hadoop configuration (default file system, working directory). */
  public static Location of(SparkSession spark, String path) {
    return of(spark.sparkContext().hadoopConfiguration(), path);
  }

  /**
   * A scheme-less or {@code file:} path is made absolute against its file system's working directory (for the
   * local file system, the process's working directory); a path with another scheme is already absolute and is
   * kept as given, so no connector (s3a, abfss, ...) is needed to qualify it.
   */
  public static Location of(Configuration hadoop, String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("empty path");
    }
    Path p = new Path(path.strip());
    String scheme = p.toUri().getScheme();
    if (scheme != null && !scheme.equals("file")) {
      return new Location(p.toString());
    }
    try {
      FileSystem fs = scheme == null ? FileSystem.get(hadoop) : FileSystem.getLocal(hadoop);
      return new Location(fs.makeQualified(p).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot qualify path " + path, e);
    }
  }

  /** The location of {@code name} inside this one. */
  public Location child(String name) {
    return new Location(new Path(new Path(uri), name).toString());
  }

  /** True when something exists at this location; a file system that cannot be reached is an input error. */
  public boolean exists(SparkSession spark) {
    Path p = new Path(uri);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new InputSchemaException("cannot access " + uri + ": " + e.getMessage());
    }
  }

  /** The Delta path identifier for SQL: {@code delta.`<uri>`}. */
  public String deltaIdentifier() {
    return "delta.`" + uri.replace("`", "``") + "`";
  }

  @Override
  public String toString() {
    return uri;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Location l && l.uri.equals(uri);
  }

  @Override
  public int hashCode() {
    return uri.hashCode();
  }
}
