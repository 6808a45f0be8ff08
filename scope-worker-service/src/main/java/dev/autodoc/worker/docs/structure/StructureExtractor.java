package dev.autodoc.worker.docs.structure;

import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a scope's declarations into its documentation structure: an overview page, then one page
 * for each module (Java package, or directory) that exports at least one type. Each module page
 * owns its exported types and their exported members; module dependencies come from imports.
 */
public final class StructureExtractor {
  public static final String OVERVIEW = "index.md";

  private StructureExtractor() {}

  public static DocStructure extract(
      String scopeName, List<SourceFile> sources, Set<String> allFiles) {
    Map<String, List<SourceFile>> byModule = new TreeMap<>();
    sources.forEach(s -> byModule.computeIfAbsent(s.module(), m -> new ArrayList<>()).add(s));
    List<PagePlan> modules = new ArrayList<>();
    for (var entry : byModule.entrySet()) {
      List<Symbol> exported =
          entry.getValue().stream()
              .flatMap(s -> s.symbols().stream())
              .filter(Symbol::exported)
              .toList();
      if (exported.stream().noneMatch(s -> s.kind().isType())) {
        continue;
      }
      String module = entry.getKey();
      String summary =
          entry.getValue().stream()
              .map(SourceFile::summary)
              .filter(s -> !s.isEmpty())
              .findFirst()
              .orElse(
                  typesSentence(exported.stream().filter(s -> s.kind().isType()).count(), module));
      modules.add(
          new PagePlan(
              pagePath(module),
              display(module),
              PagePlan.Kind.MODULE,
              module,
              summary,
              entry.getValue().stream().map(SourceFile::path).sorted().toList(),
              exported.stream().map(Symbol::qualifiedName).distinct().toList()));
    }
    List<PagePlan> pages = new ArrayList<>();
    pages.add(
        new PagePlan(
            OVERVIEW,
            scopeName,
            PagePlan.Kind.OVERVIEW,
            "",
            "What " + scopeName + " holds and how its parts relate.",
            allFiles.stream().filter(f -> !f.contains("/")).sorted().toList(),
            List.of()));
    pages.addAll(modules);
    return new DocStructure(
        scopeName, pages, dependencies(byModule, modules), BuildFiles.commands(allFiles));
  }

  private static String typesSentence(long types, String module) {
    return types == 1
        ? "The public type of " + display(module) + "."
        : "The " + types + " public types of " + display(module) + ".";
  }

  /** The page of a module: {@code modules/<module>.md}, with {@code _} for the root. */
  public static String pagePath(String module) {
    return "modules/" + (module.isEmpty() ? "_" : module.replace('/', '.')) + ".md";
  }

  public static String display(String module) {
    return module.isEmpty() ? "(default package)" : module;
  }

  /** Which documented modules each documented module imports from. */
  private static Map<String, List<String>> dependencies(
      Map<String, List<SourceFile>> byModule, List<PagePlan> modules) {
    Set<String> documented = new TreeSet<>(modules.stream().map(PagePlan::module).toList());
    Map<String, List<String>> graph = new TreeMap<>();
    for (String module : documented) {
      Set<String> uses = new TreeSet<>();
      for (SourceFile file : byModule.get(module)) {
        for (String imported : file.imports()) {
          documented.stream()
              .filter(
                  other ->
                      !other.equals(module) && !other.isEmpty() && imported.startsWith(other + "."))
              .filter(other -> imported.substring(other.length() + 1).matches("[A-Z].*|\\*"))
              .forEach(uses::add);
        }
      }
      graph.put(module, List.copyOf(uses));
    }
    return graph;
  }
}
