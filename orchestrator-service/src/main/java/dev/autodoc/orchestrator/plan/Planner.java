package dev.autodoc.orchestrator.plan;

import dev.autodoc.common.error.Reason;
import dev.autodoc.common.error.TransientException;
import dev.autodoc.common.repo.RepositoryRef;
import dev.autodoc.common.scope.ConfigProblem;
import dev.autodoc.common.scope.InvalidScopeConfigException;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.common.scope.ScopeConfigParser;
import dev.autodoc.common.scope.ScopeDiscovery;
import dev.autodoc.orchestrator.OrchestratorConfig;
import dev.autodoc.orchestrator.git.Mirrors;
import dev.autodoc.support.git.GitMirror;
import dev.autodoc.support.net.AddressPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;

/**
 * Plans a job: brings the repository mirror up to date, resolves the branch head, reads every
 * {@code .autodoc.yaml} at that commit straight from git objects (no working tree), and discovers
 * the scopes. Blocking; callers run it off the event loop.
 */
@ApplicationScoped
public class Planner {
  private final GitMirror mirror;

  Planner(OrchestratorConfig config, AddressPolicy policy) {
    this.mirror = Mirrors.of(config, policy);
  }

  public Plan plan(RepositoryRef ref, String branch) {
    try (Repository repo = mirror.update(ref)) {
      ObjectId head = GitMirror.resolveBranch(repo, ref, branch);
      Map<String, ScopeConfig> configs = readConfigs(repo, head);
      return new Plan(head.name(), ScopeDiscovery.discover(configs, ref.name()));
    }
  }

  /**
   * Every regular file at a commit the mirror has, by repository path, with its size when {@code
   * withSizes} (what the token estimate of a plan is made from), else -1: sizes cost a read of each
   * object.
   */
  public Map<String, Long> files(RepositoryRef ref, String commitSha, boolean withSizes) {
    Map<String, Long> files = new java.util.HashMap<>();
    try (Repository repo = mirror.withCommit(ref, commitSha);
        RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(ObjectId.fromString(commitSha)).getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        if (FileMode.REGULAR_FILE.equals(tree.getFileMode(0))
            || FileMode.EXECUTABLE_FILE.equals(tree.getFileMode(0))) {
          files.put(
              tree.getPathString(),
              withSizes ? repo.getObjectDatabase().open(tree.getObjectId(0)).getSize() : -1L);
        }
      }
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot read the repository: " + e.getMessage(), e);
    }
    return files;
  }

  private static Map<String, ScopeConfig> readConfigs(Repository repo, ObjectId commitId) {
    Map<String, ScopeConfig> configs = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit commit = walk.parseCommit(commitId);
      tree.addTree(commit.getTree());
      tree.setRecursive(true);
      tree.setFilter(PathSuffixFilter.create("/" + ScopeConfig.FILE_NAME));
      collect(repo, tree, configs, problems);
      // The suffix filter needs the slash, so the root file is looked up on its own.
      try (TreeWalk root = TreeWalk.forPath(repo, ScopeConfig.FILE_NAME, commit.getTree())) {
        if (root != null) {
          read(repo, root, configs, problems);
        }
      }
    } catch (IOException e) {
      throw new TransientException(
          Reason.GIT_UNAVAILABLE, "cannot read the repository: " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw InvalidScopeConfigException.of(problems);
    }
    return configs;
  }

  private static void collect(
      Repository repo,
      TreeWalk tree,
      Map<String, ScopeConfig> configs,
      List<ConfigProblem> problems)
      throws IOException {
    while (tree.next()) {
      read(repo, tree, configs, problems);
    }
  }

  private static void read(
      Repository repo,
      TreeWalk tree,
      Map<String, ScopeConfig> configs,
      List<ConfigProblem> problems)
      throws IOException {
    String path = tree.getPathString();
    String dir = ScopeDiscovery.directoryOf(path);
    if (!tree.getFileMode(0).equals(FileMode.REGULAR_FILE)
        && !tree.getFileMode(0).equals(FileMode.EXECUTABLE_FILE)) {
      problems.add(
          new ConfigProblem(path, 1, "", "must be a regular file, not a link or directory"));
      return;
    }
    var loader = repo.open(tree.getObjectId(0));
    if (loader.getSize() > ScopeConfigParser.MAX_FILE_BYTES) {
      problems.add(
          new ConfigProblem(
              path, 1, "", "file is larger than " + ScopeConfigParser.MAX_FILE_BYTES + " bytes"));
      return;
    }
    String content = new String(loader.getBytes(), StandardCharsets.UTF_8);
    ScopeConfigParser.Result result = ScopeConfigParser.read(path, dir, content);
    if (result.valid()) {
      configs.put(dir, result.config());
    } else {
      problems.addAll(result.problems());
    }
  }
}
