package dev.autodoc.orchestrator.mcp;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.api.RepositoryAccess;
import dev.autodoc.orchestrator.repository.Freshness;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import dev.autodoc.orchestrator.repository.SymbolIndex;
import dev.autodoc.support.embedding.Embedder;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The documentation as MCP tools: what is documented, the structure of a repository, one page or
 * one of its sections, and search across one repository or all of them. Every tool answers with
 * structured content that its output schema ({@code mcp/*.json}) describes, and with the same as
 * text for clients that read only text. A repository the caller's key may not read is answered as
 * one that does not exist. Failures the caller can fix are tool errors that name what was wrong.
 */
@ApplicationScoped
public class DocumentationTools {
  /** The transport context's key for what the caller may read. */
  static final String ACCESS = "autodoc.access";

  private static final int MAX_RESULTS = 50;

  private final RepositoryPages repositories;
  private final SymbolIndex symbols;
  private final Freshness freshness;
  private final Embedder embedder;

  DocumentationTools(
      RepositoryPages repositories, SymbolIndex symbols, Freshness freshness, Embedder embedder) {
    this.repositories = repositories;
    this.freshness = freshness;
    this.symbols = symbols;
    this.embedder = embedder;
  }

  List<AsyncToolSpecification> specifications() {
    return List.of(
        Tools.tool(
            "list_repositories",
            "Repositories with documentation: the commit their documentation was written from, and"
                + " how many commits their branch has beyond it (freshness).",
            this::listRepositories),
        Tools.tool(
            "read_structure",
            "The scopes and pages of one repository's documentation, with the commit each page"
                + " describes and the commit search holds for it.",
            this::readStructure),
        Tools.tool(
            "read_page",
            "One page of documentation as Markdown, or one section of it (by heading).",
            this::readPage),
        Tools.tool(
            "search_docs",
            "Searches the documentation of one repository, or of every one, by meaning; returns"
                + " page, section, score, text and the commit the text is from.",
            this::searchDocs),
        Tools.tool(
            "find_symbol",
            "Finds a type, function, member or module by exact or near name, in one repository or"
                + " every one: its source file and line range at the documented commit, and the"
                + " page and heading that document it.",
            this::findSymbol));
  }

  private Uni<Map<String, Object>> listRepositories(
      RepositoryAccess access, Map<String, Object> a) {
    return repositories
        .repositories()
        .map(all -> access.filter(all, RepositoryPages.Repository::id))
        .chain(
            visible -> {
              List<Uni<Map<String, Object>>> described = new ArrayList<>();
              for (var repository : visible) {
                described.add(
                    repositories
                        .documentation(repository.id())
                        .chain(
                            d ->
                                freshness
                                    .of(repository.url(), repository.branch(), d.commit())
                                    .map(f -> describe(repository, d, f))));
              }
              return described.isEmpty()
                  ? Uni.createFrom().item(List.<Map<String, Object>>of())
                  : Uni.join().all(described).andFailFast();
            })
        .map(list -> Map.of("repositories", list));
  }

  private static Map<String, Object> describe(
      RepositoryPages.Repository repository,
      RepositoryPages.Documentation documentation,
      Optional<Freshness.Fresh> fresh) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", repository.id());
    out.put("url", repository.url());
    out.put("pages", documentation.pages());
    if (documentation.commit() != null) {
      out.put("documentedCommit", documentation.commit());
      out.put("documentedAt", documentation.writtenAt().toString());
    }
    out.put("branch", repository.branch());
    out.put("branchHead", fresh.map(Freshness.Fresh::head).orElse(null));
    out.put("commitsBehind", fresh.map(Freshness.Fresh::commitsBehind).orElse(null));
    out.put("freshnessCheckedAt", fresh.map(f -> f.checkedAt().toString()).orElse(null));
    out.put("lastJobId", repository.lastJobId());
    out.put("lastJobStatus", repository.lastStatus());
    return out;
  }

  private Uni<Map<String, Object>> readStructure(RepositoryAccess access, Map<String, Object> a) {
    String id = repositoryId(a);
    return existing(access, id)
        .chain(r -> repositories.pages(id))
        .map(
            pages -> {
              Map<String, List<Map<String, Object>>> byScope = new LinkedHashMap<>();
              for (var page : pages) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("path", page.path());
                entry.put("title", page.title());
                entry.put("kind", page.kind());
                entry.put("commit", page.commitSha());
                entry.put("indexedCommit", page.indexedCommit());
                byScope.computeIfAbsent(page.scope(), s -> new ArrayList<>()).add(entry);
              }
              List<Map<String, Object>> scopes = new ArrayList<>();
              byScope.forEach((scope, list) -> scopes.add(Map.of("path", scope, "pages", list)));
              return Map.of("repository", id, "scopes", scopes);
            });
  }

  private Uni<Map<String, Object>> readPage(RepositoryAccess access, Map<String, Object> a) {
    String id = repositoryId(a);
    String path = Tools.text(a, "path");
    Optional<String> section = Tools.optionalText(a, "section");
    return existing(access, id)
        .chain(r -> repositories.page(id, path))
        .map(
            found -> {
              var page =
                  found.orElseThrow(
                      () -> new Tools.ToolError("no page " + path + " in repository " + id));
              String markdown =
                  section.map(s -> Sections.of(page.markdown(), s, path)).orElse(page.markdown());
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("repository", id);
              out.put("path", path);
              out.put("title", page.entry().title());
              out.put("commit", page.entry().commitSha());
              out.put("indexedCommit", page.entry().indexedCommit());
              section.ifPresent(s -> out.put("section", s));
              out.put("markdown", markdown);
              return out;
            });
  }

  private Uni<Map<String, Object>> searchDocs(RepositoryAccess access, Map<String, Object> a) {
    String query = Tools.text(a, "query");
    int limit = limit(a, 5);
    return chosen(access, a)
        .chain(
            ids ->
                Uni.createFrom()
                    // Embedding the query is processor work: off the event loop.
                    .item(() -> embedder.embed(List.of(query)).getFirst())
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .chain(vector -> search(ids, query, vector, limit)));
  }

  /** The {@code limit} argument, from 1 to {@link #MAX_RESULTS}. */
  private static int limit(Map<String, Object> a, int otherwise) {
    int limit = a.get("limit") instanceof Number n ? n.intValue() : otherwise;
    if (limit < 1 || limit > MAX_RESULTS) {
      throw new Tools.ToolError("limit must be from 1 to " + MAX_RESULTS + ", not " + limit);
    }
    return limit;
  }

  /** The repository the arguments name, or every one the caller may read when they name none. */
  Uni<List<RepositoryPages.Repository>> chosenRepositories(
      RepositoryAccess access, Map<String, Object> a) {
    return a.get("repository") == null
        ? repositories.repositories().map(all -> access.filter(all, RepositoryPages.Repository::id))
        : existing(access, repositoryId(a)).map(List::of);
  }

  private Uni<List<String>> chosen(RepositoryAccess access, Map<String, Object> a) {
    return chosenRepositories(access, a)
        .map(list -> list.stream().map(RepositoryPages.Repository::id).toList());
  }

  private Uni<Map<String, Object>> findSymbol(RepositoryAccess access, Map<String, Object> a) {
    String name = Tools.text(a, "name");
    String kind = Tools.optionalText(a, "kind").orElse(null);
    int limit = limit(a, 10);
    return chosen(access, a)
        .chain(
            ids -> {
              List<Uni<List<Map<String, Object>>>> perRepository = new ArrayList<>();
              for (String id : ids) {
                perRepository.add(
                    symbols
                        .find(id, name, kind, limit)
                        .map(found -> found.stream().map(f -> symbol(id, f)).toList()));
              }
              return perRepository.isEmpty()
                  ? Uni.createFrom().item(List.<List<Map<String, Object>>>of())
                  : Uni.join().all(perRepository).andFailFast();
            })
        .map(
            lists -> {
              // Each repository's list is in order; across repositories the better match leads.
              List<Map<String, Object>> all = new ArrayList<>();
              lists.forEach(all::addAll);
              all.sort(
                  Comparator.comparing(
                      (Map<String, Object> m) ->
                          SymbolIndex.Match.valueOf((String) m.get("match"))));
              return Map.of("symbols", all.subList(0, Math.min(limit, all.size())));
            });
  }

  private static Map<String, Object> symbol(String repository, SymbolIndex.Found f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("repository", repository);
    out.put("name", f.name());
    out.put("qualifiedName", f.qualifiedName());
    out.put("kind", f.kind());
    out.put("signature", f.signature());
    out.put("scope", f.scope());
    out.put("file", f.file());
    out.put("line", f.line());
    out.put("endLine", f.endLine());
    out.put("page", f.page());
    out.put("anchor", f.anchor());
    out.put("commit", f.commit());
    out.put("match", f.match().name());
    return out;
  }

  private Uni<Map<String, Object>> search(
      List<String> ids, String query, float[] vector, int limit) {
    List<Uni<Long>> pending = ids.stream().map(repositories::pendingPages).toList();
    return repositories
        .search(ids, query, vector, embedder.model(), embedder.version(), limit)
        .chain(
            hits ->
                (pending.isEmpty()
                        ? Uni.createFrom().item(List.<Long>of())
                        : Uni.join().all(pending).andFailFast())
                    .map(
                        counts ->
                            Map.of(
                                "results",
                                hits.stream().map(h -> hit(h.repository(), h.hit())).toList(),
                                "pendingPages",
                                counts.stream().mapToLong(Long::longValue).sum())));
  }

  private static Map<String, Object> hit(String repository, RepositoryPages.SearchHit h) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("repository", repository);
    out.put("page", h.page());
    out.put("scope", h.scope());
    out.put("section", h.heading());
    out.put("score", h.score());
    out.put("text", h.snippet());
    out.put("commit", h.commit());
    return out;
  }

  /**
   * The repository, or a tool error saying it does not exist (as for a key that may not read it).
   */
  private Uni<RepositoryPages.Repository> existing(RepositoryAccess access, String id) {
    Uni<Optional<RepositoryPages.Repository>> found =
        access.reads(id) ? repositories.repository(id) : Uni.createFrom().item(Optional.empty());
    return found.map(
        r ->
            r.orElseThrow(
                () ->
                    new Tools.ToolError(
                        "no repository "
                            + id
                            + " (list_repositories names the ones with documentation)")));
  }

  /** The repository argument, by id or by the URL jobs name it with. */
  private static String repositoryId(Map<String, Object> arguments) {
    String given = Tools.text(arguments, "repository");
    if (given.contains("/") || given.contains(":")) {
      try {
        return RepositoryRef.parse(given).id();
      } catch (AutodocException e) {
        throw new Tools.ToolError(e.getMessage());
      }
    }
    return given;
  }
}
