package dev.autodoc.worker.docs.structure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.autodoc.common.event.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON form of a documentation structure and its schema ({@code
 * schemas/doc-structure.schema.json}). Every structure is checked against it, whichever agent made
 * it, so a structure an LLM returns is held to the same contract as the static one.
 */
public final class StructureSchema {
  private static final Schema SCHEMA = load();

  private StructureSchema() {}

  /** What is wrong with a structure as JSON; empty when it is valid. */
  public static List<String> problems(JsonNode json) {
    // Each problem as "$.pages[0].path: must be at least 1 characters long".
    return SCHEMA.validate(json).stream().map(Error::toString).sorted().toList();
  }

  public static JsonNode toJson(DocStructure structure) {
    return EventCodec.json().valueToTree(structure);
  }

  /** Reads a structure from JSON, refusing one that breaks the schema with every problem named. */
  public static DocStructure parse(String json) {
    try {
      JsonNode node = EventCodec.json().readTree(json);
      List<String> problems = problems(node);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "the documentation structure is not valid: " + String.join("; ", problems));
      }
      return EventCodec.json().treeToValue(node, DocStructure.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the documentation structure is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Schema load() {
    try (InputStream in =
        StructureSchema.class.getResourceAsStream("/schemas/doc-structure.schema.json")) {
      return dev.autodoc.common.event.EventSchemas.registry().getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
