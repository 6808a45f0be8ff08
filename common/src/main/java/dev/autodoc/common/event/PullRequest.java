package dev.autodoc.common.event;

/**
 * The documentation pull request of a job.
 *
 * @param url where a person looks at it: the host's page, or the repository and branch when the
 *     repository is local
 * @param branch {@code autodoc/<job id>}
 * @param commit the one commit it holds, on top of the job's commit
 * @param changedFiles files that commit adds, changes or removes
 */
public record PullRequest(String url, String branch, String commit, int changedFiles) {}
