package dev.autodoc.worker.docs.embeddings;

import dev.autodoc.support.embedding.Embedder;
import dev.autodoc.support.embedding.TokenRanges;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a page into chunks that fit the model's window, counted with the model's own tokenizer:
 * first at its {@code ##} and {@code ###} headings, then, for a section that is still too long, at
 * blank lines, then at line ends, then between words. Each chunk starts with the page title and its
 * heading, so a search hit says where it is and the vector knows what it is about.
 *
 * <p>Each section is tokenized once ({@link Embedder#ranges}); pieces are packed by the sum of
 * their parts' tokens, since every cut is at white space, where the tokenizers split first. With a
 * tokenizer whose counts add up that way, a chunk's count is that sum and nothing is tokenized
 * again; with another, every finished chunk is counted whole, and one over the window after all is
 * cut again by whole counts. Counting every piece on its own took four times as long as one pass.
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

  /** A piece of a section's text and its tokens, special tokens excluded. */
  private record Piece(int from, int to, int tokens) {}

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
      String page, String title, String heading, String section, int budget, List<Chunk> out) {
    if (section.isBlank()) {
      return;
    }
    String body = section.strip();
    String prefix = heading.equals(title) ? title + "\n" : title + " › " + heading + "\n";
    int prefixTokens = embedder.countTokens(prefix) - special;
    int room = budget - special - prefixTokens;
    TokenRanges ranges = embedder.ranges(body);
    var cut = new Cut(body, ranges, room);
    for (Piece piece : cut.split(0, body.length())) {
      String pieceText = body.substring(piece.from(), piece.to());
      String text = prefix + pieceText;
      int tokens =
          ranges.additive() ? prefixTokens + piece.tokens() + special : embedder.countTokens(text);
      if (tokens <= budget) {
        out.add(new Chunk(page, out.size(), heading, text, tokens));
      } else {
        // The sum undercounted (a tokenizer that merges across white space): cut by whole counts.
        for (String smaller : byWholeCounts(prefix, pieceText, budget)) {
          String again = prefix + smaller;
          out.add(new Chunk(page, out.size(), heading, again, embedder.countTokens(again)));
        }
      }
    }
  }

  /** Cuts a section's stripped text into pieces whose parts' tokens sum to at most the room. */
  private static final class Cut {
    private final String body;
    private final TokenRanges ranges;
    private final int room;

    Cut(String body, TokenRanges ranges, int room) {
      this.body = body;
      this.ranges = ranges;
      this.room = room;
    }

    /** Pieces of {@code body[from, to)}: at blank lines if it has any, else at line ends. */
    List<Piece> split(int from, int to) {
      int whole = ranges.tokens(from, to);
      if (whole <= room) {
        return List.of(new Piece(from, to, whole));
      }
      String joint = holds("\n\n", from, to) ? "\n\n" : "\n";
      List<Piece> pieces = new ArrayList<>();
      int start = -1;
      int end = -1;
      int used = 0;
      for (int[] part : parts(from, to, joint)) {
        int cost = ranges.tokens(part[0], part[1]);
        if (start >= 0 && used + cost <= room) {
          end = part[1];
          used += cost;
          continue;
        }
        if (start >= 0) {
          pieces.add(new Piece(start, end, used));
          start = -1;
        }
        if (cost <= room) {
          start = part[0];
          end = part[1];
          used = cost;
        } else if (holds("\n", part[0], part[1])) {
          pieces.addAll(split(part[0], part[1]));
        } else {
          pieces.addAll(byWords(part[0], part[1]));
        }
      }
      if (start >= 0) {
        pieces.add(new Piece(start, end, used));
      }
      return pieces;
    }

    /** Whether {@code body[from, to)} holds {@code text}, without copying it. */
    private boolean holds(String text, int from, int to) {
      int at = body.indexOf(text, from);
      return at >= 0 && at + text.length() <= to;
    }

    /**
     * The parts between the joints, as {@link String#split} gives them (no trailing empty ones).
     */
    private List<int[]> parts(int from, int to, String joint) {
      List<int[]> parts = new ArrayList<>();
      int start = from;
      while (holds(joint, start, to)) {
        int at = body.indexOf(joint, start);
        parts.add(new int[] {start, at});
        start = at + joint.length();
      }
      parts.add(new int[] {start, to});
      while (parts.size() > 1 && parts.getLast()[0] == parts.getLast()[1]) {
        parts.removeLast();
      }
      return parts;
    }

    /** A single line too long for the room, cut between words. */
    private List<Piece> byWords(int from, int to) {
      List<Piece> pieces = new ArrayList<>();
      int start = from;
      int used = 0;
      int wordStart = from;
      while (wordStart <= to) {
        int space = body.indexOf(' ', wordStart);
        int wordEnd = space < 0 || space > to ? to : space;
        int cost = ranges.tokens(wordStart, wordEnd);
        if (used + cost > room && wordStart > start) {
          pieces.add(new Piece(start, wordStart - 1, used));
          start = wordStart;
          used = 0;
        }
        used += cost;
        wordStart = wordEnd + 1;
      }
      pieces.add(new Piece(start, to, used));
      return pieces;
    }
  }

  /** A single line too long for the window, cut between words by whole counts. */
  private List<String> byWholeCounts(String prefix, String line, int budget) {
    List<String> pieces = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String word : line.split(" ")) {
      String candidate = current.isEmpty() ? word : current + " " + word;
      if (embedder.countTokens(prefix + candidate) > budget && !current.isEmpty()) {
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
}
