package dev.autodoc.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Class-data sharing for the JVMs the local deployment starts (the services, the broker, the S3
 * server): each kind of process maps an archive of the classes it loaded the first time, instead of
 * loading and verifying them again. The JVM writes the archive when a process of that kind first
 * exits ({@code -XX:+AutoCreateSharedArchive}) and writes it again when it no longer fits (another
 * JDK, a rebuilt jar), so nothing is built ahead. Archives live in the cache directory ({@link
 * LocalStackOptions#defaultCacheDir()}{@code /cds}), one per kind and JDK release, shared by every
 * data directory. {@code -Dautodoc.cds=false} turns it off.
 */
public final class ClassDataSharing {
  private ClassDataSharing() {}

  /** The JVM options that give a process of kind {@code name} its archive; none when off. */
  public static List<String> options(String name) {
    if (!Boolean.parseBoolean(System.getProperty("autodoc.cds", "true"))) {
      return List.of();
    }
    Path dir = LocalStackOptions.defaultCacheDir().resolve("cds");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return List.of(); // no cache directory: start without an archive
    }
    return List.of(
        "-XX:SharedArchiveFile="
            + dir.resolve(name + "-jdk" + Runtime.version().feature() + ".jsa"),
        "-XX:+AutoCreateSharedArchive",
        // An archive that no longer fits is made again; saying so in every log is noise.
        "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off");
  }
}
