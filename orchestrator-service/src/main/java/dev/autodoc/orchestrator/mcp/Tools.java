package dev.autodoc.orchestrator.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autodoc.orchestrator.api.RepositoryAccess;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import reactor.core.publisher.Mono;

/**
 * What every documentation tool shares: its specification with the input and output schemas of
 * {@code mcp/<tool>.{input,output}.json}, the caller's access from the transport context, the
 * arguments read as they must be, and answers as structured content (and the same as text) or as
 * tool errors naming the mistake.
 */
final class Tools {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tools() {}

  /**
   * What the caller may read, as the endpoint put it in the transport context: nothing if absent.
   */
  static RepositoryAccess access(McpTransportContext context) {
    return context.get(DocumentationTools.ACCESS) instanceof RepositoryAccess given
        ? given
        : RepositoryAccess.NONE;
  }

  /** A mistake in a tool's arguments, or something that does not exist: a tool error. */
  static final class ToolError extends RuntimeException {
    ToolError(String message) {
      super(message, null, false, false);
    }
  }

  static String text(Map<String, Object> arguments, String name) {
    return optionalText(arguments, name)
        .orElseThrow(() -> new ToolError("'" + name + "' is required"));
  }

  static Optional<String> optionalText(Map<String, Object> arguments, String name) {
    Object value = arguments.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new ToolError("'" + name + "' must be a non-empty string");
    }
    return Optional.of(s);
  }

  interface Handler {
    Uni<Map<String, Object>> apply(RepositoryAccess access, Map<String, Object> arguments);
  }

  static AsyncToolSpecification tool(String name, String description, Handler handler) {
    var tool =
        McpSchema.Tool.builder()
            .name(name)
            .description(description)
            .inputSchema(schema(name + ".input"))
            .outputSchema(schema(name + ".output"))
            .build();
    BiFunction<McpTransportContext, McpSchema.CallToolRequest, Mono<McpSchema.CallToolResult>>
        call =
            (context, request) -> {
              RepositoryAccess access = Tools.access(context);
              Map<String, Object> arguments =
                  request.arguments() == null ? Map.of() : request.arguments();
              Uni<McpSchema.CallToolResult> result =
                  Uni.createFrom()
                      .deferred(() -> handler.apply(access, arguments))
                      .map(Tools::success)
                      .onFailure(ToolError.class)
                      .recoverWithItem(f -> failure(f.getMessage()));
              return Mono.fromCompletionStage(result::subscribeAsCompletionStage);
            };
    return new AsyncToolSpecification(tool, call);
  }

  private static McpSchema.CallToolResult success(Map<String, Object> content) {
    try {
      return McpSchema.CallToolResult.builder()
          .addTextContent(JSON.writeValueAsString(content))
          .structuredContent(content)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static McpSchema.CallToolResult failure(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> schema(String name) {
    try (var in = Tools.class.getResourceAsStream("/mcp/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("no schema mcp/" + name + ".json");
      }
      return JSON.readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
