-- What happened to a job, in the order the orchestrator learned it: the steps of its scopes (from
-- the workers' progress events) and its own (plan, fan-out, finalize), and the statuses of its
-- scopes and of the job. The step timeline is read from it and the event stream replays it.
--
-- seq counts per job and is taken from the job row, whose lock the taking transaction holds until
-- it commits: so a job's events commit in seq order, and a reader that has seen seq n has seen
-- every event before it, whichever replica wrote them.
alter table job add column event_seq bigint not null default 0;

create table job_event (
    job_id      uuid        not null references job (id),
    seq         bigint      not null,
    event_id    uuid        not null unique,
    kind        text        not null,
    occurred_at timestamptz not null,
    scope_path  text,
    step        text,
    phase       text,
    attempt     int,
    worker_id   text,
    status      text,
    done        int,
    total       int,
    message     text,
    primary key (job_id, seq)
);

-- Wakes the event streams of every replica when a job has news; delivered on commit.
create function job_event_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('autodoc_job_events', new.job_id::text);
    return null;
end
$$;

create trigger job_event_notify after insert on job_event
    for each row execute function job_event_notify();
