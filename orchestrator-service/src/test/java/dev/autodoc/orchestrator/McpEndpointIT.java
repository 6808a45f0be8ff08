package dev.autodoc.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The MCP endpoint at the protocol's level, as a client that gets it wrong would meet it: every
 * malformed message is answered with a JSON-RPC error that says what is wrong, never a 500, and
 * nothing is answered without a key.
 */
@QuarkusTest
class McpEndpointIT {
  private static RequestSpecification mcp() {
    return given()
        .header("Authorization", "Bearer " + OrchestratorTesting.READER_KEY)
        .header("Accept", "application/json, text/event-stream")
        .contentType(ContentType.JSON);
  }

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

  @Test
  void aReaderKeyInitializesAndListsTheTools() {
    mcp()
        .body(INITIALIZE)
        .post("/mcp")
        .then()
        .statusCode(200)
        .body("id", equalTo(1))
        .body("result.serverInfo.name", equalTo("autodoc"))
        .body("result.capabilities.tools", org.hamcrest.Matchers.notNullValue());
    mcp()
        .body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}")
        .post("/mcp")
        .then()
        .statusCode(200)
        .body(
            "result.tools.name",
            hasItems("list_repositories", "read_structure", "read_page", "search_docs"));
  }

  @Test
  void malformedMessagesAreJsonRpcErrorsThatSayWhatIsWrong() {
    mcp()
        .body("{this is not json")
        .post("/mcp")
        .then()
        .statusCode(400)
        .body("error.code", equalTo(-32700))
        .body("error.message", containsString("not a JSON-RPC message"))
        .body("id", nullValue());
    mcp()
        .body("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}")
        .post("/mcp")
        .then()
        .statusCode(400)
        .body("error.code", equalTo(-32600))
        .body("error.message", containsString("requests and notifications"));
    mcp()
        .body("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"no/such/method\"}")
        .post("/mcp")
        .then()
        .statusCode(200)
        .body("id", equalTo(4))
        .body("error.code", equalTo(-32601));
    mcp()
        .body(
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"no_such_tool\",\"arguments\":{}}}")
        .post("/mcp")
        .then()
        .statusCode(200)
        .body("id", equalTo(5))
        .body("error.message", containsString("Unknown tool"));
    mcp()
        .body(
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"read_page\",\"arguments\":{\"repository\":7}}}")
        .post("/mcp")
        .then()
        .statusCode(200)
        .body("result.isError", equalTo(true))
        .body("result.content[0].text", containsString("repository"));
  }

  @Test
  void aNotificationIsAcceptedAndThereIsNoStreamToOpen() {
    mcp()
        .body("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
        .post("/mcp")
        .then()
        .statusCode(202);
    mcp().get("/mcp").then().statusCode(405).header("Allow", "POST");
    mcp().delete("/mcp").then().statusCode(405).header("Allow", "POST");
  }

  @Test
  void withoutAKeyNothingIsAnswered() {
    given().contentType(ContentType.JSON).body(INITIALIZE).post("/mcp").then().statusCode(401);
    given()
        .header("Authorization", "Bearer not-a-key")
        .contentType(ContentType.JSON)
        .body(INITIALIZE)
        .post("/mcp")
        .then()
        .statusCode(401);
  }
}
