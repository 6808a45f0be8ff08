package dev.autodoc.worker.docs;

import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.worker.docs.pages.DocContext;
import dev.autodoc.worker.docs.pages.Markdown;
import dev.autodoc.worker.docs.pages.StaticPageGenerator;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.structure.Words;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scope README (by default {@code AGENTS.md}): what a person or a coding agent needs first —
 * purpose, one line per module, the types the rest of the code leans on most, how the modules
 * relate, how to build and test, and where the boundaries are.
 */
public final class ReadmeDistiller {
  /** Entry points listed: the exported types most imported by the scope's other files. */
  static final int ENTRY_POINTS = 8;

  private ReadmeDistiller() {}

  public static String distill(ScopeConfig config, DocContext context) {
    var md =
        new StringBuilder("# ")
            .append(Markdown.text(config.name()))
            .append("\n\n")
            .append(context.prose(context.purpose()))
            .append("\n\n## Structure\n\n");
    List<PagePlan> modules =
        context.structure().pages().stream().filter(p -> p.kind() == PagePlan.Kind.MODULE).toList();
    String pages = config.output().pagesPrefix();
    for (PagePlan module : modules) {
      md.append("- [")
          .append(Markdown.code(module.title(), false))
          .append("](")
          .append(Markdown.url(pages + module.path()))
          .append(") — ")
          .append(context.prose(module.purpose()))
          .append('\n');
    }
    if (modules.isEmpty()) {
      md.append("No module exports a public type.\n");
    }
    if (config.output().writesLlmsTxt()) {
      md.append("\nFor language models: [llms.txt](")
          .append(Markdown.url(pages + "llms.txt"))
          .append(") lists every page of this scope, and [llms-full.txt](")
          .append(Markdown.url(pages + "llms-full.txt"))
          .append(") holds them all in one file.\n");
    }
    md.append("\n## Key entry points\n\n");
    for (Symbol type : entryPoints(context)) {
      md.append("- `")
          .append(type.name())
          .append("` (")
          .append(Markdown.text(type.file()))
          .append(':')
          .append(type.line())
          .append(")")
          .append(type.summary().isEmpty() ? "" : " — " + context.prose(type.summary()))
          .append('\n');
    }
    String diagram = StaticPageGenerator.moduleDiagram(context);
    if (!diagram.isEmpty()) {
      md.append("\n## Architecture\n\n").append(diagram);
    }
    md.append("\n## Build and test\n\n").append(StaticPageGenerator.buildSection(context));
    md.append("\n## Boundaries\n\n");
    long exported =
        context.symbols().stream().filter(s -> s.exported() && s.kind().isType()).count();
    md.append("- Public API: ")
        .append(Words.count(exported, "exported type"))
        .append(" in ")
        .append(Words.count(modules.size(), "module"))
        .append(".\n");
    if (!config.exclude().isEmpty()) {
      md.append("- Not documented (excluded): ")
          .append(
              String.join(
                  ", ", config.exclude().stream().map(g -> Markdown.code(g, false)).toList()))
          .append(".\n");
    }
    List<String> generated =
        context.files().stream()
            .filter(f -> f.contains("/generated/") || f.startsWith("generated/"))
            .limit(1)
            .toList();
    if (!generated.isEmpty()) {
      md.append(
          "- Generated code lives under directories named `generated`; do not edit it by hand.\n");
    }
    return md.toString();
  }

  /** The exported types most imported by other files of the scope, then by size. */
  static List<Symbol> entryPoints(DocContext context) {
    Map<String, Integer> imported = new HashMap<>();
    for (SourceFile file : context.sources()) {
      file.imports().forEach(i -> imported.merge(i, 1, Integer::sum));
    }
    Map<String, Long> members = new HashMap<>();
    context.symbols().forEach(s -> members.merge(s.container(), 1L, Long::sum));
    return context.symbols().stream()
        .filter(s -> s.exported() && s.kind().isType())
        .sorted(
            Comparator.comparingInt((Symbol s) -> -imported.getOrDefault(s.qualifiedName(), 0))
                .thenComparingLong(s -> -members.getOrDefault(s.qualifiedName(), 0L))
                .thenComparing(Symbol::qualifiedName))
        .limit(ENTRY_POINTS)
        .toList();
  }
}
