package dev.autodoc.orchestrator.mcp;

import dev.autodoc.orchestrator.api.ApiKeyAuthentication;
import dev.autodoc.orchestrator.api.RepositoryAccess;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * The MCP endpoint: the Streamable HTTP transport of the MCP specification, stateless. Each POST
 * carries one JSON-RPC request or notification and is answered with one JSON response (or 202 for a
 * notification); there is no session and no server-to-client stream, so GET and DELETE are 405, as
 * the specification allows. It takes the API keys of the REST API (reader role), and the caller's
 * key decides which repositories the tools see.
 */
@Path("/mcp")
@ApplicationScoped
public class McpEndpoint implements McpStatelessServerTransport {
  private static final Logger LOG = Logger.getLogger(McpEndpoint.class);

  private final McpJsonMapper json;
  private final SecurityIdentity identity;
  private final DocumentationResources resources;
  private volatile McpStatelessServerHandler handler;
  private volatile boolean closing;

  McpEndpoint(McpJsonMapper json, SecurityIdentity identity, DocumentationResources resources) {
    this.json = json;
    this.identity = identity;
    this.resources = resources;
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> closing = true);
  }

  // Roles on the HTTP methods, not the class: the server's own calls (the handler, the stop) come
  // with no caller.
  @POST
  @RolesAllowed(ApiKeyAuthentication.READER)
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Response> post(String body) {
    if (closing || handler == null) {
      return Uni.createFrom()
          .item(error(503, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "the server is stopping"));
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, body == null ? "" : body);
    } catch (IOException | IllegalArgumentException e) {
      return Uni.createFrom()
          .item(
              error(
                  400,
                  null,
                  McpSchema.ErrorCodes.PARSE_ERROR,
                  "the body is not a JSON-RPC message: " + e.getMessage()));
    }
    var context =
        McpTransportContext.create(
            Map.of(DocumentationTools.ACCESS, RepositoryAccess.of(identity)));
    return switch (message) {
      case McpSchema.JSONRPCRequest request
          when McpSchema.METHOD_RESOURCES_LIST.equals(request.method()) ->
          listResources(request, RepositoryAccess.of(identity));
      case McpSchema.JSONRPCRequest request ->
          Uni.createFrom()
              .completionStage(
                  () ->
                      handler
                          .handleRequest(context, request)
                          .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                          .toFuture())
              .map(response -> Response.ok(write(response), MediaType.APPLICATION_JSON).build())
              .onFailure()
              .recoverWithItem(
                  f -> {
                    LOG.warnf("MCP request %s failed: %s", request.method(), f.toString());
                    return error(
                        500,
                        request.id(),
                        McpSchema.ErrorCodes.INTERNAL_ERROR,
                        "the request failed: " + f.getMessage());
                  });
      case McpSchema.JSONRPCNotification notification ->
          Uni.createFrom()
              .completionStage(
                  () ->
                      handler
                          .handleNotification(context, notification)
                          .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                          .toFuture())
              .map(done -> Response.accepted().build());
      default ->
          Uni.createFrom()
              .item(
                  error(
                      400,
                      null,
                      McpSchema.ErrorCodes.INVALID_REQUEST,
                      "this server takes requests and notifications, not responses"));
    };
  }

  /**
   * {@code resources/list}, answered here: the SDK lists only resources fixed when it starts, and
   * the documentation changes with every job.
   */
  private Uni<Response> listResources(McpSchema.JSONRPCRequest request, RepositoryAccess access) {
    String cursor =
        request.params() instanceof Map<?, ?> params && params.get("cursor") instanceof String c
            ? c
            : null;
    return Uni.createFrom()
        .deferred(() -> resources.list(access, cursor))
        .map(
            result ->
                Response.ok(
                        write(
                            new McpSchema.JSONRPCResponse(
                                McpSchema.JSONRPC_VERSION, request.id(), result, null)),
                        MediaType.APPLICATION_JSON)
                    .build())
        .onFailure(io.modelcontextprotocol.spec.McpError.class)
        .recoverWithItem(
            f -> {
              var error = ((io.modelcontextprotocol.spec.McpError) f).getJsonRpcError();
              return error(200, request.id(), error.code(), error.message());
            });
  }

  /** No session and no stream from the server: nothing to GET. */
  @GET
  @RolesAllowed(ApiKeyAuthentication.READER)
  public Response get() {
    return Response.status(405).header("Allow", "POST").build();
  }

  /** No session to end. */
  @DELETE
  @RolesAllowed(ApiKeyAuthentication.READER)
  public Response delete() {
    return Response.status(405).header("Allow", "POST").build();
  }

  /**
   * A JSON-RPC error answer. Written by hand: the SDK's response type refuses a null id, which
   * JSON-RPC requires when the request's id could not be read.
   */
  private Response error(int status, Object id, int code, String message) {
    Map<String, Object> error = new java.util.LinkedHashMap<>();
    error.put("jsonrpc", McpSchema.JSONRPC_VERSION);
    error.put("id", id);
    error.put("error", Map.of("code", code, "message", message));
    return Response.status(status).entity(write(error)).type(MediaType.APPLICATION_JSON).build();
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
