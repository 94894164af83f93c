package io.cskpi.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Hadoop's local file system without a forked process per file. Without Hadoop's native library (none ships with
 * Spark), RawLocalFileSystem sets every new file's and directory's permissions by running {@code chmod} and
 * answers FileContext's link-status question (each Delta commit's rename) by running {@code readlink}: about 1,500
 * processes in one nightly run. These classes do both in-process with java.nio, and are otherwise Hadoop's own.
 * Local sessions use them (conf fs.file.impl and fs.AbstractFileSystem.file.impl, see {@link Sessions}).
 */
public final class LocalFiles {
  private LocalFiles() {}

  /** The FileSystem API (fs.file.impl): Hadoop's LocalFileSystem (checksums) over {@link Raw}. */
  public static final class FileSystem extends org.apache.hadoop.fs.LocalFileSystem {
    public FileSystem() {
      super(new Raw());
    }
  }

  /** The FileContext API (fs.AbstractFileSystem.file.impl): Hadoop's ChecksumFs over {@link Raw}. */
  public static final class Fs extends ChecksumFs {
    public Fs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(new RawFs(uri, conf));
    }
  }

  /** As Hadoop's RawLocalFs, delegating to {@link Raw}. */
  static final class RawFs extends DelegateToFileSystem {
    RawFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new Raw(), conf, "file", false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }

    @Override
    public boolean isValidName(String src) {
      return true;   // as RawLocalFs: local names may hold characters HDFS refuses
    }
  }

  /** RawLocalFileSystem with permissions and link status from java.nio. */
  public static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission.toShort()));
    }

    @Override
    public FileStatus getFileLinkStatus(Path f) throws IOException {
      if (Files.isSymbolicLink(pathToFile(f).toPath())) {
        return super.getFileLinkStatus(f);
      }
      return getFileStatus(f);
    }

    private static Set<PosixFilePermission> posix(short mode) {
      PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ};
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      for (int i = 0; i < bits.length; i++) {
        if ((mode & (1 << i)) != 0) {
          set.add(bits[i]);
        }
      }
      return set;
    }
  }
}
