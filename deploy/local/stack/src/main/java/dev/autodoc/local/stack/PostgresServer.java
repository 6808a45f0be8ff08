package dev.autodoc.local.stack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL from the embedded binaries on Maven Central (zonky's packaging). The binaries are
 * unpacked once into a cache directory. PostgreSQL refuses to run as root, so when this process is
 * root the server runs as {@code nobody}, keeping only the right to traverse directories, so that a
 * data directory under a private home still works.
 */
final class PostgresServer {
  static final String USER = "autodoc";
  static final String DATABASE = "autodoc";
  private static final int NOBODY = 65534;

  private PostgresServer() {}

  static ManagedProcess start(
      ServerRuntime runtime, Path cacheDir, Path dir, int port, boolean durable)
      throws IOException {
    Path bin = unpack(runtime, cacheDir).resolve("bin");
    Path data = dir.resolve("data");
    Files.createDirectories(dir);
    boolean root = isRoot();
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      // A new data directory is a copy of one initdb made once per version and cache: initdb
      // costs a processor-second or more, on the path of every cold start and every test stack.
      Path template = initialized(bin, cacheDir, runtime.postgresVersion(), root);
      Archives.copyTree(template, data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
      if (root) {
        chown(data);
      }
    } else if (root) {
      chown(data);
    }
    List<String> server = new ArrayList<>(asServerUser(root));
    server.addAll(
        List.of(
            bin.resolve("postgres").toString(),
            "-D",
            data.toString(),
            "-p",
            Integer.toString(port),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "unix_socket_directories=",
            "-c",
            "max_connections=300",
            "-c",
            "shared_buffers=64MB",
            "-c",
            "fsync=" + (durable ? "on" : "off"),
            "-c",
            "synchronous_commit=" + (durable ? "on" : "off"),
            "-c",
            "full_page_writes=" + (durable ? "on" : "off")));
    return ManagedProcess.start(
        "postgres",
        server,
        Map.of(),
        dir,
        dir.resolve("postgres.log"),
        ManagedProcess.StopSignal.INT);
  }

  /** The arguments of initdb, after the data directory; part of the template's name. */
  private static final List<String> INITDB =
      List.of("-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale");

  /** A data directory initdb made, never started: the template new data directories copy. */
  private static Path initialized(Path bin, Path cacheDir, String version, boolean root)
      throws IOException {
    String name =
        "postgres-" + version + "-initdb-" + Integer.toHexString(INITDB.hashCode() & 0x7fffffff);
    return Archives.once(
        cacheDir.resolve(name),
        "PG_VERSION",
        temp -> {
          if (root) {
            chown(temp);
          }
          List<String> initdb = new ArrayList<>(asServerUser(root));
          initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", temp.toString()));
          initdb.addAll(INITDB);
          Path log = Files.createTempFile("autodoc-initdb-", ".log");
          try {
            ManagedProcess.runToCompletion(
                "initdb", initdb, temp.getParent(), log, Duration.ofSeconds(120));
          } finally {
            Files.deleteIfExists(log);
          }
        });
  }

  static void awaitReady(ManagedProcess server, int port) {
    server.awaitReady(
        Duration.ofSeconds(60),
        () -> {
          try (var c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "")) {
            try (var rs =
                c.createStatement()
                    .executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
              if (!rs.next()) {
                c.createStatement().execute("create database " + DATABASE);
              }
            }
            return true;
          }
        });
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }

  private static List<String> asServerUser(boolean root) {
    if (!root) {
      return List.of();
    }
    return List.of(
        "setpriv",
        "--reuid=" + NOBODY,
        "--regid=" + NOBODY,
        "--clear-groups",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search");
  }

  private static void chown(Path dir) throws IOException {
    var lookup = dir.getFileSystem().getUserPrincipalLookupService();
    var user = lookup.lookupPrincipalByName(Integer.toString(NOBODY));
    var group = lookup.lookupPrincipalByGroupName(Integer.toString(NOBODY));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        var view =
            Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        view.setGroup(group);
      }
    }
  }

  /** Unpacks the binaries once per version; a half-unpacked copy is never used. */
  private static Path unpack(ServerRuntime runtime, Path cacheDir) throws IOException {
    return Archives.once(
        cacheDir.resolve("postgres-" + runtime.postgresVersion()),
        "bin/postgres",
        temp -> {
          try (var zip = new ZipFile(runtime.postgresBinariesJar().toFile())) {
            var entry =
                zip.stream()
                    .filter(e -> e.getName().endsWith(".txz"))
                    .findFirst()
                    .orElseThrow(
                        () -> new IOException("no .txz in " + runtime.postgresBinariesJar()));
            try (InputStream in = new BufferedInputStream(zip.getInputStream(entry));
                var tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
              Archives.untar(tar, temp, "");
            }
          }
        });
  }
}
