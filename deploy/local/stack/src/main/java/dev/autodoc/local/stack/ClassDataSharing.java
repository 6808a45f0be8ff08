package dev.autodoc.local.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Class-data sharing for the JVMs the local deployment starts (the services, the broker, the S3
 * server): each kind of process maps an archive of the classes it loaded the first time, instead of
 * loading and verifying them again. The JVM writes the archive when a process of that kind first
 * exits ({@code -XX:+AutoCreateSharedArchive}), so nothing is built ahead; only one process of a
 * kind makes it (a {@code .making} file claims it), the others start without until it exists.
 *
 * <p>An archive holds only the class path it was made with, so its name carries a fingerprint of
 * that class path (each jar's path, size and time): a rebuilt service gets a new archive, and the
 * old one is deleted. The JVM would only refuse a stale archive, not make it again. Archives live
 * in the cache directory ({@link LocalStackOptions#defaultCacheDir()}{@code /cds}), one per kind,
 * JDK release and build, shared by every data directory. {@code -Dautodoc.cds=false} turns it off.
 */
public final class ClassDataSharing {
  private ClassDataSharing() {}

  /**
   * The JVM options that give a process of kind {@code name}, running {@code classPath}, its
   * archive; none when off.
   */
  public static List<String> options(String name, List<Path> classPath) {
    if (!Boolean.parseBoolean(System.getProperty("autodoc.cds", "true"))) {
      return List.of();
    }
    return options(LocalStackOptions.defaultCacheDir().resolve("cds"), name, classPath);
  }

  static List<String> options(Path dir, String name, List<Path> classPath) {
    String kind = name + "-jdk" + Runtime.version().feature() + "-";
    Path archive = dir.resolve(kind + fingerprint(classPath) + ".jsa");
    Path making = dir.resolve(archive.getFileName() + ".making");
    List<String> quiet =
        // An archive that cannot be used is skipped; saying so in every log is noise.
        List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    try {
      Files.createDirectories(dir);
      if (Files.exists(archive)) {
        Files.deleteIfExists(making);
        return concat(List.of("-XX:SharedArchiveFile=" + archive), quiet);
      }
      deleteOthers(dir, kind, archive);
      if (!claim(making)) {
        return List.of(); // another process of this kind makes it: this one goes without
      }
    } catch (IOException e) {
      return List.of(); // no cache directory: start without an archive
    }
    // One process makes the archive when it exits: two writing the same file could leave one
    // that neither wrote.
    return concat(
        List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive"), quiet);
  }

  /**
   * Whether this process may make the archive: nobody claimed it, or the claim is two minutes old.
   * A claimant killed before it exits never makes it, and tests kill processes on purpose; a second
   * maker after that is safe unless both exit at the same moment.
   */
  private static boolean claim(Path making) throws IOException {
    try {
      Files.createFile(making);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      var age =
          java.time.Duration.ofMillis(
              System.currentTimeMillis() - Files.getLastModifiedTime(making).toMillis());
      if (age.compareTo(java.time.Duration.ofMinutes(2)) < 0) {
        return false;
      }
      Files.setLastModifiedTime(
          making, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      return true;
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** The class path given as the JVM's {@code -cp} argument. */
  public static List<Path> classPath(String joined) {
    return java.util.Arrays.stream(joined.split(java.io.File.pathSeparator))
        .filter(s -> !s.isBlank())
        .map(Path::of)
        .toList();
  }

  private static String fingerprint(List<Path> classPath) {
    var crc = new CRC32();
    for (Path jar : classPath) {
      crc.update(jar.toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        crc.update(
            Long.toString(Files.size(jar)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        crc.update(
            Long.toString(Files.getLastModifiedTime(jar).toMillis())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        // A missing entry is part of the class path as given; the JVM skips it too.
      }
    }
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  /** Archives of the same kind made for an earlier build: nothing can map them any more. */
  private static void deleteOthers(Path dir, String kind, Path keep) throws IOException {
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, kind + "*.jsa*")) {
      for (Path stale : old) {
        if (!stale.equals(keep)
            && !stale.getFileName().toString().startsWith(keep.getFileName().toString())) {
          Files.deleteIfExists(stale);
        }
      }
    }
  }
}
