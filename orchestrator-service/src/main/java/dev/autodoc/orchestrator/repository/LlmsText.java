package dev.autodoc.orchestrator.repository;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repository's documentation for language models, as the llms.txt proposal (llmstxt.org) lays it
 * out: {@code llms.txt} is a Markdown index (an H1 with the name, a blockquote summary, then one H2
 * section per scope listing its pages as links, each to the page's Markdown), and {@code
 * llms-full.txt} is every page in full, in the same order.
 */
final class LlmsText {
  private LlmsText() {}

  /** The index; {@code pageUrl} turns a page's repository path into the address of its Markdown. */
  static String index(
      RepositoryPages.Repository repository,
      List<RepositoryPages.PageEntry> pages,
      java.util.function.Function<String, String> pageUrl) {
    var out = new StringBuilder();
    header(out, repository, pages);
    byScope(pages)
        .forEach(
            (scope, list) -> {
              out.append("\n## ").append(scopeName(scope)).append("\n\n");
              for (var page : list) {
                out.append("- [")
                    .append(escape(page.title()))
                    .append("](")
                    .append(pageUrl.apply(page.path()))
                    .append(")");
                if (page.kind() != null) {
                  out.append(": ").append(describe(page.kind()));
                }
                out.append('\n');
              }
            });
    return out.toString();
  }

  /** Every page in full, each under a line naming its path, in the index's order. */
  static String full(
      RepositoryPages.Repository repository, List<RepositoryPages.PageContent> contents) {
    var pages = contents.stream().map(RepositoryPages.PageContent::entry).toList();
    Map<String, String> markdown = new java.util.HashMap<>();
    contents.forEach(c -> markdown.put(c.entry().path(), c.markdown()));
    var out = new StringBuilder();
    header(out, repository, pages);
    byScope(pages)
        .forEach(
            (scope, list) -> {
              for (var page : list) {
                out.append("\n---\n\n<!-- ")
                    .append(page.path())
                    .append(" -->\n\n")
                    .append(markdown.getOrDefault(page.path(), "").strip())
                    .append('\n');
              }
            });
    return out.toString();
  }

  private static void header(
      StringBuilder out,
      RepositoryPages.Repository repository,
      List<RepositoryPages.PageEntry> pages) {
    String commit =
        pages.stream()
            .map(RepositoryPages.PageEntry::commitSha)
            .filter(c -> c != null)
            .reduce((a, b) -> b)
            .orElse("unknown");
    out.append("# ").append(name(repository.url())).append("\n\n");
    out.append("> Documentation of ")
        .append(repository.url())
        .append(", written by Autodoc from its code (")
        .append(pages.size())
        .append(pages.size() == 1 ? " page" : " pages")
        .append(", commit ")
        .append(commit)
        .append(").\n\n");
    out.append(
        "Each page names the commit it describes; pages link to the source files and lines they"
            + " describe.\n");
  }

  private static Map<String, List<RepositoryPages.PageEntry>> byScope(
      List<RepositoryPages.PageEntry> pages) {
    Map<String, List<RepositoryPages.PageEntry>> scopes = new LinkedHashMap<>();
    for (var page : pages) {
      scopes.computeIfAbsent(page.scope(), s -> new java.util.ArrayList<>()).add(page);
    }
    return scopes;
  }

  private static String scopeName(String scope) {
    return scope.isEmpty() ? "The repository's root" : scope;
  }

  private static String describe(String kind) {
    return switch (kind) {
      case "OVERVIEW" -> "overview of the scope";
      case "MODULE" -> "one module: its types, functions and how to use them";
      case "COMPONENT" -> "one key component: a type with a large public surface, and its members";
      case "README" -> "the scope's README";
      default -> kind.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The repository's name, the last part of its address without {@code .git}. */
  private static String name(String url) {
    String trimmed = url.replaceAll("/+$", "").replaceAll("\\.git$", "");
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /** Link text may not close the link early. */
  private static String escape(String title) {
    return title.replace("[", "\\[").replace("]", "\\]");
  }
}
