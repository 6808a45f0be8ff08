package dev.autodoc.orchestrator.git;

/**
 * A file changed between two commits.
 *
 * @param oldPath the path before a rename or copy; the same as {@code path} otherwise
 */
public record FileChange(Kind kind, String path, String oldPath) {
  public enum Kind {
    ADDED,
    MODIFIED,
    DELETED,
    RENAMED,
    COPIED
  }
}
