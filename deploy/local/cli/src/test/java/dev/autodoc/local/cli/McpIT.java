package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The MCP server over real HTTP, with the official SDK's client, on two repositories documented by
 * real jobs of one local deployment: the tools and their schemas, search across repositories,
 * mistakes answered as tool errors, keys, and a page changed by an incremental run. The last test
 * changes a repository, so the order is fixed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McpIT {
  private static final Path PROJECT =
      Path.of(System.getProperty("autodoc.project.dir", "../../..")).toAbsolutePath();
  private static final String AGENT_KEY = "adk_agent_reads_only_the_ledger";

  private static LocalDeployment deployment;
  private static Path dataDir;
  private static ApiClient api;
  private static GitFixture ledger;
  private static GitFixture shop;
  private static String ledgerId;
  private static String shopId;
  private static String ledgerHead;
  private static final Map<String, String> JOBS = new java.util.HashMap<>();

  @BeforeAll
  static void documentTwoRepositories() throws Exception {
    ledger = CliTesting.repository("mcp-ledger");
    ledgerHead =
        ledger
            .write(".autodoc.yaml", "name: ledger\n")
            .write(
                "src/ledger/Ledger.java",
                "package ledger;\n\n/** Books every payment twice, once per side. */\n"
                    + "public class Ledger {\n  /** Books one payment. */\n"
                    + "  public void book(Payment payment) {}\n}\n")
            .write(
                "src/ledger/Payment.java",
                "package ledger;\n\n/** Money moving from one account to another. */\n"
                    + "public record Payment(String from, String to, long cents) {}\n")
            .commit("ledger");
    shop = CliTesting.repository("mcp-shop");
    shop.write(".autodoc.yaml", "name: shop\n")
        .write(
            "src/shop/Basket.java",
            "package shop;\n\n/** The articles a customer is about to buy. */\n"
                + "public class Basket {\n  /** Adds one article. */\n"
                + "  public void add(String article) {}\n}\n")
        .commit("shop");
    ledgerId = RepositoryRef.parse(ledger.url()).id();
    shopId = RepositoryRef.parse(shop.url()).id();

    deployment =
        LocalDeployment.start(
            PROJECT,
            dataDir = CliTesting.newDataDir("mcp"),
            new LocalDeployment.ServiceOptions(
                1,
                Map.of(),
                Map.of(
                    "autodoc.orchestrator.api-keys.agent.key",
                    AGENT_KEY,
                    "autodoc.orchestrator.api-keys.agent.roles",
                    "reader",
                    "autodoc.orchestrator.api-keys.agent.repositories",
                    ledger.url(),
                    // Freshness told anew on every call, to see a commit as soon as it is made.
                    "autodoc.orchestrator.freshness-interval",
                    "0s")),
            m -> {});
    // Left running as 'up' leaves it, so that 'autodoc mcp' finds it; 'down' stops it after.
    deployment.detach();
    api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
    for (GitFixture repo : List.of(ledger, shop)) {
      String job = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
      JOBS.put(repo.url(), job);
      awaitCompleted(job);
    }
    CliTesting.awaitIndexed(api, ledgerId);
    CliTesting.awaitIndexed(api, shopId);
  }

  @AfterAll
  static void stop() {
    if (dataDir != null) {
      CliTesting.run("down", "--data-dir", dataDir.toString());
    }
    for (GitFixture repo : new GitFixture[] {ledger, shop}) {
      if (repo != null) {
        repo.close();
      }
    }
  }

  @Test
  @Order(1)
  void everyToolHasItsSchemasAndAnswersFromTheJobsPages() throws Exception {
    try (McpSyncClient client = client(deployment.apiKey())) {
      var init = client.initialize();
      assertThat(init.serverInfo().name()).isEqualTo("autodoc");
      List<McpSchema.Tool> tools = client.listTools().tools();
      assertThat(tools)
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder(
              "list_repositories", "read_structure", "read_page", "search_docs", "find_symbol");
      assertThat(tools)
          .allSatisfy(
              t -> {
                assertThat(t.inputSchema()).containsEntry("type", "object");
                assertThat(t.outputSchema())
                    .containsEntry("type", "object")
                    .containsKey("required");
              });

      var listed = call(client, "list_repositories", Map.of());
      List<Map<String, Object>> repositories = list(listed, "repositories");
      assertThat(repositories).extracting(r -> r.get("id")).contains(ledgerId, shopId);
      assertThat(repositories)
          .filteredOn(r -> r.get("id").equals(ledgerId))
          .singleElement()
          .satisfies(
              r ->
                  assertThat(r)
                      .containsEntry("documentedCommit", ledgerHead)
                      .containsEntry("branchHead", ledgerHead)
                      .containsEntry("commitsBehind", 0));

      var structure = call(client, "read_structure", Map.of("repository", ledger.url()));
      List<Map<String, Object>> scopes = list(structure, "scopes");
      assertThat(scopes).extracting(s -> s.get("path")).containsExactly("");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> pages = (List<Map<String, Object>>) scopes.getFirst().get("pages");
      String modulePage =
          pages.stream()
              .map(p -> (String) p.get("path"))
              .filter(p -> p.contains("ledger") && !p.endsWith("README.md"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no page of package ledger in " + pages));

      var page = call(client, "read_page", Map.of("repository", ledgerId, "path", modulePage));
      String markdown = (String) structured(page).get("markdown");
      assertThat(markdown).isEqualTo(api.pageMarkdown(ledgerId, modulePage));
      assertThat(markdown).contains("Ledger").contains("Books every payment twice");
      assertThat(structured(page).get("commit")).isEqualTo(ledgerHead);

      String heading =
          markdown
              .lines()
              .filter(l -> l.startsWith("## "))
              .findFirst()
              .orElseThrow()
              .substring(3)
              .strip();
      var section =
          call(
              client,
              "read_page",
              Map.of("repository", ledgerId, "path", modulePage, "section", heading));
      String part = (String) structured(section).get("markdown");
      assertThat(part).startsWith("## " + heading);
      assertThat(part.length()).isLessThan(markdown.length());

      // One question across both repositories finds each one's own text.
      var found = call(client, "search_docs", Map.of("query", "basket articles customer buy"));
      List<Map<String, Object>> results = list(found, "results");
      assertThat(results).isNotEmpty();
      assertThat(results.getFirst().get("repository")).isEqualTo(shopId);
      assertThat(results.getFirst().get("text").toString()).contains("Basket");
      var both = call(client, "search_docs", Map.of("query", "payment ledger basket", "limit", 20));
      assertThat(list(both, "results"))
          .extracting(r -> r.get("repository"))
          .contains(ledgerId, shopId);
      assertThat(list(both, "results")).allSatisfy(r -> assertThat(r.get("commit")).isNotNull());

      // A symbol by name: its file and lines at the documented commit, its page and heading.
      var book = list(call(client, "find_symbol", Map.of("name", "Ledger.book")), "symbols");
      assertThat(book).isNotEmpty();
      var method = book.getFirst();
      assertThat(method)
          .containsEntry("repository", ledgerId)
          .containsEntry("qualifiedName", "ledger.Ledger.book")
          .containsEntry("kind", "METHOD")
          .containsEntry("file", "src/ledger/Ledger.java")
          .containsEntry("line", 6)
          .containsEntry("endLine", 6)
          .containsEntry("commit", ledgerHead)
          .containsEntry("match", "EXACT");
      assertThat(method.get("page")).isEqualTo(modulePage);
      assertThat(method.get("anchor")).isNotNull();
      var documented =
          call(
              client,
              "read_page",
              Map.of("repository", ledgerId, "path", modulePage, "section", method.get("anchor")));
      assertThat(structured(documented).get("markdown").toString()).contains("book");
      // Misspelt, it is still found, as a near match; across repositories, each its own.
      assertThat(list(call(client, "find_symbol", Map.of("name", "Baskett")), "symbols"))
          .first()
          .satisfies(
              s ->
                  assertThat(s)
                      .containsEntry("repository", shopId)
                      .containsEntry("name", "Basket")
                      .containsEntry("match", "NEAR"));
      assertThat(
              list(
                  call(client, "find_symbol", Map.of("name", "Payment", "kind", "RECORD")),
                  "symbols"))
          .extracting(s -> s.get("qualifiedName"))
          .containsExactly("ledger.Payment");
    }
  }

  /**
   * The documentation as resources: every page and each repository's llms.txt listed, read through
   * the two templates, the index's links being the pages' resources.
   */
  @Test
  @Order(1)
  void everyPageIsAResourceAndLlmsTxtLinksThem() throws Exception {
    try (McpSyncClient client = client(deployment.apiKey())) {
      client.initialize();
      assertThat(client.listResourceTemplates().resourceTemplates())
          .extracting(McpSchema.ResourceTemplate::uriTemplate)
          .containsExactlyInAnyOrder(
              "autodoc://repositories/{repository}/llms.txt",
              "autodoc://repositories/{repository}/pages/{+path}");
      List<McpSchema.Resource> listed = client.listResources().resources();
      List<String> ledgerPages = new java.util.ArrayList<>();
      api.pages(ledgerId).body().forEach(p -> ledgerPages.add(p.path("path").asText()));
      String prefix = "autodoc://repositories/" + ledgerId + "/pages/";
      assertThat(listed)
          .extracting(McpSchema.Resource::uri)
          .contains("autodoc://repositories/" + ledgerId + "/llms.txt")
          .contains("autodoc://repositories/" + shopId + "/llms.txt")
          .containsAll(ledgerPages.stream().map(p -> prefix + p).toList());
      for (String page : ledgerPages) {
        var read = client.readResource(new McpSchema.ReadResourceRequest(prefix + page));
        assertThat(((McpSchema.TextResourceContents) read.contents().getFirst()).text())
            .isEqualTo(api.pageMarkdown(ledgerId, page));
      }
      String index =
          ((McpSchema.TextResourceContents)
                  client
                      .readResource(
                          new McpSchema.ReadResourceRequest(
                              "autodoc://repositories/" + ledgerId + "/llms.txt"))
                      .contents()
                      .getFirst())
              .text();
      var link = java.util.regex.Pattern.compile("\\]\\((autodoc://[^)]+)\\)");
      var m = link.matcher(index);
      List<String> linked = new java.util.ArrayList<>();
      while (m.find()) {
        linked.add(m.group(1));
      }
      assertThat(linked)
          .containsExactlyInAnyOrderElementsOf(ledgerPages.stream().map(p -> prefix + p).toList());
      assertThatThrownBy(
              () -> client.readResource(new McpSchema.ReadResourceRequest(prefix + "docs/none.md")))
          .hasMessageContaining("not found");
    }
  }

  @Test
  @Order(2)
  void mistakesAreToolErrorsThatNameWhatIsWrong() {
    try (McpSyncClient client = client(deployment.apiKey())) {
      client.initialize();
      assertThat(error(client, "read_page", Map.of("repository", ledgerId))).contains("path");
      assertThat(error(client, "search_docs", Map.of("query", "x", "limit", 0))).contains("limit");
      assertThat(error(client, "read_structure", Map.of("repository", "nothing-here")))
          .contains("no repository nothing-here");
      assertThat(
              error(
                  client,
                  "read_page",
                  Map.of("repository", ledgerId, "path", "docs/autodoc/none.md")))
          .contains("no page docs/autodoc/none.md");
      assertThat(error(client, "read_structure", Map.of("repository", ledgerId, "extra", 1)))
          .contains("extra");
      assertThat(error(client, "find_symbol", Map.of("name", "Ledger", "kind", "WIDGET")))
          .contains("kind");
      assertThat(error(client, "find_symbol", Map.of("repository", ledgerId))).contains("name");
    }
  }

  @Test
  @Order(3)
  void aKeySeesOnlyItsRepositoriesAndNoKeyIsRefused() throws Exception {
    try (McpSyncClient client = client(AGENT_KEY)) {
      client.initialize();
      assertThat(list(call(client, "list_repositories", Map.of()), "repositories"))
          .extracting(r -> r.get("id"))
          .containsExactly(ledgerId);
      assertThat(error(client, "read_structure", Map.of("repository", shopId)))
          .contains("no repository " + shopId);
      assertThat(
              list(call(client, "search_docs", Map.of("query", "basket", "limit", 50)), "results"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.get("repository")).isEqualTo(ledgerId));
      assertThat(list(call(client, "find_symbol", Map.of("name", "Basket")), "symbols"))
          .allSatisfy(r -> assertThat(r.get("repository")).isEqualTo(ledgerId));
      assertThat(client.listResources().resources())
          .isNotEmpty()
          .allSatisfy(
              r -> assertThat(r.uri()).startsWith("autodoc://repositories/" + ledgerId + "/"));
      assertThatThrownBy(
              () ->
                  client.readResource(
                      new McpSchema.ReadResourceRequest(
                          "autodoc://repositories/" + shopId + "/llms.txt")))
          .hasMessageContaining("not found");
    }
    // The REST API agrees: to this key, the shop does not exist.
    var other = new ApiClient(deployment.apiUrl(), AGENT_KEY);
    assertThat(other.pages(shopId).status()).isEqualTo(404);
    assertThat(other.pages(ledgerId).status()).isEqualTo(200);
    assertThat(other.job(JOBS.get(shop.url())).status()).isEqualTo(404);
    assertThat(other.job(JOBS.get(ledger.url())).status()).isEqualTo(200);
    assertThat(other.jobsOf(shop.url(), 10).body().path("items")).isEmpty();
    assertThat(
            get(
                    deployment.apiUrl() + "/api/v1/repositories/" + shopId + "/symbols?q=Basket",
                    AGENT_KEY)
                .statusCode())
        .isEqualTo(404);

    try (McpSyncClient anonymous = client(null)) {
      assertThatThrownBy(anonymous::initialize).isNotNull();
    }
    HttpResponse<String> unauthenticated =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(deployment.apiUrl() + "/mcp"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
  }

  /**
   * llms.txt as the proposal (llmstxt.org) lays it out: one H1 with the name, a blockquote summary,
   * then H2 sections whose list items are links; every link is a page of the repository, and
   * llms-full.txt holds every page whole.
   */
  @Test
  @Order(4)
  void llmsTxtFollowsTheProposalAndEveryLinkIsAPage() throws Exception {
    String base = deployment.apiUrl() + "/api/v1/repositories/" + ledgerId;
    HttpResponse<String> index = get(base + "/llms.txt");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
    List<String> lines = index.body().lines().toList();
    assertThat(lines.getFirst()).startsWith("# mcp-ledger");
    assertThat(lines.stream().filter(l -> l.startsWith("# "))).hasSize(1);
    assertThat(lines.stream().filter(l -> !l.isBlank()).skip(1).findFirst().orElseThrow())
        .startsWith("> Documentation of ")
        .contains(ledgerHead);
    assertThat(lines).contains("## The repository's root");
    var link = java.util.regex.Pattern.compile("^- \\[([^\\]]+)\\]\\((\\S+)\\)(: .+)?$");
    List<String> urls =
        lines.stream()
            .filter(l -> l.startsWith("- "))
            .map(
                l -> {
                  var m = link.matcher(l);
                  assertThat(m.matches()).as("a list item of llms.txt is a link: " + l).isTrue();
                  return m.group(2);
                })
            .toList();
    List<String> pagePaths = new java.util.ArrayList<>();
    api.pages(ledgerId).body().forEach(p -> pagePaths.add(p.path("path").asText()));
    assertThat(urls).hasSameSizeAs(pagePaths);
    HttpResponse<String> full = get(base + "/llms-full.txt");
    assertThat(full.statusCode()).isEqualTo(200);
    for (String url : urls) {
      HttpResponse<String> page = get(url);
      assertThat(page.statusCode()).as(url).isEqualTo(200);
      String path = url.substring(url.indexOf("/pages/") + "/pages/".length());
      assertThat(pagePaths).contains(path);
      assertThat(page.body()).isEqualTo(api.pageMarkdown(ledgerId, path));
      assertThat(full.body()).contains(page.body().strip());
    }
    assertThat(get(base + "/llms.txt?scope=nowhere").statusCode()).isEqualTo(404);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return get(url, deployment.apiKey());
  }

  private static HttpResponse<String> get(String url, String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code autodoc mcp}, as an agent's configuration starts it: the same tools over stdio, through
   * the SDK's stdio client, on the Autodoc already running in the data directory.
   */
  @Test
  @Order(5)
  void theStdioCommandServesTheSameToolsAsTheEndpoint() throws Exception {
    var command =
        ServerParameters.builder(PROJECT.resolve("deploy/local/autodoc").toString())
            .args("mcp", "--data-dir", dataDir.toString())
            .build();
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    var transport = new StdioClientTransport(command, McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(log::add);
    try (McpSyncClient client =
        McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).build()) {
      client.initialize();
      assertThat(client.listTools().tools())
          .extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder(
              "list_repositories", "read_structure", "read_page", "search_docs", "find_symbol");
      var structure = call(client, "read_structure", Map.of("repository", shopId));
      @SuppressWarnings("unchecked")
      var pages = (List<Map<String, Object>>) list(structure, "scopes").getFirst().get("pages");
      String path = (String) pages.getFirst().get("path");
      var page = call(client, "read_page", Map.of("repository", shopId, "path", path));
      assertThat(structured(page).get("markdown")).isEqualTo(api.pageMarkdown(shopId, path));
      assertThat(error(client, "read_page", Map.of("repository", shopId))).contains("path");
    }
    assertThat(log).anySatisfy(l -> assertThat(l).contains("relaying stdio"));
  }

  @Test
  @Order(6)
  void aPageAnIncrementalRunChangedIsReadAndFoundAtItsNewCommit() throws Exception {
    String head =
        ledger
            .write(
                "src/ledger/Ledger.java",
                "package ledger;\n\n/** Books every payment twice, once per side. */\n"
                    + "public class Ledger {\n  /** Books one payment. */\n"
                    + "  public void book(Payment payment) {}\n\n"
                    + "  /** Reverses a booking with a counter-entry, never by deleting it. */\n"
                    + "  public void reverse(Payment payment) {}\n}\n")
            .commit("ledger: reversals");
    // Before the job, the documentation is a commit behind its branch.
    try (McpSyncClient client = client(deployment.apiKey())) {
      client.initialize();
      assertThat(ledgerEntry(client))
          .containsEntry("documentedCommit", ledgerHead)
          .containsEntry("branchHead", head)
          .containsEntry("commitsBehind", 1);
    }
    String job =
        api.submit(Map.of("repository", ledger.url(), "mode", "INCREMENTAL"))
            .body()
            .path("id")
            .asText();
    awaitCompleted(job);
    try (McpSyncClient client = client(deployment.apiKey())) {
      client.initialize();
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                var results =
                    list(
                        call(
                            client,
                            "search_docs",
                            Map.of(
                                "query",
                                "reverse a booking counter-entry",
                                "repository",
                                ledgerId)),
                        "results");
                // The best hit is the changed page, at the commit that changed it (the text is
                // an excerpt, which may stop before the new member).
                assertThat(results).isNotEmpty();
                assertThat(results.getFirst().get("text").toString()).contains("Ledger");
                assertThat(results.getFirst().get("commit")).isEqualTo(head);
              });
      String page =
          list(
                  call(
                      client,
                      "search_docs",
                      Map.of("query", "reverse a booking counter-entry", "repository", ledgerId)),
                  "results")
              .getFirst()
              .get("page")
              .toString();
      var read =
          structured(call(client, "read_page", Map.of("repository", ledgerId, "path", page)));
      assertThat(read.get("commit")).isEqualTo(head);
      assertThat(read.get("markdown").toString()).contains("counter-entry");

      assertThat(ledgerEntry(client))
          .containsEntry("documentedCommit", head)
          .containsEntry("commitsBehind", 0);
      // llms.txt names the same commit, whatever commit the pages the run kept still name.
      var index =
          (McpSchema.TextResourceContents)
              client
                  .readResource(
                      new McpSchema.ReadResourceRequest(
                          "autodoc://repositories/" + ledgerId + "/llms.txt"))
                  .contents()
                  .getFirst();
      assertThat(index.text()).contains(", commit " + head + ").");

      // The symbol index follows the incremental run: the new method, and the moved line of the
      // class's end, at the new commit.
      var reverse =
          list(
                  call(
                      client,
                      "find_symbol",
                      Map.of("name", "reverse", "repository", ledgerId, "kind", "METHOD")),
                  "symbols")
              .getFirst();
      assertThat(reverse)
          .containsEntry("qualifiedName", "ledger.Ledger.reverse")
          .containsEntry("line", 9)
          .containsEntry("commit", head);
      assertThat(
              list(
                      call(
                          client,
                          "find_symbol",
                          Map.of("name", "Ledger", "repository", ledgerId, "kind", "CLASS")),
                      "symbols")
                  .getFirst())
          .containsEntry("line", 4)
          .containsEntry("endLine", 10);
    }
  }

  private static Map<String, Object> ledgerEntry(McpSyncClient client) {
    return list(call(client, "list_repositories", Map.of()), "repositories").stream()
        .filter(r -> r.get("id").equals(ledgerId))
        .findFirst()
        .orElseThrow();
  }

  private static McpSyncClient client(String key) {
    return McpTesting.client(deployment.apiUrl(), key);
  }

  private static McpSchema.CallToolResult call(
      McpSyncClient client, String tool, Map<String, Object> arguments) {
    return McpTesting.call(client, tool, arguments);
  }

  private static String error(McpSyncClient client, String tool, Map<String, Object> arguments) {
    return McpTesting.error(client, tool, arguments);
  }

  private static Map<String, Object> structured(McpSchema.CallToolResult result) {
    return McpTesting.structured(result);
  }

  private static List<Map<String, Object>> list(McpSchema.CallToolResult result, String field) {
    return McpTesting.list(result, field);
  }

  private static void awaitCompleted(String job) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.job(job).body().path("status").asText().equals("COMPLETED"));
  }
}
