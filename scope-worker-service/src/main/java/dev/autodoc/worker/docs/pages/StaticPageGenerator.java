package dev.autodoc.worker.docs.pages;

import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.StructureExtractor;
import dev.autodoc.worker.docs.structure.Words;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline, deterministic page writer: every statement on a page comes from the parsers (names,
 * signatures, doc-comment summaries, lines, imports) or from the build files. Given findings, it
 * mends what they name: it adds symbols reported missing, drops names reported unknown out of code
 * spans, and removes links reported broken.
 */
public final class StaticPageGenerator implements PageGenerator {
  private static final Pattern MISSING = Pattern.compile("missing symbol `([^`]+)`");
  private static final Pattern UNKNOWN = Pattern.compile("unknown identifier `([^`]+)`");

  private static final Pattern BROKEN = Pattern.compile("broken link \\(([^)]+)\\)");

  @Override
  public String generate(PagePlan page, DocContext context, List<String> feedback) {
    String markdown =
        switch (page.kind()) {
          case OVERVIEW -> overview(page, context);
          case MODULE, COMPONENT -> module(page, context, missing(feedback));
        };
    for (String finding : feedback) {
      Matcher unknown = UNKNOWN.matcher(finding);
      if (unknown.find()) {
        markdown = markdown.replace("`" + unknown.group(1) + "`", unknown.group(1));
      }
      Matcher broken = BROKEN.matcher(finding);
      if (broken.find()) {
        markdown =
            markdown.replaceAll("\\[([^\\]]*)]\\(" + Pattern.quote(broken.group(1)) + "\\)", "$1");
      }
    }
    return markdown;
  }

  private static String overview(PagePlan page, DocContext context) {
    var md = new StringBuilder();
    md.append("# ")
        .append(page.title())
        .append("\n\n## Overview\n\n")
        .append(context.prose(page, null, context.purpose()))
        .append("\n\n");
    Map<String, Integer> languages = new LinkedHashMap<>();
    context.sources().forEach(s -> languages.merge(s.language(), 1, Integer::sum));
    md.append("The scope has ").append(Words.count(context.files().size(), "file"));
    if (!languages.isEmpty()) {
      md.append(", of which ")
          .append(
              String.join(
                  ", ",
                  languages.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()))
          .append(" were parsed for their declarations");
    }
    md.append(".\n\n## Structure\n\n");
    List<PagePlan> modules =
        context.structure().pages().stream().filter(p -> p.kind() == PagePlan.Kind.MODULE).toList();
    if (modules.isEmpty()) {
      md.append("No module exports a public type or function.\n\n");
    } else {
      md.append("| Module | Summary | Public types |\n|---|---|---|\n");
      for (PagePlan module : modules) {
        long types =
            context.structure().pages().stream()
                .filter(p -> p.kind() != PagePlan.Kind.OVERVIEW)
                .filter(p -> p.module().equals(module.module()))
                .flatMap(p -> context.symbolsOf(p).stream())
                .filter(s -> s.kind().isType())
                .count();
        md.append("| [")
            .append(Markdown.code(module.title(), true))
            .append("](")
            .append(context.link(page, module.path(), true))
            .append(") | ")
            .append(
                ApiSection.cell(
                    context.prose(page, ApiSection.firstSource(module), module.purpose())))
            .append(" | ")
            .append(types)
            .append(" |\n");
      }
      md.append('\n');
    }
    String diagram = moduleDiagram(context);
    if (!diagram.isEmpty()) {
      md.append("## How the modules relate\n\n").append(diagram).append('\n');
    }
    md.append("## Build and test\n\n").append(buildSection(context));
    return md.toString();
  }

  private static String module(PagePlan page, DocContext context, Set<String> missing) {
    List<Symbol> symbols = context.symbolsOf(page);
    var md = new StringBuilder();
    boolean component = page.kind() == PagePlan.Kind.COMPONENT;
    md.append(component ? "# " : "# Module ")
        .append(Markdown.code(page.title(), false))
        .append("\n\n## Overview\n\n")
        .append(context.prose(page, ApiSection.firstSource(page), page.purpose()))
        .append("\n\n");
    List<Symbol> types = symbols.stream().filter(s -> s.kind().isType()).toList();
    Set<String> typeNames =
        new java.util.HashSet<>(types.stream().map(Symbol::qualifiedName).toList());
    List<Symbol> topLevel =
        symbols.stream()
            .filter(s -> !s.kind().isType() && !typeNames.contains(s.container()))
            .toList();
    if (component) {
      md.append("A key component of module [")
          .append(Markdown.code(context.structure().moduleTitle(page.module()), false))
          .append("](")
          .append(context.link(page, context.structure().modulePath(page.module()), true))
          .append("), with ")
          .append(Words.count(symbols.size() - 1, "public member"));
    } else {
      md.append("It is made of ")
          .append(Words.count(page.sourceFiles().size(), "source file"))
          .append(" and exports ")
          .append(Words.count(types.size(), "type"));
      if (!topLevel.isEmpty()) {
        md.append(" and ")
            .append(
                Words.count(topLevel.size(), "function or constant", "functions and constants"));
      }
    }
    md.append(". Back to the [overview](")
        .append(context.link(page, StructureExtractor.OVERVIEW, true))
        .append(").\n\n");
    md.append(ApiSection.render(page, context, types, symbols, topLevel));
    List<PagePlan> components =
        component
            ? List.of()
            : context.structure().pages().stream()
                .filter(p -> p.kind() == PagePlan.Kind.COMPONENT)
                .filter(p -> p.module().equals(page.module()))
                .toList();
    if (!components.isEmpty()) {
      md.append("## Key components\n\n");
      for (PagePlan c : components) {
        md.append("- [")
            .append(Markdown.code(c.title(), false))
            .append("](")
            .append(context.link(page, c.path(), true))
            .append(") — ")
            .append(context.prose(page, ApiSection.firstSource(c), c.purpose()))
            .append('\n');
      }
      md.append('\n');
    }
    if (!missing.isEmpty()) {
      md.append("## Also in this module\n\n");
      missing.forEach(name -> md.append("- `").append(name).append("`\n"));
      md.append('\n');
    }
    String relations = relations(types);
    if (!relations.isEmpty()) {
      md.append("## Relations\n\n").append(relations).append('\n');
    }
    if (!component) {
      md.append(related(page, context));
    }
    md.append("## Source files\n\n");
    for (String file : page.sourceFiles()) {
      md.append("- [")
          .append(Markdown.text(file))
          .append("](")
          .append(context.link(page, file, false))
          .append(')');
      String summary = context.fileSummary(file);
      if (!summary.isEmpty()) {
        md.append(" — ").append(context.prose(page, file, summary));
      }
      md.append('\n');
    }
    return md.toString();
  }

  /** Links to the modules this one imports from and to those importing it: its neighbours. */
  private static String related(PagePlan page, DocContext context) {
    Map<String, List<String>> graph = context.structure().moduleDependencies();
    List<String> uses = graph.getOrDefault(page.module(), List.of());
    List<String> usedBy =
        graph.entrySet().stream()
            .filter(e -> e.getValue().contains(page.module()))
            .map(Map.Entry::getKey)
            .toList();
    if (uses.isEmpty() && usedBy.isEmpty()) {
      return "";
    }
    var md = new StringBuilder("## Related modules\n\n");
    uses.forEach(
        m ->
            md.append("- Uses [")
                .append(Markdown.code(context.structure().moduleTitle(m), false))
                .append("](")
                .append(context.link(page, context.structure().modulePath(m), true))
                .append(")\n"));
    usedBy.forEach(
        m ->
            md.append("- Used by [")
                .append(Markdown.code(context.structure().moduleTitle(m), false))
                .append("](")
                .append(context.link(page, context.structure().modulePath(m), true))
                .append(")\n"));
    return md.append('\n').toString();
  }

  /** How to build and test the scope, from its build files, for the overview and the README. */
  public static String buildSection(DocContext context) {
    List<String> commands = context.structure().buildCommands();
    return commands.isEmpty()
        ? "No build file was found at the top of the scope.\n"
        : "```sh\n" + String.join("\n", commands) + "\n```\n";
  }

  /** A flowchart of which modules import which, when there is more than one module. */
  public static String moduleDiagram(DocContext context) {
    Map<String, List<String>> graph = context.structure().moduleDependencies();
    if (graph.size() < 2 || graph.values().stream().allMatch(List::isEmpty)) {
      return "";
    }
    List<String> ids = new ArrayList<>(graph.keySet());
    var md = new StringBuilder("```mermaid\nflowchart LR\n");
    for (int i = 0; i < ids.size(); i++) {
      md.append("  m")
          .append(i)
          .append("[\"")
          .append(mermaidLabel(context.structure().moduleTitle(ids.get(i))))
          .append("\"]\n");
    }
    graph.forEach(
        (from, tos) ->
            tos.forEach(
                to ->
                    md.append("  m")
                        .append(ids.indexOf(from))
                        .append(" --> m")
                        .append(ids.indexOf(to))
                        .append('\n')));
    return md.append("```\n").toString();
  }

  /** A class diagram of the extends/implements relations among the module's types. */
  private static String relations(List<Symbol> types) {
    Set<String> names = new java.util.HashSet<>(types.stream().map(Symbol::name).toList());
    List<String> edges = new ArrayList<>();
    Pattern supers = Pattern.compile("\\b(?:extends|implements)\\s+([\\w.<>,\\s]+)");
    for (Symbol type : types) {
      Matcher m = supers.matcher(type.signature());
      while (m.find()) {
        for (String parent : m.group(1).replaceAll("<[^>]*>", "").split("[,\\s]+")) {
          if (names.contains(parent) && !parent.equals(type.name())) {
            edges.add("  " + parent + " <|-- " + type.name());
          }
        }
      }
    }
    if (edges.isEmpty()) {
      return "";
    }
    return "```mermaid\nclassDiagram\n"
        + String.join("\n", edges.stream().distinct().toList())
        + "\n```\n";
  }

  private static Set<String> missing(List<String> feedback) {
    Set<String> names = new java.util.TreeSet<>();
    feedback.forEach(
        f -> {
          Matcher m = MISSING.matcher(f);
          if (m.find()) {
            names.add(m.group(1));
          }
        });
    return names;
  }

  /** A node label in a Mermaid diagram, where a quote or a newline would end it. */
  private static String mermaidLabel(String name) {
    return Markdown.visible(name).replace("\"", "#quot;");
  }
}
