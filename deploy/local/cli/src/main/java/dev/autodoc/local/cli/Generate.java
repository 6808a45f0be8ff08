package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Documents a repository: starts Autodoc (or uses the one left running), submits the job, shows
 * each scope's progress as it happens, and prints a summary. Exits 0 when the job completed, 1 when
 * it failed or was cancelled, 2 for bad input, 3 when Autodoc itself could not run.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Documents a git repository.")
final class Generate implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "REPOSITORY",
      description = "A local path, a file:// URL or an https:// URL.")
  String repository;

  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "The branch to document (default: the repository's default branch).")
  String branch;

  @Option(
      names = "--keep-running",
      description =
          "Leave Autodoc running afterwards, with no idle stop, and print the API address and"
              + " where its key is.")
  boolean keepRunning;

  @Option(
      names = "--idle-stop",
      paramLabel = "DURATION",
      description =
          "Leave Autodoc running for the next command and stop it once unused this long"
              + " (ISO-8601; default $AUTODOC_IDLE_STOP, else PT15M). PT0S stops it when this"
              + " command ends.")
  Duration idleStop;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "PT30M",
      description = "Longest to wait for the job (ISO-8601, default PT30M).")
  Duration timeout;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Where to write every scope's README and pages (default: a folder named after the repository here).")
  Path outDir;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "full or incremental (default: incremental when the repository was documented before,"
              + " full otherwise).")
  String mode;

  @Option(names = "--force", description = "Write every page again, changed or not.")
  boolean force;

  @Option(
      names = "--dry-run",
      description =
          "Only plan: print each scope and page that would be written, with the reason, and the"
              + " estimated LLM tokens; write nothing.")
  boolean dryRun;

  @Option(
      names = "--callback-url",
      paramLabel = "URL",
      description =
          "Where to POST the job's result when it ends, signed with the secret in the data"
              + " directory's callback-secret file.")
  String callbackUrl;

  @CommandLine.Mixin Main.DataDir dataDir = new Main.DataDir();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    Duration idle;
    try {
      idle = keepRunning ? Duration.ZERO : idleStop != null ? idleStop : IdleStop.defaultPeriod();
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      return Main.USAGE;
    }
    if (idle.isNegative()) {
      out.println("--idle-stop must not be negative: " + idle);
      return Main.USAGE;
    }
    Path dir = dataDir.resolve();
    try (AutoCloseable use = IdleStop.use(dir)) {
      // A job needs the broker, the database, the orchestrator and a worker; the rest of Autodoc
      // comes up while it runs.
      var up = Main.startOrResume(dataDir, out, LocalDeployment.Wait.JOBS);
      if (up.isEmpty()) {
        return Main.INFRASTRUCTURE;
      }
      return run(up.get(), dir, idle, started, out);
    }
  }

  private int run(
      LocalDeployment deployment, Path dir, Duration idle, long started, PrintWriter out)
      throws IOException, InterruptedException {
    try {
      out.printf(
          "· Autodoc is up (%s)%n", Format.millis((System.nanoTime() - started) / 1_000_000));
      return document(deployment, out);
    } finally {
      if (keepRunning) {
        deployment.detach();
        IdleStop.arm(Main.projectDir(), dir, Duration.ZERO);
        Main.Up.printRunning(deployment, out);
      } else if (!idle.isZero()) {
        deployment.detach();
        IdleStop.arm(Main.projectDir(), dir, idle);
        out.printf(
            "· Autodoc stays up for the next command and stops once unused for %s"
                + " ('deploy/local/autodoc down' stops it now)%n",
            Format.duration(idle));
      } else if (!deployment.attached()) {
        out.println("· stopping Autodoc");
        deployment.close();
      } else {
        // Left running by an earlier command: it stays up, only this command's watch ends.
        deployment.close();
      }
      out.flush();
    }
  }

  private int document(LocalDeployment deployment, PrintWriter out)
      throws IOException, InterruptedException {
    var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("repository", repositoryArgument());
    if (branch != null) {
      request.put("branch", branch);
    }
    if (mode != null) {
      request.put("mode", mode);
    }
    if (force) {
      request.put("force", true);
    }
    if (dryRun) {
      request.put("dryRun", true);
    }
    if (callbackUrl != null) {
      request.put("callbackUrl", callbackUrl);
    }
    ApiClient.Reply submitted = api.submit(request);
    if (submitted.status() != 202) {
      out.println("The request was refused: " + submitted.body().path("detail").asText());
      submitted
          .body()
          .path("errors")
          .forEach(
              e ->
                  out.println("  " + e.path("field").asText() + ": " + e.path("message").asText()));
      return Main.USAGE;
    }
    String id = submitted.body().path("id").asText();
    String url = submitted.body().path("repository").path("url").asText();
    out.println("· job " + id + " submitted for " + url);
    // The data directory keeps every run: say what this repository's last job was.
    for (JsonNode earlier : api.jobsOf(url, 2).body().path("items")) {
      if (!earlier.path("id").asText().equals(id)) {
        out.println(
            "· previous job of this repository: "
                + earlier.path("id").asText()
                + " "
                + earlier.path("status").asText()
                + " ("
                + earlier.path("createdAt").asText()
                + ")");
      }
    }
    JsonNode job = new JobFollower(api, out, timeout).follow(id);
    if (callbackUrl != null) {
      job = followCallback(api, id, out);
    }
    JobReport.printPlan(job, out);
    if (dryRun) {
      if (!"COMPLETED".equals(job.path("status").asText())) {
        return failed(job, out);
      }
      // A plan with a scope that would fail is not a plan to run as it stands.
      return job.path("plan").path("scopes").findValues("problem").stream()
              .anyMatch(JsonNode::isTextual)
          ? 1
          : 0;
    }
    JobReport.printSummary(job, out);
    JobReport.printStepTotals(job, out);
    writePages(api, job, out);
    JsonNode pr = job.path("pullRequest");
    if (pr.isObject()) {
      out.println(
          "· pull request: branch "
              + pr.path("branch").asText()
              + " ("
              + pr.path("changedFiles").asInt()
              + " files, commit "
              + pr.path("commit").asText().substring(0, 10)
              + ") at "
              + pr.path("url").asText());
    }
    if ("COMPLETED".equals(job.path("status").asText())) {
      return 0;
    }
    return failed(job, out);
  }

  private static int failed(JsonNode job, PrintWriter out) {
    if (job.path("error").isObject()) {
      out.println(
          "Error: "
              + job.path("error").path("reason").asText()
              + ": "
              + job.path("error").path("message").asText());
    }
    return 1;
  }

  /**
   * Waits for the job's callback to be delivered or to fail, printing each attempt; a delivery
   * still retrying after a minute is left to the callback service.
   */
  private JsonNode followCallback(ApiClient api, String id, PrintWriter out)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    int shown = 0;
    while (true) {
      JsonNode job = api.job(id).body();
      JsonNode callback = job.path("callback");
      JsonNode attempts = callback.path("attempts");
      for (; shown < attempts.size(); shown++) {
        JsonNode a = attempts.get(shown);
        out.println(
            "· callback attempt "
                + a.path("attempt").asInt()
                + ": "
                + (a.hasNonNull("statusCode")
                    ? "HTTP " + a.path("statusCode").asInt()
                    : a.path("error").asText())
                + " in "
                + a.path("latencyMillis").asLong()
                + " ms");
      }
      out.flush();
      String status = callback.path("status").asText("");
      if (status.equals("DELIVERED") || status.equals("FAILED")) {
        out.println(
            "· callback "
                + status.toLowerCase(java.util.Locale.ROOT)
                + " (delivery "
                + callback.path("deliveryId").asText()
                + ")"
                + (callback.hasNonNull("error") ? ": " + callback.path("error").asText() : ""));
        return job;
      }
      if (System.nanoTime() > deadline) {
        out.println(
            "· callback still "
                + (status.isEmpty() ? "not made" : status.toLowerCase(java.util.Locale.ROOT))
                + "; the callback service goes on trying");
        return job;
      }
      Thread.sleep(250);
    }
  }

  /**
   * Writes the repository's documentation as it stands after the job (pages written now and pages
   * kept from earlier runs, for every scope the repository has) under the output directory, at
   * their paths in the repository.
   */
  private void writePages(ApiClient api, JsonNode job, PrintWriter out)
      throws IOException, InterruptedException {
    String repositoryId = job.path("repository").path("id").asText();
    JsonNode pages = api.pages(repositoryId).body();
    if (!pages.isArray() || pages.isEmpty()) {
      return;
    }
    Path dir =
        (outDir != null
                ? outDir
                : Path.of(
                    dev.autodoc.common.repo.RepositoryRef.parse(
                            job.path("repository").path("url").asText())
                        .name()))
            .toAbsolutePath()
            .normalize();
    int written = 0;
    for (JsonNode page : pages) {
      Path target = dir.resolve(page.path("path").asText()).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException(
            "page path leaves the output directory: " + page.path("path").asText());
      }
      java.nio.file.Files.createDirectories(target.getParent());
      java.nio.file.Files.writeString(
          target, api.pageMarkdown(repositoryId, page.path("path").asText()));
      written++;
    }
    out.println("· wrote " + written + " pages and READMEs to " + dir);
  }

  /** A path as the API expects it (absolute); URLs as given. */
  private String repositoryArgument() {
    if (repository.contains("://")) {
      return repository;
    }
    return Path.of(repository).toAbsolutePath().normalize().toString();
  }
}
