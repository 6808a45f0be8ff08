package dev.autodoc.orchestrator.git;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.local.testing.GitFixture;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.support.net.PinnedHttp;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub provider against a local server answering as GitHub's REST v3 documents: compare with
 * pages, the pull request and its label, stale ones closed, and rate limits and errors. Pushes go
 * to a real repository standing in for GitHub's git side.
 */
class GitHubProviderTest {
  private static WireMockServer github;
  private static Vertx vertx;
  @TempDir Path temp;
  private GitFixture repo;
  private RepositoryRef ref;
  private String prefix;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    github = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    github.start();
  }

  @AfterAll
  static void stop() {
    github.stop();
    vertx.close();
  }

  @BeforeEach
  void repository() {
    github.resetAll();
    repo = GitFixture.create(temp.resolve("acme"), "shop");
    repo.write("README.md", "# shop\n").commit("first");
    ref = RepositoryRef.parse(repo.url());
    prefix = "/api/v3/repos/acme/" + GitHubProvider.name(ref);
  }

  /** A provider whose API calls may reach the fake GitHub on loopback. */
  private GitHubProvider provider() {
    return provider(new AddressPolicy(List.of("127.0.0.1", "localhost")));
  }

  private GitHubProvider provider(AddressPolicy policy) {
    return new GitHubProvider(
        new GitMirror(
            temp.resolve("mirrors"), Optional.empty(), Duration.ofSeconds(30), true, policy),
        URI.create(github.baseUrl() + "/api/v3"),
        "ghp_test",
        Duration.ofSeconds(5),
        new PinnedHttp(vertx, policy, Duration.ofSeconds(5)));
  }

  @Test
  void apiCallsToAnAddressThePolicyDoesNotAllowAreRefusedWithoutARequest() {
    assertThatThrownBy(() -> provider(AddressPolicy.publicOnly()).compare(ref, "a", "b"))
        .isInstanceOfSatisfying(
            PermanentException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.REPOSITORY_NOT_ALLOWED))
        .hasMessageContaining("loopback address")
        .hasMessageContaining(AddressPolicy.SETTING);
    assertThat(github.getAllServeEvents()).isEmpty();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(
      int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  @Test
  void compareFollowsThePagesAndMapsEveryStatus() {
    github.stubFor(
        get(urlEqualTo(prefix + "/compare/aaa...bbb?per_page=100&page=1"))
            .willReturn(
                json(
                        200,
                        """
                        {"files": [
                          {"filename": "src/A.java", "status": "modified"},
                          {"filename": "src/B.java", "status": "added"}]}
                        """)
                    .withHeader(
                        "Link",
                        "<"
                            + github.baseUrl()
                            + prefix
                            + "/compare/aaa...bbb?per_page=100&page=2>; rel=\"next\", <"
                            + github.baseUrl()
                            + prefix
                            + "/compare/aaa...bbb?per_page=100&page=2>; rel=\"last\"")));
    github.stubFor(
        get(urlEqualTo(prefix + "/compare/aaa...bbb?per_page=100&page=2"))
            .willReturn(
                json(
                    200,
                    """
                    {"files": [
                      {"filename": "src/C.java", "status": "removed"},
                      {"filename": "lib/D.java", "status": "renamed", "previous_filename": "src/D.java"},
                      {"filename": "src/E.java", "status": "unchanged"}]}
                    """)));

    assertThat(provider().compare(ref, "aaa", "bbb"))
        .containsExactly(
            new FileChange(FileChange.Kind.MODIFIED, "src/A.java", "src/A.java"),
            new FileChange(FileChange.Kind.ADDED, "src/B.java", "src/B.java"),
            new FileChange(FileChange.Kind.DELETED, "src/C.java", "src/C.java"),
            new FileChange(FileChange.Kind.RENAMED, "lib/D.java", "src/D.java"));
    github.verify(
        getRequestedFor(urlPathEqualTo(prefix + "/compare/aaa...bbb"))
            .withHeader("Authorization", equalTo("Bearer ghp_test"))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
  }

  @Test
  void thePullRequestIsPushedOpenedAndLabelled() throws Exception {
    github.stubFor(
        post(urlEqualTo(prefix + "/pulls"))
            .willReturn(
                json(
                    201,
                    "{\"number\": 7, \"html_url\": \"https://github.com/acme/shop/pull/7\"}")));
    github.stubFor(post(urlEqualTo(prefix + "/issues/7/labels")).willReturn(json(200, "[]")));
    UUID job = UUID.randomUUID();
    String commit = head();

    PullRequest pr =
        provider()
            .open(
                ref,
                new Proposal(
                    job,
                    "main",
                    commit,
                    "Autodoc: documentation for shop",
                    "| scope | pages |\n|---|---|\n| . | 2 |",
                    Map.of("docs/autodoc/index.md", "# shop\n", "AGENTS.md", "# shop\n"),
                    Set.of()))
            .orElseThrow();

    assertThat(pr.url()).isEqualTo("https://github.com/acme/shop/pull/7");
    assertThat(pr.branch()).isEqualTo("autodoc/" + job);
    assertThat(pr.changedFiles()).isEqualTo(2);
    github.verify(
        postRequestedFor(urlEqualTo(prefix + "/pulls"))
            .withRequestBody(
                equalToJson(
                    "{\"title\": \"Autodoc: documentation for shop\", \"head\": \"autodoc/"
                        + job
                        + "\", \"base\": \"main\", \"body\": \"| scope | pages |\\n|---|---|\\n| . | 2 |\"}")));
    github.verify(
        postRequestedFor(urlEqualTo(prefix + "/issues/7/labels"))
            .withRequestBody(matchingJsonPath("$.labels[0]", equalTo("autodoc"))));
    try (Git git = Git.open(repo.dir().toFile())) {
      assertThat(git.getRepository().resolve("refs/heads/autodoc/" + job).getName())
          .isEqualTo(pr.commit());
    }
  }

  @Test
  void aJobWithoutABranchProposesToTheRepositorysDefaultBranch() {
    github.stubFor(
        get(urlEqualTo(prefix)).willReturn(json(200, "{\"default_branch\": \"trunk\"}")));
    github.stubFor(
        post(urlEqualTo(prefix + "/pulls"))
            .willReturn(
                json(
                    201,
                    "{\"number\": 8, \"html_url\": \"https://github.com/acme/shop/pull/8\"}")));
    github.stubFor(post(urlEqualTo(prefix + "/issues/8/labels")).willReturn(json(200, "[]")));
    provider()
        .open(
            ref,
            new Proposal(
                UUID.randomUUID(), null, head(), "t", "b", Map.of("a.md", "a\n"), Set.of()))
        .orElseThrow();
    github.verify(
        postRequestedFor(urlEqualTo(prefix + "/pulls"))
            .withRequestBody(matchingJsonPath("$.base", equalTo("trunk"))));
  }

  @Test
  void aPullRequestThatExistsAlreadyIsFoundAgain() {
    github.stubFor(
        post(urlEqualTo(prefix + "/pulls"))
            .willReturn(
                json(
                    422,
                    "{\"message\": \"Validation Failed\", \"errors\": [{\"message\": \"A pull request already exists\"}]}")));
    github.stubFor(
        get(urlPathEqualTo(prefix + "/pulls"))
            .willReturn(
                json(
                    200,
                    "[{\"number\": 9, \"html_url\": \"https://github.com/acme/shop/pull/9\"}]")));
    github.stubFor(post(urlEqualTo(prefix + "/issues/9/labels")).willReturn(json(200, "[]")));
    UUID job = UUID.randomUUID();
    PullRequest pr =
        provider()
            .open(ref, new Proposal(job, "main", head(), "t", "b", Map.of("a.md", "a\n"), Set.of()))
            .orElseThrow();
    assertThat(pr.url()).endsWith("/pull/9");
    github.verify(
        getRequestedFor(urlPathEqualTo(prefix + "/pulls"))
            .withQueryParam("head", equalTo("acme:autodoc/" + job)));
  }

  @Test
  void staleAutodocPullRequestsAreClosedAndTheirBranchesDeleted() {
    github.stubFor(
        get(urlEqualTo(prefix + "/pulls?state=open&per_page=100&page=1"))
            .willReturn(
                json(
                        200,
                        """
                        [{"number": 1, "head": {"ref": "autodoc/old"}},
                         {"number": 2, "head": {"ref": "feature/login"}}]
                        """)
                    .withHeader(
                        "Link",
                        "<"
                            + github.baseUrl()
                            + prefix
                            + "/pulls?state=open&per_page=100&page=2>; rel=\"next\"")));
    github.stubFor(
        get(urlEqualTo(prefix + "/pulls?state=open&per_page=100&page=2"))
            .willReturn(json(200, "[{\"number\": 3, \"head\": {\"ref\": \"autodoc/new\"}}]")));
    github.stubFor(patch(urlEqualTo(prefix + "/pulls/1")).willReturn(json(200, "{}")));
    github.stubFor(
        delete(urlEqualTo(prefix + "/git/refs/heads/autodoc/old"))
            .willReturn(json(422, "{\"message\": \"Reference does not exist\"}")));

    assertThat(provider().closeStale(ref, "autodoc/new")).containsExactly("autodoc/old");
    github.verify(
        patchRequestedFor(urlEqualTo(prefix + "/pulls/1"))
            .withRequestBody(equalToJson("{\"state\": \"closed\"}")));
    github.verify(0, patchRequestedFor(urlEqualTo(prefix + "/pulls/2")));
    github.verify(0, patchRequestedFor(urlEqualTo(prefix + "/pulls/3")));
    github.verify(deleteRequestedFor(urlEqualTo(prefix + "/git/refs/heads/autodoc/old")));
  }

  @Test
  void rateLimitsAndServerErrorsAreTransientOtherRefusalsPermanent() {
    String compare = prefix + "/compare/a...b?per_page=100&page=1";
    github.stubFor(
        get(urlEqualTo(compare))
            .willReturn(
                json(403, "{\"message\": \"API rate limit exceeded\"}")
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", "1900000000")));
    assertThatThrownBy(() -> provider().compare(ref, "a", "b"))
        .isInstanceOf(TransientException.class)
        .hasMessageContaining("rate limit")
        .hasMessageContaining("2030-03-17T17:46:40Z");

    github.stubFor(
        get(urlEqualTo(compare))
            .willReturn(
                json(429, "{\"message\": \"You have exceeded a secondary rate limit\"}")
                    .withHeader("retry-after", "60")));
    assertThatThrownBy(() -> provider().compare(ref, "a", "b"))
        .isInstanceOf(TransientException.class)
        .hasMessageContaining("retry after 60 s");

    github.stubFor(
        get(urlEqualTo(compare)).willReturn(json(502, "{\"message\": \"Bad gateway\"}")));
    assertThatThrownBy(() -> provider().compare(ref, "a", "b"))
        .isInstanceOf(TransientException.class)
        .hasMessageContaining("502");

    github.stubFor(get(urlEqualTo(compare)).willReturn(json(404, "{\"message\": \"Not Found\"}")));
    assertThatThrownBy(() -> provider().compare(ref, "a", "b"))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("(404): Not Found")
        .satisfies(
            e ->
                assertThat(((AutodocException) e).reason()).isEqualTo(Reason.REPOSITORY_NOT_FOUND));

    github.stubFor(
        get(urlEqualTo(compare)).willReturn(json(401, "{\"message\": \"Bad credentials\"}")));
    assertThatThrownBy(() -> provider().compare(ref, "a", "b"))
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("Bad credentials")
        .satisfies(
            e ->
                assertThat(((AutodocException) e).reason())
                    .isEqualTo(Reason.REPOSITORY_NOT_ALLOWED));
  }

  private String head() {
    try (Git git = Git.open(repo.dir().toFile())) {
      return git.getRepository().resolve("HEAD").getName();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
