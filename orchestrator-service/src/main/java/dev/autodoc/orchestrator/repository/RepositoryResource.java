package dev.autodoc.orchestrator.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.input.TextLimits;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.api.ApiKeyAuthentication;
import dev.autodoc.orchestrator.api.BodyFields;
import dev.autodoc.orchestrator.api.Problem;
import dev.autodoc.orchestrator.api.RepositoryAccess;
import dev.autodoc.orchestrator.job.JobRequestValidator;
import dev.autodoc.orchestrator.job.JobRequestValidator.FieldProblem;
import dev.autodoc.support.schedule.CronSchedule;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Repositories and their documentation over REST. */
@Path("/api/v1/repositories")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(ApiKeyAuthentication.READER)
public class RepositoryResource {
  static final String MARKDOWN = "text/markdown";

  private static final Set<String> SCHEDULE_FIELDS = Set.of("cron", "timeZone", "branch");

  private final RepositoryPages repositories;
  private final RepositorySchedules schedules;
  private final SymbolIndex symbolIndex;
  private final dev.autodoc.support.embedding.Embedder embedder;
  private final OrchestratorConfig config;
  private final SecurityIdentity identity;

  RepositoryResource(
      RepositoryPages repositories,
      RepositorySchedules schedules,
      SymbolIndex symbolIndex,
      dev.autodoc.support.embedding.Embedder embedder,
      OrchestratorConfig config,
      SecurityIdentity identity) {
    this.config = config;
    this.identity = identity;
    this.repositories = repositories;
    this.schedules = schedules;
    this.symbolIndex = symbolIndex;
    this.embedder = embedder;
  }

  @GET
  public Uni<List<RepositoryPages.Repository>> list() {
    RepositoryAccess access = RepositoryAccess.of(identity);
    return repositories
        .repositories()
        .map(all -> access.filter(all, RepositoryPages.Repository::id));
  }

  /** The repository, if it had a job and the caller's key may read it. */
  private Uni<java.util.Optional<RepositoryPages.Repository>> visible(String id) {
    return readable(id, "no repository " + id).chain(() -> repositories.repository(id));
  }

  /**
   * Nothing when the caller's key may read the repository; otherwise the not-found failure naming
   * what was asked for, as for a repository that does not exist.
   */
  private Uni<Void> readable(String id, String notFound) {
    return RepositoryAccess.of(identity).reads(id)
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().failure(notFound(notFound));
  }

  @GET
  @Path("/{id}")
  public Uni<RepositoryPages.Repository> get(@PathParam("id") String id) {
    return visible(id).map(r -> r.orElseThrow(() -> notFound("no repository " + id)));
  }

  @GET
  @Path("/{id}/pages")
  public Uni<List<RepositoryPages.PageEntry>> pages(@PathParam("id") String id) {
    return visible(id)
        .chain(
            r -> {
              r.orElseThrow(() -> notFound("no repository " + id));
              return repositories.pages(id);
            });
  }

  /**
   * Sets the repository's schedule: {@code {"cron": "0 3 * * *", "timeZone"?: "Europe/Berlin",
   * "branch"?: "main"}}. When it falls due the reconciler requests an incremental job of the branch
   * (the default branch when none is named), unless a job of the repository is already waiting. The
   * repository must have had a job: incremental updates build on one.
   */
  @PUT
  @Path("/{id}/schedule")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(ApiKeyAuthentication.SUBMITTER)
  public Uni<Response> putSchedule(@PathParam("id") String id, JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      return Uni.createFrom()
          .item(Problem.invalid(List.of(new FieldProblem("", "the body must be a JSON object"))));
    }
    List<FieldProblem> problems = new ArrayList<>();
    BodyFields.unknown(object, SCHEDULE_FIELDS, problems);
    String cron = BodyFields.text(object, "cron", TextLimits.WORD, problems);
    String timeZone = BodyFields.text(object, "timeZone", TextLimits.WORD, problems);
    String branch = BodyFields.text(object, "branch", TextLimits.BRANCH, problems);
    CronSchedule schedule = null;
    try {
      schedule =
          CronSchedule.parseNew(
              cron,
              timeZone,
              config.scheduleMinInterval(),
              "autodoc.orchestrator.schedule-min-interval");
    } catch (CronSchedule.Invalid e) {
      e.problems()
          .forEach(
              (field, message) -> {
                if (problems.stream().noneMatch(p -> p.field().equals(field))) {
                  problems.add(new FieldProblem(field, message));
                }
              });
    }
    JobRequestValidator.branchProblem(branch)
        .filter(m -> problems.stream().noneMatch(p -> p.field().equals("branch")))
        .ifPresent(m -> problems.add(new FieldProblem("branch", m)));
    if (!problems.isEmpty()) {
      return Uni.createFrom().item(Problem.invalid(problems));
    }
    CronSchedule valid = schedule;
    return visible(id)
        .chain(
            r -> schedules.put(r.orElseThrow(() -> notFound("no repository " + id)), valid, branch))
        .map(s -> Response.ok(s).build());
  }

  @GET
  @Path("/{id}/schedule")
  public Uni<RepositorySchedules.Schedule> schedule(@PathParam("id") String id) {
    return readable(id, "repository " + id + " has no schedule")
        .chain(() -> schedules.get(id))
        .map(s -> s.orElseThrow(() -> notFound("repository " + id + " has no schedule")));
  }

  @DELETE
  @Path("/{id}/schedule")
  @RolesAllowed(ApiKeyAuthentication.SUBMITTER)
  public Uni<Response> deleteSchedule(@PathParam("id") String id) {
    return readable(id, "repository " + id + " has no schedule")
        .chain(() -> schedules.delete(id))
        .map(
            deleted -> {
              if (!deleted) {
                throw notFound("repository " + id + " has no schedule");
              }
              return Response.noContent().build();
            });
  }

  /**
   * The chunks of the repository's documentation most similar in meaning to {@code q}, best first;
   * those holding {@code q} word for word first of all. The {@value SearchIndex#PENDING_HEADER}
   * header counts the pages whose new text search does not find yet (the index catches up after
   * their job).
   */
  @GET
  @Path("/{id}/search")
  public Uni<Response> search(
      @PathParam("id") String id, @QueryParam("q") String q, @QueryParam("k") String k) {
    List<FieldProblem> problems = new ArrayList<>();
    if (q == null || q.isBlank()) {
      problems.add(new FieldProblem("q", "is required"));
    }
    int limit = count("k", k, 5, problems);
    if (!problems.isEmpty()) {
      return Uni.createFrom().item(Problem.invalid(problems));
    }
    int size = limit;
    return visible(id)
        .chain(
            r -> {
              r.orElseThrow(() -> notFound("no repository " + id));
              // Embedding is CPU work: off the event loop.
              return Uni.createFrom()
                  .item(() -> embedder.embed(List.of(q)).getFirst())
                  .runSubscriptionOn(
                      io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                  .chain(
                      vector ->
                          repositories.search(
                              id, q, vector, embedder.model(), embedder.version(), size))
                  .chain(
                      hits ->
                          repositories
                              .pendingPages(id)
                              .map(
                                  pending ->
                                      Response.ok(hits)
                                          .header(SearchIndex.PENDING_HEADER, pending)
                                          .build()));
            });
  }

  /**
   * The repository's types, functions, members and modules whose names match {@code q}: exact
   * matches first, then prefixes, parts and near spellings ({@link SymbolIndex}); each with its
   * source file and lines, and the page and heading that document it. {@code kind} keeps one kind
   * ({@code CLASS}, {@code FUNCTION}, {@code MODULE}, …), {@code limit} caps the answer (10, at
   * most 50).
   */
  @GET
  @Path("/{id}/symbols")
  public Uni<Response> symbols(
      @PathParam("id") String id,
      @QueryParam("q") String q,
      @QueryParam("kind") String kind,
      @QueryParam("limit") String limit) {
    List<FieldProblem> problems = new ArrayList<>();
    if (q == null || q.isBlank()) {
      problems.add(new FieldProblem("q", "is required"));
    }
    int size = count("limit", limit, 10, problems);
    String normalKind = kind == null ? null : kind.strip().toUpperCase(java.util.Locale.ROOT);
    if (normalKind != null && !SymbolIndex.KINDS.contains(normalKind)) {
      problems.add(new FieldProblem("kind", "must be one of " + SymbolIndex.KINDS));
    }
    if (!problems.isEmpty()) {
      return Uni.createFrom().item(Problem.invalid(problems));
    }
    return visible(id)
        .chain(
            r -> {
              r.orElseThrow(() -> notFound("no repository " + id));
              return symbolIndex.find(id, q, normalKind, size);
            })
        .map(found -> Response.ok(found).build());
  }

  /** A whole-number parameter from 1 to 50, {@code otherwise} when absent. */
  private static int count(String name, String value, int otherwise, List<FieldProblem> problems) {
    if (value == null) {
      return otherwise;
    }
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1 || n > 50) {
      problems.add(new FieldProblem(name, "must be a whole number from 1 to 50"));
    }
    return n;
  }

  /**
   * One page by its path in the repository, as Markdown, or as HTML when asked for with {@code
   * Accept: text/html} or {@code ?format=html} ({@link PageHtml}: safe URLs only, a strict
   * Content-Security-Policy, no sniffing), or its body alone with {@code ?format=fragment} (the ops
   * UI's page view).
   */
  @GET
  @Path("/{id}/pages/{path: .+}")
  @Produces({MARKDOWN, MediaType.TEXT_HTML})
  public Uni<Response> page(
      @PathParam("id") String id,
      @PathParam("path") String path,
      @QueryParam("format") String format,
      @HeaderParam("Accept") String accept) {
    boolean fragment = "fragment".equalsIgnoreCase(format);
    boolean html =
        "html".equalsIgnoreCase(format)
            || (format == null && accept != null && accept.contains(MediaType.TEXT_HTML));
    return readable(id, "no page " + path + " in repository " + id)
        .chain(() -> repositories.page(id, path))
        .map(
            found -> {
              var page =
                  found.orElseThrow(() -> notFound("no page " + path + " in repository " + id));
              if (!html && !fragment) {
                return Response.ok(page.markdown(), MARKDOWN + ";charset=UTF-8").build();
              }
              var document =
                  Response.ok(
                      fragment
                          ? PageHtml.fragment(page.markdown())
                          : PageHtml.document(page.entry().title(), page.markdown()),
                      MediaType.TEXT_HTML + ";charset=UTF-8");
              PageHtml.HEADERS.forEach(h -> document.header(h[0], h[1]));
              return document.build();
            });
  }

  /**
   * The documentation as an llms.txt index (llmstxt.org): the repository's name and summary, then
   * each scope's pages as links to their Markdown here; {@code ?scope=} keeps one scope.
   */
  @GET
  @Path("/{id}/llms.txt")
  @Produces(MARKDOWN)
  public Uni<Response> llmsIndex(
      @PathParam("id") String id,
      @QueryParam("scope") String scope,
      @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
    String base = uri.getBaseUri().toString().replaceAll("/+$", "");
    return documented(id, scope)
        .map(
            d ->
                markdown(
                    LlmsText.index(
                        LlmsText.name(d.repository().url()),
                        LlmsText.about(d.repository(), d.contents().size(), d.commit()),
                        d.entries(
                            path -> base + "/api/v1/repositories/" + id + "/pages/" + path))));
  }

  /** Every page of the documentation in full, in llms.txt's order; {@code ?scope=} keeps one. */
  @GET
  @Path("/{id}/llms-full.txt")
  @Produces(MARKDOWN)
  public Uni<Response> llmsFull(@PathParam("id") String id, @QueryParam("scope") String scope) {
    return documented(id, scope)
        .map(
            d ->
                markdown(
                    LlmsText.full(
                        LlmsText.name(d.repository().url()),
                        LlmsText.about(d.repository(), d.contents().size(), d.commit()),
                        d.entries(path -> path))));
  }

  private static Response markdown(String text) {
    return Response.ok(text, MARKDOWN + ";charset=UTF-8").build();
  }

  private record Documented(
      RepositoryPages.Repository repository,
      List<RepositoryPages.PageContent> contents,
      String commit) {
    List<LlmsText.Entry> entries(java.util.function.UnaryOperator<String> link) {
      return LlmsText.entries(contents, link);
    }
  }

  /** The repository and its pages with their text, of one scope when asked; not found without. */
  private Uni<Documented> documented(String id, String scope) {
    return visible(id)
        .chain(
            r -> {
              var repository = r.orElseThrow(() -> notFound("no repository " + id));
              return Uni.combine()
                  .all()
                  .unis(repositories.contents(id), repositories.documentation(id))
                  .asTuple()
                  .map(
                      both -> {
                        var pages = both.getItem1();
                        var kept =
                            scope == null
                                ? pages
                                : pages.stream()
                                    .filter(p -> p.entry().scope().equals(scope))
                                    .toList();
                        if (kept.isEmpty()) {
                          throw notFound(
                              scope == null
                                  ? "repository " + id + " has no documentation yet"
                                  : "repository " + id + " has no scope '" + scope + "'");
                        }
                        return new Documented(repository, kept, both.getItem2().commit());
                      });
            });
  }

  private static PermanentException notFound(String message) {
    return new PermanentException(Reason.NOT_FOUND, message);
  }
}
