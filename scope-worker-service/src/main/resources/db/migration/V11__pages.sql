-- The pages and the README a successful run wrote, with the commit they describe.
create table page (
    job_id      uuid             not null,
    scope_path  text             not null,
    path        text             not null,
    kind        text             not null,
    title       text             not null,
    markdown    text             not null,
    score       double precision,
    attempts    int              not null,
    findings    jsonb            not null,
    sources     jsonb            not null,
    commit_sha  text             not null,
    primary key (job_id, scope_path, path)
);
