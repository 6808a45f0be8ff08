package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.local.testing.GitFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole job, through the API, Kafka, the orchestrator and a worker, on a repository holding
 * published open-source code in seven languages, one scope each: every page meets the quality bar,
 * names only what the code declares, covers its symbols, links only to what exists, and search
 * finds a type's page by the type's name.
 */
class RealCodeJobIT {
  private static final double THRESHOLD = ScopeConfig.Agent.DEFAULT.qualityThreshold();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  private static Path dataDir;
  private static GitFixture repo;
  private static LocalDeployment deployment;
  private static ApiClient api;
  private static JsonNode job;
  private static String repositoryId;
  private static List<JsonNode> pages;
  private static StandInModel model;

  @BeforeAll
  static void documentSevenLanguages() throws Exception {
    dataDir = CliTesting.newDataDir("real-code");
    repo = CliTesting.repository("polyglot");
    CliTesting.sevenLanguages(repo);

    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    // A faithful stand-in model for ask: it quotes its best sources and cites each.
    model = StandInModel.start(StandInModel::synthesize);
    deployment =
        LocalDeployment.start(
            project,
            dataDir,
            new LocalDeployment.ServiceOptions(
                1, Map.of(), Map.of("autodoc.orchestrator.llm.base-url", model.baseUrl())),
            m -> {});
    api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
    String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> api.job(id).body().path("status").asText().matches("COMPLETED|FAILED"));
    job = api.job(id).body();
    repositoryId = job.path("repository").path("id").asText();
    pages = new ArrayList<>();
    api.pages(repositoryId).body().forEach(pages::add);
  }

  @AfterAll
  static void stop() {
    try {
      if (deployment != null) {
        deployment.close();
      }
    } finally {
      RecordedDeployment.down(dataDir);
      repo.close();
      model.close();
      dev.autodoc.local.stack.LocalStack.deleteRecursively(dataDir);
    }
  }

  @Test
  void everyScopeIsDocumentedAndEveryPageMeetsTheBar() {
    assertThat(job.path("status").asText()).as(job.toPrettyString()).isEqualTo("COMPLETED");
    assertThat(job.path("scopes")).hasSize(7);
    for (String scope : List.of("java", "go", "rust", "python", "typescript", "csharp", "c")) {
      assertThat(pages)
          .as(scope)
          .filteredOn(p -> p.path("scope").asText().equals(scope))
          .extracting(p -> p.path("path").asText())
          .contains(scope + "/docs/autodoc/index.md")
          .anyMatch(p -> p.startsWith(scope + "/docs/autodoc/modules/"));
    }
    // The README is distilled from the scored pages; the pages carry the scores.
    assertThat(pages)
        .filteredOn(p -> !p.path("kind").asText().equals("README"))
        .hasSizeGreaterThan(20)
        .allSatisfy(
            page -> {
              String path = page.path("path").asText();
              assertThat(page.path("score").asDouble())
                  .as(path + " " + page.path("findings"))
                  .isGreaterThanOrEqualTo(THRESHOLD);
              // Scored by the worker: no name the code lacks, no public symbol left out.
              page.path("findings")
                  .forEach(
                      f ->
                          assertThat(f.asText())
                              .as(path)
                              .doesNotStartWith("unknown identifier")
                              .doesNotStartWith("missing symbol")
                              .doesNotStartWith("broken link"));
            });
  }

  /**
   * The pull request as a reader sees it on the branch: every relative link in its pages, READMEs
   * and llms.txt files lands on a file of that branch; each scope's llms.txt follows the proposal
   * (one H1, a blockquote, H2 sections of links) and lists every page of the scope, whose text its
   * llms-full.txt holds; each README points to them.
   */
  @Test
  void everyRelativeLinkOfThePullRequestLandsOnAFileOfItsBranch() throws Exception {
    Map<String, String> branch = pullRequestFiles();
    Set<String> documents = new HashSet<>();
    pages.forEach(p -> documents.add(p.path("path").asText()));
    assertThat(branch.keySet()).containsAll(documents);
    branch.keySet().stream().filter(p -> p.endsWith("/llms.txt")).forEach(documents::add);
    assertThat(documents).filteredOn(p -> p.endsWith("/llms.txt")).hasSize(7);
    int links = 0;
    for (String path : documents) {
      Matcher m = LINK.matcher(branch.get(path));
      while (m.find()) {
        String target =
            java.net.URLDecoder.decode(
                m.group(1).replaceAll("#.*$", "").replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8);
        if (target.isEmpty() || target.matches("^[a-z][a-z0-9+.-]*:.*")) {
          continue;
        }
        String resolved = Path.of(path).resolveSibling(target).normalize().toString();
        assertThat(branch).as(path + " links to " + target).containsKey(resolved);
        links++;
      }
    }
    assertThat(links).isGreaterThan(100);
    for (String scope : List.of("java", "go", "rust", "python", "typescript", "csharp", "c")) {
      String index = branch.get(scope + "/docs/autodoc/llms.txt");
      List<String> lines = index.lines().filter(l -> !l.isBlank()).toList();
      assertThat(lines.getFirst()).isEqualTo("# " + scope);
      assertThat(lines.get(1)).startsWith("> Documentation of " + scope + " in ");
      assertThat(lines).filteredOn(l -> l.startsWith("# ")).hasSize(1);
      assertThat(lines).filteredOn(l -> l.startsWith("## ")).containsExactly("## " + scope);
      List<String> listed =
          lines.stream()
              .filter(l -> l.startsWith("- "))
              .map(
                  l -> {
                    assertThat(l)
                        .as("a list item of llms.txt is a link")
                        .matches("^- \\[.+\\]\\(\\S+\\).*");
                    return l.substring(l.indexOf("](") + 2, l.indexOf(')', l.indexOf("](")));
                  })
              .map(
                  link ->
                      Path.of(scope + "/docs/autodoc/llms.txt")
                          .resolveSibling(link)
                          .normalize()
                          .toString())
              .toList();
      List<String> scopePages =
          pages.stream()
              .filter(p -> p.path("scope").asText().equals(scope))
              .map(p -> p.path("path").asText())
              .toList();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(scopePages);
      String full = branch.get(scope + "/docs/autodoc/llms-full.txt");
      scopePages.forEach(p -> assertThat(full).as(p).contains(branch.get(p).strip()));
      assertThat(branch.get(scope + "/AGENTS.md")).contains("[llms.txt](docs/autodoc/llms.txt)");
    }
  }

  /** The text files of the job's pull request branch, by path. */
  private static Map<String, String> pullRequestFiles() throws IOException {
    String name = job.path("pullRequest").path("branch").asText();
    assertThat(name).as(job.toPrettyString()).startsWith("autodoc/");
    Map<String, String> files = new java.util.HashMap<>();
    try (var git = org.eclipse.jgit.api.Git.open(repo.dir().toFile());
        var walk = new org.eclipse.jgit.revwalk.RevWalk(git.getRepository());
        var tree = new org.eclipse.jgit.treewalk.TreeWalk(git.getRepository())) {
      tree.addTree(walk.parseCommit(git.getRepository().resolve("refs/heads/" + name)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        byte[] bytes = git.getRepository().open(tree.getObjectId(0)).getBytes();
        files.put(tree.getPathString(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  /**
   * {@code ask} on real documentation, with a model that answers faithfully: one question per page
   * ("What is <title>?") and one per symbol the page lists. Prints the share of answers that pass
   * the citation and identifier checks on the first try (the issue's number); every answer is
   * either verified, with every citation resolving, or says what failed and marks it.
   */
  @Test
  void askAnswersFromTheDocumentationWithCitationsThatResolve() throws Exception {
    CliTesting.awaitIndexed(api, repositoryId);
    List<String> questions = new ArrayList<>();
    for (JsonNode page : pages) {
      if (!page.path("kind").asText().equals("README")) {
        questions.add("What is " + page.path("title").asText() + "?");
      }
    }
    for (String name :
        List.of(
            "HelpFormatter",
            "Option.hasArg",
            "ExactArgs",
            "VersionReq",
            "SpecifierSet",
            "AsyncScheduler",
            "ts_parser_new",
            "CoreCLREmbedding")) {
      questions.add("What does `" + name + "` do?");
    }
    int firstTry = 0;
    int afterRetry = 0;
    int marked = 0;
    int noEvidence = 0;
    int pageCitations = 0;
    int codeCitations = 0;
    List<String> failures = new ArrayList<>();
    try (var client = McpTesting.client(deployment.apiUrl(), deployment.apiKey())) {
      for (String question : questions) {
        var answer =
            McpTesting.structured(
                McpTesting.call(
                    client, "ask", Map.of("question", question, "repository", repositoryId)));
        String text = (String) answer.get("answer");
        @SuppressWarnings("unchecked")
        var citations = (List<Map<String, Object>>) answer.get("citations");
        @SuppressWarnings("unchecked")
        var unverified = (List<String>) answer.get("unverified");
        if (!(Boolean) answer.get("evidence")) {
          noEvidence++;
          assertThat(text).as(question).startsWith("No evidence");
        } else if ((Boolean) answer.get("verified")) {
          if ((Integer) answer.get("attempts") == 1) {
            firstTry++;
          } else {
            afterRetry++;
          }
          assertThat(citations).as(question).isNotEmpty();
          for (var c : citations) {
            assertThat(c).containsEntry("resolves", true);
            // Read back as a reader would: the page has the section, the file has the lines.
            if (c.containsKey("page")) {
              pageCitations++;
              McpTesting.call(
                  client,
                  "read_page",
                  Map.of(
                      "repository",
                      repositoryId,
                      "path",
                      c.get("page"),
                      "section",
                      c.get("anchor")));
            } else {
              codeCitations++;
              assertThat(Files.readAllLines(repo.dir().resolve((String) c.get("file"))).size())
                  .as(c.toString())
                  .isGreaterThanOrEqualTo((Integer) c.get("endLine"));
            }
          }
          assertThat(text).doesNotContain("[unverified");
        } else {
          marked++;
          assertThat(unverified).as(question).isNotEmpty();
          assertThat(text).as(question).contains("[unverified");
          failures.add(question + " -> " + unverified);
        }
      }
    }
    System.out.printf(
        "ask on real documentation: %d questions; verified on the first try %d (%.1f %%), after"
            + " the retry %d, marked %d, no evidence %d; citations of pages %d, of code %d%n",
        questions.size(),
        firstTry,
        100.0 * firstTry / questions.size(),
        afterRetry,
        marked,
        noEvidence,
        pageCitations,
        codeCitations);
    // Every question naming a symbol found its code.
    assertThat(codeCitations).isGreaterThanOrEqualTo(8);
    failures.forEach(f -> System.out.println("  marked: " + f));
    // Most questions name what the documentation covers: evidence was found for them.
    assertThat(noEvidence).isLessThan(questions.size() / 4);
  }

  @ParameterizedTest
  @CsvSource({
    "HelpFormatter, java/docs/autodoc/components/org.apache.commons.cli.HelpFormatter.md",
    "Option, java/docs/autodoc/components/org.apache.commons.cli.Option.md",
    "Command, go/docs/autodoc/components/Command.md",
    "PositionalArgs, go/docs/autodoc/modules/cobra.md",
    "VersionReq, rust/docs/autodoc/modules/src.md",
    "SpecifierSet, python/docs/autodoc/modules/packaging.md",
    "UnsubscriptionError, typescript/docs/autodoc/modules/util.md",
    "AsyncScheduler, typescript/docs/autodoc/modules/scheduler.md",
    "CoreCLREmbedding, csharp/docs/autodoc/modules/dotnetcore.md",
    "TSParser, c/docs/autodoc/modules/include.tree_sitter.md"
  })
  void searchingATypesNameFindsItsPageInTheTopThree(String type, String page) throws Exception {
    CliTesting.awaitIndexed(api, repositoryId);
    List<String> top = new ArrayList<>();
    for (JsonNode hit : api.search(repositoryId, type, 20).body()) {
      String hitPage = hit.path("page").asText();
      if (!top.contains(hitPage) && top.size() < 3) {
        top.add(hitPage);
      }
    }
    assertThat(top).as(type).contains(page);
  }

  /**
   * A declaration found by name is where the index says: its first lines declare it, and its last
   * line ends it (the braces opened from the declaration close there, or, in Python, the next line
   * is back at the declaration's indentation). The page named documents it, under the heading
   * named.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "HelpFormatter | java/org/apache/commons/cli/HelpFormatter.java | class HelpFormatter",
        "Option.hasArg | java/org/apache/commons/cli/Option.java | boolean hasArg\\(",
        "Command | go/command.go | type Command struct",
        "ExactArgs | go/args.go | func ExactArgs\\(",
        "VersionReq | rust/src/lib.rs | pub struct VersionReq",
        "SpecifierSet | python/packaging/specifiers.py | class SpecifierSet\\(",
        "AsyncScheduler | typescript/scheduler/AsyncScheduler.ts | class AsyncScheduler",
        "ts_parser_new | c/src/parser.c | ts_parser_new\\(void\\) \\{",
        "CoreCLREmbedding | csharp/dotnetcore/coreclrembedding.cs | class CoreCLREmbedding"
      })
  void aSymbolIsFoundWithTheFileAndLinesThatDeclareIt(String name, String file, String declares)
      throws Exception {
    JsonNode found = api.symbols(repositoryId, name).body();
    JsonNode symbol = null;
    for (JsonNode s : found) {
      if (s.path("file").asText().equals(file) && s.path("match").asText().equals("EXACT")) {
        symbol = s;
        break;
      }
    }
    assertThat(symbol).as(name + " in " + found.toPrettyString()).isNotNull();
    List<String> lines = Files.readAllLines(repo.dir().resolve(file));
    int first = symbol.path("line").asInt();
    int last = symbol.path("endLine").asInt();
    assertThat(first).isPositive().isLessThanOrEqualTo(last);
    assertThat(last).isLessThanOrEqualTo(lines.size());
    // The first line declares it, or is an annotation, attribute or decorator of it.
    Pattern declaration = Pattern.compile(declares);
    int at = first - 1;
    while (at < last - 1 && !declaration.matcher(lines.get(at)).find()) {
      assertThat(lines.get(at).strip())
          .as(name + " at " + file + ":" + first)
          .matches("(@|#\\[|\\[).*");
      at++;
    }
    assertThat(lines.get(at)).as(name + " at " + file + ":" + first).containsPattern(declaration);
    List<String> body = lines.subList(first - 1, last);
    if (file.endsWith(".py")) {
      int indent = indentation(lines.get(first - 1));
      assertThat(indentation(lines.get(last - 1)))
          .as(name + " ends inside it")
          .isGreaterThan(indent);
      lines.subList(last, lines.size()).stream()
          .filter(l -> !l.isBlank())
          .findFirst()
          .ifPresent(
              next ->
                  assertThat(indentation(next))
                      .as(name + " ends at " + last)
                      .isLessThanOrEqualTo(indent));
    } else {
      assertThat(closesOnLastLine(body)).as(name + " " + file + ":" + first + "-" + last).isTrue();
    }
    assertThat(symbol.path("commit").asText()).isEqualTo(job.path("commitSha").asText());
    String page = symbol.path("page").asText();
    assertThat(pages).extracting(p -> p.path("path").asText()).contains(page);
    if (!symbol.path("anchor").isNull()) {
      assertThat(anchors(api.pageMarkdown(repositoryId, page)))
          .as(page)
          .contains(symbol.path("anchor").asText());
    }
  }

  @Test
  void aNameMisspeltOrBegunIsStillFound() throws Exception {
    assertThat(api.symbols(repositoryId, "HelpFormater").body())
        .first()
        .satisfies(
            s -> {
              assertThat(s.path("name").asText()).isEqualTo("HelpFormatter");
              assertThat(s.path("match").asText()).isEqualTo("NEAR");
            });
    assertThat(api.symbols(repositoryId, "AsyncSched").body())
        .extracting(s -> s.path("name").asText() + " " + s.path("match").asText())
        .contains("AsyncScheduler PREFIX");
    assertThat(api.symbols(repositoryId, "").status()).isEqualTo(400);
  }

  /** Braces opened from the first line close exactly on the last, outside strings and comments. */
  private static boolean closesOnLastLine(List<String> lines) {
    int depth = 0;
    boolean opened = false;
    boolean block = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      for (int c = 0; c < line.length(); c++) {
        char ch = line.charAt(c);
        if (block) {
          if (line.startsWith("*/", c)) {
            block = false;
            c++;
          }
        } else if (line.startsWith("/*", c)) {
          block = true;
          c++;
        } else if (line.startsWith("//", c)) {
          break;
        } else if (ch == '"') {
          for (c++; c < line.length() && line.charAt(c) != '"'; c++) {
            if (line.charAt(c) == '\\') {
              c++;
            }
          }
        } else if (ch == '\''
            && c + 2 < line.length()
            && (line.charAt(c + 2) == '\'' || line.charAt(c + 1) == '\\')) {
          c = line.indexOf('\'', c + 2);
          if (c < 0) {
            break;
          }
        } else if (ch == '{') {
          depth++;
          opened = true;
        } else if (ch == '}') {
          depth--;
          if (opened && depth == 0) {
            return i == lines.size() - 1;
          }
        }
      }
    }
    return false;
  }

  private static int indentation(String line) {
    return line.length() - line.stripLeading().length();
  }

  /**
   * The anchors of a page's headings, as GitHub writes them: lower case, punctuation dropped,
   * spaces as hyphens, and a repeated one numbered ({@code -1}, {@code -2}).
   */
  private static List<String> anchors(String markdown) {
    Map<String, Integer> seen = new java.util.HashMap<>();
    List<String> anchors = new ArrayList<>();
    markdown
        .lines()
        .filter(l -> l.matches("^#{1,6}\\s.*"))
        .forEach(
            heading -> {
              String id =
                  heading
                      .replaceFirst("^#+\\s*", "")
                      .strip()
                      .toLowerCase(java.util.Locale.ROOT)
                      .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                      .replaceAll("\\s", "-");
              int n = seen.merge(id, 1, Integer::sum) - 1;
              anchors.add(n == 0 ? id : id + "-" + n);
            });
    return anchors;
  }
}
