package dev.autodoc.orchestrator.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.event.EventCodec;
import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import dev.autodoc.support.net.PinnedHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository on GitHub (or GitHub Enterprise), through REST v3 with a token. The documentation
 * commit is built in the orchestrator's mirror and pushed over git like the local provider's; the
 * pull request, its label and the closing of stale ones go through the REST API. Lists follow the
 * {@code Link: rel="next"} pages.
 *
 * <p>Rate limits (403 or 429 with {@code x-ratelimit-remaining: 0}, a {@code retry-after}, or a
 * secondary-limit message) and 5xx are transient, saying when the limit resets; a bad token (401)
 * is refused, a repository the token cannot see (404) not found, and any other 4xx permanent with
 * GitHub's message. Six endpoints and their status codes are all this needs, so it speaks to them
 * with a plain HTTP client rather than a GitHub library with its own retry rules; that client
 * connects only to addresses the outbound policy allows, and follows no redirect.
 */
public final class GitHubProvider implements GitProvider {
  public static final String LABEL = "autodoc";
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

  private final GitMirror mirror;
  private final URI api;
  private final String token;
  private final Duration timeout;
  private final PinnedHttp http;

  /**
   * @param http the client of API calls, which reach only addresses the outbound policy allows
   */
  public GitHubProvider(
      GitMirror mirror, URI api, String token, Duration timeout, PinnedHttp http) {
    this.mirror = mirror;
    this.api = URI.create(api.toString().replaceAll("/+$", "") + "/");
    this.token = token;
    this.timeout = timeout;
    this.http = http;
  }

  @Override
  public List<FileChange> compare(RepositoryRef repository, String base, String head) {
    List<FileChange> changes = new ArrayList<>();
    for (JsonNode page :
        pages(repository, "compare/" + base + "..." + head + "?per_page=100&page=1")) {
      for (JsonNode file : page.path("files")) {
        String path = file.path("filename").asText();
        String old = file.path("previous_filename").asText(path);
        FileChange.Kind kind =
            switch (file.path("status").asText()) {
              case "added" -> FileChange.Kind.ADDED;
              case "removed" -> FileChange.Kind.DELETED;
              case "renamed" -> FileChange.Kind.RENAMED;
              case "copied" -> FileChange.Kind.COPIED;
              case "unchanged" -> null;
              default -> FileChange.Kind.MODIFIED;
            };
        if (kind != null) {
          changes.add(new FileChange(kind, path, old));
        }
      }
    }
    return changes;
  }

  @Override
  public Optional<PullRequest> open(RepositoryRef repository, Proposal proposal) {
    Optional<DocumentationCommit.Pushed> pushed =
        DocumentationCommit.push(mirror, repository, proposal);
    if (pushed.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode request = EventCodec.json().createObjectNode();
    request
        .put("title", proposal.title())
        .put("body", proposal.body())
        .put("head", proposal.branch())
        .put(
            "base",
            proposal.baseBranch() != null ? proposal.baseBranch() : defaultBranch(repository));
    PinnedHttp.Response created = send(repository, "POST", "pulls", request, true);
    JsonNode pull;
    if (created.status() == 422) {
      // Finishing the job again after a crash: the pull request of this branch already exists.
      pull =
          first(
                  repository,
                  "pulls?state=open&head=" + encode(owner(repository) + ":" + proposal.branch()))
              .orElseThrow(() -> failure(repository, "POST pulls", created));
    } else {
      pull = json(created);
    }
    ObjectNode labels = EventCodec.json().createObjectNode();
    labels.putArray("labels").add(LABEL);
    send(repository, "POST", "issues/" + pull.path("number").asInt() + "/labels", labels, false);
    return Optional.of(
        new PullRequest(
            pull.path("html_url").asText(),
            proposal.branch(),
            pushed.get().commit(),
            pushed.get().changedFiles()));
  }

  @Override
  public List<String> closeStale(RepositoryRef repository, String keep) {
    List<String> closed = new ArrayList<>();
    for (JsonNode page : pages(repository, "pulls?state=open&per_page=100&page=1")) {
      for (JsonNode pull : page) {
        String branch = pull.path("head").path("ref").asText();
        if (!branch.startsWith(BRANCH_PREFIX) || branch.equals(keep)) {
          continue;
        }
        ObjectNode state = EventCodec.json().createObjectNode().put("state", "closed");
        send(repository, "PATCH", "pulls/" + pull.path("number").asInt(), state, false);
        // The branch may be gone already; its pull request is closed either way.
        send(repository, "DELETE", "git/refs/heads/" + branch, null, true);
        closed.add(branch);
      }
    }
    return closed;
  }

  private String defaultBranch(RepositoryRef repository) {
    URI uri = api.resolve("repos/" + owner(repository) + "/" + name(repository));
    return json(exchange(repository, "GET", uri, null, false))
        .path("default_branch")
        .asText("main");
  }

  private Optional<JsonNode> first(RepositoryRef repository, String path) {
    JsonNode list = json(send(repository, "GET", path, null, false));
    return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
  }

  /** Every page of a list, following {@code Link: rel="next"}. */
  private List<JsonNode> pages(RepositoryRef repository, String path) {
    List<JsonNode> pages = new ArrayList<>();
    URI next = repoUri(repository, path);
    while (next != null) {
      PinnedHttp.Response response = exchange(repository, "GET", next, null, false);
      pages.add(json(response));
      Matcher link = NEXT.matcher(response.header("link").orElse(""));
      next = link.find() ? URI.create(link.group(1)) : null;
    }
    return pages;
  }

  private PinnedHttp.Response send(
      RepositoryRef repository,
      String method,
      String path,
      JsonNode body,
      boolean tolerateClientError) {
    return exchange(repository, method, repoUri(repository, path), body, tolerateClientError);
  }

  /**
   * One request; failures are classified. With {@code tolerateClientError}, a 404 or 422 is
   * returned for the caller to judge.
   */
  private PinnedHttp.Response exchange(
      RepositoryRef repository,
      String method,
      URI uri,
      JsonNode body,
      boolean tolerateClientError) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + token);
    headers.put("Accept", "application/vnd.github+json");
    headers.put("X-GitHub-Api-Version", "2022-11-28");
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    PinnedHttp.Response response;
    try {
      response = http.send(method, uri, headers, body == null ? null : body.toString(), timeout);
    } catch (AddressPolicy.Refused e) {
      throw new PermanentException(
          Reason.REPOSITORY_NOT_ALLOWED,
          "GitHub at " + api + " is not reachable: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "GitHub is unreachable at " + api + ": " + e.getMessage(), e);
    }
    int status = response.status();
    if (status < 300 || tolerateClientError && (status == 404 || status == 422)) {
      return response;
    }
    throw failure(repository, method + " " + uri.getPath(), response);
  }

  private RuntimeException failure(
      RepositoryRef repository, String call, PinnedHttp.Response response) {
    int status = response.status();
    String message = message(response);
    boolean limited =
        (status == 403 || status == 429)
            && (response.header("x-ratelimit-remaining").orElse("").equals("0")
                || response.header("retry-after").isPresent()
                || message.toLowerCase(java.util.Locale.ROOT).contains("rate limit"));
    if (limited) {
      String when =
          response
              .header("retry-after")
              .map(s -> "retry after " + s + " s")
              .or(
                  () ->
                      response
                          .header("x-ratelimit-reset")
                          .map(
                              s ->
                                  "the limit resets at "
                                      + Instant.ofEpochSecond(Long.parseLong(s))))
              .orElse("retry later");
      return new TransientException(
          Reason.GIT_UNAVAILABLE, "GitHub rate limit on " + call + " (" + status + "): " + when);
    }
    if (status >= 500) {
      return new TransientException(
          Reason.GIT_UNAVAILABLE, "GitHub failed on " + call + " (" + status + "): " + message);
    }
    Reason reason =
        switch (status) {
          case 401, 403 -> Reason.REPOSITORY_NOT_ALLOWED;
          case 404 -> Reason.REPOSITORY_NOT_FOUND;
          default -> Reason.INVALID_REQUEST;
        };
    return new PermanentException(
        reason,
        "GitHub refused " + call + " for " + repository.url() + " (" + status + "): " + message);
  }

  private static String message(PinnedHttp.Response response) {
    try {
      JsonNode body = EventCodec.json().readTree(response.body());
      String message = body.path("message").asText("");
      JsonNode errors = body.path("errors");
      return errors.isEmpty() ? message : message + " " + errors;
    } catch (IOException e) {
      String body = response.body() == null ? "" : response.body();
      return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
  }

  private static JsonNode json(PinnedHttp.Response response) {
    try {
      return EventCodec.json().readTree(response.body());
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "GitHub answered something that is not JSON", e);
    }
  }

  private URI repoUri(RepositoryRef repository, String path) {
    return api.resolve("repos/" + owner(repository) + "/" + name(repository) + "/" + path);
  }

  /** The owner and name are the last two segments of the repository URL's path. */
  static String owner(RepositoryRef repository) {
    String[] parts = segments(repository);
    return parts[parts.length - 2];
  }

  static String name(RepositoryRef repository) {
    String[] parts = segments(repository);
    return parts[parts.length - 1].replaceAll("\\.git$", "");
  }

  private static String[] segments(RepositoryRef repository) {
    String path = URI.create(repository.url()).getPath().replaceAll("^/+|/+$", "");
    String[] parts = path.split("/");
    if (parts.length < 2) {
      throw new PermanentException(
          Reason.INVALID_REQUEST,
          repository.url() + " does not name a GitHub repository as <owner>/<name>");
    }
    return parts;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
