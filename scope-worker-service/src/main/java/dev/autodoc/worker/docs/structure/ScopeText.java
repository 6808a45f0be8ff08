package dev.autodoc.worker.docs.structure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The text of a scope's files that are not code but say what the code is: build files and READMEs.
 * Only the scope's own files are read, and only small ones.
 */
@FunctionalInterface
public interface ScopeText {
  /** A build file or README larger than this is not read for a name or a summary. */
  int MAX_BYTES = 256 * 1024;

  /** Nothing to read: names and summaries come from the code alone. */
  ScopeText NONE = path -> Optional.empty();

  /** The text of a scope-relative file, when it is one of the scope's files and small. */
  Optional<String> read(String path);

  /** The scope's files under {@code root}, as the scan selected them. */
  static ScopeText of(Path root, Set<String> files) {
    return path -> {
      if (!files.contains(path)) {
        return Optional.empty();
      }
      try {
        Path file = root.resolve(path);
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
          return Optional.empty();
        }
        return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      } catch (IOException e) {
        return Optional.empty();
      }
    };
  }
}
