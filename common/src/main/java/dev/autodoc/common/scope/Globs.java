package dev.autodoc.common.scope;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Include and exclude globs of a scope, matched against paths relative to the scope with {@code /}
 * separators. A leading {@code **}{@code /} also matches at the top, as in {@code .gitignore}, so
 * {@code **}{@code /*.java} matches {@code Main.java}.
 */
public final class Globs {
  private final List<PathMatcher> matchers;

  private Globs(List<PathMatcher> matchers) {
    this.matchers = matchers;
  }

  public static Globs of(List<String> patterns) {
    return new Globs(
        patterns.stream().flatMap(p -> expand(p).stream()).map(Globs::compile).toList());
  }

  public boolean isEmpty() {
    return matchers.isEmpty();
  }

  public boolean matches(String relativePath) {
    Path path = Path.of(relativePath);
    return matchers.stream().anyMatch(m -> m.matches(path));
  }

  /**
   * Why a pattern is not acceptable, or {@code null} when it is. Patterns stay inside the scope: no
   * absolute paths and no {@code ..}.
   */
  public static String problem(String pattern) {
    if (pattern.isBlank()) {
      return "a glob must not be empty";
    }
    if (pattern.startsWith("/")) {
      return "glob '" + pattern + "' must be relative to the scope";
    }
    if (List.of(pattern.split("/")).contains("..")) {
      return "glob '" + pattern + "' must not reach outside the scope with '..'";
    }
    try {
      compile(pattern);
      return null;
    } catch (PatternSyntaxException e) {
      return "glob '" + pattern + "' is not valid: " + e.getDescription();
    }
  }

  private static List<String> expand(String pattern) {
    return pattern.startsWith("**/") ? List.of(pattern, pattern.substring(3)) : List.of(pattern);
  }

  private static PathMatcher compile(String pattern) {
    return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
  }
}
