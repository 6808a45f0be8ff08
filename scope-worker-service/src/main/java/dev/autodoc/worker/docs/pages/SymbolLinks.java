package dev.autodoc.worker.docs.pages;

import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each documented symbol can be read: its page and the anchor of the heading it is listed
 * under (its own, its type's, or "Functions and constants"). A name that several symbols share
 * resolves as the languages resolve it, to the nearest: the one declared in the file the text comes
 * from, else the one whose file shares the longest directory path with it; a tie links nothing.
 */
final class SymbolLinks {
  private record Target(String qualifiedName, String file, String href) {}

  private final Map<String, List<Target>> byName = new HashMap<>();
  private final Map<String, String> hrefs = new HashMap<>();

  SymbolLinks(DocContext context) {
    for (PagePlan page : context.structure().pages()) {
      List<Symbol> owned = context.symbolsOf(page);
      // The headings before and among the types, in the order StaticPageGenerator writes them.
      var ids = DocContext.anchors();
      ids.generateId(
          page.kind() == PagePlan.Kind.COMPONENT ? page.title() : "Module " + page.title());
      ids.generateId("Overview");
      ids.generateId("API");
      Map<String, String> typeAnchors = new HashMap<>();
      owned.stream()
          .filter(s -> s.kind().isType())
          .forEach(
              t ->
                  typeAnchors.putIfAbsent(
                      t.qualifiedName(), ids.generateId(context.typeHeading(page, t))));
      String functions = ids.generateId("Functions and constants");
      for (Symbol s : owned) {
        String anchor =
            typeAnchors.getOrDefault(
                s.kind().isType() ? s.qualifiedName() : s.container(), functions);
        hrefs.putIfAbsent(s.qualifiedName(), page.path() + "#" + anchor);
      }
    }
    Map<String, Boolean> added = new HashMap<>();
    for (Symbol s : context.symbols()) {
      String href = hrefs.get(s.qualifiedName());
      if (href != null && added.putIfAbsent(s.qualifiedName(), true) == null) {
        for (String name : s.names()) {
          byName
              .computeIfAbsent(name, k -> new ArrayList<>())
              .add(new Target(s.qualifiedName(), s.file(), href));
        }
      }
    }
  }

  /** {@code page.md#anchor} of the heading a symbol is listed under, by its qualified name. */
  Optional<String> href(String qualifiedName) {
    return Optional.ofNullable(hrefs.get(qualifiedName));
  }

  /** {@code page.md#anchor} of the symbol a name refers to, seen from a file (or from nowhere). */
  Optional<String> find(String name, String origin) {
    List<Target> candidates = byName.getOrDefault(name, List.of());
    if (candidates.size() == 1) {
      return Optional.of(candidates.getFirst().href());
    }
    if (candidates.isEmpty() || origin == null) {
      return Optional.empty();
    }
    int best = -1;
    Target nearest = null;
    boolean tie = false;
    for (Target candidate : candidates) {
      int closeness = closeness(candidate.file(), origin);
      if (closeness > best) {
        best = closeness;
        nearest = candidate;
        tie = false;
      } else if (closeness == best) {
        tie = true;
      }
    }
    return tie ? Optional.empty() : Optional.of(nearest.href());
  }

  /** The same file beats any directory; otherwise, how many leading directories two paths share. */
  private static int closeness(String file, String origin) {
    if (file.equals(origin)) {
      return Integer.MAX_VALUE;
    }
    String[] a = file.split("/");
    String[] b = origin.split("/");
    int shared = 0;
    while (shared < a.length - 1 && shared < b.length - 1 && a[shared].equals(b[shared])) {
      shared++;
    }
    return shared;
  }
}
