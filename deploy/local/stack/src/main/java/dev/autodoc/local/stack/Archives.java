package dev.autodoc.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Unpacking archives into cache directories, once, never leaving a half-unpacked copy. */
public final class Archives {
  /** Fills a fresh directory. */
  @FunctionalInterface
  public interface Filler {
    void fill(Path directory) throws IOException;
  }

  private Archives() {}

  /**
   * The directory {@code target}, filled by {@code filler} unless {@code target/marker} exists. It
   * is filled under a temporary name and moved into place, so a crash or a concurrent fill never
   * leaves a partial copy where a reader looks.
   */
  public static Path once(Path target, String marker, Filler filler) throws IOException {
    if (Files.exists(target.resolve(marker))) {
      return target;
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempDirectory(target.getParent(), target.getFileName() + "-unpack-");
    try {
      filler.fill(temp);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LocalStack.deleteRecursively(temp);
      if (!Files.exists(target.resolve(marker))) {
        throw e;
      }
      // Another process filled the same target first.
    }
    return target;
  }

  /** Copies a directory tree, with each file's attributes, never following links. */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(
              p,
              target,
              StandardCopyOption.COPY_ATTRIBUTES,
              StandardCopyOption.REPLACE_EXISTING,
              LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /**
   * Extracts the entries of a tar stream under {@code prefix} into {@code into}, the prefix
   * removed. Entries leaving the target are refused; symbolic links are recreated as they are.
   */
  public static void untar(TarArchiveInputStream tar, Path into, String prefix) throws IOException {
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      String name = e.getName().replaceFirst("^\\./", "");
      if (!name.startsWith(prefix) || name.length() == prefix.length()) {
        continue;
      }
      Path out = into.resolve(name.substring(prefix.length())).normalize();
      if (!out.startsWith(into)) {
        throw new IOException("archive entry leaves the target: " + e.getName());
      }
      if (e.isDirectory()) {
        Files.createDirectories(out);
      } else if (e.isSymbolicLink()) {
        Files.createDirectories(out.getParent());
        Files.createSymbolicLink(out, Path.of(e.getLinkName()));
      } else {
        Files.createDirectories(out.getParent());
        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(out, permissions(e.getMode()));
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set =
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);
    if ((mode & 0100) != 0) {
      set.addAll(
          EnumSet.of(
              PosixFilePermission.OWNER_EXECUTE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_EXECUTE));
    }
    set.add(PosixFilePermission.OWNER_WRITE);
    return set;
  }
}
