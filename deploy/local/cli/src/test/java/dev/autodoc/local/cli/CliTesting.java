package dev.autodoc.local.cli;

import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs CLI commands in-process and makes the repositories they document. */
final class CliTesting {
  static final Path BUILD = Path.of(System.getProperty("autodoc.build.dir", "target"));

  private CliTesting() {}

  /** A command's exit status and everything it printed. */
  record Result(int status, String output) {}

  /**
   * Runs a command; {@code generate} writes its pages into the build directory unless told
   * otherwise.
   */
  static Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && all.getFirst().equals("generate") && !all.contains("--out")) {
      all.addAll(
          List.of("--out", BUILD.resolve("out").resolve("run-" + System.nanoTime()).toString()));
    }
    var text = new StringWriter();
    int status = Main.run(new PrintWriter(text, true), all.toArray(String[]::new));
    return new Result(status, text.toString());
  }

  /** A small documented class, {@code Part<i>} in package {@code pkg}: one of many tiny scopes. */
  static String part(String pkg, int i) {
    return "package "
        + pkg
        + ";\n\n/** Part "
        + i
        + " of the whole. */\npublic class Part"
        + i
        + " {\n  /** Its number. */\n  public int number() {\n    return "
        + i
        + ";\n  }\n}\n";
  }

  /** The lines of services' logs written as JSON objects (what a JVM prints itself is not). */
  static List<com.fasterxml.jackson.databind.JsonNode> jsonLogLines(Path... logs)
      throws IOException {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var lines = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
    for (Path log : logs) {
      if (!Files.exists(log)) {
        continue;
      }
      for (String line : Files.readAllLines(log)) {
        if (line.startsWith("{")) {
          try {
            lines.add(mapper.readTree(line));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // A line cut off by a process killed mid-write.
          }
        }
      }
    }
    return lines;
  }

  /**
   * Waits until search finds the text of every page of the repository: workers make the vectors
   * after the job, and each page says when its text is indexed ({@code indexedCommit}).
   */
  static void awaitIndexed(ApiClient api, String repositoryId) {
    awaitIndexed(api, repositoryId, java.time.Duration.ofSeconds(120));
  }

  static void awaitIndexed(ApiClient api, String repositoryId, java.time.Duration timeout) {
    org.awaitility.Awaitility.await()
        .atMost(timeout)
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(
            () -> {
              var pages = api.pages(repositoryId).body();
              if (!pages.isArray() || pages.isEmpty()) {
                return false;
              }
              for (var page : pages) {
                if (!page.hasNonNull("indexedCommit")) {
                  return false;
                }
              }
              return true;
            });
  }

  static Path newDataDir(String name) throws IOException {
    Files.createDirectories(BUILD);
    return Files.createTempDirectory(BUILD, name + "-");
  }

  static GitFixture repository(String name) {
    return GitFixture.create(BUILD.resolve("repos"), name);
  }

  /**
   * A repository with nested scopes: the root, services, services/pay, and web. The README of
   * services/pay opens with what a hostile contributor might write: a script link, raw HTML and a
   * data image, which its pages quote.
   */
  static GitFixture nestedScopes() {
    GitFixture repo = repository("shop");
    repo.write(".autodoc.yaml", "name: shop\n")
        .write("src/Main.java", "class Main {}\n")
        .write("services/.autodoc.yaml", "name: services\n")
        .write("services/Registry.java", "class Registry {}\n")
        .write("services/pay/.autodoc.yaml", "name: pay\nexclude: [\"**/generated/**\"]\n")
        .write("services/pay/Pay.java", "class Pay {}\n")
        .write("services/pay/README.md", "# pay\n\n" + HOSTILE_README + "\n")
        .write("services/pay/generated/G.java", "class G {}\n")
        .write("web/.autodoc.yaml", "")
        .write("web/index.ts", "export const x = 1;\n")
        .write("web/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0})
        .commit("shop");
    return repo;
  }

  /** Repository content that must never run as script where a page is served as HTML. */
  static final String HOSTILE_README =
      "Pay takes payments; see [the guide](javascript:alert(document.domain))"
          + " <script>alert(1)</script> <img src=x onerror=alert(2)>"
          + " ![logo](data:image/svg+xml,%3Csvg%20onload%3Dalert(3)%3E).";

  /** Processes whose command line names the data directory: what a run left behind. */
  static List<String> processesUsing(Path dataDir) {
    List<String> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.isAlive() && p.pid() != ProcessHandle.current().pid())
        .forEach(
            p ->
                p.info()
                    .commandLine()
                    .filter(c -> c.contains(dataDir.toString()))
                    .ifPresent(c -> found.add(p.pid() + " " + c)));
    return found;
  }

  /**
   * Waits until a scope of the job runs on a worker whose id starts with {@code workerPrefix}, and
   * returns that scope as the API shows it. When none does within a minute, prints the job and the
   * end of every process's log before failing, so that a failure on a CI machine says why.
   */
  static com.fasterxml.jackson.databind.JsonNode awaitRunningScope(
      LocalDeployment deployment, ApiClient api, String jobId, String workerPrefix) {
    var running =
        new java.util.concurrent.atomic.AtomicReference<com.fasterxml.jackson.databind.JsonNode>();
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .pollInterval(java.time.Duration.ofMillis(100))
          .until(
              () -> {
                for (var scope : api.job(jobId).body().path("scopes")) {
                  if (scope.path("status").asText().equals("RUNNING")
                      && scope.path("workerId").asText().startsWith(workerPrefix)) {
                    running.set(scope);
                    return true;
                  }
                }
                return false;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      explain(deployment, api, jobId, "no scope ran on a worker named " + workerPrefix + "*");
      throw e;
    }
    return running.get();
  }

  /** Prints the job as the API shows it and the end of every process's log. */
  static void explain(LocalDeployment deployment, ApiClient api, String jobId, String what) {
    System.out.println(what + "; job " + jobId + " is now:");
    try {
      System.out.println(api.job(jobId).body().toPrettyString());
    } catch (Exception e) {
      System.out.println("(the API did not answer: " + e + ")");
    }
    for (var p : deployment.processes()) {
      System.out.println("---- " + p.name() + " (alive: " + p.isAlive() + ")");
      System.out.println(p.tail(40));
    }
  }

  /** The service process a worker id belongs to: worker ids start with the service's name. */
  static dev.autodoc.local.stack.ManagedProcess workerOf(
      LocalDeployment deployment, com.fasterxml.jackson.databind.JsonNode scope) {
    String workerId = scope.path("workerId").asText();
    return deployment.services().stream()
        .filter(p -> workerId.startsWith(p.name() + "-"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no service runs worker " + workerId));
  }

  /** Waits until the job has ended, however it ended, and returns it. */
  static com.fasterxml.jackson.databind.JsonNode awaitEnded(
      ApiClient api, String jobId, java.time.Duration timeout) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(timeout)
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(
            () ->
                api.job(jobId)
                    .body()
                    .path("status")
                    .asText()
                    .matches("COMPLETED|FAILED|CANCELLED"));
    return api.job(jobId).body();
  }

  /**
   * Commits published open-source code in seven languages into the repository, one scope each
   * ({@code java}, {@code go}, {@code rust}, {@code python}, {@code typescript}, {@code csharp},
   * {@code c}).
   */
  static void sevenLanguages(GitFixture repo) throws IOException {
    scope(repo, "java", dev.autodoc.local.testing.RealSources.COMMONS_CLI.unpacked(), p -> true);
    scope(repo, "go", dev.autodoc.local.testing.RealSources.COBRA.unpacked(), p -> true);
    scope(repo, "rust", dev.autodoc.local.testing.RealSources.SEMVER.unpacked(), p -> true);
    scope(
        repo,
        "python",
        dev.autodoc.local.testing.RealSources.NODE_GYP.unpacked().resolve("gyp/pylib"),
        p -> p.startsWith("packaging/"));
    scope(
        repo,
        "typescript",
        dev.autodoc.local.testing.RealSources.RXJS.unpacked().resolve("src/internal"),
        p -> p.startsWith("util/") || p.startsWith("scheduler/"));
    scope(
        repo,
        "csharp",
        dev.autodoc.local.testing.RealSources.EDGE_JS.unpacked().resolve("src/double/Edge.js"),
        p -> true);
    scope(
        repo,
        "c",
        dev.autodoc.local.testing.RealSources.TREE_SITTER
            .unpacked()
            .resolve("vendor/tree-sitter/lib"),
        p -> p.startsWith("include/") || p.matches("src/[^/]+\\.[ch]"));
    repo.commit("seven languages");
  }

  /** Copies the chosen files of a published source tree into the repository as one scope. */
  static void scope(
      GitFixture repo, String name, Path source, java.util.function.Predicate<String> keep)
      throws IOException {
    Path target = repo.dir().resolve(name);
    try (var files = java.nio.file.Files.walk(source)) {
      for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        String relative = source.relativize(file).toString();
        if (keep.test(relative) && !relative.equals(".unpacked")) {
          Path out = target.resolve(relative);
          java.nio.file.Files.createDirectories(out.getParent());
          java.nio.file.Files.copy(file, out);
        }
      }
    }
    java.nio.file.Files.writeString(target.resolve(".autodoc.yaml"), "name: " + name + "\n");
  }
}
