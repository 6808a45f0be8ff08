package dev.autodoc.orchestrator.repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Documentation for language models, as the llms.txt proposal (llmstxt.org) lays it out: {@code
 * llms.txt} is a Markdown index (an H1 with the name, a blockquote summary, then one H2 section per
 * scope listing its pages as links, each to the page's Markdown), and {@code llms-full.txt} is
 * every page in full, in the same order. The API serves them for a repository or a scope, with
 * links to itself; a pull request carries each scope's beside its pages ({@link #scopeFiles}), with
 * links relative to them.
 */
public final class LlmsText {
  private LlmsText() {}

  /** A page as the index lists it: its scope, title, kind, link, path and Markdown. */
  public record Entry(
      String scope, String title, String kind, String link, String path, String markdown) {}

  /** The entries of pages read with their text, each linked where {@code link} says. */
  public static List<Entry> entries(
      List<RepositoryPages.PageContent> pages, java.util.function.UnaryOperator<String> link) {
    return pages.stream()
        .map(
            c ->
                new Entry(
                    c.entry().scope(),
                    c.entry().title(),
                    c.entry().kind(),
                    link.apply(c.entry().path()),
                    c.entry().path(),
                    c.markdown()))
        .toList();
  }

  /** The index of the given pages, under an H1 with {@code name} and the summary {@code about}. */
  public static String index(String name, String about, List<Entry> entries) {
    var out = new StringBuilder();
    header(out, name, about);
    byScope(entries)
        .forEach(
            (scope, list) -> {
              out.append("\n## ").append(scopeName(scope)).append("\n\n");
              for (var entry : list) {
                out.append("- [")
                    .append(escape(entry.title()))
                    .append("](")
                    .append(entry.link())
                    .append(")");
                if ("README".equals(entry.kind())) {
                  out.append(": the scope's README for agents");
                }
                out.append('\n');
              }
            });
    return out.toString();
  }

  /** Every page in full, each under a comment naming its path, in the index's order. */
  static String full(String name, String about, List<Entry> entries) {
    var out = new StringBuilder();
    header(out, name, about);
    byScope(entries)
        .forEach(
            (scope, list) -> {
              for (var entry : list) {
                out.append("\n---\n\n<!-- ")
                    .append(entry.path())
                    .append(" -->\n\n")
                    .append(entry.markdown() == null ? "" : entry.markdown().strip())
                    .append('\n');
              }
            });
    return out.toString();
  }

  /**
   * The summary of a repository's documentation as the API serves it, naming the commit it was
   * written from as {@code list_repositories} does ({@link RepositoryPages#documentation}).
   */
  public static String about(
      RepositoryPages.Repository repository, int pages, String documentedCommit) {
    return "Documentation of "
        + repository.url()
        + ", written by Autodoc from its code ("
        + count(pages)
        + ", commit "
        + (documentedCommit == null ? "unknown" : documentedCommit)
        + ").";
  }

  /** The repository's name, the last part of its address without {@code .git}. */
  public static String name(String url) {
    String trimmed = url.replaceAll("/+$", "").replaceAll("\\.git$", "");
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /**
   * {@code llms.txt} and {@code llms-full.txt} in the pages directory of each scope that writes
   * them ({@code output.llms_txt}, on by default, and a {@code pages_dir}), listing the scope's
   * published pages and README with links relative to that directory. No commit is named (each page
   * names its own), so the index changes only when the pages listed do.
   */
  public static List<RepositoryPages.JobFile> scopeFiles(
      List<RepositoryPages.JobFile> files, String repositoryUrl) {
    Map<String, List<RepositoryPages.JobFile>> byScope = new LinkedHashMap<>();
    files.stream()
        .filter(f -> f.published() && f.llmsTxt() && !f.pagesDir().isEmpty())
        .forEach(f -> byScope.computeIfAbsent(f.scope(), s -> new ArrayList<>()).add(f));
    List<RepositoryPages.JobFile> out = new ArrayList<>();
    byScope.forEach(
        (scope, list) -> {
          var first = list.getFirst();
          String dir = first.pagesDir();
          List<Entry> entries = new ArrayList<>();
          for (var f : list) {
            entries.add(
                new Entry(
                    scope,
                    title(f),
                    f.kind(),
                    relative(dir, f.path()),
                    f.repositoryPath(),
                    f.markdown()));
          }
          String about =
              "Documentation of "
                  + (scope.isEmpty() ? "the root" : scope)
                  + " in "
                  + repositoryUrl
                  + ", written by Autodoc from its code ("
                  + count(list.stream().filter(f -> f.kind().equals("PAGE")).count())
                  + ").";
          String name = first.scopeName() == null ? scopeName(scope) : first.scopeName();
          out.add(first.generated(dir + "/llms.txt", index(name, about, entries)));
          out.add(first.generated(dir + "/llms-full.txt", full(name, about, entries)));
        });
    return out;
  }

  private static void header(StringBuilder out, String name, String about) {
    out.append("# ").append(name).append("\n\n");
    out.append("> ").append(about).append("\n\n");
    out.append(
        "Each page names the commit it describes; pages link to the source files and lines they"
            + " describe.\n");
  }

  private static String count(long pages) {
    return pages + (pages == 1 ? " page" : " pages");
  }

  private static Map<String, List<Entry>> byScope(List<Entry> entries) {
    Map<String, List<Entry>> scopes = new LinkedHashMap<>();
    for (var entry : entries) {
      scopes.computeIfAbsent(entry.scope(), s -> new ArrayList<>()).add(entry);
    }
    return scopes;
  }

  private static String scopeName(String scope) {
    return scope.isEmpty() ? "The repository's root" : scope;
  }

  /** A page's title: its first H1, or its file name. */
  private static String title(RepositoryPages.JobFile file) {
    return file.markdown()
        .lines()
        .filter(l -> l.startsWith("# "))
        .findFirst()
        .map(l -> l.substring(2).strip())
        .orElse(file.path().substring(file.path().lastIndexOf('/') + 1));
  }

  /** The link from a file in scope directory {@code dir} to scope-relative {@code path}. */
  static String relative(String dir, String path) {
    String[] from = dir.split("/");
    String[] to = path.split("/");
    int shared = 0;
    while (shared < from.length && shared < to.length - 1 && from[shared].equals(to[shared])) {
      shared++;
    }
    var link = new StringBuilder("../".repeat(from.length - shared));
    for (int i = shared; i < to.length; i++) {
      link.append(i > shared ? "/" : "").append(encode(to[i]));
    }
    return link.toString();
  }

  /** A path segment fit for a Markdown link: what would end or break the link, percent-encoded. */
  private static String encode(String segment) {
    var out = new StringBuilder();
    for (char c : segment.toCharArray()) {
      if (c <= ' ' || c == '(' || c == ')' || c == '<' || c == '>' || c == '%' || c == '#') {
        out.append('%').append(String.format("%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Link text may not close the link early. */
  private static String escape(String title) {
    return title.replace("[", "\\[").replace("]", "\\]");
  }
}
