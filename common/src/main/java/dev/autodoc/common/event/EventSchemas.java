package dev.autodoc.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
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
  private static final Map<EventType, Schema> SCHEMAS = new EnumMap<>(EventType.class);

  static {
    SchemaRegistry factory = registry();
    for (EventType type : EventType.values()) {
      try (InputStream in = EventSchemas.class.getResourceAsStream(type.schemaResource())) {
        if (in == null) {
          throw new IllegalStateException("no schema file " + type.schemaResource());
        }
        SCHEMAS.put(type, factory.getSchema(EventCodec.json().readTree(in)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private EventSchemas() {}

  /**
   * JSON Schema 2020-12 with formats asserted (a {@code date-time} must be one), locations written
   * {@code $.a.b}, as the problems below name fields, and the validator's English messages from a
   * copy of our own ({@code autodoc/json-schema-messages.properties}).
   */
  public static SchemaRegistry registry() {
    return SchemaRegistry.withDefaultDialect(
        com.networknt.schema.SpecificationVersion.DRAFT_2020_12,
        builder ->
            builder.schemaRegistryConfig(
                com.networknt.schema.SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(com.networknt.schema.path.PathType.LEGACY)
                    .messageSource(
                        new com.networknt.schema.i18n.ResourceBundleMessageSource(
                            "autodoc/json-schema-messages"))
                    .locale(java.util.Locale.ROOT)
                    .build()));
  }

  /** Every way {@code json} breaks the schema of {@code type}, each naming its field; sorted. */
  public static List<String> problems(EventType type, JsonNode json) {
    return SCHEMAS.get(type).validate(json).stream()
        .map(EventSchemas::describe)
        .distinct()
        .sorted()
        .toList();
  }

  /** {@code field 'repository' is required}, {@code field 'attempt' must be ...}: field first. */
  private static String describe(Error message) {
    String at = message.getInstanceLocation().toString().replaceFirst("^[$/.]+", "");
    if ("required".equals(message.getKeyword())) {
      String field = at.isEmpty() ? message.getProperty() : at + "." + message.getProperty();
      return "field '" + field + "' is required";
    }
    // The message without its location, which is named here as a field.
    String what = message.getMessage();
    return at.isEmpty() ? what : "field '" + at.replace('/', '.') + "' " + what;
  }
}
