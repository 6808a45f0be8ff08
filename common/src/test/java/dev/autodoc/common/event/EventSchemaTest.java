package dev.autodoc.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.error.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventSchemaTest {

  @Test
  void everyEventSerializesToJsonItsSchemaAccepts() throws IOException {
    for (AutodocEvent event : EventSamples.all()) {
      JsonNode json = EventCodec.json().readTree(EventCodec.encode(event));
      var errors = schema(event.type()).validate(json);
      assertThat(errors).as(event.type().ceType()).isEmpty();
    }
  }

  @Test
  void schemaRejectsAnEventWithoutItsJobId() throws IOException {
    AutodocEvent event = EventSamples.all().getFirst();
    var json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            EventCodec.json().readTree(EventCodec.encode(event));
    json.remove("jobId");
    assertThat(schema(event.type()).validate(json))
        .anySatisfy(e -> assertThat(e.getMessage()).contains("jobId"));
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void schemaNamesExactlyTheFieldsOfTheRecord(EventType type) throws IOException {
    Set<String> recordFields =
        Arrays.stream(type.recordType().getRecordComponents())
            .map(c -> c.getName())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> schemaFields = new TreeSet<>();
    read(type).get("properties").fieldNames().forEachRemaining(schemaFields::add);
    assertThat(schemaFields).isEqualTo(recordFields);
  }

  @Test
  void errorReasonsInTheSchemaAreTheReasonsInCode() throws IOException {
    Set<String> inSchema = new TreeSet<>();
    read(EventType.SCOPE_FAILED)
        .at("/$defs/ErrorReport/properties/reason/enum")
        .forEach(n -> inSchema.add(n.asText()));
    Set<String> inCode =
        Arrays.stream(Reason.values())
            .map(Enum::name)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(inSchema).isEqualTo(inCode);
  }

  private static com.networknt.schema.Schema schema(EventType type) throws IOException {
    return EventSchemas.registry().getSchema(read(type));
  }

  private static JsonNode read(EventType type) throws IOException {
    try (InputStream in = EventSchemaTest.class.getResourceAsStream(type.schemaResource())) {
      assertThat(in).as("schema file " + type.schemaResource()).isNotNull();
      return EventCodec.json().readTree(in);
    }
  }
}
