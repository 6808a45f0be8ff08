-- Agent sessions of ended jobs, archived to object storage. The workers own the sessions and
-- delete exactly those archived_session names: an object was written, read back and verified first.

create table session_archive (
    job_id        uuid        primary key,
    repository_id text        not null,
    status        text        not null default 'PENDING',
    due_at        timestamptz not null default now(),
    claimed_until timestamptz,
    attempts      int         not null default 0,
    last_error    text,
    objects       int         not null default 0,
    sessions      int         not null default 0,
    bytes         bigint      not null default 0,
    archived_at   timestamptz,
    created_at    timestamptz not null default now()
);
create index session_archive_due on session_archive (due_at) where status = 'PENDING';

create table archived_session (
    session_id  uuid        primary key,
    job_id      uuid        not null,
    object_key  text        not null,
    archived_at timestamptz not null default now()
);
create index archived_session_job on archived_session (job_id);
