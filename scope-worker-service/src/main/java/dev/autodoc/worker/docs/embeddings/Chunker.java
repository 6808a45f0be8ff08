package dev.autodoc.worker.docs.embeddings;

import dev.autodoc.support.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a page into chunks that fit the model's window, counted with the model's own tokenizer:
 * first at its {@code ##} and {@code ###} headings, then, for a section that is still too long, at
 * blank lines, then at line ends. Each chunk starts with the page title and its heading, so a
 * search hit says where it is and the vector knows what it is about.
 *
 * <p>Each part is tokenized once and pieces are packed by the sum of their parts' tokens (the
 * tokenizers split at white space first, so parts joined by blank lines or line ends count as their
 * sum); every finished chunk is counted again whole, and one over the window after all is cut again
 * by whole counts. Counting each growing piece whole instead made chunking quadratic in a section's
 * length.
 */
public final class Chunker {
  /** Room left in the window for special tokens and rounding. */
  static final int MARGIN = 16;

  private final Embedder embedder;

  /** Tokens the model adds to any text (for example [CLS] and [SEP]). */
  private final int special;

  public Chunker(Embedder embedder) {
    this.embedder = embedder;
    this.special = embedder.countTokens("");
  }

  public List<Chunk> chunk(String pagePath, String title, String markdown) {
    int budget = embedder.maxTokens() - MARGIN;
    List<Chunk> chunks = new ArrayList<>();
    String heading = title;
    StringBuilder section = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("## ") || line.startsWith("### ")) {
        emit(pagePath, title, heading, section.toString(), budget, chunks);
        section.setLength(0);
        heading = line.replaceFirst("^#+ ", "").replace("`", "");
      } else if (!line.startsWith("# ")) {
        section.append(line).append('\n');
      }
    }
    emit(pagePath, title, heading, section.toString(), budget, chunks);
    return chunks;
  }

  private void emit(
      String page, String title, String heading, String body, int budget, List<Chunk> out) {
    if (body.isBlank()) {
      return;
    }
    String prefix = heading.equals(title) ? title + "\n" : title + " › " + heading + "\n";
    int room = budget - special - words(prefix);
    for (String piece : split(prefix, body.strip(), room, budget)) {
      String text = prefix + piece;
      int tokens = embedder.countTokens(text);
      if (tokens <= budget) {
        out.add(new Chunk(page, out.size(), heading, text, tokens));
      } else {
        // The sum undercounted (a tokenizer that merges across white space): cut by whole counts.
        for (String smaller : byWords(prefix, piece, budget)) {
          String again = prefix + smaller;
          out.add(new Chunk(page, out.size(), heading, again, embedder.countTokens(again)));
        }
      }
    }
  }

  /** The body in pieces whose parts' tokens sum to at most {@code room}. */
  private List<String> split(String prefix, String body, int room, int budget) {
    int whole = words(body);
    if (whole <= room) {
      return List.of(body);
    }
    List<String> pieces = new ArrayList<>();
    String joint = body.contains("\n\n") ? "\n\n" : "\n";
    String[] parts = body.split(joint);
    StringBuilder current = new StringBuilder();
    int used = 0;
    for (String part : parts) {
      int cost = words(part);
      if (!current.isEmpty() && used + cost <= room) {
        current.append(joint).append(part);
        used += cost;
        continue;
      }
      if (!current.isEmpty()) {
        pieces.add(current.toString());
        current.setLength(0);
        used = 0;
      }
      if (cost <= room) {
        current.append(part);
        used = cost;
      } else if (part.contains("\n")) {
        pieces.addAll(split(prefix, part, room, budget));
      } else {
        pieces.addAll(byWords(prefix, part, budget));
      }
    }
    if (!current.isEmpty()) {
      pieces.add(current.toString());
    }
    return pieces;
  }

  /** Tokens of a text without the model's special tokens. */
  private int words(String text) {
    return embedder.countTokens(text) - special;
  }

  /** A single line too long for the window, cut between words. */
  private List<String> byWords(String prefix, String line, int budget) {
    List<String> pieces = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : line.split(" ")) {
      String candidate = current.isEmpty() ? word : current + " " + word;
      if (!fits(prefix + candidate, budget) && !current.isEmpty()) {
        pieces.add(current.toString());
        current.setLength(0);
        current.append(word);
      } else {
        current.setLength(0);
        current.append(candidate);
      }
    }
    if (!current.isEmpty()) {
      pieces.add(current.toString());
    }
    return pieces;
  }

  private boolean fits(String text, int budget) {
    return embedder.countTokens(text) <= budget;
  }
}
