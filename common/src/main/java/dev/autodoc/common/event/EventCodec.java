package dev.autodoc.common.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns events into JSON bodies and back. Decoding never returns a half-valid event: anything wrong
 * becomes a {@link PermanentException} with {@link Reason#INVALID_EVENT} naming the field, which
 * consumers send to the dead-letter topic.
 */
public final class EventCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // Newer producers may add fields; v1 consumers ignore what they do not know.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Absent flags mean false; an absent schemaVersion or attempt reads 0 and is refused.
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private EventCodec() {}

  /** The mapper events are written with, for code that embeds events or their parts in JSON. */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * Any value as JSON with the events' mapper (for JSON columns); {@code null} stays {@code null}.
   */
  public static String toJson(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public static String encode(AutodocEvent event) {
    try {
      return JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + event.type(), e);
    }
  }

  /**
   * Reads a record received on {@code topic}. {@code ceType} is the {@code ce_type} header; it may
   * be absent only on topics that carry a single event type, so that plain producers can publish.
   */
  public static AutodocEvent decode(String topic, String ceType, String body) {
    EventType type = resolveType(topic, ceType);
    if (body == null || body.isBlank()) {
      throw invalid("empty record body for " + type.ceType());
    }
    try {
      JsonNode json = JSON.readTree(body);
      List<String> problems = EventSchemas.problems(type, json);
      if (!problems.isEmpty()) {
        throw invalid(type.ceType() + ": " + String.join("; ", problems));
      }
      return JSON.treeToValue(json, type.recordType());
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw invalid(type.ceType() + ": " + cause.getMessage());
    } catch (InvalidFormatException e) {
      throw invalid(
          type.ceType() + ": field '" + path(e) + "' has an invalid value '" + e.getValue() + "'");
    } catch (MismatchedInputException e) {
      throw invalid(type.ceType() + ": field '" + path(e) + "' " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw invalid(type.ceType() + ": not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static EventType resolveType(String topic, String ceType) {
    if (ceType == null || ceType.isBlank()) {
      return EventType.soleTypeOf(topic)
          .orElseThrow(() -> invalid("missing header ce_type on topic " + topic));
    }
    EventType type =
        EventType.ofCeType(ceType)
            .orElseThrow(() -> invalid("unknown event type '" + ceType + "' on topic " + topic));
    if (!type.topic().equals(topic)) {
      throw invalid("event type " + ceType + " does not belong on topic " + topic);
    }
    return type;
  }

  private static String path(MismatchedInputException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static PermanentException invalid(String message) {
    return new PermanentException(Reason.INVALID_EVENT, message);
  }
}
