package dev.autodoc.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.messaging.Topics;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void everyEventSurvivesARoundTripThroughItsTopic() {
    for (AutodocEvent event : EventSamples.all()) {
      String body = EventCodec.encode(event);
      AutodocEvent back = EventCodec.decode(event.type().topic(), event.type().ceType(), body);
      assertThat(back).isEqualTo(event);
    }
  }

  @Test
  void headersCarryTheCloudEventsAttributesInBinaryMode() {
    AutodocEvent event = EventSamples.all().get(1);
    var headers = CloudEventHeaders.of(event, "/autodoc/orchestrator");
    assertThat(headers)
        .containsEntry("ce_id", event.eventId().toString())
        .containsEntry("ce_type", "dev.autodoc.scope.requested.v1")
        .containsEntry("ce_subject", event.jobId().toString())
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_source", "/autodoc/orchestrator");
  }

  @Test
  void aJobRequestWithoutTypeHeaderIsAcceptedOnItsSingleTypeTopic() {
    String body =
        """
        {"eventId":"6a1f0000-0000-4000-8000-000000000001","jobId":"6a1f0000-0000-4000-8000-000000000002",
         "occurredAt":"2026-11-22T08:00:00Z","schemaVersion":1,"repository":"/srv/repo"}""";
    var event = (JobRequested) EventCodec.decode(Topics.JOB_REQUESTED, null, body);
    assertThat(event.repository()).isEqualTo("/srv/repo");
    assertThat(event.branch()).isNull();
  }

  @Test
  void aScopeOutcomeWithoutTypeHeaderIsRefusedBecauseTheTopicCarriesTwoTypes() {
    assertThatThrownBy(() -> EventCodec.decode(Topics.SCOPE_COMPLETED, null, "{}"))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("missing header ce_type");
  }

  @Test
  void aMissingFieldIsNamedInTheError() {
    String body =
        """
        {"eventId":"6a1f0000-0000-4000-8000-000000000001","occurredAt":"2026-11-22T08:00:00Z",
         "schemaVersion":1,"repository":"/srv/repo"}""";
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, null, body))
        .isInstanceOfSatisfying(
            PermanentException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_EVENT))
        .hasMessageContaining("'jobId' is required");
  }

  @Test
  void aWrongValueIsNamedInTheError() {
    String body =
        """
        {"eventId":"not-a-uuid","jobId":"6a1f0000-0000-4000-8000-000000000002",
         "occurredAt":"2026-11-22T08:00:00Z","schemaVersion":1,"repository":"/srv/repo"}""";
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, null, body))
        .hasMessageContaining("eventId");
  }

  @Test
  void malformedJsonUnknownTypesAndMisroutedTypesAreRefused() {
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, null, "{not json"))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, "dev.autodoc.nope.v9", "{}"))
        .hasMessageContaining("unknown event type 'dev.autodoc.nope.v9'");
    assertThatThrownBy(
            () -> EventCodec.decode(Topics.JOB_REQUESTED, EventType.SCOPE_FAILED.ceType(), "{}"))
        .hasMessageContaining("does not belong on topic autodoc.job.requested");
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, null, ""))
        .hasMessageContaining("empty record body");
  }

  @Test
  void aFutureSchemaVersionIsRefusedRatherThanMisread() {
    String body =
        """
        {"eventId":"6a1f0000-0000-4000-8000-000000000001","jobId":"6a1f0000-0000-4000-8000-000000000002",
         "occurredAt":"2026-11-22T08:00:00Z","schemaVersion":2,"repository":"/srv/repo"}""";
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, null, body))
        .hasMessageContaining("field 'schemaVersion' must be the constant value '1'");
  }

  @Test
  void everyWrongFieldIsNamedAtOnce() {
    String body =
        """
        {"eventId":"not-a-uuid","occurredAt":"yesterday","schemaVersion":1,
         "repository":"","force":"yes"}""";
    assertThatThrownBy(() -> EventCodec.decode(Topics.JOB_REQUESTED, null, body))
        .hasMessageContaining("field 'jobId' is required")
        .hasMessageContaining("field 'eventId'")
        .hasMessageContaining("field 'occurredAt'")
        .hasMessageContaining("field 'repository'")
        .hasMessageContaining("field 'force'");
  }
}
