package dev.autodoc.common.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a {@code text/event-stream} as the HTML standard defines it: {@code id}, {@code event} and
 * {@code data} fields (several data lines joined by newlines), comments skipped, an event
 * dispatched at each blank line. The id of the last event read is kept, for {@code Last-Event-ID}
 * when reconnecting.
 */
public final class EventStream implements AutoCloseable {
  /** One event; {@code name} is {@code message} when the server gave none. */
  public record Event(String id, String name, String data) {}

  private final BufferedReader lines;
  private String lastId;

  public EventStream(BufferedReader lines, String lastId) {
    this.lines = lines;
    this.lastId = lastId;
  }

  /** The id of the last event read (or the one the stream was opened after). */
  public String lastId() {
    return lastId;
  }

  /** The next event; empty when the stream has ended. */
  public Optional<Event> next() throws IOException {
    String name = null;
    StringBuilder data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new Event(lastId, name == null ? "message" : name, data.toString()));
        }
        name = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> name = value;
        case "id" -> {
          if (!value.contains("\0")) {
            lastId = value;
          }
        }
        case "data" -> {
          if (data == null) {
            data = new StringBuilder(value);
          } else {
            data.append('\n').append(value);
          }
        }
        default -> {
          // retry and unknown fields change nothing a reader of job events needs.
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
