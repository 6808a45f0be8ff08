package dev.autodoc.common.scope;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the configuration files found in a repository into scopes. A scope owns its directory
 * except the directories of the scopes nested in it, so every file belongs to at most one scope.
 * With no configuration file anywhere the repository is one implicit scope at the root.
 */
public final class ScopeDiscovery {
  /** Name of the implicit root scope when the repository has no configuration file. */
  public static final String ROOT_PATH = "";

  private ScopeDiscovery() {}

  /**
   * @param configsByDirectory each scope directory (repository-relative, {@code ""} for the root)
   *     and its parsed configuration
   * @param repositoryName the name the implicit root scope takes
   */
  public static List<Scope> discover(
      Map<String, ScopeConfig> configsByDirectory, String repositoryName) {
    if (configsByDirectory.isEmpty()) {
      return List.of(new Scope(ROOT_PATH, ScopeConfig.defaults(repositoryName), List.of()));
    }
    List<String> dirs =
        configsByDirectory.keySet().stream().map(ScopeDiscovery::normalize).sorted().toList();
    List<Scope> scopes = new ArrayList<>();
    for (String dir : dirs) {
      List<String> nested = new ArrayList<>();
      for (String other : dirs) {
        if (!other.equals(dir) && isUnder(other, dir) && nearestParent(other, dirs).equals(dir)) {
          nested.add(other);
        }
      }
      scopes.add(new Scope(dir, configsByDirectory.get(dir), nested));
    }
    scopes.sort(Comparator.comparing(Scope::path));
    return List.copyOf(scopes);
  }

  /** The directory of a configuration file's path, {@code ""} at the root. */
  public static String directoryOf(String configFilePath) {
    int slash = configFilePath.lastIndexOf('/');
    return slash < 0 ? ROOT_PATH : configFilePath.substring(0, slash);
  }

  /** Whether {@code path} is {@code dir} or lies below it; every path lies below the root. */
  public static boolean isUnder(String path, String dir) {
    return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
  }

  private static String nearestParent(String dir, List<String> dirs) {
    return dirs.stream()
        .filter(d -> !d.equals(dir) && isUnder(dir, d))
        .max(Comparator.comparingInt(String::length))
        .orElseThrow();
  }

  private static String normalize(String dir) {
    if (dir.startsWith("/") || dir.endsWith("/") || List.of(dir.split("/")).contains("..")) {
      throw new IllegalArgumentException("not a repository-relative directory: '" + dir + "'");
    }
    return dir;
  }
}
