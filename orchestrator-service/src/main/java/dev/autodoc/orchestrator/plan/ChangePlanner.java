package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.scope.FileSelection;
import dev.autodoc.common.scope.Scope;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.orchestrator.git.FileChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What a job does with one scope, given the files changed since the scope's last successful run
 * (the provider's compare) and which source files each of that run's pages was made from. Every
 * decision carries its reason, for the plan a dry run shows.
 *
 * <ul>
 *   <li>{@code FULL}: everything is written afresh: a scope never documented, a full run asked for,
 *       {@code force}, or its {@code .autodoc.yaml} changed (any setting may change every page).
 *   <li>{@code RESTRUCTURE}: a file of the scope was added, removed, renamed or copied. The
 *       structure is planned again; pages whose sources are the same and unchanged are kept, pages
 *       whose sources vanished are removed, the rest are written.
 *   <li>{@code PAGES}: only files changed in place; the pages made from them are regenerated, the
 *       others keep their content.
 *   <li>{@code SKIP}: nothing of the scope changed, or nothing any page was made from; the scope is
 *       not dispatched and its documentation stays as it is.
 * </ul>
 *
 * Only files the scope documents count: those of nested scopes, those its include and exclude globs
 * leave out, and the documentation it writes itself (its README and pages, merged from an earlier
 * pull request) are not its changes.
 */
public final class ChangePlanner {
  public enum Action {
    FULL,
    RESTRUCTURE,
    PAGES,
    SKIP
  }

  /** Why a job documents every scope in full, whatever changed. */
  public enum Everything {
    NO,
    FULL_MODE,
    FORCED
  }

  /**
   * A scope's last successful run: its job and commit, and each page's scope-relative sources by
   * the page's path (relative to the scope).
   */
  public record Previous(UUID jobId, String commit, Map<String, List<String>> pageSources) {}

  /** A page to regenerate and why. */
  public record PageChange(String page, String reason) {}

  /**
   * The decision for one scope. {@code changedFiles} are the scope-relative files that changed;
   * {@code baselineJob} and {@code baselineCommit} name the scope's last successful run, whose
   * pages this run builds on or replaces (null for a scope never documented); {@code
   * estimatedTokens} is a rough count of the LLM tokens the work will take (zero for the static
   * agent, which uses none). {@code problem} says why the scope cannot be documented as configured
   * (its globs leave none of its files), or is null; a real run fails such a scope.
   */
  public record ScopePlan(
      String scope,
      String name,
      Action action,
      String reason,
      List<PageChange> pages,
      List<String> changedFiles,
      UUID baselineJob,
      String baselineCommit,
      long estimatedTokens,
      String problem) {
    public ScopePlan {
      pages = List.copyOf(pages);
      changedFiles = List.copyOf(changedFiles);
    }

    public boolean dispatched() {
      return action != Action.SKIP;
    }

    ScopePlan withEstimate(long tokens) {
      return with(tokens, problem);
    }

    ScopePlan withProblem(String problem) {
      return with(estimatedTokens, problem);
    }

    private ScopePlan with(long tokens, String problem) {
      return new ScopePlan(
          scope,
          name,
          action,
          reason,
          pages,
          changedFiles,
          baselineJob,
          baselineCommit,
          tokens,
          problem);
    }
  }

  private ChangePlanner() {}

  public static ScopePlan plan(
      Scope owner, Optional<Previous> previous, List<FileChange> changes, Everything everything) {
    String scope = owner.path();
    String name = owner.config().name();
    if (previous.isEmpty()) {
      return full(owner, "new scope: never documented", null);
    }
    Previous last = previous.get();
    if (everything == Everything.FORCED) {
      return full(owner, "forced", last);
    }
    if (everything == Everything.FULL_MODE) {
      return full(owner, "full run requested", last);
    }
    List<FileChange> relevant = relevant(owner, changes);
    String since = last.commit().substring(0, Math.min(10, last.commit().length()));
    List<String> changed = relevant.stream().map(FileChange::path).distinct().sorted().toList();
    if (relevant.isEmpty()) {
      return new ScopePlan(
          scope,
          name,
          Action.SKIP,
          "no change since " + since,
          List.of(),
          List.of(),
          last.jobId(),
          last.commit(),
          0,
          null);
    }
    for (FileChange change : relevant) {
      if (change.path().equals(ScopeConfig.FILE_NAME)) {
        return full(owner, ScopeConfig.FILE_NAME + " changed", last);
      }
    }
    for (FileChange change : relevant) {
      if (change.kind() != FileChange.Kind.MODIFIED) {
        String kind = change.kind().name().toLowerCase(Locale.ROOT);
        String what =
            change.kind() == FileChange.Kind.RENAMED || change.kind() == FileChange.Kind.COPIED
                ? change.oldPath() + " " + kind + " to " + change.path()
                : change.path() + " " + kind;
        List<String> touched = new ArrayList<>(changed);
        relevant.stream()
            .map(FileChange::oldPath)
            .filter(p -> !touched.contains(p))
            .forEach(touched::add);
        return new ScopePlan(
            scope,
            name,
            Action.RESTRUCTURE,
            "structural change: " + what,
            List.of(),
            touched.stream().sorted().toList(),
            last.jobId(),
            last.commit(),
            0,
            null);
      }
    }
    Set<String> modified = new TreeSet<>(changed);
    List<PageChange> pages = new ArrayList<>();
    last.pageSources().entrySet().stream()
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
          name,
          Action.SKIP,
          "changed files (" + String.join(", ", modified) + ") are no page's sources",
          List.of(),
          changed,
          last.jobId(),
          last.commit(),
          0,
          null);
    }
    return new ScopePlan(
        scope,
        name,
        Action.PAGES,
        pages.size() + " of " + last.pageSources().size() + " pages made from changed files",
        pages,
        changed,
        last.jobId(),
        last.commit(),
        0,
        null);
  }

  /** Everything written afresh, for the reason given, replacing the previous run's pages. */
  public static ScopePlan full(Scope owner, String reason, Previous previous) {
    return new ScopePlan(
        owner.path(),
        owner.config().name(),
        Action.FULL,
        reason,
        List.of(),
        List.of(),
        previous == null ? null : previous.jobId(),
        previous == null ? null : previous.commit(),
        0,
        null);
  }

  /**
   * The changes that are the scope's own, relative to it: a file moved in from another scope is new
   * here, one moved out is gone from here.
   */
  private static List<FileChange> relevant(Scope owner, List<FileChange> changes) {
    FileSelection selection = FileSelection.of(owner.config());
    Predicate<String> documented =
        path -> selection.documents(path) || path.equals(ScopeConfig.FILE_NAME);
    List<FileChange> relevant = new ArrayList<>();
    for (FileChange change : changes) {
      Optional<String> path = owner.relative(change.path()).filter(documented);
      Optional<String> old = owner.relative(change.oldPath()).filter(documented);
      if (path.isPresent() && old.isPresent()) {
        relevant.add(new FileChange(change.kind(), path.get(), old.get()));
      } else if (path.isPresent()) {
        relevant.add(new FileChange(FileChange.Kind.ADDED, path.get(), path.get()));
      } else if (old.isPresent()) {
        relevant.add(new FileChange(FileChange.Kind.DELETED, old.get(), old.get()));
      }
    }
    return relevant;
  }
}
