package dev.autodoc.common.scope;

import java.util.List;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Include or exclude globs of a scope, with the meaning they have in a {@code .gitignore} placed at
 * the scope's root, matched by JGit's implementation of git's wildmatch:
 *
 * <ul>
 *   <li>{@code *.java} (no slash) matches a file name at any depth; {@code src/*.java} and {@code
 *       /Main.java} are anchored at the scope's root.
 *   <li>{@code **} matches zero or more directories anywhere: {@code src/**}{@code /*.ts} takes
 *       {@code src/query.ts} and {@code src/a/b/query.ts}.
 *   <li>{@code generated/} matches a directory and so everything below it.
 *   <li>{@code !pattern} takes back what an earlier pattern of the same list matched; the last
 *       matching pattern wins. As in git, nothing below a matched directory can be taken back.
 * </ul>
 *
 * Paths are relative to the scope, with {@code /} separators.
 */
public final class Globs {
  private final IgnoreNode rules;

  private Globs(List<FastIgnoreRule> rules) {
    this.rules = new IgnoreNode(rules);
  }

  public static Globs of(List<String> patterns) {
    return new Globs(patterns.stream().map(FastIgnoreRule::new).filter(r -> !r.isEmpty()).toList());
  }

  public boolean isEmpty() {
    return rules.getRules().isEmpty();
  }

  /** Whether the patterns take this file, as {@code git check-ignore} would say of it. */
  public boolean matches(String relativePath) {
    // A matched directory takes everything below it, whatever later patterns say of its files.
    for (int slash = relativePath.indexOf('/');
        slash > 0;
        slash = relativePath.indexOf('/', slash + 1)) {
      if (Boolean.TRUE.equals(rules.checkIgnored(relativePath.substring(0, slash), true))) {
        return true;
      }
    }
    return Boolean.TRUE.equals(rules.checkIgnored(relativePath, false));
  }

  /**
   * Why a pattern is not acceptable, or {@code null} when it is. Patterns stay inside the scope: no
   * {@code ..}; a leading {@code /} anchors a pattern at the scope's root, as in {@code
   * .gitignore}.
   */
  public static String problem(String pattern) {
    if (pattern.isBlank()) {
      return "a glob must not be empty";
    }
    if (List.of(pattern.split("/")).contains("..")) {
      return "glob '" + pattern + "' must not reach outside the scope with '..'";
    }
    if (pattern.startsWith("#")) {
      return "glob '" + pattern + "' starts with '#', which git reads as a comment; write '\\#'";
    }
    if (pattern.equals("!") || pattern.equals("/") || pattern.equals("!/")) {
      return "glob '" + pattern + "' matches nothing";
    }
    if (new FastIgnoreRule(pattern).isEmpty()) {
      return "glob '"
          + pattern
          + "' is not valid: check its [...] classes (closed, ranges in order) and '\\' escapes";
    }
    return null;
  }
}
