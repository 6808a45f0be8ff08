-- Search looks each chunk's signature up by its vector's key: with the signature in the index,
-- without reading the vector's row (its embedding makes it wide).
create index chunk_vector_signature on chunk_vector (model, model_version, digest) include (signature);
