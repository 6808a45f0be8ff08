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
 * for each module (Java package, or directory) that exports at least one type or function. Each
 * module page owns its exported declarations; module dependencies come from imports, resolved by
 * {@link ImportResolver}.
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
      if (exported.stream().noneMatch(s -> s.kind().isTopLevelApi())) {
        continue;
      }
      String module = entry.getKey();
      String summary =
          entry.getValue().stream()
              .map(SourceFile::summary)
              .filter(s -> !s.isEmpty())
              .findFirst()
              .orElse(apiSentence(exported, module));
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
        scopeName, pages, dependencies(byModule, modules, allFiles), BuildFiles.commands(allFiles));
  }

  private static String apiSentence(List<Symbol> exported, String module) {
    long types = exported.stream().filter(s -> s.kind().isType()).count();
    long functions = exported.stream().filter(s -> s.kind() == Symbol.Kind.FUNCTION).count();
    List<String> parts = new ArrayList<>();
    if (types > 0) {
      parts.add(types == 1 ? "public type" : types + " public types");
    }
    if (functions > 0) {
      parts.add(functions == 1 ? "public function" : functions + " public functions");
    }
    return "The " + String.join(" and ", parts) + " of " + display(module) + ".";
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
      Map<String, List<SourceFile>> byModule, List<PagePlan> modules, Set<String> allFiles) {
    Set<String> documented = new TreeSet<>(modules.stream().map(PagePlan::module).toList());
    var resolver = new ImportResolver(documented, allFiles);
    Map<String, List<String>> graph = new TreeMap<>();
    for (String module : documented) {
      Set<String> uses = new TreeSet<>();
      for (SourceFile file : byModule.get(module)) {
        for (String imported : file.imports()) {
          resolver.resolve(file, imported).ifPresent(uses::add);
        }
      }
      graph.put(module, List.copyOf(uses));
    }
    return graph;
  }
}
