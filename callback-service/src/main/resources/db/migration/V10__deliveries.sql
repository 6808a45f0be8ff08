-- The callback service owns these tables; the orchestrator reads them to show a job's callback.

-- One delivery per job with a callback URL. Its id is the delivery id receivers de-duplicate on;
-- the body is fixed when the delivery is made, so every attempt sends the same bytes.
create table delivery (
    id              uuid        primary key,
    job_id          uuid        not null unique,
    url             text        not null,
    payload         text        not null,
    status          text        not null,
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    -- A replica sending an attempt holds the delivery until then; a crash lets it go.
    claimed_until   timestamptz,
    error           text,
    created_at      timestamptz not null default now(),
    finished_at     timestamptz
);
create index delivery_due on delivery (next_attempt_at) where status = 'PENDING';

-- Every attempt: when, what the receiver answered (or why there was no answer), how long it took.
create table delivery_attempt (
    delivery_id uuid        not null references delivery (id),
    attempt     int         not null,
    started_at  timestamptz not null,
    status_code int,
    latency_ms  bigint      not null,
    error       text,
    primary key (delivery_id, attempt)
);
