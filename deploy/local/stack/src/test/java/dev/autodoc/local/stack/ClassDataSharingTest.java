package dev.autodoc.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM makes and maps the archive; a rebuilt jar gets a new one in place of the old. */
class ClassDataSharingTest {
  @TempDir Path dir;

  @Test
  void aRebuiltJarGetsAnArchiveOfItsOwnAndTheOldOneGoes() throws Exception {
    Path cds = dir.resolve("cds");
    Path jar = jar("first");
    List<String> making = ClassDataSharing.options(cds, "tool", List.of(jar));
    Path first = archive(making);
    assertFalse(Files.exists(first));

    assertEquals("first", run(jar, making));
    assertTrue(Files.size(first) > 0, "the JVM made the archive when it exited");
    List<String> mapping = ClassDataSharing.options(cds, "tool", List.of(jar));
    assertEquals(first, archive(mapping));
    assertEquals("first", run(jar, mapping));

    // Rebuilt: another size and time. The JVM would refuse the old archive and never replace it.
    Files.delete(jar);
    jar = jar("second build");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    List<String> rebuilt = ClassDataSharing.options(cds, "tool", List.of(jar));
    Path second = archive(rebuilt);
    assertNotEquals(first, second);
    assertFalse(Files.exists(first), "the archive of the earlier build is deleted");
    assertEquals("second build", run(jar, rebuilt));
    assertTrue(Files.size(second) > 0);
  }

  @Test
  void oneProcessOfAKindMakesTheArchiveTheOthersGoWithout() throws Exception {
    Path cds = dir.resolve("cds");
    Path jar = jar("shared");
    List<String> maker = ClassDataSharing.options(cds, "tool", List.of(jar));
    assertTrue(maker.contains("-XX:+AutoCreateSharedArchive"));
    List<String> meanwhile = ClassDataSharing.options(cds, "tool", List.of(jar));
    assertEquals(List.of(), meanwhile, "a second process must not write the same archive");
    assertEquals("shared", run(jar, maker));
    List<String> after = ClassDataSharing.options(cds, "tool", List.of(jar));
    assertEquals(archive(maker), archive(after));
    assertFalse(after.contains("-XX:+AutoCreateSharedArchive"), "made once, then only mapped");
    assertEquals("shared", run(jar, after));
  }

  @Test
  void otherKindsKeepTheirArchives() throws Exception {
    Path cds = Files.createDirectories(dir.resolve("cds"));
    Path kafka =
        Files.writeString(cds.resolve("kafka-jdk" + Runtime.version().feature() + "-1.jsa"), "x");
    ClassDataSharing.options(cds, "kafka-format", List.of(jar("x")));
    assertTrue(Files.exists(kafka));
  }

  private static Path archive(List<String> options) {
    return Path.of(options.getFirst().substring("-XX:SharedArchiveFile=".length()));
  }

  /** A jar whose main class prints {@code message}. */
  private Path jar(String message) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(
        src.resolve("Tool.java"),
        "public class Tool { public static void main(String[] a) { System.out.print(\""
            + message
            + "\"); } }");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int status =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Tool.java").toString());
    assertEquals(0, status);
    Path jar = dir.resolve("tool.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("Tool.class"));
      out.write(Files.readAllBytes(classes.resolve("Tool.class")));
      out.closeEntry();
    }
    return jar;
  }

  private static String run(Path jar, List<String> options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(options);
    command.addAll(List.of("-cp", jar.toString(), "Tool"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }
}
