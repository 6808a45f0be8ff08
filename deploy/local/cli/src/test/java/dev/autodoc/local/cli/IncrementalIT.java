package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Incremental runs on a real repository with three scopes, each run through the CLI against one
 * running Autodoc, each documentation pull request merged before the next change, as a team would.
 * The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncrementalIT {
  private static final String MONEY = "core/docs/autodoc/modules/money.md";
  private static final String TEXT = "core/docs/autodoc/modules/text.md";
  private static Path dataDir;
  private static RunningAutodoc autodoc;
  private static GitFixture repo;
  private static String firstCommit;
  private static String firstJob;
  private static CliTesting.Result lastRun;

  @BeforeAll
  static void documentInFull() throws Exception {
    dataDir = CliTesting.newDataDir("incremental");
    autodoc = new RunningAutodoc(dataDir);
    repo = CliTesting.repository("ledger");
    firstCommit =
        repo.writeAll(
                Map.of(
                    "core/.autodoc.yaml", "name: core\n",
                    "core/main.py", "def run():\n    \"\"\"Runs the ledger.\"\"\"\n    return 0\n",
                    "core/money/amount.py",
                        // More members than Rate will have: the README's entry points, ordered by
                        // size, stay as they are.
                        "class Amount:\n    \"\"\"A sum of money.\"\"\"\n    def plus(self, other):\n        return self\n"
                            + "\n    def minus(self, other):\n        return self\n"
                            + "\n    def times(self, factor):\n        return self\n",
                    "core/money/rates.py",
                        "class Rate:\n    \"\"\"An exchange rate.\"\"\"\n    def inverse(self):\n        return self\n",
                    "core/text/format.py",
                        "def pad(text, width):\n    \"\"\"Pads text.\"\"\"\n    return text.ljust(width)\n",
                    "api/.autodoc.yaml", "name: api\nlimits:\n  max_files: 5\n",
                    "api/routes/routes.py",
                        "def routes():\n    \"\"\"The routes.\"\"\"\n    return []\n",
                    "api/handlers/handler.py",
                        "class Handler:\n    \"\"\"Handles a request.\"\"\"\n    def handle(self):\n        return None\n",
                    "web/.autodoc.yaml", "name: web\n",
                    "web/index.ts", "export function start(): void {}\n"))
            .commit("three scopes");
    CliTesting.Result result =
        run("generate", repo.url(), "--keep-running", "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    // Never documented: every scope in full.
    assertThat(result.output())
        .contains("Plan (full): 3 of 3 scopes to document")
        .containsPattern("\\n  core\\s+FULL\\s+new scope: never documented");
    firstJob = jobId(result);
    repo.merge(branch(result));
  }

  @AfterAll
  static void down() {
    try {
      run("down", "--data-dir", dataDir.toString());
    } finally {
      RecordedDeployment.down(dataDir);
      repo.close();
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  @Test
  @Order(1)
  void aChangedFileRegeneratesOnlyItsPagesInOnlyItsScope() throws Exception {
    Map<String, JsonNode> before = pages();
    String head =
        repo.write(
                "core/money/rates.py",
                "class Rate:\n    \"\"\"An exchange rate.\"\"\"\n    def inverse(self):\n        return self\n"
                    + "\n    def convert(self, amount):\n        \"\"\"Converts an amount.\"\"\"\n        return amount\n")
            .commit("rates convert");
    CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("Plan (incremental since " + firstCommit.substring(0, 10) + "): 1 of 3 scopes")
        .containsPattern("\\n  core\\s+PAGES\\s+1 of 4 pages made from changed files")
        .contains("docs/autodoc/modules/money.md: money/rates.py changed")
        .containsPattern("\\n  api\\s+SKIP\\s+no change since " + firstCommit.substring(0, 10))
        .containsPattern("\\n  web\\s+SKIP");
    JsonNode job = job(jobId(result));
    assertThat(job.path("mode").asText()).isEqualTo("INCREMENTAL");
    assertThat(job.path("baselineSha").asText()).isEqualTo(firstCommit);
    // Only core was dispatched.
    assertThat(paths(job.path("scopes"), "path")).containsExactly("core");

    Map<String, JsonNode> after = pages();
    assertThat(after.keySet()).isEqualTo(before.keySet());
    List<String> rewritten = RunningAutodoc.rewritten(before, after, "PAGE", "README");
    // The page made from rates.py was written again, at the new commit; the README is distilled
    // again but unchanged, so it keeps its time too.
    assertThat(rewritten).containsExactly(MONEY);
    assertThat(after.get(MONEY).path("commitSha").asText()).isEqualTo(head);
    assertThat(markdown(MONEY)).contains("convert");
    // The others keep content, commit and time.
    after.forEach(
        (path, page) -> {
          if (!path.equals(MONEY)) {
            assertThat(page.path("commitSha").asText()).as(path).isEqualTo(firstCommit);
          }
        });
    // The core pages now live in the new job; the skipped scopes' in the first.
    assertThat(after.get("core/docs/autodoc/index.md").path("jobId").asText())
        .isEqualTo(jobId(result));
    assertThat(after.get("web/docs/autodoc/index.md").path("jobId").asText()).isEqualTo(firstJob);
    // Search finds the new text: the page's chunks were replaced in the same job.
    assertThat(search("converts an amount")).contains("\"page\":\"" + MONEY + "\"");

    // The pull request holds only that change, and the scope's llms-full.txt that holds the page
    // (its llms.txt, which lists titles, stays as it was).
    String branch = branch(result);
    assertThat(pullRequestFiles(branch))
        .containsExactlyInAnyOrder("M " + MONEY, "M core/docs/autodoc/llms-full.txt");
    repo.merge(branch);
  }

  @Test
  @Order(2)
  void aScopeThatFailedCatchesUpOnEveryCommitItMissed() throws Exception {
    String secondCommit = job(latestJobOf()).path("commitSha").asText();
    // api goes over its file limit and fails; the same commit changes routes.py in place.
    repo.write("api/routes/extra1.py", "def a():\n    return 1\n")
        .write("api/routes/extra2.py", "def b():\n    return 2\n")
        .write("api/routes/extra3.py", "def c():\n    return 3\n")
        .write(
            "api/routes/routes.py",
            "def routes():\n    \"\"\"The routes.\"\"\"\n    return []\n\n"
                + "def health_route():\n    \"\"\"The health check route.\"\"\"\n    return '/health'\n")
        .write(
            "web/index.ts", "export function start(): void {}\nexport function stop(): void {}\n")
        .commit("too many files");
    CliTesting.Result failed = run("generate", repo.url(), "--data-dir", dataDir.toString());
    assertThat(failed.status()).as(failed.output()).isEqualTo(1);
    assertThat(failed.output())
        .containsPattern("\\n  api\\s+RESTRUCTURE\\s+structural change: routes/extra1.py added")
        .containsPattern("\\n  api\\s+FAILED")
        .contains("LIMIT_EXCEEDED")
        .containsPattern("\\n  web\\s+SUCCEEDED");
    repo.merge(branch(failed));

    // The extra files go again; api's last success is still the first job's commit.
    String head =
        repo.delete("api/routes/extra1.py")
            .delete("api/routes/extra2.py")
            .delete("api/routes/extra3.py")
            .commit("back under the limit");
    CliTesting.Result caughtUp = run("generate", repo.url(), "--data-dir", dataDir.toString());
    assertThat(caughtUp.status()).as(caughtUp.output()).isZero();
    JsonNode job = job(jobId(caughtUp));
    // The baseline is the oldest commit a scope builds on: the one api last documented.
    assertThat(job.path("baselineSha").asText()).isEqualTo(firstCommit).isNotEqualTo(secondCommit);
    assertThat(caughtUp.output())
        .containsPattern("\\n  api\\s+PAGES\\s+1 of 3 pages made from changed files")
        .contains("docs/autodoc/modules/routes.md: routes/routes.py changed")
        .containsPattern("\\n  web\\s+SKIP");
    // The change from the commit api failed on is in its documentation now.
    assertThat(markdown("api/docs/autodoc/modules/routes.md")).contains("health_route");
    assertThat(pages().get("api/docs/autodoc/modules/routes.md").path("commitSha").asText())
        .isEqualTo(head);
    repo.merge(branch(caughtUp));
  }

  @Test
  @Order(3)
  void aNewDirectoryRestructuresItsScopeAndADeletedFileTakesItsPageAndChunksAlong()
      throws Exception {
    Map<String, JsonNode> before = pages();
    repo.write(
            "core/audit/trail.py",
            "class Trail:\n    \"\"\"An audit trail of ledger entries.\"\"\"\n    def record(self):\n        return None\n")
        .delete("core/text/format.py")
        .commit("audit in, text out");
    CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output()).containsPattern("\\n  core\\s+RESTRUCTURE\\s+structural change: ");
    Map<String, JsonNode> after = pages();
    assertThat(after).containsKey("core/docs/autodoc/modules/audit.md").doesNotContainKey(TEXT);
    // The overview shows the modules, so it follows them; untouched module pages are kept.
    assertThat(after.get("core/docs/autodoc/index.md").path("generatedAt"))
        .isNotEqualTo(before.get("core/docs/autodoc/index.md").path("generatedAt"));
    assertThat(after.get(MONEY).path("generatedAt"))
        .isEqualTo(before.get(MONEY).path("generatedAt"));
    // Search never serves the removed page.
    assertThat(search("pads text")).doesNotContain(TEXT);
    assertThat(search("audit trail")).contains("core/docs/autodoc/modules/audit.md");
    // The pull request adds the new page and removes the vanished one.
    String branch = branch(result);
    assertThat(pullRequestFiles(branch))
        .contains(
            "A core/docs/autodoc/modules/audit.md", "D " + TEXT, "M core/docs/autodoc/index.md")
        .noneMatch(f -> f.endsWith(MONEY) || f.startsWith("M api/") || f.startsWith("M web/"));
    repo.merge(branch);
  }

  @Test
  @Order(4)
  void aDryRunPlansWhatTheRunThenDoesAndWritesNothing() throws Exception {
    Map<String, JsonNode> before = pages();
    repo.write(
            "web/index.ts", "export function start(): void {}\nexport function pause(): void {}\n")
        .commit("web pause");
    List<String> branchesBefore = autodocBranches();
    CliTesting.Result dry =
        run("generate", repo.url(), "--dry-run", "--data-dir", dataDir.toString());
    assertThat(dry.status()).as(dry.output()).isZero();
    assertThat(dry.output())
        .containsPattern("\\n  web\\s+PAGES")
        .contains("docs/autodoc/index.md: index.ts changed")
        .doesNotContain("pull request:")
        .doesNotContain("wrote ");
    JsonNode planned = job(jobId(dry));
    assertThat(planned.path("dryRun").asBoolean()).isTrue();
    assertThat(planned.path("scopes")).isEmpty();
    // Nothing written: the same pages, the same branches.
    assertThat(pages()).isEqualTo(before);
    assertThat(autodocBranches()).isEqualTo(branchesBefore);

    CliTesting.Result real = run("generate", repo.url(), "--data-dir", dataDir.toString());
    assertThat(real.status()).as(real.output()).isZero();
    lastRun = real;
    JsonNode done = job(jobId(real));
    assertThat(done.path("plan").path("scopes")).isEqualTo(planned.path("plan").path("scopes"));
    // The pages rewritten are the pages the plan named.
    List<String> plannedPages = new ArrayList<>();
    for (JsonNode scope : planned.path("plan").path("scopes")) {
      for (JsonNode page : scope.path("pages")) {
        plannedPages.add(scope.path("scope").asText() + "/" + page.path("page").asText());
      }
    }
    List<String> rewritten = RunningAutodoc.rewritten(before, pages(), "PAGE", "README");
    assertThat(rewritten).containsExactlyInAnyOrderElementsOf(plannedPages);

    // Forced: everything again, and a full run when asked for.
    CliTesting.Result forced =
        run("generate", repo.url(), "--dry-run", "--force", "--data-dir", dataDir.toString());
    assertThat(forced.output())
        .contains("3 of 3 scopes to document")
        .containsPattern("\\n  core\\s+FULL\\s+forced");
    CliTesting.Result full =
        run(
            "generate",
            repo.url(),
            "--dry-run",
            "--mode",
            "full",
            "--data-dir",
            dataDir.toString());
    assertThat(full.output()).containsPattern("\\n  api\\s+FULL\\s+full run requested");
  }

  @Test
  @Order(5)
  void aRemovedScopeTakesItsDocumentationAlong() throws Exception {
    repo.merge(branch(lastRun));
    assertThat(pages()).containsKey("web/AGENTS.md");
    repo.delete("web/.autodoc.yaml").commit("web is no longer documented");
    CliTesting.Result result = run("generate", repo.url(), "--data-dir", dataDir.toString());
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output())
        .containsPattern("\\n  web\\s+REMOVED\\s+its documentation is removed")
        .contains("0 of 2 scopes to document");
    assertThat(pages().keySet()).noneMatch(p -> p.startsWith("web/")).isNotEmpty();
    assertThat(search("start")).doesNotContain("\"scope\":\"web\"");
    // Its files leave the repository through the pull request; nothing else changes.
    assertThat(pullRequestFiles(branch(result)))
        .isNotEmpty()
        .allMatch(f -> f.startsWith("D web/"))
        .contains("D web/AGENTS.md", "D web/docs/autodoc/index.md");
  }

  private static String latestJobOf() throws Exception {
    return autodoc
        .get("/api/v1/jobs?limit=1&repository=" + RepositoryRef.parse(repo.url()).id())
        .path("items")
        .get(0)
        .path("id")
        .asText();
  }

  private static JsonNode job(String id) throws Exception {
    return autodoc.job(id);
  }

  private static Map<String, JsonNode> pages() throws Exception {
    return autodoc.pages(repo.url());
  }

  private static String markdown(String path) throws Exception {
    return autodoc.markdown(repo.url(), path);
  }

  private static String search(String query) throws Exception {
    return autodoc.search(repo.url(), query);
  }

  private static String jobId(CliTesting.Result result) {
    return RunningAutodoc.jobId(result);
  }

  private static String branch(CliTesting.Result result) {
    return RunningAutodoc.branch(result);
  }

  private static List<String> paths(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(n -> values.add(n.path(field).asText()));
    return values;
  }

  /** The files the pull request's commit changes, as {@code "M path"}, {@code "A path"}, … */
  private static List<String> pullRequestFiles(String branch) throws Exception {
    try (Git git = Git.open(repo.dir().toFile());
        RevWalk walk = new RevWalk(git.getRepository());
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      diff.setRepository(git.getRepository());
      RevCommit pr = walk.parseCommit(git.getRepository().resolve("refs/heads/" + branch));
      RevCommit base = walk.parseCommit(pr.getParent(0));
      List<String> files = new ArrayList<>();
      for (DiffEntry entry : diff.scan(base.getTree(), pr.getTree())) {
        String path =
            entry.getChangeType() == DiffEntry.ChangeType.DELETE
                ? entry.getOldPath()
                : entry.getNewPath();
        files.add(entry.getChangeType().name().charAt(0) + " " + path);
      }
      return files;
    }
  }

  private static List<String> autodocBranches() throws Exception {
    try (Git git = Git.open(repo.dir().toFile())) {
      return git.branchList().call().stream()
          .map(r -> r.getName())
          .filter(n -> n.startsWith("refs/heads/autodoc/"))
          .sorted()
          .toList();
    }
  }
}
