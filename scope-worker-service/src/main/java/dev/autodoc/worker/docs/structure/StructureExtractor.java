package dev.autodoc.worker.docs.structure;

import dev.autodoc.common.symbol.SymbolKind;
import dev.autodoc.worker.docs.symbols.Declarations;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a scope's declarations into its documentation structure: an overview page, then one page
 * for each module (Java package, or directory) that exports at least one type or function, each
 * followed by the pages of its key components: exported types with at least {@value
 * #COMPONENT_MEMBERS} public members, which own themselves and those members. A module page owns
 * the rest of its exported declarations. Module dependencies come from imports, resolved by {@link
 * ImportResolver}.
 */
public final class StructureExtractor {
  public static final String OVERVIEW = "index.md";

  /** Public members that make a type a key component with a page of its own. */
  public static final int COMPONENT_MEMBERS = 12;

  private StructureExtractor() {}

  public static DocStructure extract(
      String scopeName, List<SourceFile> sources, Set<String> allFiles, ScopeText text) {
    String rootName = ModuleNames.root(scopeName, text);
    Map<String, List<SourceFile>> byModule = new TreeMap<>();
    sources.forEach(s -> byModule.computeIfAbsent(s.module(), m -> new ArrayList<>()).add(s));
    List<PagePlan> modules = new ArrayList<>();
    for (var entry : byModule.entrySet()) {
      List<Symbol> exported =
          Declarations.of(entry.getValue()).stream().filter(Symbol::exported).toList();
      if (exported.stream().noneMatch(s -> s.kind().isTopLevelApi())) {
        continue;
      }
      String module = entry.getKey();
      // Types with a large public surface become key components with pages of their own.
      Map<String, Long> members =
          exported.stream()
              .filter(s -> !s.kind().isType())
              .collect(Collectors.groupingBy(Symbol::container, Collectors.counting()));
      List<Symbol> components =
          exported.stream()
              .filter(s -> s.kind().isType())
              .filter(s -> members.getOrDefault(s.qualifiedName(), 0L) >= COMPONENT_MEMBERS)
              .filter(distinctBy(Symbol::qualifiedName))
              .toList();
      Set<String> inComponents = new HashSet<>();
      List<PagePlan> componentPages = new ArrayList<>();
      for (Symbol type : components) {
        List<String> owned = new ArrayList<>(List.of(type.qualifiedName()));
        exported.stream()
            .filter(s -> s.container().equals(type.qualifiedName()) && !s.kind().isType())
            .map(Symbol::qualifiedName)
            .distinct()
            .forEach(owned::add);
        inComponents.addAll(owned);
        componentPages.add(
            new PagePlan(
                componentPath(type.qualifiedName()),
                type.name(),
                PagePlan.Kind.COMPONENT,
                module,
                type.summary().isEmpty()
                    ? "The "
                        + type.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " "
                        + type.name()
                        + " and its "
                        + (owned.size() - 1)
                        + " public members."
                    : type.summary(),
                List.of(type.file()),
                owned));
      }
      String title = module.isEmpty() ? rootName : module;
      String summary =
          ModuleSummaries.of(entry.getValue(), text).orElse(apiSentence(exported, title));
      modules.add(
          new PagePlan(
              module.isEmpty() ? rootPagePath(rootName, byModule.keySet()) : pagePath(module),
              title,
              PagePlan.Kind.MODULE,
              module,
              summary,
              entry.getValue().stream().map(SourceFile::path).sorted().toList(),
              exported.stream()
                  .map(Symbol::qualifiedName)
                  .filter(q -> !inComponents.contains(q))
                  .distinct()
                  .toList()));
      modules.addAll(componentPages);
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

  /** What a module holds, for a module whose code says nothing of it. */
  private static String apiSentence(List<Symbol> exported, String title) {
    long types = exported.stream().filter(s -> s.kind().isType()).count();
    long functions = exported.stream().filter(s -> s.kind() == SymbolKind.FUNCTION).count();
    List<String> parts = new ArrayList<>();
    if (types > 0) {
      parts.add(types == 1 ? "public type" : Words.count(types, "public type"));
    }
    if (functions > 0) {
      parts.add(functions == 1 ? "public function" : Words.count(functions, "public function"));
    }
    return "The " + String.join(" and ", parts) + " of " + title + ".";
  }

  /** The page of a module: {@code modules/<module>.md}. */
  public static String pagePath(String module) {
    return "modules/" + safe(module.replace('/', '.')) + ".md";
  }

  /**
   * The page of the root module, after its name ({@code modules/cobra.md}); should a directory
   * module have that name too, the root's page is {@code modules/cobra-root.md}.
   */
  private static String rootPagePath(String rootName, Set<String> modules) {
    String path = pagePath(rootName);
    boolean taken = modules.stream().anyMatch(m -> !m.isEmpty() && pagePath(m).equals(path));
    return taken ? path.replaceAll("\\.md$", "-root.md") : path;
  }

  /** The page of a key component: {@code components/<qualified name>.md}. */
  public static String componentPath(String qualifiedName) {
    return "components/" + safe(qualifiedName) + ".md";
  }

  /** A file name the structure schema accepts, whatever characters a directory name has. */
  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static <T> java.util.function.Predicate<T> distinctBy(
      java.util.function.Function<T, String> key) {
    Set<String> seen = new HashSet<>();
    return t -> seen.add(key.apply(t));
  }

  /** Which documented modules each documented module imports from. */
  private static Map<String, List<String>> dependencies(
      Map<String, List<SourceFile>> byModule, List<PagePlan> modules, Set<String> allFiles) {
    Set<String> documented =
        new TreeSet<>(
            modules.stream()
                .filter(p -> p.kind() == PagePlan.Kind.MODULE)
                .map(PagePlan::module)
                .toList());
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
