-- Every declaration a successful run found in its scope, where it is in the code and where its
-- documentation is. Each run stores all of its scope's declarations (extraction reads every file,
-- from the cache when unchanged), so the latest run of a scope holds its whole symbol index.
create table symbol (
    job_id          uuid    not null,
    scope_path      text    not null,
    kind            text    not null,
    name            text    not null,
    qualified_name  text    not null,
    signature       text    not null,
    exported        boolean not null,
    file            text    not null,
    line            int,
    end_line        int,
    page_path       text,
    anchor          text
);
create index symbol_run on symbol (job_id, scope_path);
