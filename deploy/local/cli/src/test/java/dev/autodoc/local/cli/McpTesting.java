package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** An MCP client of a local deployment's {@code /mcp}, built on the official SDK, and its calls. */
final class McpTesting {
  private McpTesting() {}

  /** A client sending {@code key} as its bearer token (none when null). */
  static McpSyncClient client(String apiUrl, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    var transport =
        HttpClientStreamableHttpTransport.builder(apiUrl)
            .endpoint("/mcp")
            .requestBuilder(request)
            .build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
  }

  /** A tool call that must succeed. */
  static McpSchema.CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> arguments) {
    var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    assertThat(result.isError()).as(tool + ": " + result.content()).isNotEqualTo(Boolean.TRUE);
    return result;
  }

  /** The text of a tool error. */
  static String error(McpSyncClient client, String tool, Map<String, Object> arguments) {
    var result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    assertThat(result.isError()).as(tool + " " + arguments).isTrue();
    return ((McpSchema.TextContent) result.content().getFirst()).text();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> structured(McpSchema.CallToolResult result) {
    return (Map<String, Object>) result.structuredContent();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(McpSchema.CallToolResult result, String field) {
    return (List<Map<String, Object>>) structured(result).get(field);
  }
}
