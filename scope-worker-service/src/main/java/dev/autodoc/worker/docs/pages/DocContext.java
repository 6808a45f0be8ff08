package dev.autodoc.worker.docs.pages;

import dev.autodoc.worker.docs.structure.DocStructure;
import dev.autodoc.worker.docs.structure.PagePlan;
import dev.autodoc.worker.docs.symbols.Declarations;
import dev.autodoc.worker.docs.symbols.SourceFile;
import dev.autodoc.worker.docs.symbols.Symbol;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What page generation and scoring know about a scope: its structure, every declaration, every
 * file, and where pages live relative to the scope (for links to sources). The indexes every page
 * needs (known names, symbols by qualified name) are built once here: scoring each page against a
 * freshly built index made page generation quadratic in the size of the scope.
 */
public final class DocContext {
  private static final java.util.regex.Pattern CODE_SPAN =
      java.util.regex.Pattern.compile("(`+)([^`\\n]+)\\1");
  private final DocStructure structure;
  private final List<SourceFile> sources;
  private final Set<String> files;
  private final String pagesDir;
  private final String purpose;
  private final List<Symbol> symbols;
  private final Set<String> knownNames;
  private final Map<String, List<Symbol>> byQualifiedName;
  private final Map<String, String> languages = new HashMap<>();
  private final Map<String, String> fileSummaries = new HashMap<>();
  private SymbolLinks links;

  /**
   * @param pagesDir the scope-relative directory pages are written to ({@code docs/autodoc})
   */
  public DocContext(
      DocStructure structure,
      List<SourceFile> sources,
      Set<String> files,
      String pagesDir,
      String purpose) {
    this.structure = structure;
    this.sources = List.copyOf(sources);
    this.files = Set.copyOf(files);
    this.pagesDir = pagesDir;
    this.purpose = purpose;
    this.symbols = Declarations.of(this.sources);
    Set<String> names = new HashSet<>();
    Map<String, List<Symbol>> byName = new HashMap<>();
    for (Symbol s : symbols) {
      names.addAll(s.names());
      int dot = s.container().lastIndexOf('.');
      names.add((dot < 0 ? s.container() : s.container().substring(dot + 1)) + "." + s.name());
      byName.computeIfAbsent(s.qualifiedName(), k -> new java.util.ArrayList<>()).add(s);
    }
    for (SourceFile source : this.sources) {
      names.add(source.module());
      // As a page shows a module named with control characters in its code.
      names.add(Markdown.visible(source.module()));
    }
    // Modules are named on pages by their page's title: the root module by its package's name.
    structure.pages().stream()
        .filter(p -> p.kind() == PagePlan.Kind.MODULE)
        .forEach(p -> names.add(p.title()));
    this.sources.forEach(s -> languages.put(s.path(), s.language()));
    this.sources.forEach(s -> fileSummaries.put(s.path(), s.summary()));
    this.knownNames = Set.copyOf(names);
    this.byQualifiedName = byName;
  }

  /** The same scope under another structure (the one the LLM planned). */
  public DocContext withStructure(DocStructure other) {
    return new DocContext(other, sources, files, pagesDir, purpose);
  }

  public DocStructure structure() {
    return structure;
  }

  public List<SourceFile> sources() {
    return sources;
  }

  public Set<String> files() {
    return files;
  }

  public String pagesDir() {
    return pagesDir;
  }

  public String purpose() {
    return purpose;
  }

  public List<Symbol> symbols() {
    return symbols;
  }

  /**
   * Every name a page may mention as code: symbols (simple, qualified, Type.member) and modules.
   */
  public Set<String> knownNames() {
    return knownNames;
  }

  /**
   * Text from the code's comments or README made fit for a page: code spans that name nothing
   * declared in the scope (a parameter, a literal, another library's type) keep their words but
   * lose the code formatting, so that every code span on a page is a name the code declares.
   */
  public String prose(String text) {
    return CODE_SPAN
        .matcher(text)
        .replaceAll(
            m ->
                java.util.regex.Matcher.quoteReplacement(
                    knownNames.contains(m.group(2)) ? m.group() : m.group(2)));
  }

  /**
   * {@link #prose(String)} for a page: in addition, a code span naming a documented symbol links to
   * the heading it is documented under ({@link SymbolLinks}); {@code origin} is the file the text
   * comes from, which decides between same-named symbols, null when it is none.
   */
  public String prose(PagePlan from, String origin, String text) {
    SymbolLinks links = links();
    return CODE_SPAN
        .matcher(text)
        .replaceAll(
            m -> {
              String name = m.group(2);
              if (!knownNames.contains(name)) {
                return java.util.regex.Matcher.quoteReplacement(name);
              }
              boolean inLink = m.start() > 0 && text.charAt(m.start() - 1) == '[';
              var target = inLink ? java.util.Optional.<String>empty() : links.find(name, origin);
              if (target.isEmpty()) {
                return java.util.regex.Matcher.quoteReplacement(m.group());
              }
              String path = target.get().substring(0, target.get().indexOf('#'));
              String href =
                  (path.equals(from.path()) ? "" : link(from, path, true))
                      + target.get().substring(path.length());
              return java.util.regex.Matcher.quoteReplacement("[" + m.group() + "](" + href + ")");
            });
  }

  /**
   * Where a symbol is documented, as {@code page.md#anchor} under the pages directory: the heading
   * the static layout lists it under (a page the model wrote may not have that heading).
   */
  public java.util.Optional<String> documentedAt(String qualifiedName) {
    return links().href(qualifiedName);
  }

  private synchronized SymbolLinks links() {
    if (links == null) {
      links = new SymbolLinks(this);
    }
    return links;
  }

  /**
   * The heading a type has on a page: its simple name, or, when another type of the page has that
   * name too, its name qualified within the page's module ({@code core.Option}).
   */
  public String typeHeading(PagePlan page, Symbol type) {
    boolean shared =
        symbolsOf(page).stream()
            .anyMatch(
                s ->
                    s.kind().isType()
                        && s.name().equals(type.name())
                        && !s.qualifiedName().equals(type.qualifiedName()));
    return shared ? ApiSection.qualifiedWithin(type, page.module()) : type.name();
  }

  /**
   * The anchors a page's headings get, in order, as GitHub and the page view give them: lower case,
   * punctuation dropped, a repeated one numbered ({@code options}, {@code options-1}).
   */
  public static org.commonmark.ext.heading.anchor.IdGenerator anchors() {
    return org.commonmark.ext.heading.anchor.IdGenerator.builder().build();
  }

  /** The language a parsed file was read as, for code fences; empty for other files. */
  public String languageOf(String path) {
    return languages.getOrDefault(path, "");
  }

  /** What a parsed file says of itself first (its docstring or header); empty when nothing. */
  public String fileSummary(String path) {
    return fileSummaries.getOrDefault(path, "");
  }

  /** The symbols a page owns, in the order they were declared. */
  public List<Symbol> symbolsOf(PagePlan page) {
    return page.ownedSymbols().stream()
        .flatMap(q -> byQualifiedName.getOrDefault(q, List.of()).stream())
        .toList();
  }

  /** The link from a page to the line of the code where a symbol is declared. */
  public String sourceLink(PagePlan from, Symbol symbol) {
    return link(from, symbol.file(), false) + "#L" + symbol.line();
  }

  /**
   * The link from a page to a scope-relative path (a source file or another page), percent-encoded:
   * a file name may hold spaces, brackets or newlines.
   */
  public String link(PagePlan from, String target, boolean toPage) {
    int up = toPage ? segments(from.path()) - 1 : segments(pagesDir) + segments(from.path()) - 1;
    return "../".repeat(Math.max(0, up)) + Markdown.url(target);
  }

  private static int segments(String path) {
    return path.isEmpty() ? 0 : path.split("/").length;
  }
}
