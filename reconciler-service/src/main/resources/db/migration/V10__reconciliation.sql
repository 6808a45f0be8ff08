-- The reconciler owns these tables; the orchestrator reads job_report to show a job's quality.

-- Every decision on a stale scope: dispatched again with this attempt, or failed at it. The key
-- makes each decision once, whichever reconciler replica gets there first.
create table redispatch (
    job_id     uuid        not null,
    scope_path text        not null,
    attempt    int         not null,
    action     text        not null,
    reason     text        not null,
    decided_at timestamptz not null default now(),
    primary key (job_id, scope_path, attempt)
);

-- Jobs that sat too long in a state the orchestrator drives on by itself, and when they were
-- nudged; once per job and state entered.
create table nudge (
    job_id    uuid        not null,
    status    text        not null,
    since     timestamptz not null,
    nudged_at timestamptz not null default now(),
    primary key (job_id, status, since)
);

-- Each scope as its last report had it, and each job's report built from them.
create table scope_report (
    job_id     uuid        not null,
    scope_path text        not null,
    status     text        not null,
    attempt    int         not null,
    quality    jsonb,
    tokens     jsonb,
    updated_at timestamptz not null default now(),
    primary key (job_id, scope_path)
);

create table job_report (
    job_id        uuid        primary key,
    repository_id text,
    status        text,
    quality       jsonb       not null,
    tokens        jsonb       not null,
    updated_at    timestamptz not null default now()
);
