package dev.autodoc.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodoc.common.scope.Scope;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.orchestrator.git.FileChange;
import dev.autodoc.orchestrator.plan.ChangePlanner.Action;
import dev.autodoc.orchestrator.plan.ChangePlanner.PageChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The incremental decision for one scope, from the changes since its last successful run. */
class ChangePlannerTest {
  private static final Scope SERVICES =
      new Scope("services", ScopeConfig.defaults("services"), List.of("services/pay"));
  private static final Optional<ChangePlanner.Previous> LAST_RUN =
      Optional.of(
          new ChangePlanner.Previous(
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
            SERVICES, LAST_RUN, List.of(modified("services/src/Lookup.java")), false);
    assertThat(plan.action()).isEqualTo(Action.PAGES);
    assertThat(plan.pages())
        .containsExactly(new PageChange("modules/registry.md", "src/Lookup.java changed"));
    assertThat(plan.reason()).isEqualTo("1 of 3 pages made from changed files");
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
            false);
    assertThat(plan.action()).isEqualTo(Action.SKIP);
    assertThat(plan.reason()).isEqualTo("no change since 0123456789");
    assertThat(
            ChangePlanner.plan(SERVICES, LAST_RUN, List.of(modified("services/NOTES.txt")), false))
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
                    false)
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
                    false)
                .reason())
        .isEqualTo("structural change: src/audit/Audit.java deleted");
    // A file moved in from another scope is new here.
    var moved =
        ChangePlanner.plan(
            SERVICES,
            LAST_RUN,
            List.of(
                new FileChange(FileChange.Kind.RENAMED, "services/src/Util.java", "web/Util.java")),
            false);
    assertThat(moved.action()).isEqualTo(Action.FULL);
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
                    false)
                .reason())
        .isEqualTo("structural change: src/Lookup.java renamed to src/Find.java");
    assertThat(
            ChangePlanner.plan(
                SERVICES, LAST_RUN, List.of(modified("services/.autodoc.yaml")), false))
        .satisfies(
            p -> {
              assertThat(p.action()).isEqualTo(Action.FULL);
              assertThat(p.reason()).isEqualTo("structural change: .autodoc.yaml changed");
            });
  }

  @Test
  void aNewScopeOrForceIsDocumentedInFull() {
    assertThat(ChangePlanner.plan(SERVICES, Optional.empty(), List.of(), false))
        .satisfies(
            p -> {
              assertThat(p.action()).isEqualTo(Action.FULL);
              assertThat(p.reason()).isEqualTo("new scope: never documented");
            });
    assertThat(ChangePlanner.plan(SERVICES, LAST_RUN, List.of(), true).action())
        .isEqualTo(Action.FULL);
  }

  @Test
  void theRootScopeOwnsEverythingButItsNestedScopes() {
    Scope root = new Scope("", ScopeConfig.defaults("shop"), List.of("services"));
    var plan =
        ChangePlanner.plan(
            root,
            Optional.of(
                new ChangePlanner.Previous(
                    "abc",
                    Map.of(
                        "index.md", List.of("README.md"), "modules/_.md", List.of("Main.java")))),
            List.of(modified("README.md"), modified("services/src/Registry.java")),
            false);
    assertThat(plan.action()).isEqualTo(Action.PAGES);
    assertThat(plan.pages()).containsExactly(new PageChange("index.md", "README.md changed"));
  }
}
