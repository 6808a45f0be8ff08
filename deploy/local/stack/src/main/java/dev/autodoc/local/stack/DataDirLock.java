package dev.autodoc.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock that keeps a second command from starting servers on a data directory while another
 * starts, resumes or owns them: two brokers writing one KRaft log, or two PostgreSQL servers one
 * data directory, corrupt them. The lock is the operating system's ({@code flock}), so it goes with
 * the process that held it, however that process ended; the file names that process.
 */
public final class DataDirLock implements AutoCloseable {
  static final String FILE = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of {@code dataDir}, or fails naming the process that holds it. */
  public static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = Files.readString(file).strip();
        channel.close();
        throw new IllegalStateException(
            "the data directory "
                + dataDir
                + " is in use by another Autodoc command"
                + (holder.isEmpty() ? "" : " (PID " + holder + ")")
                + "; wait for it to end, or use another --data-dir");
      }
      channel.truncate(0);
      channel.write(
          java.nio.ByteBuffer.wrap(
              Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
