-- The orchestrator owns these tables; other services only read them.

create table job (
    id                  uuid primary key,
    repository_id       text        not null,
    repository_url      text        not null,
    branch              text,
    mode                text        not null,
    force               boolean     not null default false,
    dry_run             boolean     not null default false,
    callback_url        text,
    status              text        not null,
    commit_sha          text,
    error               jsonb,
    idempotency_key     text unique,
    request_hash        text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    planning_started_at timestamptz,
    started_at          timestamptz,
    finished_at         timestamptz
);
create index job_queue on job (status, created_at);
create index job_repository on job (repository_id, created_at desc);
create index job_created on job (created_at desc, id desc);

create table job_scope (
    job_id        uuid        not null references job (id),
    path          text        not null,
    name          text        not null,
    config        jsonb       not null,
    excluded      jsonb       not null,
    status        text        not null,
    attempt       int         not null default 0,
    worker_id     text,
    inventory     jsonb,
    error         jsonb,
    duration_ms   bigint,
    finished_at   timestamptz,
    primary key (job_id, path)
);
