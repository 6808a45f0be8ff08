package dev.autodoc.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.support.messaging.Failures;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become HTTP problems. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  /** When a client should try again after a dependency failed. */
  static final long RETRY_AFTER_SECONDS = 5;

  @ServerExceptionMapper
  public Response autodoc(AutodocException e) {
    Response.Status status =
        switch (e.reason()) {
          case NOT_FOUND, SCOPE_NOT_FOUND -> Response.Status.NOT_FOUND;
          case CONFLICT -> Response.Status.CONFLICT;
          case INVALID_REQUEST, INVALID_EVENT, INVALID_SCOPE_CONFIG, REPOSITORY_NOT_ALLOWED ->
              Response.Status.BAD_REQUEST;
          default ->
              e.retryable()
                  ? Response.Status.SERVICE_UNAVAILABLE
                  : Response.Status.INTERNAL_SERVER_ERROR;
        };
    if (status.getStatusCode() >= 500) {
      LOG.errorf(e, "request failed: %s", e.getMessage());
    }
    Response problem = Problem.response(status, e.reason(), e.getMessage(), null);
    return status == Response.Status.SERVICE_UNAVAILABLE
        ? Response.fromResponse(problem)
            .header("Retry-After", Long.toString(RETRY_AFTER_SECONDS))
            .build()
        : problem;
  }

  /**
   * Anything else: a database that is down is a 503 saying so, with {@code Retry-After}, since the
   * request can simply be made again; the rest is a 500 problem without internals.
   */
  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    if (Failures.isDatabaseUnavailable(e)) {
      LOG.warnf("request failed, PostgreSQL is unavailable: %s", Failures.describe(e));
      Response problem =
          Problem.response(
              Response.Status.SERVICE_UNAVAILABLE,
              Reason.STORAGE_UNAVAILABLE,
              "a dependency is unavailable: PostgreSQL cannot be reached; retry later",
              null);
      return Response.fromResponse(problem)
          .header("Retry-After", Long.toString(RETRY_AFTER_SECONDS))
          .build();
    }
    LOG.errorf(e, "request failed unexpectedly: %s", Failures.describe(e));
    return Problem.response(
        Response.Status.INTERNAL_SERVER_ERROR,
        Reason.INTERNAL,
        "the request failed on the server's side; the log has the details",
        null);
  }

  @ServerExceptionMapper
  public Response unreadableBody(JsonProcessingException e) {
    return Problem.response(
        Response.Status.BAD_REQUEST,
        Reason.INVALID_REQUEST,
        "the body is not valid JSON: " + e.getOriginalMessage(),
        null);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return unreadableBody(json);
    }
    Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
    if (status == null) {
      return e.getResponse();
    }
    Reason reason = status == Response.Status.NOT_FOUND ? Reason.NOT_FOUND : Reason.INVALID_REQUEST;
    return Problem.response(status, reason, e.getMessage(), null);
  }
}
