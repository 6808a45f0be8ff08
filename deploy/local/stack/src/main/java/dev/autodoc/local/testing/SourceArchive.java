package dev.autodoc.local.testing;

import dev.autodoc.local.stack.Archives;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Real open-source code for tests: a sources jar from Maven Central, or, for languages Maven
 * Central does not carry, a published npm package ({@code .tgz}) or Debian package ({@code .deb}).
 * Each is pinned by URL and SHA-256, downloaded once into a cache ({@code AUTODOC_CACHE}, default
 * {@code ~/.cache/autodoc}) and unpacked from one directory of the archive.
 */
public record SourceArchive(String name, URI url, String sha256, String directory) {

  /** An npm package: its files sit under {@code package/}. */
  public static SourceArchive npm(String name, String version, String sha256) {
    String bare = name.substring(name.indexOf('/') + 1);
    return new SourceArchive(
        bare + "-" + version,
        URI.create("https://registry.npmjs.org/" + name + "/-/" + bare + "-" + version + ".tgz"),
        sha256,
        "package/");
  }

  /** A sources jar from Maven Central. */
  public static SourceArchive mavenSources(
      String group, String artifact, String version, String sha256) {
    return new SourceArchive(
        artifact + "-" + version + "-sources",
        URI.create(
            "https://repo.maven.apache.org/maven2/"
                + group.replace('.', '/')
                + "/"
                + artifact
                + "/"
                + version
                + "/"
                + artifact
                + "-"
                + version
                + "-sources.jar"),
        sha256,
        "");
  }

  /**
   * A Debian package from the main archive, keeping one installed directory of it; all of it when
   * {@code directory} is empty.
   */
  public static SourceArchive debian(String poolPath, String sha256, String directory) {
    String file = poolPath.substring(poolPath.lastIndexOf('/') + 1);
    return new SourceArchive(
        file.replaceAll("\\.deb$", ""),
        URI.create("http://deb.debian.org/debian/" + poolPath),
        sha256,
        directory.isEmpty() || directory.endsWith("/") ? directory : directory + "/");
  }

  /** The unpacked directory, downloading and unpacking on first use. */
  public Path unpacked() {
    Path cache =
        Path.of(
            System.getenv()
                .getOrDefault("AUTODOC_CACHE", System.getProperty("user.home") + "/.cache/autodoc"),
            "sources");
    try {
      Path archive = download(cache.resolve(sha256));
      return Archives.once(
          cache.resolve(name + "-" + sha256.substring(0, 12)),
          ".unpacked",
          dir -> {
            unpack(archive, dir);
            Files.createFile(dir.resolve(".unpacked"));
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch " + url, e);
    }
  }

  private Path download(Path target) throws IOException {
    if (Files.exists(target)) {
      return target;
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "download-", ".part");
    try (HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20))
            .build()) {
      HttpResponse<Path> response =
          http.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(2)).build(),
              HttpResponse.BodyHandlers.ofFile(temp));
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " for " + url);
      }
      String actual = sha256(temp);
      if (!actual.equals(sha256)) {
        throw new IOException("SHA-256 of " + url + " is " + actual + ", expected " + sha256);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted downloading " + url, e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void unpack(Path archive, Path into) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
      if (url.getPath().endsWith(".jar")) {
        try (var zip = new ZipInputStream(in)) {
          for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
            if (!entry.getName().startsWith(directory)) {
              continue;
            }
            Path out = into.resolve(entry.getName().substring(directory.length())).normalize();
            if (!out.startsWith(into)) {
              throw new IOException("archive entry leaves the target: " + entry.getName());
            }
            if (!entry.isDirectory() && !entry.getName().startsWith("META-INF/")) {
              Files.createDirectories(out.getParent());
              Files.copy(zip, out);
            }
          }
        }
        return;
      }
      if (url.getPath().endsWith(".tgz")) {
        try (var tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
          Archives.untar(tar, into, directory);
        }
        return;
      }
      try (var ar = new ArArchiveInputStream(in)) {
        ArArchiveEntry entry;
        while ((entry = ar.getNextEntry()) != null) {
          if (entry.getName().equals("data.tar.xz")) {
            try (var tar = new TarArchiveInputStream(new XZCompressorInputStream(ar))) {
              Archives.untar(tar, into, directory);
            }
            return;
          }
        }
      }
      throw new IOException(url + " has no data.tar.xz");
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
