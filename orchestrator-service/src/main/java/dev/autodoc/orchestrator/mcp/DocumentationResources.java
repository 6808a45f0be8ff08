package dev.autodoc.orchestrator.mcp;

import dev.autodoc.orchestrator.api.RepositoryAccess;
import dev.autodoc.orchestrator.repository.LlmsText;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * The documentation as MCP resources: each repository's llms.txt index ({@value #INDEX}) and each
 * page ({@value #PAGE}), as Markdown. {@code resources/list} names every one the caller's key may
 * read, {@value #PAGE_SIZE} at a time with a cursor; the two templates read any of them. The list
 * is made per request ({@link McpEndpoint} answers it), as the SDK's list is fixed when the server
 * starts and the documentation is not. A resource the key may not read does not exist.
 */
@ApplicationScoped
public class DocumentationResources {
  static final String INDEX = "autodoc://repositories/{repository}/llms.txt";
  static final String PAGE = "autodoc://repositories/{repository}/pages/{+path}";
  static final int PAGE_SIZE = 200;
  private static final String MARKDOWN = "text/markdown";

  private final RepositoryPages repositories;
  private final UriTemplates templates = new UriTemplates();

  DocumentationResources(RepositoryPages repositories) {
    this.repositories = repositories;
  }

  UriTemplates uriTemplates() {
    return templates;
  }

  List<AsyncResourceTemplateSpecification> specifications() {
    return List.of(
        template(
            INDEX,
            "llms.txt",
            "A repository's documentation as an llms.txt index: its scopes and pages, each a"
                + " link to the page's resource.",
            (access, variables) -> index(access, variables.get("repository"))),
        template(
            PAGE,
            "page",
            "One page of a repository's documentation, as Markdown.",
            (access, variables) ->
                page(access, variables.get("repository"), variables.get("path"))));
  }

  /**
   * Every resource the caller may read, from the cursor on. Each repository's number of resources
   * (its pages and its llms.txt) is one count; only the repositories this part of the list reaches
   * have their pages read.
   */
  Uni<McpSchema.ListResourcesResult> list(RepositoryAccess access, String cursor) {
    int from = offset(cursor);
    int until = from + PAGE_SIZE;
    return repositories
        .repositories()
        .map(
            all ->
                access.filter(all, RepositoryPages.Repository::id).stream()
                    .sorted(Comparator.comparing(RepositoryPages.Repository::id))
                    .toList())
        .chain(
            visible -> {
              List<Uni<Long>> counts =
                  visible.stream()
                      .map(
                          r ->
                              repositories
                                  .documentation(r.id())
                                  .map(d -> d.pages() == 0 ? 0L : d.pages() + 1))
                      .toList();
              return (counts.isEmpty()
                      ? Uni.createFrom().item(List.<Long>of())
                      : Uni.join().all(counts).andFailFast())
                  .chain(sizes -> window(visible, sizes, from, until));
            });
  }

  private Uni<McpSchema.ListResourcesResult> window(
      List<RepositoryPages.Repository> visible, List<Long> sizes, int from, int until) {
    int[][] parts = reach(sizes, from, until);
    List<Uni<List<McpSchema.Resource>>> reached = new ArrayList<>();
    for (int i = 0; i < visible.size(); i++) {
      var repository = visible.get(i);
      int[] part = parts[i];
      if (part != null) {
        reached.add(
            repositories
                .pages(repository.id())
                .map(
                    pages -> {
                      // The pages may have changed since they were counted: clamp.
                      var all = resources(repository, pages);
                      int a = Math.min(all.size(), part[0]);
                      return all.subList(a, Math.max(a, Math.min(all.size(), part[1])));
                    }));
      }
    }
    long total = sizes.stream().mapToLong(Long::longValue).sum();
    return (reached.isEmpty()
            ? Uni.createFrom().item(List.<List<McpSchema.Resource>>of())
            : Uni.join().all(reached).andFailFast())
        .map(
            lists -> {
              List<McpSchema.Resource> listed = new ArrayList<>();
              lists.forEach(listed::addAll);
              return new McpSchema.ListResourcesResult(
                  listed, until < total ? cursor(until) : null);
            });
  }

  /**
   * Which of each repository's resources, laid end to end in the list, fall in {@code [from,
   * until)}: for each, its first and past-last index, or null when none does.
   */
  static int[][] reach(List<Long> sizes, int from, int until) {
    int[][] parts = new int[sizes.size()][];
    long start = 0;
    for (int i = 0; i < sizes.size(); i++) {
      long size = sizes.get(i);
      if (size > 0 && start < until && start + size > from) {
        parts[i] = new int[] {(int) Math.max(0, from - start), (int) Math.min(size, until - start)};
      }
      start += size;
    }
    return parts;
  }

  private static List<McpSchema.Resource> resources(
      RepositoryPages.Repository repository, List<RepositoryPages.PageEntry> pages) {
    List<McpSchema.Resource> out = new ArrayList<>();
    if (pages.isEmpty()) {
      return out;
    }
    out.add(
        McpSchema.Resource.builder(indexUri(repository.id()), "llms.txt")
            .title(LlmsText.name(repository.url()) + ": llms.txt")
            .description("The index of " + repository.url() + "'s documentation.")
            .mimeType(MARKDOWN)
            .build());
    for (var page : pages) {
      out.add(
          McpSchema.Resource.builder(pageUri(repository.id(), page.path()), page.path())
              .title(page.title())
              .description(
                  LlmsText.name(repository.url())
                      + (page.scope().isEmpty() ? "" : ", scope " + page.scope())
                      + ", commit "
                      + page.commitSha())
              .mimeType(MARKDOWN)
              .build());
    }
    return out;
  }

  private Uni<McpSchema.ReadResourceResult> index(RepositoryAccess access, String id) {
    String uri = indexUri(id);
    return readable(access, id, uri)
        .chain(
            repository ->
                Uni.combine()
                    .all()
                    .unis(repositories.contents(id), repositories.documentation(id))
                    .asTuple()
                    .map(both -> Map.entry(repository, both)))
        .map(
            found -> {
              var pages = found.getValue().getItem1();
              if (pages.isEmpty()) {
                throw notFound(uri);
              }
              List<LlmsText.Entry> entries = LlmsText.entries(pages, path -> pageUri(id, path));
              String text =
                  LlmsText.index(
                      LlmsText.name(found.getKey().url()),
                      LlmsText.about(
                          found.getKey(), pages.size(), found.getValue().getItem2().commit()),
                      entries);
              return result(uri, text);
            });
  }

  private Uni<McpSchema.ReadResourceResult> page(RepositoryAccess access, String id, String path) {
    String uri = pageUri(id, path);
    return readable(access, id, uri)
        .chain(r -> repositories.page(id, path))
        .map(found -> result(uri, found.orElseThrow(() -> notFound(uri)).markdown()));
  }

  private Uni<RepositoryPages.Repository> readable(RepositoryAccess access, String id, String uri) {
    Uni<Optional<RepositoryPages.Repository>> found =
        id != null && access.reads(id)
            ? repositories.repository(id)
            : Uni.createFrom().item(Optional.empty());
    return found.map(r -> r.orElseThrow(() -> notFound(uri)));
  }

  private static McpSchema.ReadResourceResult result(String uri, String markdown) {
    return new McpSchema.ReadResourceResult(
        List.of(new McpSchema.TextResourceContents(uri, MARKDOWN, markdown, null)), null);
  }

  private static McpError notFound(String uri) {
    return McpError.RESOURCE_NOT_FOUND.apply(uri);
  }

  static String indexUri(String repository) {
    return "autodoc://repositories/" + encode(repository) + "/llms.txt";
  }

  static String pageUri(String repository, String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      segments.add(encode(segment));
    }
    return "autodoc://repositories/" + encode(repository) + "/pages/" + String.join("/", segments);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String cursor(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("" + offset).getBytes());
  }

  /** The offset a cursor stands for; a cursor this server did not give is a mistake. */
  private static int offset(String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor)));
      if (offset >= 0) {
        return offset;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw new McpError(
        new McpSchema.JSONRPCResponse.JSONRPCError(
            McpSchema.ErrorCodes.INVALID_PARAMS, "not a cursor this server gave: " + cursor, null));
  }

  private interface Reader {
    Uni<McpSchema.ReadResourceResult> read(RepositoryAccess access, Map<String, String> variables);
  }

  private AsyncResourceTemplateSpecification template(
      String uriTemplate, String name, String description, Reader reader) {
    var manager = templates.create(uriTemplate);
    BiFunction<
            McpTransportContext, McpSchema.ReadResourceRequest, Mono<McpSchema.ReadResourceResult>>
        read =
            (context, request) -> {
              RepositoryAccess access = Tools.access(context);
              Uni<McpSchema.ReadResourceResult> result =
                  Uni.createFrom()
                      .deferred(
                          () -> reader.read(access, manager.extractVariableValues(request.uri())));
              return Mono.fromCompletionStage(result::subscribeAsCompletionStage);
            };
    return new AsyncResourceTemplateSpecification(
        McpSchema.ResourceTemplate.builder(uriTemplate, name)
            .description(description)
            .mimeType(MARKDOWN)
            .build(),
        read);
  }
}
