package dev.autodoc.orchestrator.mcp;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.orchestrator.api.RepositoryAccess;
import dev.autodoc.orchestrator.ask.Answers;
import dev.autodoc.orchestrator.ask.Evidence;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MCP tool {@code ask}, offered only when an LLM endpoint is configured ({@code
 * autodoc.orchestrator.llm.base-url}): a question answered from one repository's documentation and
 * code, or every readable one's, with a citation for every claim ({@link Answers}).
 */
@ApplicationScoped
class AskTool {
  static final int MAX_QUESTION = 2000;

  private final Answers answers;
  private final DocumentationTools tools;
  private final RepositoryPages repositories;

  AskTool(Answers answers, DocumentationTools tools, RepositoryPages repositories) {
    this.answers = answers;
    this.tools = tools;
    this.repositories = repositories;
  }

  Optional<AsyncToolSpecification> specification() {
    if (!answers.enabled()) {
      return Optional.empty();
    }
    return Optional.of(
        Tools.tool(
            "ask",
            "Answers a question from the documentation and code of one repository or every one,"
                + " citing a page section or source lines for every claim. Each answer is checked"
                + " against the code: names and citations that do not resolve are marked"
                + " [unverified: ...]; with nothing relevant found it says there is no evidence.",
            this::ask));
  }

  private Uni<Map<String, Object>> ask(RepositoryAccess access, Map<String, Object> a) {
    String question = Tools.text(a, "question");
    if (question.length() > MAX_QUESTION) {
      throw new Tools.ToolError(
          "'question' must be at most " + MAX_QUESTION + " characters, not " + question.length());
    }
    return tools
        .chosenRepositories(access, a)
        .chain(
            chosen -> {
              List<Uni<Evidence.Searched>> documented = new ArrayList<>();
              for (var r : chosen) {
                documented.add(
                    repositories
                        .documentation(r.id())
                        .map(d -> new Evidence.Searched(r.id(), r.url(), d.commit())));
              }
              Uni<List<Evidence.Searched>> all =
                  documented.isEmpty()
                      ? Uni.createFrom().item(List.of())
                      : Uni.join().all(documented).andFailFast();
              String tag = a.get("repository") == null ? "all" : chosen.getFirst().id();
              return all.chain(list -> answers.ask(list, question, tag));
            })
        .map(AskTool::describe)
        // The model unreachable or refusing is the caller's to know, not a server error.
        .onFailure(AutodocException.class)
        .transform(e -> new Tools.ToolError("no answer: " + e.getMessage()));
  }

  private static Map<String, Object> describe(Answers.Answer answer) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("answer", answer.markdown());
    out.put("verified", answer.verified());
    out.put("evidence", answer.evidence());
    out.put("attempts", answer.attempts());
    out.put(
        "citations",
        answer.citations().stream()
            .map(
                c -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("citation", c.citation());
                  m.put("repository", c.repository());
                  m.put(c.line() == null ? "page" : "file", c.path());
                  if (c.line() == null) {
                    m.put("anchor", c.anchor());
                  } else {
                    m.put("line", c.line());
                    m.put("endLine", c.endLine());
                  }
                  m.put("resolves", c.resolves());
                  return m;
                })
            .toList());
    out.put("unverified", answer.unverified());
    out.put(
        "sources",
        answer.sources().stream()
            .map(
                s -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("citation", s.citation());
                  m.put("repository", s.repository());
                  m.put("kind", s.kind());
                  m.put("commit", s.commit());
                  if (s.score() != null) {
                    m.put("score", s.score());
                  }
                  return m;
                })
            .toList());
    out.put(
        "tokens",
        Map.of("prompt", answer.tokens().prompt(), "completion", answer.tokens().completion()));
    return out;
  }
}
