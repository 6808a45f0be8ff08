package dev.autodoc.common.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scope globs mean what git means by them: every expected answer comes from {@code git
 * check-ignore} run on the same patterns, as a {@code .gitignore} at the scope's root.
 */
class GlobsTest {
  private static final List<String> PATHS =
      List.of(
          "Main.java",
          "src/Main.java",
          "src/query.ts",
          "src/a/b/query.ts",
          "src/a/b/query.tsx",
          "lib/src/query.ts",
          "src.ts",
          "generated/A.java",
          "src/generated/B.java",
          "src/gen/C.java",
          "build/out.txt",
          "build/keep.txt",
          "docs/build/guide.md",
          "a/b/c/d.md",
          "README.md",
          "x/README.md",
          "test_utils.py",
          "pkg/test_main.py",
          "[weird].txt",
          "#notes.txt",
          "a b/c d.txt");

  static Stream<Arguments> patterns() {
    return Stream.of(
            List.of("src/**/*.ts"),
            List.of("**/*.java"),
            List.of("*.java"),
            List.of("src/*.java"),
            List.of("/Main.java"),
            List.of("**/generated/**"),
            List.of("generated/"),
            List.of("build/", "!build/keep.txt"),
            List.of("*.md", "!README.md"),
            List.of("a/**/d.md"),
            List.of("**/test_*.py"),
            List.of("src/**"),
            List.of("src/a/*/query.ts?"),
            List.of("\\[weird].txt"),
            List.of("\\#notes.txt"),
            List.of("a b/*"),
            List.of("[a-c]*/**/*.md"),
            List.of("**"),
            List.of("*", "!*/"))
        .map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("patterns")
  void matchesWhatGitMatches(List<String> patterns, @TempDir Path dir) throws Exception {
    Set<String> gitSays = gitCheckIgnore(dir, patterns);
    Globs globs = Globs.of(patterns);
    List<String> disagreements = new ArrayList<>();
    for (String path : PATHS) {
      if (globs.matches(path) != gitSays.contains(path)) {
        disagreements.add(path + " (git: " + gitSays.contains(path) + ")");
      }
    }
    assertThat(disagreements).as("paths where %s differs from git", patterns).isEmpty();
    assertThat(gitSays).as("the table exercises %s", patterns).isNotEmpty();
  }

  @Test
  void doubleStarMatchesZeroDirectoriesInTheMiddle() {
    assertThat(Globs.of(List.of("src/**/*.ts")).matches("src/query.ts")).isTrue();
  }

  @Test
  void problemsNameWhatIsWrong() {
    assertThat(Globs.problem("**/*.java")).isNull();
    assertThat(Globs.problem("/Main.java")).isNull();
    assertThat(Globs.problem("../x")).contains("'..'");
    assertThat(Globs.problem("#x")).contains("comment");
    assertThat(Globs.problem("src/[a-")).contains("not valid");
    assertThat(Globs.problem("[z-a]")).contains("not valid");
    assertThat(Globs.problem(" ")).contains("empty");
  }

  /** The paths git's own matcher ignores under these patterns, outside any index. */
  private static Set<String> gitCheckIgnore(Path dir, List<String> patterns)
      throws IOException, InterruptedException {
    run(dir, null, "git", "init", "-q");
    Files.writeString(dir.resolve(".gitignore"), String.join("\n", patterns) + "\n");
    String out =
        run(
            dir,
            String.join("\n", PATHS) + "\n",
            "git",
            "-c",
            "core.quotePath=false",
            "check-ignore",
            "--no-index",
            "--stdin");
    return new HashSet<>(out.lines().toList());
  }

  private static String run(Path dir, String input, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // check-ignore exits 1 when nothing matched.
    assertThat(process.exitValue()).as(out).isIn(0, 1);
    return out;
  }
}
