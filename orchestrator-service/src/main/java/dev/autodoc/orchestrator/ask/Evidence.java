package dev.autodoc.orchestrator.ask;

import dev.autodoc.common.quality.CodeIdentifiers;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.mcp.Sections;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import dev.autodoc.orchestrator.repository.SourceFiles;
import dev.autodoc.orchestrator.repository.SymbolIndex;
import dev.autodoc.support.embedding.Embedder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ask} answers from: the page sections search ranks nearest the question (those at
 * least {@code ask.min-score} alike), and the code of the symbols the question names (exact matches
 * in the symbol index, their lines read from the repository at the documented commit). Each source
 * carries the citation an answer must use for it.
 */
@ApplicationScoped
public class Evidence {
  /** Longest text of one source given to the model; a longer section is cut. */
  static final int MAX_SOURCE_CHARS = 4000;

  private static final int MAX_CODE_LINES = 80;
  private static final int MAX_NAMES = 5;
  private static final Pattern NAME =
      Pattern.compile("`([^`]+)`|[A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*");

  private final RepositoryPages repositories;
  private final SymbolIndex symbols;
  private final SourceFiles files;
  private final Embedder embedder;
  private final OrchestratorConfig.Ask settings;

  Evidence(
      RepositoryPages repositories,
      SymbolIndex symbols,
      SourceFiles files,
      Embedder embedder,
      OrchestratorConfig config) {
    this.repositories = repositories;
    this.symbols = symbols;
    this.files = files;
    this.embedder = embedder;
    this.settings = config.ask();
  }

  /** A repository as a question searches it: its documented commit, or null if it has none. */
  public record Searched(String id, String url, String commit) {}

  /** One source: its citation, what it is, where it is, and its text. */
  public record Source(
      String citation,
      String repository,
      String kind,
      String path,
      String anchor,
      Integer line,
      Integer endLine,
      String commit,
      Double score,
      String text) {}

  Uni<List<Source>> gather(List<Searched> searched, String question) {
    List<Searched> documented = searched.stream().filter(s -> s.commit() != null).toList();
    if (documented.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return pages(documented, question)
        .chain(
            pages ->
                code(documented, question)
                    .map(
                        code -> {
                          List<Source> all = new ArrayList<>(code);
                          all.addAll(pages);
                          return all;
                        }));
  }

  private Uni<List<Source>> pages(List<Searched> searched, String question) {
    List<String> ids = searched.stream().map(Searched::id).toList();
    return Uni.createFrom()
        // Embedding the question is processor work: off the event loop.
        .item(() -> embedder.embed(List.of(question)).getFirst())
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            vector ->
                repositories.search(
                    ids,
                    question,
                    vector,
                    embedder.model(),
                    embedder.version(),
                    settings.sources()))
        .chain(
            hits -> {
              List<Uni<Optional<Source>>> sections = new ArrayList<>();
              Set<String> seen = new LinkedHashSet<>();
              for (var h : hits) {
                if (h.hit().score() >= settings.minScore()
                    && seen.add(
                        h.repository() + "\n" + h.hit().page() + "\n" + h.hit().heading())) {
                  sections.add(section(h));
                }
              }
              return sections.isEmpty()
                  ? Uni.createFrom().item(List.<Source>of())
                  : Uni.join()
                      .all(sections)
                      .andFailFast()
                      .map(found -> found.stream().flatMap(Optional::stream).toList());
            });
  }

  /** The section a hit's chunk sits in, cited by its heading's anchor. */
  private Uni<Optional<Source>> section(RepositoryPages.RepositoryHit h) {
    return repositories
        .page(h.repository(), h.hit().page())
        .map(
            page ->
                page.flatMap(
                    p -> {
                      List<Sections.Section> sections = Sections.of(p.markdown());
                      Optional<Sections.Section> match =
                          sections.stream()
                              .filter(s -> s.heading().replace("`", "").equals(h.hit().heading()))
                              .findFirst()
                              .or(() -> sections.stream().findFirst());
                      return match.map(
                          s ->
                              new Source(
                                  Citations.Citation.page(
                                      h.repository(), h.hit().page(), s.anchor()),
                                  h.repository(),
                                  "page",
                                  h.hit().page(),
                                  s.anchor(),
                                  null,
                                  null,
                                  h.hit().commit(),
                                  h.hit().score(),
                                  cut(s.text())));
                    }));
  }

  /** The code of each symbol the question names exactly, at the documented commit. */
  private Uni<List<Source>> code(List<Searched> searched, String question) {
    List<String> names = names(question);
    List<Uni<List<Source>>> each = new ArrayList<>();
    for (Searched repository : searched) {
      for (String name : names) {
        each.add(
            symbols
                .find(repository.id(), name, null, 2)
                .chain(
                    found -> {
                      List<Uni<Optional<Source>>> read = new ArrayList<>();
                      for (var f : found) {
                        if (f.match() == SymbolIndex.Match.EXACT && f.line() != null) {
                          read.add(lines(repository, f));
                        }
                      }
                      return read.isEmpty()
                          ? Uni.createFrom().item(List.<Source>of())
                          : Uni.join()
                              .all(read)
                              .andFailFast()
                              .map(r -> r.stream().flatMap(Optional::stream).toList());
                    }));
      }
    }
    if (each.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return Uni.join()
        .all(each)
        .andFailFast()
        .map(
            lists -> {
              Map<String, Source> distinct = new LinkedHashMap<>();
              lists.stream()
                  .flatMap(List::stream)
                  .forEach(s -> distinct.putIfAbsent(s.citation(), s));
              return List.copyOf(distinct.values());
            });
  }

  private Uni<Optional<Source>> lines(Searched repository, SymbolIndex.Found f) {
    return files
        .lines(repository.url(), repository.commit(), f.file())
        .map(
            text ->
                text.filter(l -> f.line() >= 1 && f.line() <= l.size())
                    .map(
                        l -> {
                          int end =
                              Math.min(
                                  l.size(), Math.min(f.endLine(), f.line() + MAX_CODE_LINES - 1));
                          var numbered = new StringBuilder();
                          for (int i = f.line(); i <= end; i++) {
                            numbered.append(i).append(": ").append(l.get(i - 1)).append('\n');
                          }
                          return new Source(
                              Citations.Citation.code(repository.id(), f.file(), f.line(), end),
                              repository.id(),
                              "code",
                              f.file(),
                              null,
                              f.line(),
                              end,
                              repository.commit(),
                              null,
                              cut(numbered.toString()));
                        }));
  }

  /**
   * The names of code a question mentions: in backticks, or written as code is (a dot, an
   * underscore, a capital inside the word, or a capital not opening the question).
   */
  static List<String> names(String question) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = NAME.matcher(question);
    boolean first = true;
    while (m.find() && names.size() < MAX_NAMES) {
      String quoted = m.group(1);
      String word = quoted != null ? quoted.strip().replaceAll("\\(\\)$", "") : m.group();
      boolean codeLike =
          quoted != null
              || word.contains(".")
              || word.contains("_")
              || word.substring(1).chars().anyMatch(Character::isUpperCase)
              || (!first && Character.isUpperCase(word.charAt(0)));
      if (codeLike && CodeIdentifiers.isIdentifier(word)) {
        names.add(word);
      }
      first = false;
    }
    return List.copyOf(names);
  }

  private static String cut(String text) {
    return text.length() <= MAX_SOURCE_CHARS ? text : text.substring(0, MAX_SOURCE_CHARS) + "…\n";
  }
}
