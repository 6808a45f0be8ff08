-- A repository's cron schedule for incremental updates. The orchestrator writes it (REST API);
-- the reconciler reads it and requests a job whenever it falls due.
create table repository_schedule (
    repository_id  text        primary key,
    repository_url text        not null,
    branch         text,
    cron           text        not null,
    time_zone      text        not null,
    updated_at     timestamptz not null default now()
);
