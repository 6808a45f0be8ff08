-- Every page in chunks that fit the embedding model's window, with their vectors (unit length, so
-- a dot product is the cosine) and the commit they came from.
create table chunk (
    job_id      uuid   not null,
    scope_path  text   not null,
    page_path   text   not null,
    ordinal     int    not null,
    heading     text   not null,
    text        text   not null,
    tokens      int    not null,
    model       text   not null,
    embedding   real[] not null,
    commit_sha  text   not null,
    primary key (job_id, scope_path, page_path, ordinal)
);
