package dev.autodoc.orchestrator.api;

import dev.autodoc.common.input.TextLimits;
import dev.autodoc.orchestrator.job.JobRequestValidator.FieldProblem;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every path and query parameter of the API, decoded, is checked against {@link TextLimits} before
 * a resource sees it: a page path with {@code %00} or a megabyte-long id is a 400 naming the
 * parameter, not a database error. Resources still check what their parameters mean.
 */
public class ParameterLimits {
  @ServerRequestFilter
  public Response check(UriInfo uri) {
    List<FieldProblem> problems = new ArrayList<>();
    collect(uri.getPathParameters(true), problems);
    collect(uri.getQueryParameters(true), problems);
    return problems.isEmpty() ? null : Problem.invalid(problems);
  }

  private static void collect(MultivaluedMap<String, String> parameters, List<FieldProblem> out) {
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      int max = parameter.getKey().equals("q") ? TextLimits.QUERY : TextLimits.PARAMETER;
      for (String value : parameter.getValue()) {
        String problem = TextLimits.problem(value, max);
        if (problem != null) {
          out.add(new FieldProblem(parameter.getKey(), problem));
          break;
        }
      }
    }
  }
}
