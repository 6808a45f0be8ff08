package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Autodoc against Doxygen on the same real Java library (jackson-core: 136 files, 59k lines,
 * unpacked by the {@code bench} profile), in one run on one machine: {@code ./mvnw -B install
 * -DskipTests && ./mvnw -B -Pbench -pl deploy/local/cli verify -Dit.test=DoxygenBenchmark}. Doxygen
 * comes from Debian ({@code install-doxygen.sh}) and writes HTML without graphs. Autodoc runs on a
 * warm stack (started and used once on another repository first, then idle until its worker has
 * warmed up) and is timed from the job's submission to its end, pull request included (as the
 * orchestrator stamps it), and from the command to its summary; first with no vector stored for the
 * library's text, then forced again with every vector stored. Prints the times, the ratios and the
 * time by step. Numbers, not a pass mark.
 */
class DoxygenBenchmark {
  private static final int DOXYGEN_RUNS = 3;

  @Test
  void autodocAgainstDoxygenOnTheSameTree() throws Exception {
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    Process install =
        new ProcessBuilder(project.resolve("deploy/local/cli/install-doxygen.sh").toString())
            .inheritIO()
            .start();
    assertThat(install.waitFor()).as("install-doxygen.sh").isZero();
    Path code =
        Path.of(System.getProperty("bench.code", "target/bench-code")).resolve("jackson-core");
    Path dataDir = CliTesting.newDataDir("bench-doxygen");
    try (GitFixture warmUp = CliTesting.nestedScopes();
        GitFixture repo = CliTesting.repository("jackson-core")) {
      int files = copyJava(code, repo.dir());
      repo.commit("jackson-core");
      var autodoc = new RunningAutodoc(dataDir);
      CliTesting.Result warm =
          run("generate", warmUp.url(), "--keep-running", "--data-dir", dataDir.toString());
      assertThat(warm.status()).as(warm.output()).isZero();
      String warmedUp = autodoc.awaitWarmedUp();

      long t0 = System.nanoTime();
      CliTesting.Result first = run("generate", repo.url(), "--data-dir", dataDir.toString());
      double firstWall = (System.nanoTime() - t0) / 1e9;
      assertThat(first.status()).as(first.output()).isZero();
      JsonNode firstJob = autodoc.job(RunningAutodoc.jobId(first));
      // The index is made after the job: how long search lags behind the pages.
      t0 = System.nanoTime();
      autodoc.awaitIndexed(repo.url());
      double indexLag = (System.nanoTime() - t0) / 1e9;

      t0 = System.nanoTime();
      CliTesting.Result forced =
          run(
              "generate",
              repo.url(),
              "--force",
              "--mode",
              "full",
              "--data-dir",
              dataDir.toString());
      double forcedWall = (System.nanoTime() - t0) / 1e9;
      assertThat(forced.status()).as(forced.output()).isZero();
      JsonNode forcedJob = autodoc.job(RunningAutodoc.jobId(forced));

      // A one-file change on the warm stack: the command, in this process, to its summary.
      Path changed;
      try (Stream<Path> found = Files.walk(repo.dir())) {
        changed =
            found
                .filter(f -> f.getFileName().toString().equals("JsonPointer.java"))
                .findFirst()
                .orElseThrow();
      }
      String source = Files.readString(changed);
      int end = source.lastIndexOf('}');
      Files.writeString(
          changed,
          source.substring(0, end)
              + "\n    /** Whether this pointer has no segments. */\n"
              + "    public boolean isEmptyPointer() {\n        return matches();\n    }\n}\n");
      repo.commit("JsonPointer.isEmptyPointer");
      t0 = System.nanoTime();
      CliTesting.Result oneFile = run("generate", repo.url(), "--data-dir", dataDir.toString());
      double oneFileWall = (System.nanoTime() - t0) / 1e9;
      assertThat(oneFile.status()).as(oneFile.output()).isZero();
      JsonNode oneFileJob = autodoc.job(RunningAutodoc.jobId(oneFile));

      List<Double> doxygen = new ArrayList<>();
      for (int i = 0; i < DOXYGEN_RUNS; i++) {
        doxygen.add(doxygen(repo.dir(), dataDir.resolve("doxygen-" + i)));
      }
      double reference = doxygen.stream().sorted().toList().get(DOXYGEN_RUNS / 2);
      System.out.printf(
          Locale.ROOT,
          "%n=== Autodoc against Doxygen: jackson-core, %d Java files (2-core machine) ===%n"
              + "Doxygen (HTML, no graphs), median of %d: %6.2f s %s%n"
              + "Autodoc, full job, no vector stored:   %6.2f s job (ratio %.1f), %6.2f s command;"
              + " search caught up %.2f s after the command%n"
              + "Autodoc, forced job, vectors stored:   %6.2f s job (ratio %.1f), %6.2f s command%n"
              + "Autodoc, one-file change (incremental):%6.2f s job,             %6.2f s command%n"
              + "time by step, first job:  %s%n"
              + "time by step, forced job: %s%n"
              + "time line of the first job (ms from its creation): %s%n"
              + "the worker before the first job: %s%n%n",
          files,
          DOXYGEN_RUNS,
          reference,
          doxygen,
          RunningAutodoc.seconds(firstJob),
          RunningAutodoc.seconds(firstJob) / reference,
          firstWall,
          indexLag,
          RunningAutodoc.seconds(forcedJob),
          RunningAutodoc.seconds(forcedJob) / reference,
          forcedWall,
          RunningAutodoc.seconds(oneFileJob),
          oneFileWall,
          steps(firstJob),
          steps(forcedJob),
          timeline(firstJob),
          warmedUp.substring(warmedUp.indexOf("warmed up:")));
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  /** Doxygen's time on the tree, in seconds. */
  private static double doxygen(Path tree, Path out) throws IOException, InterruptedException {
    Files.createDirectories(out);
    Path config = out.resolve("Doxyfile");
    Files.writeString(
        config,
        String.join(
            "\n",
            "INPUT = " + tree,
            "RECURSIVE = YES",
            "FILE_PATTERNS = *.java",
            "EXCLUDE_PATTERNS = */.git/*",
            "EXTRACT_ALL = YES",
            "OUTPUT_DIRECTORY = " + out,
            "GENERATE_HTML = YES",
            "GENERATE_LATEX = NO",
            "HAVE_DOT = NO",
            "CLASS_GRAPH = NO",
            "QUIET = YES",
            "WARNINGS = NO",
            ""));
    long t0 = System.nanoTime();
    Process doxygen =
        new ProcessBuilder("doxygen", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("doxygen.log").toFile())
            .start();
    assertThat(doxygen.waitFor()).as("doxygen").isZero();
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(out.resolve("html/index.html")).exists();
    return seconds;
  }

  /**
   * The job's steps on one time line from its creation, in ms: where it waited between steps shows
   * as the gaps ({@code +start..+end step}).
   */
  static String timeline(JsonNode job) {
    Instant created = Instant.parse(job.path("createdAt").asText());
    record Run(long start, long end, String step) {}
    List<JsonNode> steps = new ArrayList<>();
    job.path("steps").forEach(steps::add);
    job.path("scopes").forEach(scope -> scope.path("steps").forEach(steps::add));
    var parts = new ArrayList<String>();
    steps.stream()
        .filter(s -> s.hasNonNull("startedAt") && s.hasNonNull("finishedAt"))
        .map(
            s ->
                new Run(
                    millisSince(created, s.path("startedAt")),
                    millisSince(created, s.path("finishedAt")),
                    s.path("step").asText()))
        .sorted(Comparator.comparingLong(Run::start))
        .forEach(r -> parts.add("+" + r.start() + "..+" + r.end() + " " + r.step()));
    return String.join(", ", parts)
        + ", job finished +"
        + millisSince(created, job.path("finishedAt"));
  }

  private static long millisSince(Instant start, JsonNode instant) {
    return Duration.between(start, Instant.parse(instant.asText())).toMillis();
  }

  static String steps(JsonNode job) {
    var parts = new ArrayList<String>();
    for (JsonNode total : job.path("stepTotals")) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %.2f s",
              total.path("step").asText(),
              total.path("millis").asLong() / 1000.0));
    }
    return String.join(", ", parts);
  }

  /** Copies the Java sources of a tree; how many files. */
  private static int copyJava(Path from, Path to) throws IOException {
    int count = 0;
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
        count++;
      }
    }
    return count;
  }
}
