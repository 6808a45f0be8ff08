package dev.autodoc.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.autodoc.common.error.Reason;
import dev.autodoc.orchestrator.job.JobRequestValidator.FieldProblem;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem: what went wrong, and for bad input every offending field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    Reason reason,
    List<FieldProblem> errors) {
  public static final String MEDIA_TYPE = "application/problem+json";

  public static Response response(
      Response.Status status, Reason reason, String detail, List<FieldProblem> errors) {
    var problem =
        new Problem(
            "https://autodoc.dev/problems/"
                + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
            status.getReasonPhrase(),
            status.getStatusCode(),
            detail,
            reason,
            errors == null || errors.isEmpty() ? null : errors);
    return Response.status(status).type(MEDIA_TYPE).entity(problem).build();
  }

  public static Response invalid(List<FieldProblem> errors) {
    return response(
        Response.Status.BAD_REQUEST,
        Reason.INVALID_REQUEST,
        "the request has " + errors.size() + " invalid field" + (errors.size() == 1 ? "" : "s"),
        errors);
  }
}
