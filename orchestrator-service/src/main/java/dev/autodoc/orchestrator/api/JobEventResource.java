package dev.autodoc.orchestrator.api;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.input.TextLimits;
import dev.autodoc.orchestrator.job.JobEventFeed;
import dev.autodoc.orchestrator.job.JobEvents;
import dev.autodoc.orchestrator.job.JobRepository;
import dev.autodoc.orchestrator.job.JobRequestValidator.FieldProblem;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A job's progress as server-sent events: {@code step} (started, finished or failed, with scope,
 * attempt and worker), {@code scope} (an end status, with how many scopes are done of how many) and
 * {@code job} (a new status). Each event's id is its place in the job's log, so a client that
 * reconnects with {@code Last-Event-ID} gets exactly what it missed, from any replica, after any
 * restart. The stream starts with everything so far and ends after the job's final status.
 */
@Path("/api/v1/jobs/{id}/events")
public class JobEventResource {
  private static final Duration LOOKUP = Duration.ofSeconds(10);
  private final JobEventFeed feed;
  private final JobRepository jobs;
  private final io.quarkus.security.identity.SecurityIdentity identity;

  JobEventResource(
      JobEventFeed feed,
      JobRepository jobs,
      io.quarkus.security.identity.SecurityIdentity identity) {
    this.feed = feed;
    this.jobs = jobs;
    this.identity = identity;
  }

  @GET
  @Blocking
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RolesAllowed(ApiKeyAuthentication.READER)
  public Multi<OutboundSseEvent> events(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context Sse sse) {
    UUID jobId = jobId(id);
    long after = after(lastEventId);
    // The stream's head (200) is written as soon as the method returns, so an unknown job must be
    // found out before: on a worker thread, which this method runs on.
    var job = jobs.find(jobs.pool(), jobId).await().atMost(LOOKUP);
    if (job.isEmpty() || !RepositoryAccess.of(identity).reads(job.get().repositoryId())) {
      throw new PermanentException(Reason.NOT_FOUND, "no job " + jobId);
    }
    return feed.follow(jobId, after)
        .map(
            item ->
                item.map(event -> event(sse, event))
                    .orElseGet(() -> sse.newEventBuilder().comment("keep-alive").build()));
  }

  private static OutboundSseEvent event(Sse sse, JobEvents.JobEvent event) {
    return sse.newEventBuilder()
        .id(Long.toString(event.seq()))
        .name(event.kind().name().toLowerCase(Locale.ROOT))
        .mediaType(MediaType.APPLICATION_JSON_TYPE)
        .data(JobEvents.JobEvent.class, event)
        .build();
  }

  private static UUID jobId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw invalid("id", TextLimits.quote(id) + " is not a job id");
    }
  }

  private static long after(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    try {
      long seq = Long.parseLong(lastEventId.trim());
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // Named below.
    }
    throw invalid(
        "Last-Event-ID",
        TextLimits.quote(lastEventId) + " is not an event id of this stream (a number, 0 or more)");
  }

  private static WebApplicationException invalid(String field, String problem) {
    return new WebApplicationException(Problem.invalid(List.of(new FieldProblem(field, problem))));
  }
}
