package dev.autodoc.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.input.TextLimits;
import dev.autodoc.orchestrator.job.JobRequestValidator.FieldProblem;
import java.util.List;
import java.util.Set;

/** Reading a JSON request body field by field, naming each offending field as a problem. */
public final class BodyFields {
  private BodyFields() {}

  /** Names each field of {@code body} that is not one of {@code known}. */
  public static void unknown(ObjectNode body, Set<String> known, List<FieldProblem> problems) {
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                problems.add(
                    new FieldProblem(
                        name,
                        "unknown field; expected one of " + known.stream().sorted().toList()));
              }
            });
  }

  /**
   * A string field of at most {@code maxLength} characters without control characters, or null when
   * absent; anything else is named as a problem.
   */
  public static String text(
      ObjectNode body, String field, int maxLength, List<FieldProblem> problems) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      problems.add(new FieldProblem(field, "must be a string"));
      return null;
    }
    String problem = TextLimits.problem(node.asText(), maxLength);
    if (problem != null) {
      problems.add(new FieldProblem(field, problem));
      return null;
    }
    return node.asText();
  }

  /** A boolean field, or null when absent; anything else is named as a problem. */
  public static Boolean bool(ObjectNode body, String field, List<FieldProblem> problems) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      problems.add(new FieldProblem(field, "must be true or false"));
      return null;
    }
    return node.asBoolean();
  }
}
