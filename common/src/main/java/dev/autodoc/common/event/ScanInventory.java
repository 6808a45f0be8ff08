package dev.autodoc.common.event;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the scan of a scope found: the files it will document, by language, and what it left out and
 * why. {@code skippedExamples} names at most {@link #MAX_EXAMPLES} of the skipped paths.
 */
public record ScanInventory(
    int files,
    long bytes,
    Map<String, LanguageCount> languages,
    Map<String, Integer> skipped,
    List<SkippedFile> skippedExamples) {

  public static final int MAX_EXAMPLES = 50;

  public ScanInventory {
    // Sorted, so the same scan always reads and serializes the same way.
    languages =
        languages == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(languages));
    skipped =
        skipped == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(skipped));
    skippedExamples = skippedExamples == null ? List.of() : List.copyOf(skippedExamples);
  }

  /** The same inventory with one more file counted as skipped for {@code reason}. */
  public ScanInventory withSkipped(String path, String reason) {
    Map<String, Integer> counts = new TreeMap<>(skipped);
    counts.merge(reason, 1, Integer::sum);
    List<SkippedFile> examples = new java.util.ArrayList<>(skippedExamples);
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(new SkippedFile(path, reason));
    }
    return new ScanInventory(files, bytes, languages, counts, examples);
  }

  /** Files and bytes of one language. */
  public record LanguageCount(int files, long bytes) {}

  /**
   * A path the scan left out, with the reason (for example {@code binary} or {@code too-large}).
   */
  public record SkippedFile(String path, String reason) {}
}
