package dev.autodoc.orchestrator.git;

/**
 * A documentation pull request as opened.
 *
 * @param url where a person looks at it: the host's page, or the branch for a local repository
 * @param changedFiles files the commit adds, changes or removes
 */
public record PullRequest(String branch, String commit, String url, int changedFiles) {}
