package dev.autodoc.common.event;

import java.util.LinkedHashMap;
import java.util.Map;

/** CloudEvents 1.0 Kafka binding, binary mode: the attributes travel as {@code ce_*} headers. */
public final class CloudEventHeaders {
  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String SUBJECT = "ce_subject";
  public static final String TIME = "ce_time";
  public static final String CONTENT_TYPE = "content-type";

  private CloudEventHeaders() {}

  /** The headers of an event sent by {@code source} (for example {@code /autodoc/orchestrator}). */
  public static Map<String, String> of(AutodocEvent event, String source) {
    var headers = new LinkedHashMap<String, String>();
    headers.put(SPEC_VERSION, "1.0");
    headers.put(ID, event.eventId().toString());
    headers.put(TYPE, event.type().ceType());
    headers.put(SOURCE, source);
    headers.put(SUBJECT, event.jobId().toString());
    headers.put(TIME, event.occurredAt().toString());
    headers.put(CONTENT_TYPE, "application/json");
    return headers;
  }
}
