package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
          RunningAutodoc.seconds(fullJob),
          fullJob.path("scopes").size(),
          RunningAutodoc.seconds(incrementalJob),
          incrementalJob.path("scopes").size(),
          CHANGED,
          rewritten.size(),
          affected.size(),
          RunningAutodoc.rewritten(before, after, "README").size(),
          rewritten);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      assertThat(rewritten).containsExactlyInAnyOrderElementsOf(affected);

      // A forced full run of the same tree writes every page again, but finds every chunk's
      // vector stored: its embed step is what is left of embedding without the model.
      CliTesting.Result forced =
          run("generate", repo.url(), "--force", "--data-dir", dataDir.toString());
      assertThat(forced.status()).as(forced.output()).isZero();
      JsonNode forcedJob = autodoc.job(RunningAutodoc.jobId(forced));
      System.out.printf(
          Locale.ROOT,
          "Forced full run of the unchanged tree: %8.1f s (first full run %.1f s)%n"
              + "  embed step, summed over scopes: %.1f s, against %.1f s in the first full run"
              + " (ratio %.3f)%n%n",
          RunningAutodoc.seconds(forcedJob),
          RunningAutodoc.seconds(fullJob),
          stepSeconds(forcedJob, "embed"),
          stepSeconds(fullJob, "embed"),
          stepSeconds(forcedJob, "embed") / stepSeconds(fullJob, "embed"));
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /** A step's time summed over the job's scopes, from the job view's step totals. */
  private static double stepSeconds(JsonNode job, String step) {
    for (JsonNode total : job.path("stepTotals")) {
      if (total.path("step").asText().equals(step)) {
        return total.path("millis").asLong() / 1000.0;
      }
    }
    throw new AssertionError("the job view has no total for step " + step);
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
