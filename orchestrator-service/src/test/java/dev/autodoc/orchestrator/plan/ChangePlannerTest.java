package dev.autodoc.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.scope.Scope;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.orchestrator.git.FileChange;
import dev.autodoc.orchestrator.plan.ChangePlanner.Action;
import dev.autodoc.orchestrator.plan.ChangePlanner.Everything;
import dev.autodoc.orchestrator.plan.ChangePlanner.PageChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The incremental decision for one scope, from the changes since its last successful run. */
class ChangePlannerTest {
  private static final java.util.UUID JOB = java.util.UUID.randomUUID();
  private static final Everything INCREMENTAL = Everything.NO;
  private static final Scope SERVICES =
      new Scope("services", ScopeConfig.defaults("services"), List.of("services/pay"));
  private static final Optional<ChangePlanner.Previous> LAST_RUN =
      Optional.of(
          new ChangePlanner.Previous(
              JOB,
              "0123456789abcdef0123456789abcdef01234567",
              Map.of(
                  "index.md", List.of("README.md", "pom.xml"),
                  "modules/registry.md", List.of("src/Registry.java", "src/Lookup.java"),
                  "modules/audit.md", List.of("src/audit/Audit.java"))));

  private static FileChange modified(String path) {
    return new FileChange(FileChange.Kind.MODIFIED, path, path);
  }

  @Test
  void aChangedSourceRegeneratesOnlyThePagesMadeFromIt() {
    var plan =
        ChangePlanner.plan(
            SERVICES, LAST_RUN, List.of(modified("services/src/Lookup.java")), INCREMENTAL);
    assertThat(plan.action()).isEqualTo(Action.PAGES);
    assertThat(plan.pages())
        .containsExactly(new PageChange("modules/registry.md", "src/Lookup.java changed"));
    assertThat(plan.reason()).isEqualTo("1 of 3 pages made from changed files");
    assertThat(plan.changedFiles()).containsExactly("src/Lookup.java");
    assertThat(plan.baselineJob()).isEqualTo(JOB);
    assertThat(plan.baselineCommit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
  }

  @Test
  void aScopeWithNoChangeOfItsOwnIsNotDispatched() {
    // Changes elsewhere and in the nested scope belong to other scopes.
    var plan =
        ChangePlanner.plan(
            SERVICES,
            LAST_RUN,
            List.of(
                modified("web/index.ts"),
                modified("services/pay/Pay.java"),
                new FileChange(
                    FileChange.Kind.ADDED, "services/pay/New.java", "services/pay/New.java")),
            INCREMENTAL);
    assertThat(plan.action()).isEqualTo(Action.SKIP);
    assertThat(plan.reason()).isEqualTo("no change since 0123456789");
    assertThat(
            ChangePlanner.plan(
                SERVICES, LAST_RUN, List.of(modified("services/NOTES.txt")), INCREMENTAL))
        .satisfies(
            p -> {
              assertThat(p.action()).isEqualTo(Action.SKIP);
              assertThat(p.reason()).isEqualTo("changed files (NOTES.txt) are no page's sources");
            });
  }

  @Test
  void addedRemovedRenamedFilesAndTheConfigurationAreStructural() {
    assertThat(
            ChangePlanner.plan(
                    SERVICES,
                    LAST_RUN,
                    List.of(
                        modified("services/src/Lookup.java"),
                        new FileChange(
                            FileChange.Kind.ADDED,
                            "services/src/cache/Cache.java",
                            "services/src/cache/Cache.java")),
                    INCREMENTAL)
                .reason())
        .isEqualTo("structural change: src/cache/Cache.java added");
    assertThat(
            ChangePlanner.plan(
                    SERVICES,
                    LAST_RUN,
                    List.of(
                        new FileChange(
                            FileChange.Kind.DELETED,
                            "services/src/audit/Audit.java",
                            "services/src/audit/Audit.java")),
                    INCREMENTAL)
                .reason())
        .isEqualTo("structural change: src/audit/Audit.java deleted");
    // A file moved in from another scope is new here.
    var moved =
        ChangePlanner.plan(
            SERVICES,
            LAST_RUN,
            List.of(
                new FileChange(FileChange.Kind.RENAMED, "services/src/Util.java", "web/Util.java")),
            INCREMENTAL);
    assertThat(moved.action()).isEqualTo(Action.RESTRUCTURE);
    assertThat(moved.baselineJob()).isEqualTo(JOB);
    assertThat(moved.changedFiles()).containsExactly("src/Util.java");
    assertThat(moved.reason()).isEqualTo("structural change: src/Util.java added");
    // Renamed inside the scope: named with both paths.
    assertThat(
            ChangePlanner.plan(
                    SERVICES,
                    LAST_RUN,
                    List.of(
                        new FileChange(
                            FileChange.Kind.RENAMED,
                            "services/src/Find.java",
                            "services/src/Lookup.java")),
                    INCREMENTAL)
                .reason())
        .isEqualTo("structural change: src/Lookup.java renamed to src/Find.java");
    assertThat(
            ChangePlanner.plan(
                SERVICES, LAST_RUN, List.of(modified("services/.autodoc.yaml")), INCREMENTAL))
        .satisfies(
            p -> {
              // Any setting may change every page: nothing is kept.
              assertThat(p.action()).isEqualTo(Action.FULL);
              assertThat(p.reason()).isEqualTo(".autodoc.yaml changed");
              // It names the run it replaces, whose vanished pages leave the pull request.
              assertThat(p.baselineJob()).isEqualTo(JOB);
            });
  }

  @Test
  void aNewScopeOrForceIsDocumentedInFull() {
    assertThat(ChangePlanner.plan(SERVICES, Optional.empty(), List.of(), INCREMENTAL))
        .satisfies(
            p -> {
              assertThat(p.action()).isEqualTo(Action.FULL);
              assertThat(p.reason()).isEqualTo("new scope: never documented");
            });
    assertThat(ChangePlanner.plan(SERVICES, LAST_RUN, List.of(), Everything.FORCED))
        .satisfies(
            p -> {
              assertThat(p.action()).isEqualTo(Action.FULL);
              assertThat(p.reason()).isEqualTo("forced");
            });
    assertThat(
            ChangePlanner.plan(
                    SERVICES,
                    LAST_RUN,
                    List.of(modified("services/Main.java")),
                    Everything.FULL_MODE)
                .reason())
        .isEqualTo("full run requested");
  }

  @Test
  void theRootScopeOwnsEverythingButItsNestedScopes() {
    Scope root = new Scope("", ScopeConfig.defaults("shop"), List.of("services"));
    var plan =
        ChangePlanner.plan(
            root,
            Optional.of(
                new ChangePlanner.Previous(
                    JOB,
                    "abc",
                    Map.of(
                        "index.md", List.of("README.md"), "modules/_.md", List.of("Main.java")))),
            List.of(modified("README.md"), modified("services/src/Registry.java")),
            INCREMENTAL);
    assertThat(plan.action()).isEqualTo(Action.PAGES);
    assertThat(plan.pages()).containsExactly(new PageChange("index.md", "README.md changed"));
  }

  @Test
  void theScopesOwnDocumentationAndFilesItLeavesOutAreNoChange() {
    // A merged documentation pull request adds the README and pages: no change to the code.
    Scope scope =
        new Scope(
            "lib",
            new ScopeConfig(
                1,
                "lib",
                List.of("src/**"),
                List.of("src/generated/**"),
                new ScopeConfig.Output("README.md", "docs/api"),
                ScopeConfig.Agent.DEFAULT,
                ScopeConfig.Limits.DEFAULT),
            List.of());
    var plan =
        ChangePlanner.plan(
            scope,
            LAST_RUN,
            List.of(
                new FileChange(FileChange.Kind.ADDED, "lib/README.md", "lib/README.md"),
                new FileChange(
                    FileChange.Kind.ADDED, "lib/docs/api/index.md", "lib/docs/api/index.md"),
                new FileChange(
                    FileChange.Kind.ADDED,
                    "lib/src/generated/Gen.java",
                    "lib/src/generated/Gen.java"),
                modified("lib/build.gradle")),
            INCREMENTAL);
    assertThat(plan.action()).isEqualTo(Action.SKIP);
    assertThat(plan.reason()).startsWith("no change since");
    // The configuration itself always counts, whatever the globs say.
    assertThat(
            ChangePlanner.plan(scope, LAST_RUN, List.of(modified("lib/.autodoc.yaml")), INCREMENTAL)
                .action())
        .isEqualTo(Action.FULL);
  }
}
