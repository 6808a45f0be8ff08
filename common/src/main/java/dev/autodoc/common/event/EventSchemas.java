package dev.autodoc.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of every event, the same files external producers validate against, compiled
 * once. A record is checked against its schema before it is read, so a dead letter names every
 * field that is wrong at once, as the REST API does, not just the first one a constructor met.
 */
public final class EventSchemas {
  private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

  static {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    for (EventType type : EventType.values()) {
      try (InputStream in = EventSchemas.class.getResourceAsStream(type.schemaResource())) {
        if (in == null) {
          throw new IllegalStateException("no schema file " + type.schemaResource());
        }
        SCHEMAS.put(type, factory.getSchema(EventCodec.json().readTree(in), config));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private EventSchemas() {}

  /** Every way {@code json} breaks the schema of {@code type}, each naming its field; sorted. */
  public static List<String> problems(EventType type, JsonNode json) {
    return SCHEMAS.get(type).validate(json).stream()
        .map(EventSchemas::describe)
        .distinct()
        .sorted()
        .toList();
  }

  /** {@code field 'repository' is required}, {@code field 'attempt' must be ...}: field first. */
  private static String describe(ValidationMessage message) {
    String at = message.getInstanceLocation().toString().replaceFirst("^[$/.]+", "");
    if ("required".equals(message.getType())) {
      String field = at.isEmpty() ? message.getProperty() : at + "." + message.getProperty();
      return "field '" + field + "' is required";
    }
    String text = message.getMessage();
    int colon = text.indexOf(": ");
    String what = colon >= 0 ? text.substring(colon + 2) : text;
    return at.isEmpty() ? what : "field '" + at.replace('/', '.') + "' " + what;
  }
}
