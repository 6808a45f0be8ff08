package dev.autodoc.worker.docs.embeddings;

import dev.autodoc.support.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a page into chunks that fit the model's window, counted with the model's own tokenizer:
 * first at its {@code ##} and {@code ###} headings, then, for a section that is still too long, at
 * blank lines, then at line ends. Each chunk starts with the page title and its heading, so a
 * search hit says where it is and the vector knows what it is about.
 */
public final class Chunker {
  /** Room left in the window for special tokens and rounding. */
  static final int MARGIN = 16;

  private final Embedder embedder;

  public Chunker(Embedder embedder) {
    this.embedder = embedder;
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
    for (String piece : split(prefix, body.strip(), budget)) {
      String text = prefix + piece;
      out.add(new Chunk(page, out.size(), heading, text, embedder.countTokens(text)));
    }
  }

  /** The body in pieces that fit the budget together with the prefix. */
  private List<String> split(String prefix, String body, int budget) {
    if (fits(prefix + body, budget)) {
      return List.of(body);
    }
    List<String> pieces = new ArrayList<>();
    String[] parts = body.contains("\n\n") ? body.split("\n\n") : body.split("\n");
    String joint = body.contains("\n\n") ? "\n\n" : "\n";
    StringBuilder current = new StringBuilder();
    for (String part : parts) {
      String candidate = current.isEmpty() ? part : current + joint + part;
      if (fits(prefix + candidate, budget)) {
        current.setLength(0);
        current.append(candidate);
        continue;
      }
      if (!current.isEmpty()) {
        pieces.add(current.toString());
        current.setLength(0);
      }
      if (fits(prefix + part, budget)) {
        current.append(part);
      } else if (part.contains("\n")) {
        pieces.addAll(split(prefix, part, budget));
      } else {
        pieces.addAll(byWords(prefix, part, budget));
      }
    }
    if (!current.isEmpty()) {
      pieces.add(current.toString());
    }
    return pieces;
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
