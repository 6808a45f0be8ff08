-- The worker owns these tables; the orchestrator reads scope_run to show live progress.

-- One row per scope of a job: who runs it, which attempt, and how it ended.
create table scope_run (
    job_id       uuid        not null,
    scope_path   text        not null,
    attempt      int         not null,
    status       text        not null,
    worker_id    text        not null,
    commit_sha   text        not null,
    heartbeat_at timestamptz not null,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    duration_ms  bigint,
    inventory    jsonb,
    error        jsonb,
    primary key (job_id, scope_path)
);
create index scope_run_running on scope_run (status, heartbeat_at);

-- The files a successful run documented, with their language and size.
create table scope_file (
    job_id     uuid   not null,
    scope_path text   not null,
    path       text   not null,
    language   text   not null,
    bytes      bigint not null,
    primary key (job_id, scope_path, path)
);
