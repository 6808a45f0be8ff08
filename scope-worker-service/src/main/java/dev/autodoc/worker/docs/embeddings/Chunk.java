package dev.autodoc.worker.docs.embeddings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A piece of a page small enough for the embedding model, with the headings it sits under. */
public record Chunk(String pagePath, int ordinal, String heading, String text, int tokens) {

  /** SHA-256 of the text: the key its vector is kept under, with the model and its version. */
  public byte[] digest() {
    return digest(text);
  }

  public static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
