package dev.autodoc.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.local.testing.GitFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanStepTest {
  @TempDir Path temp;

  @Test
  void aScopeDocumentsItsTextFilesAndLeavesNestedScopesToThemselves() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "scan")) {
      String sha =
          repo.writeAll(
                  Map.of(
                      "services/pay/Pay.java", "class Pay {}\n",
                      "services/pay/README.md", "# Pay\n",
                      "services/pay/ledger/.autodoc.yaml", "",
                      "services/pay/ledger/Ledger.java", "class Ledger {}\n",
                      "services/other/Other.java", "class Other {}\n",
                      "top.txt", "top\n"))
              .commit("files");
      ScopeContext context =
          scan(
              repo,
              sha,
              "services/pay",
              ScopeConfig.defaults("pay"),
              List.of("services/pay/ledger"));
      assertThat(context.files())
          .extracting(ScopeContext.ScannedFile::scopePath)
          .containsExactlyInAnyOrder("Pay.java", "README.md");
      assertThat(context.inventory().files()).isEqualTo(2);
      assertThat(context.inventory().bytes()).isEqualTo(13 + 6);
      assertThat(context.inventory().languages()).containsOnlyKeys("java", "markdown");
      assertThat(context.inventory().skipped()).isEmpty();
    }
  }

  @Test
  void theScopesOwnMergedDocumentationIsNotDocumentedAgain() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "merged-docs")) {
      String sha =
          repo.writeAll(
                  Map.of(
                      "lib/Lib.java", "class Lib {}\n",
                      "lib/AGENTS.md", "# lib\n",
                      "lib/docs/autodoc/index.md", "# lib\n",
                      "lib/docs/autodoc/modules/_.md", "# _\n",
                      "lib/docs/guide.md", "# a guide people wrote\n"))
              .commit("docs merged");
      ScopeContext context = scan(repo, sha, "lib", ScopeConfig.defaults("lib"), List.of());
      assertThat(context.files())
          .extracting(ScopeContext.ScannedFile::scopePath)
          .containsExactlyInAnyOrder("Lib.java", "docs/guide.md");
      assertThat(context.inventory().skipped()).containsEntry("autodoc-output", 3);
    }
  }

  @Test
  void globsSizeAndBinaryRulesSkipFilesAndSayWhy() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "rules")) {
      byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 0, 1, 2};
      String sha =
          repo.write("src/A.java", "class A {}\n")
              .write("src/generated/G.java", "class G {}\n")
              .write("src/notes.txt", "notes\n")
              .write("src/Big.java", "x".repeat(5000))
              .write("src/logo.png", png)
              .commit("files");
      var config =
          new ScopeConfig(
              1,
              "s",
              List.of("**/*.java", "**/*.png"),
              List.of("**/generated/**"),
              ScopeConfig.Output.DEFAULT,
              ScopeConfig.Agent.DEFAULT,
              new ScopeConfig.Limits(4096, 100));
      ScopeContext context = scan(repo, sha, "", config, List.of());
      assertThat(context.files())
          .extracting(ScopeContext.ScannedFile::scopePath)
          .containsExactly("src/A.java");
      assertThat(context.inventory().skipped())
          .containsEntry("excluded", 2)
          .containsEntry("too-large", 1)
          .containsEntry("binary", 1);
      assertThat(context.inventory().skippedExamples())
          .anySatisfy(s -> assertThat(s.path() + " " + s.reason()).isEqualTo("src/logo.png binary"))
          .anySatisfy(
              s -> assertThat(s.path() + " " + s.reason()).isEqualTo("src/Big.java too-large"));
    }
  }

  @Test
  void linksAreNeverFollowedAndOnesLeavingTheRepositoryAreRefused() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "links")) {
      String sha =
          repo.write("docs/real.md", "# real\n")
              .symlink("docs/inside.md", "real.md")
              .symlink("docs/passwd", "/etc/passwd")
              .symlink("docs/up.md", "../../outside.md")
              .commit("links");
      ScopeContext context = scan(repo, sha, "", ScopeConfig.defaults("r"), List.of());
      assertThat(context.files())
          .extracting(ScopeContext.ScannedFile::scopePath)
          .containsExactly("docs/real.md");
      assertThat(context.inventory().skipped())
          .containsEntry("symlink", 1)
          .containsEntry("symlink-outside-repository", 2);
    }
  }

  @Test
  void moreFilesThanTheLimitFailsTheScopeNamingTheLimit() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "many")) {
      for (int i = 0; i < 6; i++) {
        repo.write("f" + i + ".txt", "file " + i);
      }
      String sha = repo.commit("many");
      var config =
          new ScopeConfig(
              1,
              "s",
              List.of(),
              List.of(),
              ScopeConfig.Output.DEFAULT,
              ScopeConfig.Agent.DEFAULT,
              new ScopeConfig.Limits(1000, 5));
      assertThatThrownBy(() -> scan(repo, sha, "", config, List.of()))
          .isInstanceOfSatisfying(
              PermanentException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED))
          .hasMessageContaining("more than 5 files")
          .hasMessageContaining("limits.max_files");
    }
  }

  @Test
  void aScopeWhoseGlobsTakeNoneOfItsFilesFailsNamingTheGlobsAndFilesLeftOut() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "empty")) {
      String sha =
          repo.write("web/src/query.ts", "export const q = 1;\n")
              .write("web/src/view.tsx", "export const v = 1;\n")
              .write("web/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0})
              .commit("web");
      var config =
          new ScopeConfig(
              1,
              "web",
              List.of("src/**/*.py"),
              List.of("**/*.tsx"),
              ScopeConfig.Output.DEFAULT,
              ScopeConfig.Agent.DEFAULT,
              ScopeConfig.Limits.DEFAULT);
      assertThatThrownBy(() -> scan(repo, sha, "web", config, List.of()))
          .isInstanceOfSatisfying(
              PermanentException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOTHING_TO_DOCUMENT))
          .hasMessageContaining("scope 'web' has nothing to document")
          .hasMessageContaining("none of its 3 files")
          .hasMessageContaining("include ['src/**/*.py']")
          .hasMessageContaining("exclude ['**/*.tsx']")
          .hasMessageContaining("src/query.ts (excluded)")
          .hasMessageContaining("logo.png (excluded)");
    }
  }

  @Test
  void aScopeOfOnlyBinaryFilesHasNothingToDocumentAndSaysWhy() throws Exception {
    try (GitFixture repo = GitFixture.create(temp, "binary")) {
      String sha =
          repo.write("assets/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}).commit("a");
      assertThatThrownBy(() -> scan(repo, sha, "assets", ScopeConfig.defaults("a"), List.of()))
          .hasMessageContaining("include (every file)")
          .hasMessageContaining("logo.png (binary)");
    }
  }

  @Test
  void escapingIsDecidedFromTheLinksOwnDirectory() {
    assertThat(ScanStep.escapes("a/b/link", "../c")).isFalse();
    assertThat(ScanStep.escapes("a/b/link", "../../c")).isFalse();
    assertThat(ScanStep.escapes("a/b/link", "../../../c")).isTrue();
    assertThat(ScanStep.escapes("link", "./x/../../y")).isTrue();
    assertThat(ScanStep.escapes("a/link", "/abs")).isTrue();
  }

  private static ScopeContext scan(
      GitFixture repo, String sha, String scopePath, ScopeConfig config, List<String> excluded)
      throws Exception {
    var request =
        new ScopeRequested(
            UUID.randomUUID(),
            UUID.randomUUID(),
            Instant.now(),
            1,
            "r",
            repo.dir().toUri().toString(),
            sha,
            scopePath,
            config,
            excluded,
            1);
    var context = new ScopeContext(request, 1, repo.dir().resolve("ws"), () -> false);
    context.git(new FileRepositoryBuilder().setGitDir(repo.dir().resolve(".git").toFile()).build());
    try {
      new ScanStep().run(context);
      return context;
    } finally {
      context.close();
    }
  }
}
