package dev.autodoc.worker.pipeline;

import dev.autodoc.common.error.PermanentException;
import dev.autodoc.common.error.Reason;
import dev.autodoc.common.event.ScanInventory;
import dev.autodoc.common.event.ScopeRequested;
import dev.autodoc.common.scope.FileSelection;
import dev.autodoc.common.scope.ScopeConfig;
import dev.autodoc.common.scope.ScopeDiscovery;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Decides which files of the scope are documented, reading the tree straight from git objects:
 * nested scopes are left to themselves, the scope's own documentation (its README and pages, once a
 * pull request merged them) is not documented again, include and exclude globs apply relative to
 * the scope, files over {@code limits.max_file_bytes} and binary files are skipped, submodules are
 * skipped, and symbolic links are never followed (one that points outside the repository is refused
 * and reported). More than {@code limits.max_files} files fails the scope with a clear message, and
 * so does a scope left with no file to document (its globs or limits took none).
 */
@ApplicationScoped
public class ScanStep implements PipelineStep {
  /** Bytes read from the start of a file to tell binary from text, as git does. */
  private static final int SNIFF_BYTES = 8000;

  @Override
  public String name() {
    return "scan";
  }

  @Override
  public void run(ScopeContext context) throws IOException {
    ScopeRequested request = context.request();
    ScopeConfig config = request.config();
    FileSelection selection = FileSelection.of(config);
    var result = new Result();
    Repository repo = context.git();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.addTree(walk.parseCommit(repo.resolve(request.commitSha())).getTree());
      tree.setRecursive(false);
      if (!request.scopePath().isEmpty()) {
        tree.setFilter(PathFilter.create(request.scopePath()));
      }
      while (tree.next()) {
        if (context.cancelled()) {
          return;
        }
        String path = tree.getPathString();
        if (tree.isSubtree()) {
          boolean towardScope = !ScopeDiscovery.isUnder(path, request.scopePath());
          boolean nested =
              request.excludedPaths().stream().anyMatch(ex -> ScopeDiscovery.isUnder(path, ex));
          if (towardScope || !nested) {
            tree.enterSubtree();
          }
          continue;
        }
        String relative =
            request.scopePath().isEmpty() ? path : path.substring(request.scopePath().length() + 1);
        FileMode mode = tree.getFileMode(0);
        if (mode == FileMode.GITLINK) {
          result.skip(relative, "submodule");
        } else if (mode == FileMode.SYMLINK) {
          String target =
              new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
          result.skip(relative, escapes(path, target) ? "symlink-outside-repository" : "symlink");
        } else if (selection.leavesOut(relative).isPresent()) {
          result.skip(relative, selection.leavesOut(relative).get());
        } else {
          ObjectLoader blob = repo.open(tree.getObjectId(0));
          if (blob.getSize() > config.limits().maxFileBytes()) {
            result.skip(relative, "too-large");
          } else if (isBinary(blob)) {
            result.skip(relative, "binary");
          } else {
            if (result.files.size() == config.limits().maxFiles()) {
              throw new PermanentException(
                  Reason.LIMIT_EXCEEDED,
                  "scope '"
                      + (request.scopePath().isEmpty() ? "." : request.scopePath())
                      + "' has more than "
                      + config.limits().maxFiles()
                      + " files to document (limits.max_files); "
                      + "narrow it with include/exclude or raise the limit");
            }
            String language = Languages.of(relative);
            result.files.add(
                new ScopeContext.ScannedFile(
                    path, relative, tree.getObjectId(0), language, blob.getSize()));
          }
        }
      }
    }
    if (result.files.isEmpty()) {
      throw new PermanentException(
          Reason.NOTHING_TO_DOCUMENT,
          selection.nothingToDocument(
              request.scopePath(),
              result.total(),
              result.examples.stream().map(f -> f.path() + " (" + f.reason() + ")").toList()));
    }
    context.scanned(result.files, result.inventory());
  }

  /** Whether a link at {@code linkPath} with this target resolves outside the repository. */
  static boolean escapes(String linkPath, String target) {
    if (target.startsWith("/") || target.contains("\0")) {
      return true;
    }
    int depth = linkPath.split("/").length - 1;
    for (String part : target.split("/")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBinary(ObjectLoader blob) throws IOException {
    try (InputStream in = blob.openStream()) {
      byte[] head = in.readNBytes(SNIFF_BYTES);
      return RawText.isBinary(head, head.length, blob.getSize() <= SNIFF_BYTES);
    }
  }

  private static final class Result {
    final List<ScopeContext.ScannedFile> files = new ArrayList<>();
    final Map<String, Integer> skipped = new TreeMap<>();
    final List<ScanInventory.SkippedFile> examples = new ArrayList<>();

    int total() {
      return files.size() + skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    void skip(String path, String reason) {
      skipped.merge(reason, 1, Integer::sum);
      if (examples.size() < ScanInventory.MAX_EXAMPLES) {
        examples.add(new ScanInventory.SkippedFile(path, reason));
      }
    }

    ScanInventory inventory() {
      Map<String, ScanInventory.LanguageCount> languages = new TreeMap<>();
      long bytes = 0;
      for (var f : files) {
        bytes += f.bytes();
        languages.merge(
            f.language(),
            new ScanInventory.LanguageCount(1, f.bytes()),
            (a, b) ->
                new ScanInventory.LanguageCount(a.files() + b.files(), a.bytes() + b.bytes()));
      }
      return new ScanInventory(files.size(), bytes, languages, skipped, examples);
    }
  }
}
