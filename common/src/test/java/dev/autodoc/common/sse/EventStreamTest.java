package dev.autodoc.common.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class EventStreamTest {
  @Test
  void readsEventsAsTheStandardDefinesThem() throws Exception {
    String text =
        ": keep-alive\n\n"
            + "id: 1\nevent: job\ndata: {\"status\":\"QUEUED\"}\n\n"
            + "id:2\ndata: first line\ndata:second line\n\n"
            + "event: step\ndata\n\n"
            + "id: 3\nevent: scope\n";
    try (var stream = new EventStream(new BufferedReader(new StringReader(text)), null)) {
      assertThat(stream.next())
          .contains(new EventStream.Event("1", "job", "{\"status\":\"QUEUED\"}"));
      assertThat(stream.next())
          .contains(new EventStream.Event("2", "message", "first line\nsecond line"));
      // An event without an id keeps the last one; an empty data field is an empty event.
      assertThat(stream.next()).contains(new EventStream.Event("2", "step", ""));
      // An event cut off before its blank line is not dispatched, but its id counts.
      assertThat(stream.next()).isEmpty();
      assertThat(stream.lastId()).isEqualTo("3");
    }
  }

  @Test
  void startsFromTheIdItWasOpenedAfter() throws Exception {
    try (var stream = new EventStream(new BufferedReader(new StringReader("data: x\n\n")), "41")) {
      assertThat(stream.next()).contains(new EventStream.Event("41", "message", "x"));
    }
  }
}
