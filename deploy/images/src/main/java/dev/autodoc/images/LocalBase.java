package dev.autodoc.images;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.autodoc.local.testing.SourceArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * A base assembled here, from what these machines reach: the C and C++ runtime libraries of four
 * Debian 12 packages, pinned by SHA-256, and a Java runtime made by {@code jlink} from the JDK that
 * runs the build. Both come out the same from the same inputs, so images on it are reproducible. It
 * stands in for {@link Base.Temurin} where Docker Hub cannot be reached.
 */
public record LocalBase(Path cache) implements Base {
  /** glibc, libgcc, libstdc++ (tree-sitter's and the embedding runtime's native code), zlib. */
  static final List<SourceArchive> PACKAGES =
      List.of(
          SourceArchive.debian(
              "pool/main/g/glibc/libc6_2.36-9+deb12u14_amd64.deb",
              "ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf",
              ""),
          SourceArchive.debian(
              "pool/main/g/gcc-12/libgcc-s1_12.2.0-14+deb12u1_amd64.deb",
              "3016e62cb4b7cd8038822870601f5ed131befe942774d0f745622cc77d8a88f7",
              ""),
          SourceArchive.debian(
              "pool/main/g/gcc-12/libstdc++6_12.2.0-14+deb12u1_amd64.deb",
              "5cd3171216d4ab0fc911cfe9c35509bf2dd8f47761c43b7f6a4296701551a24d",
              ""),
          SourceArchive.debian(
              "pool/main/z/zlib/zlib1g_1.2.13.dfsg-1_amd64.deb",
              "d7dd1d1411fedf27f5e27650a6eff20ef294077b568f4c8c5e51466dc7c08ce4",
              ""));

  /**
   * Java SE as a whole, as a JRE has it, and the JDK modules the services load (Unsafe, JFR,
   * management, DNS, the zip file system). Not a list of what jdeps finds: classes loaded late are
   * missed (context propagation loads {@code java.rmi.RemoteException} as a service starts), and
   * show only when it fails to.
   */
  static final String MODULES =
      String.join(
          ",",
          "java.se",
          "jdk.crypto.ec",
          "jdk.jfr",
          "jdk.management",
          "jdk.naming.dns",
          "jdk.unsupported",
          "jdk.zipfs");

  /** Only libraries: documentation and translations are no use in an image. */
  private static boolean wanted(String path) {
    return !path.startsWith("usr/share/") && !path.startsWith("etc/");
  }

  @Override
  public JibContainerBuilder start() throws IOException {
    return Jib.fromScratch()
        .addFileEntriesLayer(system())
        .addFileEntriesLayer(java())
        .addEnvironmentVariable("JAVA_HOME", ImageBuild.JAVA_HOME)
        .addEnvironmentVariable("PATH", ImageBuild.JAVA_HOME + "/bin:/usr/bin:/bin")
        .addEnvironmentVariable("LANG", "C.UTF-8");
  }

  @Override
  public boolean remote() {
    return false;
  }

  /** The libraries, the user the services run as, and an empty /tmp. */
  private FileEntriesLayer system() throws IOException {
    Map<String, Path> files = new TreeMap<>();
    for (SourceArchive archive : PACKAGES) {
      Path root = archive.unpacked();
      try (Stream<Path> all = Files.walk(root)) {
        for (Path file : all.sorted().toList()) {
          String relative = root.relativize(file).toString();
          if (wanted(relative) && !Files.isDirectory(file) && !relative.equals(".unpacked")) {
            files.put(relative, file);
          }
        }
      }
    }
    var layer = FileEntriesLayer.builder().setName("system");
    for (var entry : files.entrySet()) {
      Path source = inTree(entry.getValue(), files);
      if (source != null) {
        layer.addEntry(
            source,
            AbsoluteUnixPath.get("/" + entry.getKey()),
            FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source)));
      }
    }
    Path etc = Files.createDirectories(cache.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/sbin/nologin\n"
            + "autodoc:x:10001:10001:autodoc:/work/home:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nautodoc:x:10001:\n");
    layer.addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"));
    layer.addEntry(etc.resolve("group"), AbsoluteUnixPath.get("/etc/group"));
    Path tmp = Files.createDirectories(cache.resolve("tmp"));
    layer.addEntry(tmp, AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"));
    return layer.build();
  }

  /**
   * The file a packaged file stands for: itself, or, for a symbolic link, the file it points to
   * inside the packages (an absolute link must not reach into the machine building the image); null
   * for a link that points nowhere in them.
   */
  private static Path inTree(Path file, Map<String, Path> files) throws IOException {
    Path current = file;
    for (int hops = 0; Files.isSymbolicLink(current) && hops < 16; hops++) {
      String target = Files.readSymbolicLink(current).toString();
      String key =
          target.startsWith("/")
              ? target.substring(1)
              : Path.of(keyOf(current, files)).resolveSibling(target).normalize().toString();
      current = files.get(key);
      if (current == null) {
        return null;
      }
    }
    return Files.isRegularFile(current, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? current : null;
  }

  private static String keyOf(Path file, Map<String, Path> files) {
    return files.entrySet().stream()
        .filter(e -> e.getValue().equals(file))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow();
  }

  /** A Java runtime of {@link #MODULES}, made once per JDK and module list. */
  private FileEntriesLayer java() throws IOException {
    String jdk = Runtime.version() + "-" + Integer.toHexString(MODULES.hashCode());
    Path runtime = cache.resolve("java-" + jdk);
    if (!Files.isDirectory(runtime)) {
      Path partial = cache.resolve("java-" + jdk + ".part");
      deleteRecursively(partial);
      var out = new ByteArrayOutputStream();
      int status =
          ToolProvider.findFirst("jlink")
              .orElseThrow(() -> new IOException("jlink is not in this JDK"))
              .run(
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  "--add-modules",
                  MODULES,
                  "--strip-debug",
                  "--no-header-files",
                  "--no-man-pages",
                  "--output",
                  partial.toString());
      if (status != 0) {
        throw new IOException("jlink failed: " + out.toString(StandardCharsets.UTF_8));
      }
      Files.move(partial, runtime);
    }
    return FileEntriesLayer.builder()
        .setName("java")
        .addEntryRecursive(
            runtime,
            AbsoluteUnixPath.get(ImageBuild.JAVA_HOME),
            (source, target) -> permissions(source))
        .build();
  }

  private static FilePermissions permissions(Path source) {
    try {
      return FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(source));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
