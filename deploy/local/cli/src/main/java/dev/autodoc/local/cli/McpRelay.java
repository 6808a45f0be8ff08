package dev.autodoc.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code autodoc mcp}: the documentation tools over stdio, for a coding agent on this machine. It
 * starts Autodoc (or finds it running), then relays each message the agent writes, one JSON-RPC
 * message per line as the MCP stdio transport has it, to the orchestrator's MCP server with the
 * local key, and writes each answer back as one line. The tools are the server's own, so stdio and
 * HTTP can never differ. Standard output carries only the protocol: progress and failures go to
 * standard error. While the agent is connected, Autodoc counts as in use; after, it stops once
 * unused for the idle period, as after {@code generate}.
 */
@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description =
        "Serves the documentation tools to a coding agent over stdio (Model Context Protocol),"
            + " starting Autodoc if it is not running.")
final class McpRelay implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Mixin Main.DataDir dataDir = new Main.DataDir();

  /** Where the agent reads answers; standard output unless a test says otherwise. */
  private final PrintStream answers;

  private final InputStream messages;

  McpRelay() {
    this(System.in, System.out);
  }

  McpRelay(InputStream messages, PrintStream answers) {
    this.messages = messages;
    this.answers = answers;
  }

  @Override
  public Integer call() throws Exception {
    var log = new PrintWriter(System.err, true);
    Path dir = dataDir.resolve();
    try (AutoCloseable use = IdleStop.use(dir)) {
      var up = Main.startOrResume(dataDir, log, LocalDeployment.Wait.EVERYTHING);
      if (up.isEmpty()) {
        return Main.INFRASTRUCTURE;
      }
      LocalDeployment deployment = up.get();
      deployment.detach();
      IdleStop.arm(Main.projectDir(), dir, IdleStop.defaultPeriod());
      log.println("· Autodoc's MCP server is " + deployment.apiUrl() + "/mcp; relaying stdio");
      relay(deployment.apiUrl() + "/mcp", deployment.apiKey(), log);
    }
    return 0;
  }

  /** Relays until the agent closes its end. */
  void relay(String endpoint, String key, PrintWriter log)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    var in = new BufferedReader(new InputStreamReader(messages, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(endpoint))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(line))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        log.println("· the MCP server did not answer: " + e.getMessage());
        answer(error(line, "Autodoc's MCP server did not answer: " + e.getMessage()));
        continue;
      }
      String body = response.body();
      if (response.statusCode() == 202 || body == null || body.isBlank()) {
        continue; // a notification: nothing comes back
      }
      if (isJson(body)) {
        answer(body);
      } else {
        answer(error(line, "Autodoc's MCP server answered " + response.statusCode() + ": " + body));
      }
    }
  }

  private void answer(String message) {
    if (message == null) {
      return;
    }
    // One message per line: JSON has no raw line breaks outside strings, and the server's has none.
    answers.print(message.replace("\r", "").replace("\n", ""));
    answers.print('\n');
    answers.flush();
  }

  private static boolean isJson(String body) {
    try {
      return JSON.readTree(body).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  /** A JSON-RPC error answering the request on {@code line}; none for a notification. */
  private static String error(String line, String message) {
    JsonNode id = null;
    try {
      JsonNode request = JSON.readTree(line);
      id = request.get("id");
      if (id == null) {
        return null;
      }
    } catch (IOException e) {
      // Not JSON: answered without an id, as JSON-RPC has it for a parse error.
    }
    ObjectNode error = JSON.createObjectNode().put("jsonrpc", "2.0");
    error.set("id", id);
    error.putObject("error").put("code", -32603).put("message", message);
    return error.toString();
  }
}
