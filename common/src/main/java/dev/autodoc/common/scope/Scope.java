package dev.autodoc.common.scope;

import java.util.List;

/**
 * A documentation scope: a directory (relative to the repository root, {@code ""} for the root),
 * its configuration, and the directories of nested scopes it leaves to them.
 */
public record Scope(String path, ScopeConfig config, List<String> excludedPaths) {
  public Scope {
    excludedPaths = List.copyOf(excludedPaths);
  }

  /** Whether a repository-relative file path belongs to this scope rather than a nested one. */
  public boolean owns(String filePath) {
    return ScopeDiscovery.isUnder(filePath, path)
        && excludedPaths.stream().noneMatch(ex -> ScopeDiscovery.isUnder(filePath, ex));
  }

  /** A file of this scope, relative to it; empty when the scope does not own the file. */
  public java.util.Optional<String> relative(String filePath) {
    if (filePath == null || !owns(filePath)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        path.isEmpty() || filePath.equals(path) ? filePath : filePath.substring(path.length() + 1));
  }
}
