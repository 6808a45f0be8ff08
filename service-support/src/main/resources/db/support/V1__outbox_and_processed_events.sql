-- Shared by every service, created in the service's own schema (Flyway's default schema).

-- Events waiting to be published. A row is written in the same transaction as the state change
-- that implies it, and deleted only after the broker acknowledged the record.
create table outbox (
    id          bigserial primary key,
    event_id    uuid        not null unique,
    topic       text        not null,
    record_key  text        not null,
    ce_type     text        not null,
    payload     text        not null,
    created_at  timestamptz not null default now()
);

-- Events a consumer has applied, recorded in the same transaction as their effect, so a
-- redelivered event has no second effect.
create table processed_event (
    event_id     uuid        not null,
    consumer     text        not null,
    processed_at timestamptz not null default now(),
    primary key (event_id, consumer)
);
