package dev.autodoc.orchestrator.git;

import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.job.Job;
import dev.autodoc.orchestrator.job.JobRepository;
import dev.autodoc.orchestrator.job.JobScope;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Opens a finishing job's documentation pull request: every README and page its succeeded scopes
 * wrote, at their places in the repository (pages only when the scope has a {@code pages_dir}), on
 * top of the job's commit; then closes the pull requests of earlier jobs. A body summarises scopes,
 * pages, quality and tokens. Git and HTTP work runs on a worker thread, never the event loop.
 */
@ApplicationScoped
public class PullRequests {
  private static final Logger LOG = Logger.getLogger(PullRequests.class);

  private final GitProviders providers;
  private final JobRepository jobs;
  private final RepositoryPages pages;

  PullRequests(GitProviders providers, JobRepository jobs, RepositoryPages pages) {
    this.providers = providers;
    this.jobs = jobs;
    this.pages = pages;
  }

  /** The pull request of the job, or empty when it opens none (see {@link PullRequest}). */
  public Uni<Optional<PullRequest>> open(Job job, List<JobScope> scopes) {
    if (job.dryRun() || scopes.stream().noneMatch(s -> s.status() == ScopeStatus.SUCCEEDED)) {
      return Uni.createFrom().item(Optional.empty());
    }
    RepositoryRef repository = RepositoryRef.parse(job.repositoryUrl());
    Optional<GitProvider> provider = providers.forRepository(repository);
    if (provider.isEmpty()) {
      LOG.infof(
          "job %s: no git provider for %s, so no pull request", job.id(), job.repositoryUrl());
      return Uni.createFrom().item(Optional.empty());
    }
    return jobs.pagesDirs(job.id())
        .chain(dirs -> pages.filesOf(job.id()).map(files -> proposal(job, scopes, dirs, files)))
        .chain(
            proposal ->
                Uni.createFrom()
                    .item(
                        () -> {
                          Optional<PullRequest> opened = provider.get().open(repository, proposal);
                          List<String> closed =
                              provider
                                  .get()
                                  .closeStale(
                                      repository,
                                      opened.map(PullRequest::branch).orElse(proposal.branch()));
                          LOG.infof(
                              "job %s: pull request %s; closed %d stale",
                              job.id(),
                              opened.map(PullRequest::url).orElse("(none: no change)"),
                              closed.size());
                          return opened;
                        })
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
  }

  static Proposal proposal(
      Job job,
      List<JobScope> scopes,
      Map<String, String> pagesDirs,
      List<RepositoryPages.JobFile> files) {
    Map<String, String> content = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (RepositoryPages.JobFile file : files) {
      if (!pagesDirs.containsKey(file.scope())) {
        continue; // a scope that did not succeed
      }
      boolean page = file.kind().equals("PAGE");
      if (page && pagesDirs.get(file.scope()).isEmpty()) {
        continue; // pages_dir "" keeps the pages out of the pull request
      }
      content.put(
          file.scope().isEmpty() ? file.path() : file.scope() + "/" + file.path(), file.markdown());
      if (page) {
        counts.merge(file.scope(), 1, Integer::sum);
      }
    }
    String name = RepositoryRef.parse(job.repositoryUrl()).name();
    String sha = job.commitSha() == null ? "" : job.commitSha().substring(0, 10);
    return new Proposal(
        job.id(),
        job.branch(),
        job.commitSha(),
        "Autodoc: documentation of " + name + " at " + sha,
        body(job, scopes, counts),
        content,
        Set.of());
  }

  private static String body(Job job, List<JobScope> scopes, Map<String, Integer> pages) {
    var md =
        new StringBuilder("Documentation written by Autodoc for commit ")
            .append(job.commitSha())
            .append(" (job ")
            .append(job.id())
            .append(").\n\n| Scope | Status | Pages | Mean score | Lowest score | Tokens |\n")
            .append("|---|---|---|---|---|---|\n");
    TokenUsage total = TokenUsage.NONE;
    for (JobScope scope : scopes) {
      var quality = scope.quality();
      TokenUsage tokens = scope.tokens() == null ? TokenUsage.NONE : scope.tokens();
      total = total.plus(tokens);
      md.append("| ")
          .append(scope.path().isEmpty() ? "." : scope.path())
          .append(" | ")
          .append(scope.status())
          .append(" | ")
          .append(pages.getOrDefault(scope.path(), 0))
          .append(" | ")
          .append(quality == null ? "–" : String.format(Locale.ROOT, "%.2f", quality.meanScore()))
          .append(" | ")
          .append(quality == null ? "–" : String.format(Locale.ROOT, "%.2f", quality.minScore()))
          .append(" | ")
          .append(tokens.total())
          .append(" |\n");
    }
    md.append("\nLLM tokens in all: ").append(total.total()).append('\n');
    return md.toString();
  }
}
