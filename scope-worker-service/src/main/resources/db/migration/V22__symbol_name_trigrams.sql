-- find_symbol matches a name by part as well as whole. Without an index that meant reading every
-- symbol of every latest run (910,560 rows at 10,164 pages: 0.5 s a look-up); a trigram index on
-- the lower-cased simple names lets it read only the rows whose name can hold the query (LIKE
-- '%part%', three characters or more). The qualified names are not indexed, and a dotted query is
-- matched by its last part first: storing 100,000 symbols takes 1.1 s with this index, 0.4 s
-- without, 2.1 s with the qualified names' too (SymbolWriteBenchmark). pg_trgm is a trusted
-- extension (PostgreSQL 13 on): the database's owner may create it. Where it cannot be created,
-- nothing fails: look-ups scan, as before.
do $$
begin
  create extension if not exists pg_trgm;
  execute 'create index if not exists symbol_name_trgm on symbol'
    || ' using gin (lower(name) gin_trgm_ops)';
exception when others then
  raise notice 'symbol look-ups will scan: %', sqlerrm;
end $$;
