-- Texts whose vectors are still to be made. A scope's run queues them with its chunks, in the
-- transaction that reports it done, and any worker's indexer makes them afterwards; until then
-- search does not find those chunks, and the API says which pages are not indexed yet.
create table index_queue (
    model         text    not null,
    model_version text    not null,
    digest        bytea   not null,
    text          text    not null,
    queued_at     timestamptz not null default now(),
    primary key (model, model_version, digest)
);
create index index_queue_order on index_queue (model, model_version, queued_at);
