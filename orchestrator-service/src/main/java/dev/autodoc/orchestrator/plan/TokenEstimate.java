package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.scope.FileSelection;
import dev.autodoc.common.scope.Scope;
import dev.autodoc.common.scope.ScopeConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A rough count of the LLM tokens a scope's plan will take, so a dry run can say what a run would
 * cost before it is paid for. The static agent uses none. For the LLM agent: each page sends its
 * sources (about four bytes a token) and a fixed frame of instructions and symbol lists, and
 * returns about a page of Markdown; a structure planning sends a line per file. One try per page is
 * assumed: pages the quality loop writes again cost more. A restructured scope is estimated as if
 * every page were written, since which are kept is known only after the structure is planned.
 */
final class TokenEstimate {
  static final int BYTES_PER_TOKEN = 4;
  static final int PROMPT_FRAME = 1_500;
  static final int COMPLETION_PER_PAGE = 1_200;
  static final int STRUCTURE_FRAME = 2_000;
  static final int STRUCTURE_PER_FILE = 30;

  private TokenEstimate() {}

  /**
   * @param sizes the bytes of every file at the job's commit, by repository path
   * @param pageSources the scope-relative sources of each page of the scope's last run
   */
  static long of(
      Scope scope,
      ChangePlanner.ScopePlan plan,
      Map<String, Long> sizes,
      Map<String, List<String>> pageSources) {
    if (scope.config().agent().mode() != ScopeConfig.AgentMode.LLM || !plan.dispatched()) {
      return 0;
    }
    if (plan.action() == ChangePlanner.Action.PAGES) {
      long tokens = 0;
      for (ChangePlanner.PageChange page : plan.pages()) {
        long bytes = 0;
        for (String source : pageSources.getOrDefault(page.page(), List.of())) {
          bytes += sizes.getOrDefault(repositoryPath(scope, source), 0L);
        }
        tokens += bytes / BYTES_PER_TOKEN + PROMPT_FRAME + COMPLETION_PER_PAGE;
      }
      return tokens;
    }
    Predicate<String> documented = FileSelection.of(scope.config())::documents;
    long bytes = 0;
    int files = 0;
    Set<String> directories = new TreeSet<>();
    for (Map.Entry<String, Long> file : sizes.entrySet()) {
      var relative = scope.relative(file.getKey()).filter(documented);
      if (relative.isPresent()) {
        bytes += file.getValue();
        files++;
        int slash = relative.get().lastIndexOf('/');
        directories.add(slash < 0 ? "" : relative.get().substring(0, slash));
      }
    }
    // About a page per directory, and the overview.
    long pages = directories.size() + 1L;
    return bytes / BYTES_PER_TOKEN
        + pages * (PROMPT_FRAME + COMPLETION_PER_PAGE)
        + STRUCTURE_FRAME
        + (long) files * STRUCTURE_PER_FILE;
  }

  private static String repositoryPath(Scope scope, String relative) {
    return scope.path().isEmpty() ? relative : scope.path() + "/" + relative;
  }
}
