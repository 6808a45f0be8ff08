package dev.autodoc.worker.docs.embeddings;

/** A piece of a page small enough for the embedding model, with the headings it sits under. */
public record Chunk(String pagePath, int ordinal, String heading, String text, int tokens) {}
