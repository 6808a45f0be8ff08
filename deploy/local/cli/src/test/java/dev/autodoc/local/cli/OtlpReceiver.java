package dev.autodoc.local.cli;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * What a collector is to the services: an OTLP/HTTP endpoint ({@code POST /v1/traces}, protobuf) on
 * loopback that keeps every span it is sent.
 */
final class OtlpReceiver implements AutoCloseable {
  /** A span as received, ids in hex; {@code parent} is empty for a root. */
  record ReceivedSpan(
      String service,
      String traceId,
      String id,
      String parent,
      String name,
      String kind,
      Map<String, String> attributes) {}

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpReceiver start() throws IOException {
    var receiver = new OtlpReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    receiver.server.createContext(
        "/",
        exchange -> {
          receiver.paths.add(exchange.getRequestURI().getPath());
          InputStream body = exchange.getRequestBody();
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(body);
          }
          receiver.keep(ExportTraceServiceRequest.parseFrom(body));
          byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    receiver.server.start();
    return receiver;
  }

  /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} names it. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The services' settings that send every span here, as a user asks for with OTel's variables. */
  Map<String, String> serviceSettings() {
    return new java.util.HashMap<>(
        ServiceSettings.tracing(
            Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                endpoint(),
                "OTEL_EXPORTER_OTLP_PROTOCOL",
                "http/protobuf")));
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** What was received, for a failure's message: the paths posted to, spans by service and name. */
  String summary() {
    return "posted to "
        + new java.util.TreeSet<>(paths)
        + ", spans: "
        + spans.stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    s -> s.service() + " " + s.name(),
                    java.util.TreeMap::new,
                    java.util.stream.Collectors.counting()));
  }

  private void keep(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    for (var resource : request.getResourceSpansList()) {
      String service = attributes(resource.getResource().getAttributesList()).get("service.name");
      for (var scope : resource.getScopeSpansList()) {
        for (var span : scope.getSpansList()) {
          spans.add(
              new ReceivedSpan(
                  service,
                  hex.formatHex(span.getTraceId().toByteArray()),
                  hex.formatHex(span.getSpanId().toByteArray()),
                  hex.formatHex(span.getParentSpanId().toByteArray()),
                  span.getName(),
                  span.getKind().name(),
                  attributes(span.getAttributesList())));
        }
      }
    }
  }

  private static Map<String, String> attributes(List<KeyValue> values) {
    Map<String, String> map = new LinkedHashMap<>();
    for (KeyValue kv : values) {
      AnyValue v = kv.getValue();
      map.put(
          kv.getKey(),
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString();
          });
    }
    return map;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
