package dev.autodoc.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.event.JobStatus;
import dev.autodoc.common.input.TextLimits;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.git.RepositoryAddresses;
import dev.autodoc.orchestrator.job.JobDetails;
import dev.autodoc.orchestrator.job.JobRequestValidator;
import dev.autodoc.orchestrator.job.JobRequestValidator.FieldProblem;
import dev.autodoc.orchestrator.job.JobService;
import dev.autodoc.orchestrator.job.NewJob;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Jobs over REST: submit, read, list and cancel. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
  private static final Set<String> FIELDS =
      Set.of("repository", "branch", "mode", "force", "dryRun", "callbackUrl");
  private static final int MAX_LIMIT = 100;

  private final JobService jobs;
  private final RepositoryAddresses addresses;
  private final SecurityIdentity identity;

  JobResource(JobService jobs, RepositoryAddresses addresses, SecurityIdentity identity) {
    this.jobs = jobs;
    this.addresses = addresses;
    this.identity = identity;
  }

  /** The job, if it exists for the caller's key (its repository is one the key may read). */
  private Uni<JobDetails> visible(UUID jobId) {
    RepositoryAccess access = RepositoryAccess.of(identity);
    return jobs.details(jobId)
        .invoke(
            d -> {
              if (!access.reads(d.job().repositoryId())) {
                throw JobService.notFound(jobId);
              }
            });
  }

  /** A page of jobs and the cursor of the next page, if any. */
  public record JobPage(List<JobView> items, String nextCursor) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(ApiKeyAuthentication.SUBMITTER)
  public Uni<Response> submit(
      JsonNode body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    List<FieldProblem> problems = new ArrayList<>();
    if (!(body instanceof ObjectNode object)) {
      return Uni.createFrom()
          .item(Problem.invalid(List.of(new FieldProblem("", "the body must be a JSON object"))));
    }
    BodyFields.unknown(object, FIELDS, problems);
    if (idempotencyKey != null) {
      String problem = TextLimits.problem(idempotencyKey, TextLimits.IDEMPOTENCY_KEY);
      if (idempotencyKey.isBlank() || problem != null) {
        problems.add(
            new FieldProblem("Idempotency-Key", problem != null ? problem : "must not be blank"));
      }
    }
    var draft =
        new JobRequestValidator.Draft(
            null,
            BodyFields.text(object, "repository", TextLimits.REPOSITORY, problems),
            BodyFields.text(object, "branch", TextLimits.BRANCH, problems),
            BodyFields.text(object, "mode", TextLimits.WORD, problems),
            BodyFields.bool(object, "force", problems),
            BodyFields.bool(object, "dryRun", problems),
            BodyFields.text(object, "callbackUrl", TextLimits.URL, problems));
    if (object.path("repository").isMissingNode() || object.path("repository").isNull()) {
      problems.add(new FieldProblem("repository", "is required"));
    } else {
      JobRequestValidator.problems(draft).stream()
          .filter(p -> problems.stream().noneMatch(q -> q.field().equals(p.field())))
          .forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      return Uni.createFrom().item(Problem.invalid(problems));
    }
    NewJob job = JobRequestValidator.toJob(draft);
    if (!RepositoryAccess.of(identity).reads(job.repository().id())) {
      return Uni.createFrom()
          .item(
              Problem.invalid(
                  List.of(new FieldProblem("repository", "is not a repository this key may use"))));
    }
    return addresses
        .refusal(job.repository())
        .chain(
            refused ->
                refused.isPresent()
                    ? Uni.createFrom()
                        .item(
                            Problem.invalid(List.of(new FieldProblem("repository", refused.get()))))
                    : accept(job, idempotencyKey, object));
  }

  private Uni<Response> accept(NewJob job, String idempotencyKey, ObjectNode object) {
    return jobs.submit(job, idempotencyKey, idempotencyKey == null ? null : hash(object))
        .map(
            s ->
                Response.accepted(JobView.summary(s.job()))
                    .location(URI.create("/api/v1/jobs/" + s.job().id()))
                    .header("Idempotent-Replayed", Boolean.toString(s.replayed()))
                    .build());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed(ApiKeyAuthentication.READER)
  public Uni<Response> get(@PathParam("id") String id) {
    UUID jobId = parseId(id);
    if (jobId == null) {
      return Uni.createFrom()
          .item(
              Problem.invalid(
                  List.of(new FieldProblem("id", TextLimits.quote(id) + " is not a job id"))));
    }
    return visible(jobId).map(d -> Response.ok(JobView.of(d)).build());
  }

  @GET
  @RolesAllowed(ApiKeyAuthentication.READER)
  public Uni<Response> list(
      @QueryParam("repository") String repository,
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    List<FieldProblem> problems = new ArrayList<>();
    String repositoryId = null;
    if (repository != null) {
      try {
        repositoryId = repository.contains("/") ? RepositoryRef.parse(repository).id() : repository;
      } catch (AutodocException e) {
        problems.add(new FieldProblem("repository", e.getMessage()));
      }
    }
    JobStatus jobStatus = null;
    if (status != null) {
      try {
        jobStatus = JobStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(new FieldProblem("status", "must be one of " + List.of(JobStatus.values())));
      }
    }
    int size = 20;
    if (limit != null) {
      try {
        size = Integer.parseInt(limit);
        if (size < 1 || size > MAX_LIMIT) {
          problems.add(new FieldProblem("limit", "must be between 1 and " + MAX_LIMIT));
        }
      } catch (NumberFormatException e) {
        problems.add(new FieldProblem("limit", "must be a whole number"));
      }
    }
    Cursor after = null;
    if (cursor != null) {
      after = Cursor.decode(cursor);
      if (after == null) {
        problems.add(new FieldProblem("cursor", "is not a cursor this API returned"));
      }
    }
    if (!problems.isEmpty()) {
      return Uni.createFrom().item(Problem.invalid(problems));
    }
    int pageSize = size;
    RepositoryAccess access = RepositoryAccess.of(identity);
    if (repositoryId != null && !access.reads(repositoryId)) {
      return Uni.createFrom().item(Response.ok(new JobPage(List.of(), null)).build());
    }
    return jobs.list(
            repositoryId,
            jobStatus,
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            pageSize + 1)
        .map(
            found -> {
              List<JobView> page = found.stream().limit(pageSize).map(JobView::summary).toList();
              String next =
                  found.size() > pageSize
                      ? new Cursor(page.getLast().createdAt(), page.getLast().id()).encode()
                      : null;
              // A key limited to some repositories sees only their jobs: a page may come short,
              // and the cursor still goes on from where the page ended.
              List<JobView> items = access.filter(page, v -> v.repository().id());
              return Response.ok(new JobPage(items, next)).build();
            });
  }

  @POST
  @Path("/{id}/cancel")
  @RolesAllowed(ApiKeyAuthentication.SUBMITTER)
  public Uni<Response> cancel(@PathParam("id") String id) {
    UUID jobId = parseId(id);
    if (jobId == null) {
      return Uni.createFrom()
          .item(
              Problem.invalid(
                  List.of(new FieldProblem("id", TextLimits.quote(id) + " is not a job id"))));
    }
    return visible(jobId)
        .chain(d -> jobs.cancel(jobId))
        .map(d -> Response.ok(JobView.of(d)).build());
  }

  /** Position after the last job of a page: its creation time and id, newest first. */
  record Cursor(Instant createdAt, UUID id) {
    String encode() {
      String raw = createdAt.toEpochMilli() * 1000 + createdAt.getNano() / 1000 % 1000 + ":" + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
        long micros = Long.parseLong(parts[0]);
        return new Cursor(
            Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1000),
            UUID.fromString(parts[1]));
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The request's identity for Idempotency-Key: its canonical JSON, hashed. */
  private static String hash(ObjectNode body) {
    try {
      var sorted =
          dev.autodoc.common.event.EventCodec.json()
              .copy()
              .configure(
                  com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS,
                  true);
      Object canonical = sorted.treeToValue(body, java.util.TreeMap.class);
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(sorted.writeValueAsBytes(canonical));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
