package dev.autodoc.support.git;

import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of one mirror, in this process and across the processes sharing its directory: the
 * thread lock of this process, then an OS file lock beside the mirror, which other processes
 * sharing the cache directory (the local deployment's workers) take too, so two of them never clone
 * into one directory at once.
 */
record MirrorLock(ReentrantLock local, FileChannel channel, FileLock file)
    implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  /** Takes the mirror's lock; empty when {@code wait} is false and another holds it. */
  static Optional<MirrorLock> take(Path dir, boolean wait) {
    ReentrantLock local = LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    if (wait) {
      local.lock();
    } else if (!local.tryLock()) {
      return Optional.empty();
    }
    try {
      Files.createDirectories(dir.getParent());
      FileChannel channel =
          FileChannel.open(
              dir.resolveSibling(dir.getFileName() + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock file = wait ? channel.lock() : channel.tryLock();
      if (file == null) {
        channel.close();
        local.unlock();
        return Optional.empty();
      }
      return Optional.of(new MirrorLock(local, channel, file));
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot lock the mirror " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stamps the mirror with the time of its use, which idle removal reads; callers hold the lock.
   */
  static void markUsed(Path dir) {
    try {
      Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot write the mirror " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      file.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      local.unlock();
    }
  }
}
