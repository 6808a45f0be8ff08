package dev.autodoc.local.cli;

import static dev.autodoc.local.cli.CliTesting.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The command the README promises, run cold: everything starts, documents, and stops. */
class GenerateIT {

  @Test
  void generateDocumentsANestedRepositoryEndToEndAndLeavesNothingRunning() throws Exception {
    Path dataDir = CliTesting.newDataDir("generate");
    try (GitFixture repo = CliTesting.nestedScopes()) {
      Path out = dataDir.resolve("docs-out");
      CliTesting.Result result =
          run("generate", repo.url(), "--data-dir", dataDir.toString(), "--out", out.toString());

      assertThat(result.status()).as(result.output()).isZero();
      assertThat(result.output())
          .contains("job COMPLETED")
          .containsPattern("\\n  \\. \\(shop\\)\\s+SUCCEEDED\\s+1\\s+2 ")
          .containsPattern("\\n  services\\s+SUCCEEDED\\s+1\\s+2 ")
          .containsPattern("\\n  services/pay \\(pay\\)\\s+SUCCEEDED\\s+1\\s+3 ")
          .containsPattern("\\n  web\\s+SUCCEEDED\\s+1\\s+2 ")
          .contains("skipped: 1 excluded")
          .contains("skipped: 1 binary")
          .contains("stopping Autodoc");
      // Followed live through the event stream: each scope taken up by a worker, then done.
      assertThat(result.output())
          .containsPattern("services/pay \\(pay\\)\\s+RUNNING\\s+attempt 1 on worker-1")
          .containsPattern("\\d+\\.\\ds  4 of 4 scopes done");
      // Where the time went: the orchestrator's steps and the pipeline's, each scope counted.
      assertThat(result.output())
          .containsPattern("Time by step \\(summed over scopes\\):\\n  plan ")
          .containsPattern("\\n  fan-out .*1 run\\n")
          .containsPattern("\\n  generate .*4 runs\\n")
          .containsPattern("\\n  finalize .*1 run\\n");
      // The job's trace id: its spans in a collector, its lines in the services' logs.
      assertThat(result.output()).containsPattern("\\n  trace [0-9a-f]{32}\\n");
      // Every scope's README and pages, at their paths in the repository.
      assertThat(result.output()).contains("wrote 8 pages and READMEs to " + out);
      // The pull request: one commit on autodoc/<job id>, on top of the documented commit; the
      // pages and READMEs, and each of the four scopes' llms.txt and llms-full.txt.
      assertThat(result.output())
          .containsPattern(
              "pull request: branch autodoc/[0-9a-f-]{36} \\(16 files, commit [0-9a-f]{10}\\)");
      try (var git = org.eclipse.jgit.api.Git.open(repo.dir().toFile())) {
        var branches =
            git.branchList().call().stream()
                .map(r -> r.getName())
                .filter(n -> n.startsWith("refs/heads/autodoc/"))
                .toList();
        assertThat(branches).hasSize(1);
        var head = git.getRepository().resolve("refs/heads/main");
        try (var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository())) {
          var pr = walk.parseCommit(git.getRepository().resolve(branches.getFirst()));
          assertThat(pr.getParent(0).getId()).isEqualTo(head);
          assertThat(pr.getFullMessage()).startsWith("Autodoc: documentation of shop");
          try (var tree =
              org.eclipse.jgit.treewalk.TreeWalk.forPath(
                  git.getRepository(), "services/pay/AGENTS.md", pr.getTree())) {
            assertThat(tree).isNotNull();
          }
          try (var tree =
              org.eclipse.jgit.treewalk.TreeWalk.forPath(
                  git.getRepository(), "services/pay/docs/autodoc/llms.txt", pr.getTree())) {
            assertThat(new String(git.getRepository().open(tree.getObjectId(0)).getBytes()))
                .startsWith("# pay\n");
          }
        }
        // The working tree is not touched.
        assertThat(repo.dir().resolve("AGENTS.md")).doesNotExist();
      }
      assertThat(out.resolve("AGENTS.md")).content().startsWith("# shop\n");
      assertThat(out.resolve("docs/autodoc/index.md")).content().contains("## Build and test");
      assertThat(out.resolve("services/pay/AGENTS.md"))
          .content()
          .startsWith("# pay\n")
          .contains("`**/generated/**`");
      assertThat(out.resolve("web/docs/autodoc/index.md")).exists();
      assertThat(CliTesting.processesUsing(dataDir)).isEmpty();
      assertThat(dataDir.resolve(LocalDeployment.STATE_FILE)).doesNotExist();
      // The data directory keeps the database for the next run.
      assertThat(Files.exists(dataDir.resolve("postgres/data/PG_VERSION"))).isTrue();
    } finally {
      RecordedDeployment.down(dataDir);
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }
}
