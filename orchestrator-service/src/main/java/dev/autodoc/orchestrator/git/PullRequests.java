package dev.autodoc.orchestrator.git;

import dev.autodoc.common.event.PullRequest;
import dev.autodoc.common.event.ScopeStatus;
import dev.autodoc.common.event.TokenUsage;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.orchestrator.job.Job;
import dev.autodoc.orchestrator.job.JobScope;
import dev.autodoc.orchestrator.plan.ChangePlanner;
import dev.autodoc.orchestrator.plan.JobPlan;
import dev.autodoc.orchestrator.repository.RepositoryPages;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
  private final RepositoryPages pages;

  PullRequests(GitProviders providers, RepositoryPages pages) {
    this.providers = providers;
    this.pages = pages;
  }

  /**
   * The pull request of the job, or empty when it opens none (see {@link PullRequest}): a dry run,
   * or a job that neither wrote documentation nor dropped a scope, proposes nothing and leaves
   * earlier pull requests open.
   */
  public Uni<Optional<PullRequest>> open(Job job, List<JobScope> scopes) {
    JobPlan plan = job.plan();
    boolean wrote = scopes.stream().anyMatch(s -> s.status() == ScopeStatus.SUCCEEDED);
    if (job.dryRun() || plan == null || !wrote && plan.removedScopes().isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    RepositoryRef repository = RepositoryRef.parse(job.repositoryUrl());
    Optional<GitProvider> provider = providers.forRepository(repository);
    if (provider.isEmpty()) {
      LOG.infof(
          "job %s: no git provider for %s, so no pull request", job.id(), job.repositoryUrl());
      return Uni.createFrom().item(Optional.empty());
    }
    Documentation docs = documentation(job, plan, scopes);
    return pages
        .filesOf(docs.current())
        .map(files -> withLlmsText(files, job))
        .chain(
            current ->
                pages
                    .filesOf(docs.replaced())
                    .map(files -> withLlmsText(files, job))
                    .map(replaced -> proposal(job, plan, scopes, current, replaced)))
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

  /** The files, and the llms.txt and llms-full.txt of each scope that writes them. */
  private static List<RepositoryPages.JobFile> withLlmsText(
      List<RepositoryPages.JobFile> files, Job job) {
    List<RepositoryPages.JobFile> all = new ArrayList<>(files);
    all.addAll(dev.autodoc.orchestrator.repository.LlmsText.scopeFiles(files, job.repositoryUrl()));
    return all;
  }

  /**
   * Whose pages make the repository's documentation after this job: each scope that succeeded here
   * has them from this job, each other scope from its last successful run. A pull request
   * supersedes the earlier ones it closes, so it carries the whole documentation; against a branch
   * that has the earlier documentation merged, only what changed shows. {@code replaced} are the
   * runs whose files this job's may drop: the last runs of the scopes it documented again, and of
   * removed scopes.
   */
  record Documentation(
      List<RepositoryPages.ScopeRun> current, List<RepositoryPages.ScopeRun> replaced) {}

  static Documentation documentation(Job job, JobPlan plan, List<JobScope> scopes) {
    Set<String> succeeded = new HashSet<>();
    scopes.stream()
        .filter(s -> s.status() == ScopeStatus.SUCCEEDED)
        .forEach(s -> succeeded.add(s.path()));
    List<RepositoryPages.ScopeRun> current = new ArrayList<>();
    List<RepositoryPages.ScopeRun> replaced = new ArrayList<>();
    for (ChangePlanner.ScopePlan scope : plan.scopes()) {
      RepositoryPages.ScopeRun last =
          scope.baselineJob() == null
              ? null
              : new RepositoryPages.ScopeRun(scope.baselineJob(), scope.scope());
      if (succeeded.contains(scope.scope())) {
        current.add(new RepositoryPages.ScopeRun(job.id(), scope.scope()));
        if (last != null) {
          replaced.add(last);
        }
      } else if (last != null) {
        current.add(last);
      }
    }
    plan.removedScopes()
        .forEach(r -> replaced.add(new RepositoryPages.ScopeRun(r.lastJob(), r.scope())));
    return new Documentation(current, replaced);
  }

  static Proposal proposal(
      Job job,
      JobPlan plan,
      List<JobScope> scopes,
      List<RepositoryPages.JobFile> current,
      List<RepositoryPages.JobFile> replaced) {
    Map<String, String> content = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    for (RepositoryPages.JobFile file : current) {
      if (file.published()) {
        content.put(file.repositoryPath(), file.markdown());
      }
      if (file.kind().equals("PAGE")) {
        counts.merge(file.scope(), 1, Integer::sum);
      }
    }
    Set<String> removed = new TreeSet<>();
    for (RepositoryPages.JobFile file : replaced) {
      if (file.published() && !content.containsKey(file.repositoryPath())) {
        removed.add(file.repositoryPath());
      }
    }
    String name = RepositoryRef.parse(job.repositoryUrl()).name();
    String sha = job.commitSha() == null ? "" : job.commitSha().substring(0, 10);
    return new Proposal(
        job.id(),
        job.branch(),
        job.commitSha(),
        "Autodoc: documentation of " + name + " at " + sha,
        body(job, plan, scopes, counts),
        content,
        removed);
  }

  private static String body(
      Job job, JobPlan plan, List<JobScope> scopes, Map<String, Integer> pages) {
    var md =
        new StringBuilder("Documentation written by Autodoc for commit ")
            .append(job.commitSha())
            .append(" (job ")
            .append(job.id())
            .append(", ")
            .append(plan.mode().name().toLowerCase(Locale.ROOT))
            .append(plan.baselineSha() == null ? "" : " since " + plan.baselineSha())
            .append(
                ").\n\n| Scope | Status | Work | Pages | Mean score | Lowest score | Tokens |\n")
            .append("|---|---|---|---|---|---|---|\n");
    Map<String, JobScope> ran = new HashMap<>();
    scopes.forEach(s -> ran.put(s.path(), s));
    TokenUsage total = TokenUsage.NONE;
    for (ChangePlanner.ScopePlan decision : plan.scopes()) {
      JobScope scope = ran.get(decision.scope());
      var quality = scope == null ? null : scope.quality();
      TokenUsage tokens =
          scope == null || scope.tokens() == null ? TokenUsage.NONE : scope.tokens();
      total = total.plus(tokens);
      md.append("| ")
          .append(decision.scope().isEmpty() ? "." : decision.scope())
          .append(" | ")
          .append(scope == null ? "unchanged" : scope.status())
          .append(" | ")
          .append(decision.action().name().toLowerCase(Locale.ROOT))
          .append(": ")
          .append(decision.reason().replace("|", "\\|"))
          .append(" | ")
          .append(pages.getOrDefault(decision.scope(), 0))
          .append(" | ")
          .append(quality == null ? "–" : String.format(Locale.ROOT, "%.2f", quality.meanScore()))
          .append(" | ")
          .append(quality == null ? "–" : String.format(Locale.ROOT, "%.2f", quality.minScore()))
          .append(" | ")
          .append(tokens.total())
          .append(" |\n");
    }
    plan.removedScopes()
        .forEach(
            r ->
                md.append("\nScope ")
                    .append(r.scope().isEmpty() ? "." : r.scope())
                    .append(" was removed: its documentation is removed too.\n"));
    md.append("\nLLM tokens in all: ").append(total.total()).append('\n');
    return md.toString();
  }
}
