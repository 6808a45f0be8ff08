-- Each time a repository's schedule fell due, and the job it requested (none when a job of the
-- repository was already waiting). The key makes each due time fire once, whichever reconciler
-- replica gets there first.
create table schedule_run (
    repository_id text        not null,
    due_at        timestamptz not null,
    job_id        uuid,
    fired_at      timestamptz not null default now(),
    primary key (repository_id, due_at)
);
