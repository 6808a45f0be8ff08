package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.scope.Scope;
import dev.autodoc.orchestrator.git.FileChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an incremental job does with one scope, given the files changed since the scope's last
 * successful run (the provider's compare from the job's baseline) and which source files each of
 * that run's pages was made from. Every decision carries its reason, for the plan a dry run shows.
 *
 * <ul>
 *   <li>{@code FULL}: a scope never documented, {@code force}, or a structural change: a file of
 *       the scope added, removed, renamed or copied, or its {@code .autodoc.yaml} changed. The
 *       structure is extracted again, so modules, documented files and pages follow.
 *   <li>{@code PAGES}: only files changed in place; the pages made from them are regenerated, the
 *       others keep their content.
 *   <li>{@code SKIP}: nothing of the scope changed, or nothing any page was made from; the scope is
 *       not dispatched.
 * </ul>
 *
 * Files the scope does not own (those of nested scopes) are not its changes.
 */
public final class ChangePlanner {
  public enum Action {
    FULL,
    PAGES,
    SKIP
  }

  /** A scope's last successful run: its commit, and each page's scope-relative sources. */
  public record Previous(String commit, Map<String, List<String>> pageSources) {}

  /** A page to regenerate and why. */
  public record PageChange(String page, String reason) {}

  /** The decision for one scope. */
  public record ScopePlan(String scope, Action action, String reason, List<PageChange> pages) {
    public ScopePlan {
      pages = List.copyOf(pages);
    }
  }

  private ChangePlanner() {}

  public static ScopePlan plan(
      Scope owner, Optional<Previous> previous, List<FileChange> changes, boolean force) {
    String scope = owner.path();
    if (previous.isEmpty()) {
      return new ScopePlan(scope, Action.FULL, "new scope: never documented", List.of());
    }
    if (force) {
      return new ScopePlan(scope, Action.FULL, "forced", List.of());
    }
    List<FileChange> relevant = new ArrayList<>();
    for (FileChange change : changes) {
      Optional<String> path = owner.relative(change.path());
      Optional<String> old = owner.relative(change.oldPath());
      if (path.isPresent() && old.isPresent()) {
        relevant.add(new FileChange(change.kind(), path.get(), old.get()));
      } else if (path.isPresent()) {
        // moved in from another scope: new here
        relevant.add(new FileChange(FileChange.Kind.ADDED, path.get(), path.get()));
      } else if (old.isPresent()) {
        // moved out to another scope: gone from here
        relevant.add(new FileChange(FileChange.Kind.DELETED, old.get(), old.get()));
      }
    }
    String since =
        previous.get().commit().substring(0, Math.min(10, previous.get().commit().length()));
    if (relevant.isEmpty()) {
      return new ScopePlan(scope, Action.SKIP, "no change since " + since, List.of());
    }
    for (FileChange change : relevant) {
      if (change.path().equals(".autodoc.yaml") || change.path().endsWith("/.autodoc.yaml")) {
        return new ScopePlan(
            scope, Action.FULL, "structural change: " + change.path() + " changed", List.of());
      }
      if (change.kind() != FileChange.Kind.MODIFIED) {
        String what =
            change.kind() == FileChange.Kind.RENAMED || change.kind() == FileChange.Kind.COPIED
                ? change.oldPath()
                    + " "
                    + change.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " to "
                    + change.path()
                : change.path() + " " + change.kind().name().toLowerCase(java.util.Locale.ROOT);
        return new ScopePlan(scope, Action.FULL, "structural change: " + what, List.of());
      }
    }
    Set<String> modified = new TreeSet<>();
    relevant.forEach(c -> modified.add(c.path()));
    List<PageChange> pages = new ArrayList<>();
    previous.get().pageSources().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            page ->
                page.getValue().stream()
                    .filter(modified::contains)
                    .findFirst()
                    .ifPresent(
                        source -> pages.add(new PageChange(page.getKey(), source + " changed"))));
    if (pages.isEmpty()) {
      return new ScopePlan(
          scope,
          Action.SKIP,
          "changed files (" + String.join(", ", modified) + ") are no page's sources",
          List.of());
    }
    return new ScopePlan(
        scope,
        Action.PAGES,
        pages.size()
            + " of "
            + previous.get().pageSources().size()
            + " pages made from changed files",
        pages);
  }
}
