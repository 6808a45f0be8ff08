package dev.autodoc.orchestrator.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The MCP server of the documentation, built with the official Java SDK on {@link McpEndpoint} at
 * start: the tools of {@link DocumentationTools}, checked against their input schemas before they
 * run and against their output schemas after, and the resources of {@link DocumentationResources}.
 */
@ApplicationScoped
public class McpServerSetup {
  private McpStatelessAsyncServer server;

  /** JSON as the rest of the service writes it, through Jackson 2. */
  @Produces
  @Singleton
  McpJsonMapper mcpJsonMapper(ObjectMapper mapper) {
    return new JacksonMcpJsonMapper(mapper);
  }

  void start(
      @Observes StartupEvent event,
      McpEndpoint endpoint,
      DocumentationTools tools,
      AskTool ask,
      DocumentationResources resources,
      McpJsonMapper json,
      ObjectMapper mapper,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    server =
        McpServer.async(endpoint)
            .serverInfo("autodoc", version)
            .instructions(
                "Documentation of code repositories, written by Autodoc from the code. Start with"
                    + " list_repositories, then read_structure, search_docs or find_symbol, then"
                    + " read_page; ask, when offered, answers a question with a citation for every"
                    + " claim. Pages are also resources, each repository's llms.txt their index.")
            .capabilities(
                McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
            .uriTemplateManagerFactory(resources.uriTemplates())
            .resourceTemplates(resources.specifications())
            .jsonMapper(json)
            .jsonSchemaValidator(new DefaultJsonSchemaValidator(mapper))
            .validateToolInputs(true)
            .requestTimeout(Duration.ofSeconds(60))
            .tools(all(tools, ask))
            .build();
  }

  private static java.util.List<AsyncToolSpecification> all(DocumentationTools tools, AskTool ask) {
    var all = new java.util.ArrayList<>(tools.specifications());
    ask.specification().ifPresent(all::add);
    return all;
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.closeGracefully().block(Duration.ofSeconds(5));
    }
  }
}
