-- What each agent run did, recorded while it runs; archived to object storage after the job and
-- then deleted from here.
create table agent_session (
    id                uuid        primary key,
    job_id            uuid        not null,
    scope_path        text        not null,
    page_path         text        not null,
    agent             text        not null,
    status            text        not null,
    input             jsonb       not null,
    steps             jsonb       not null default '[]',
    output            text,
    prompt_tokens     int         not null default 0,
    completion_tokens int         not null default 0,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz
);
create index agent_session_job on agent_session (job_id);
