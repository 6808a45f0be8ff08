package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A full run against an incremental run after a one-file change, on a real tree of 1,563 Java files
 * in two scopes (the JGit and Guava sources, unpacked by the {@code bench} profile), on the local
 * stack: {@code ./mvnw -B install -DskipTests && ./mvnw -B -Pbench -pl deploy/local/cli verify}.
 * Prints both job times, the scopes dispatched, and the pages rewritten against the pages made from
 * the changed file. Numbers, not a pass mark: only the page accounting is asserted.
 */
class IncrementalBenchmark {
  private static final String CHANGED = "org/eclipse/jgit/util/StringUtils.java";

  @Test
  void fullRunAgainstIncrementalRunAfterOneFileChange() throws Exception {
    Path code = Path.of(System.getProperty("bench.code", "target/bench-code"));
    Path dataDir = CliTesting.newDataDir("bench-incremental");
    try (GitFixture repo = CliTesting.repository("bench-tree")) {
      int files = copy(code.resolve("jgit"), repo.dir().resolve("jgit"));
      files += copy(code.resolve("guava"), repo.dir().resolve("guava"));
      repo.write("jgit/.autodoc.yaml", "name: jgit\n")
          .write("guava/.autodoc.yaml", "name: guava\n")
          .commit("two libraries");
      var autodoc = new RunningAutodoc(dataDir);

      CliTesting.Result full =
          run("generate", repo.url(), "--keep-running", "--data-dir", dataDir.toString());
      assertThat(full.status()).as(full.output()).isZero();
      JsonNode fullJob = autodoc.job(RunningAutodoc.jobId(full));
      Map<String, JsonNode> before = autodoc.pages(repo.url());
      repo.merge(RunningAutodoc.branch(full));

      Path changed = repo.dir().resolve("jgit").resolve(CHANGED);
      String source = Files.readString(changed);
      int end = source.lastIndexOf('}');
      repo.write(
              "jgit/" + CHANGED,
              source.substring(0, end)
                  + "\n\t/** Whether a string is null or blank. */\n"
                  + "\tpublic static boolean isBlank(String s) {\n"
                  + "\t\treturn s == null || s.isBlank();\n\t}\n}\n")
          .commit("StringUtils.isBlank");
      CliTesting.Result incremental = run("generate", repo.url(), "--data-dir", dataDir.toString());
      assertThat(incremental.status()).as(incremental.output()).isZero();
      JsonNode incrementalJob = autodoc.job(RunningAutodoc.jobId(incremental));
      Map<String, JsonNode> after = autodoc.pages(repo.url());

      List<String> affected =
          before.entrySet().stream()
              .filter(e -> e.getKey().startsWith("jgit/"))
              .filter(e -> contains(e.getValue().path("sources"), CHANGED))
              .map(Map.Entry::getKey)
              .toList();
      List<String> rewritten = RunningAutodoc.rewritten(before, after, "PAGE");
      System.out.printf(
          Locale.ROOT,
          "%nIncremental benchmark: %,d files in 2 scopes, %,d pages and READMEs%n"
              + "  full run:        %8.1f s  (%d scopes dispatched)%n"
              + "  incremental run: %8.1f s  (%d scope dispatched) after changing %s%n"
              + "  pages rewritten: %d, pages made from the changed file: %d%n"
              + "  READMEs rewritten: %d (distilled again; rewritten only when they read differently)%n"
              + "  rewritten: %s%n%n",
          files,
          before.size(),
          seconds(fullJob),
          fullJob.path("scopes").size(),
          seconds(incrementalJob),
          incrementalJob.path("scopes").size(),
          CHANGED,
          rewritten.size(),
          affected.size(),
          RunningAutodoc.rewritten(before, after, "README").size(),
          rewritten);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      assertThat(rewritten).containsExactlyInAnyOrderElementsOf(affected);
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  private static double seconds(JsonNode job) {
    return Duration.between(
                Instant.parse(job.path("createdAt").asText()),
                Instant.parse(job.path("finishedAt").asText()))
            .toMillis()
        / 1000.0;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (item.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  /** Copies a tree of sources; how many files. */
  private static int copy(Path from, Path to) throws IOException {
    int[] count = {0};
    try (Stream<Path> files = Files.walk(from)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              file -> {
                try {
                  Path target = to.resolve(from.relativize(file).toString());
                  Files.createDirectories(target.getParent());
                  Files.copy(file, target);
                  count[0]++;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return count[0];
  }
}
