package dev.autodoc.worker.docs.embeddings;

/** A chunk with its vector. */
public record EmbeddedChunk(Chunk chunk, float[] vector) {}
