package dev.autodoc.orchestrator.ask;

import dev.autodoc.common.quality.CodeIdentifiers;
import dev.autodoc.orchestrator.mcp.Sections;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import dev.autodoc.orchestrator.repository.SourceFiles;
import dev.autodoc.orchestrator.repository.SymbolIndex;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.parser.Parser;

/**
 * Checks an answer against the code before it is returned, with the quality loop's checks: every
 * identifier in a code span names a symbol (or file) of a searched repository ({@link
 * CodeIdentifiers}), every citation resolves (a page section the page has; source lines the file
 * has at the documented commit), and every claim cites something.
 */
@ApplicationScoped
class AnswerCheck {
  private static final Parser PARSER = Parser.builder().build();

  private final RepositoryPages repositories;
  private final SymbolIndex symbols;
  private final SourceFiles files;

  AnswerCheck(RepositoryPages repositories, SymbolIndex symbols, SourceFiles files) {
    this.repositories = repositories;
    this.symbols = symbols;
    this.files = files;
  }

  /**
   * What failed: a message for the model's retry, the text of the answer it is about, and the note
   * that marks that text when the answer is returned unverified.
   */
  record Finding(String message, String text, String note) {}

  /** The findings, and each citation with whether it resolved. */
  record Result(List<Finding> findings, List<Map.Entry<Citations.Citation, Boolean>> citations) {
    boolean passed() {
      return findings.isEmpty();
    }
  }

  Uni<Result> check(String answer, List<Evidence.Searched> searched) {
    Map<String, Evidence.Searched> byId =
        searched.stream()
            .filter(s -> s.commit() != null)
            .collect(Collectors.toMap(Evidence.Searched::id, Function.identity()));
    List<Finding> findings = new ArrayList<>();
    for (var claim : Citations.claims(answer)) {
      if (!claim.cited()) {
        findings.add(
            new Finding(
                "claim without a citation: \"" + claim.text() + "\"",
                claim.text(),
                "[unverified: no citation]"));
      }
    }
    List<Citations.Citation> cited = Citations.in(answer);
    List<Uni<Optional<String>>> problems =
        cited.stream().map(c -> problem(c, byId.get(c.repository()))).toList();
    Uni<List<Optional<String>>> resolved =
        problems.isEmpty()
            ? Uni.createFrom().item(List.of())
            : Uni.join().all(problems).andFailFast();
    return resolved.chain(
        citationProblems ->
            identifiers(answer, byId.values())
                .map(
                    unknown -> {
                      // Uncited sentences first: they are marked whole, before marks inside them.
                      List<Finding> all = new ArrayList<>(findings);
                      List<Map.Entry<Citations.Citation, Boolean>> citations = new ArrayList<>();
                      for (int i = 0; i < cited.size(); i++) {
                        var c = cited.get(i);
                        citations.add(Map.entry(c, citationProblems.get(i).isEmpty()));
                        citationProblems
                            .get(i)
                            .ifPresent(
                                p ->
                                    all.add(
                                        new Finding(
                                            "citation " + c.text() + ": " + p,
                                            c.text(),
                                            "[unverified: " + p + "]")));
                      }
                      for (String name : unknown) {
                        all.add(
                            new Finding(
                                CodeIdentifiers.finding(name) + " in the searched code",
                                "`" + name + "`",
                                "[unverified: not in the code]"));
                      }
                      return new Result(all, citations);
                    }));
  }

  /** Why a citation does not resolve, or empty when it does. */
  private Uni<Optional<String>> problem(Citations.Citation c, Evidence.Searched repository) {
    if (repository == null) {
      return Uni.createFrom()
          .item(Optional.of("repository " + c.repository() + " was not searched for this answer"));
    }
    if (!c.code()) {
      return repositories
          .page(repository.id(), c.path())
          .map(
              page -> {
                if (page.isEmpty()) {
                  return Optional.of("no page " + c.path());
                }
                List<String> anchors =
                    Sections.of(page.get().markdown()).stream()
                        .map(Sections.Section::anchor)
                        .toList();
                return anchors.contains(c.anchor())
                    ? Optional.<String>empty()
                    : Optional.of("page " + c.path() + " has no section #" + c.anchor());
              });
    }
    String commit = repository.commit().substring(0, Math.min(12, repository.commit().length()));
    return files
        .lines(repository.url(), repository.commit(), c.path())
        .map(
            lines -> {
              if (lines.isEmpty()) {
                return Optional.of("no text file " + c.path() + " at commit " + commit);
              }
              int count = lines.get().size();
              if (c.line() < 1 || c.endLine() < c.line()) {
                return Optional.of("lines " + c.line() + "-" + c.endLine() + " are not a range");
              }
              if (c.endLine() > count) {
                return Optional.of(
                    c.path()
                        + " has "
                        + count
                        + " lines at commit "
                        + commit
                        + ", not "
                        + c.endLine());
              }
              return Optional.<String>empty();
            });
  }

  /**
   * The identifiers of the answer's code spans that name nothing in any searched repository: no
   * symbol, and no file (a span may name one, as {@code Ledger.java}).
   */
  private Uni<List<String>> identifiers(
      String answer, java.util.Collection<Evidence.Searched> searched) {
    List<String> spans = new ArrayList<>();
    PARSER
        .parse(answer)
        .accept(
            new AbstractVisitor() {
              @Override
              public void visit(Code code) {
                spans.add(code.getLiteral());
              }
            });
    List<String> identifiers = CodeIdentifiers.of(spans);
    if (identifiers.isEmpty() || searched.isEmpty()) {
      return Uni.createFrom().item(identifiers.stream().distinct().toList());
    }
    List<Uni<Set<String>>> known = new ArrayList<>();
    for (var repository : searched) {
      known.add(symbols.known(repository.id(), identifiers));
      known.add(
          files
              .paths(repository.url(), repository.commit())
              .map(
                  paths -> {
                    Set<String> named = new HashSet<>();
                    for (String path : paths) {
                      String file = path.substring(path.lastIndexOf('/') + 1);
                      if (identifiers.contains(file)) {
                        named.add(file);
                      }
                      if (identifiers.contains(path)) {
                        named.add(path);
                      }
                    }
                    return (Set<String>) named;
                  }));
    }
    return Uni.join()
        .all(known)
        .andFailFast()
        .map(
            sets -> {
              Set<String> all = new HashSet<>();
              sets.forEach(all::addAll);
              return CodeIdentifiers.check(spans, all::contains).unknown();
            });
  }
}
