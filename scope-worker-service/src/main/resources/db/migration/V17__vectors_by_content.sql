-- Vectors kept by content: one per text (its SHA-256), model and model version, whatever page,
-- scope, repository or job holds that text. A forced run of unchanged code and a scope whose text
-- another scope already has embed nothing; a new model or model version embeds everything again.
create table chunk_vector (
    model         text    not null,
    model_version text    not null,
    digest        bytea   not null,
    embedding     real[]  not null,
    created_at    timestamptz not null default now(),
    primary key (model, model_version, digest)
);

alter table chunk add column digest bytea;
alter table chunk add column model_version text not null default '';
update chunk set digest = sha256(convert_to(text, 'UTF8'));
insert into chunk_vector (model, model_version, digest, embedding)
    select distinct on (model, digest) model, '', digest, embedding from chunk
    on conflict do nothing;
alter table chunk alter column digest set not null;
alter table chunk alter column model_version drop default;
alter table chunk drop column embedding;
