package dev.autodoc.common.scope;

import java.util.List;
import java.util.Optional;

/**
 * Which of a scope's own files it documents, by scope-relative path: those its include globs take
 * (every file when there are none) and its exclude globs leave, except the documentation it writes
 * itself (its README and pages, merged from an earlier pull request). The worker's scan and the
 * orchestrator's plan select files with this one rule.
 */
public final class FileSelection {
  /** How many left-out files an error names. */
  public static final int EXAMPLES = 5;

  public static final String OUTPUT = "autodoc-output";
  public static final String EXCLUDED = "excluded";

  private final ScopeConfig config;
  private final Globs include;
  private final Globs exclude;

  private FileSelection(ScopeConfig config) {
    this.config = config;
    this.include = Globs.of(config.include());
    this.exclude = Globs.of(config.exclude());
  }

  public static FileSelection of(ScopeConfig config) {
    return new FileSelection(config);
  }

  /** Why the scope leaves this file out ({@link #OUTPUT} or {@link #EXCLUDED}), or empty. */
  public Optional<String> leavesOut(String relativePath) {
    if (config.output().holds(relativePath)) {
      return Optional.of(OUTPUT);
    }
    if (!include.isEmpty() && !include.matches(relativePath) || exclude.matches(relativePath)) {
      return Optional.of(EXCLUDED);
    }
    return Optional.empty();
  }

  public boolean documents(String relativePath) {
    return leavesOut(relativePath).isEmpty();
  }

  /**
   * The message for a scope that has nothing to document: its globs, how many files it has, and a
   * few it left out with the reason, so the fix is plain.
   *
   * @param scopePath the scope's directory ({@code ""} for the root)
   * @param files how many files the scope owns
   * @param leftOut some of them, each as {@code "path (reason)"}
   */
  public String nothingToDocument(String scopePath, int files, List<String> leftOut) {
    StringBuilder message =
        new StringBuilder("scope '")
            .append(scopePath.isEmpty() ? "." : scopePath)
            .append("' has nothing to document: ");
    if (files == 0) {
      return message.append("it has no files of its own").toString();
    }
    return message
        .append("none of its ")
        .append(files)
        .append(files == 1 ? " file is" : " files is")
        .append(" documented with include ")
        .append(config.include().isEmpty() ? "(every file)" : globList(config.include()))
        .append(" and exclude ")
        .append(config.exclude().isEmpty() ? "(none)" : globList(config.exclude()))
        .append("; left out, for example: ")
        .append(String.join(", ", leftOut.subList(0, Math.min(EXAMPLES, leftOut.size()))))
        .append(". Check include and exclude in its ")
        .append(ScopeConfig.FILE_NAME)
        .toString();
  }

  private static String globList(List<String> globs) {
    return "[" + String.join(", ", globs.stream().map(g -> "'" + g + "'").toList()) + "]";
  }
}
