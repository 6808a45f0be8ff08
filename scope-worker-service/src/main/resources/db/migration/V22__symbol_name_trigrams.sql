-- find_symbol matches a name by part as well as whole. Without an index that meant reading every
-- symbol of every latest run (910,560 rows at 10,164 pages: 0.5 s a look-up); trigram indexes on
-- the lower-cased names let it read only the rows that can hold the query (LIKE '%query%', three
-- characters or more). pg_trgm is a trusted extension (PostgreSQL 13 on): the database's owner may
-- create it. Where it cannot be created, nothing fails: look-ups scan, as before.
do $$
begin
  create extension if not exists pg_trgm;
  execute 'create index if not exists symbol_name_trgm on symbol'
    || ' using gin (lower(name) gin_trgm_ops)';
  execute 'create index if not exists symbol_qualified_name_trgm on symbol'
    || ' using gin (lower(qualified_name) gin_trgm_ops)';
exception when others then
  raise notice 'symbol look-ups will scan: %', sqlerrm;
end $$;
