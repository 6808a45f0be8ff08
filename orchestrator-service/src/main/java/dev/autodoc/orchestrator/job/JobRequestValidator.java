package dev.autodoc.orchestrator.job;

import dev.autodoc.common.error.AutodocException;
import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.JobMode;
import dev.autodoc.common.input.TextLimits;
import dev.autodoc.common.repo.RepositoryRef;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.jgit.lib.Repository;

/**
 * Checks a job request field by field, the same for the REST API and for JobRequested events, and
 * names every offending field at once.
 */
public final class JobRequestValidator {
  /** One offending field. */
  public record FieldProblem(String field, String message) {}

  /** The request as received, before validation; any field may be missing or wrong. */
  public record Draft(
      UUID id,
      String repository,
      String branch,
      String mode,
      Boolean force,
      Boolean dryRun,
      String callbackUrl) {}

  private JobRequestValidator() {}

  public static List<FieldProblem> problems(Draft draft) {
    var problems = new ArrayList<FieldProblem>();
    validate(draft, problems);
    return problems;
  }

  /** The job the draft asks for; throws {@code INVALID_REQUEST} naming every problem. */
  public static NewJob toJob(Draft draft) {
    var problems = new ArrayList<FieldProblem>();
    NewJob job = validate(draft, problems);
    if (!problems.isEmpty()) {
      throw new PermanentException(Reason.INVALID_REQUEST, describe(problems));
    }
    return job;
  }

  /** What is wrong with {@code branch}; nothing when absent (the default branch) or valid. */
  public static java.util.Optional<String> branchProblem(String branch) {
    if (branch == null) {
      return java.util.Optional.empty();
    }
    String problem = TextLimits.problem(branch, TextLimits.BRANCH);
    if (problem != null) {
      return java.util.Optional.of(problem);
    }
    if (branch.isBlank() || !Repository.isValidRefName("refs/heads/" + branch)) {
      return java.util.Optional.of(TextLimits.quote(branch) + " is not a valid branch name");
    }
    return java.util.Optional.empty();
  }

  public static String describe(List<FieldProblem> problems) {
    return String.join("; ", problems.stream().map(p -> p.field() + ": " + p.message()).toList());
  }

  private static NewJob validate(Draft draft, List<FieldProblem> problems) {
    RepositoryRef repository = null;
    try {
      repository = RepositoryRef.parse(draft.repository());
    } catch (AutodocException e) {
      problems.add(new FieldProblem("repository", e.getMessage()));
    }
    String branch = draft.branch();
    branchProblem(branch).ifPresent(m -> problems.add(new FieldProblem("branch", m)));
    // No mode: planning decides (incremental when the repository has a successful run).
    JobMode mode = null;
    if (draft.mode() != null) {
      switch (draft.mode().toLowerCase(Locale.ROOT)) {
        case "full" -> mode = JobMode.FULL;
        case "incremental" -> mode = JobMode.INCREMENTAL;
        default ->
            problems.add(
                new FieldProblem(
                    "mode",
                    "must be 'full' or 'incremental', was " + TextLimits.quote(draft.mode())));
      }
    }
    String callbackUrl = draft.callbackUrl();
    String urlProblem = TextLimits.problem(callbackUrl, TextLimits.URL);
    if (urlProblem != null) {
      problems.add(new FieldProblem("callbackUrl", urlProblem));
    } else if (callbackUrl != null) {
      try {
        URI uri = new URI(callbackUrl);
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
            || uri.getHost() == null) {
          problems.add(
              new FieldProblem("callbackUrl", "must be an http:// or https:// URL with a host"));
        }
      } catch (java.net.URISyntaxException e) {
        problems.add(new FieldProblem("callbackUrl", "is not a valid URL: " + e.getReason()));
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new NewJob(
        draft.id() != null ? draft.id() : UUID.randomUUID(),
        repository,
        branch,
        mode,
        Boolean.TRUE.equals(draft.force()),
        Boolean.TRUE.equals(draft.dryRun()),
        callbackUrl);
  }
}
