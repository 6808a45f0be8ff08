-- The documentation structure a successful run worked from: with the run's commit and each page's
-- sources (worker.page.sources), what an incremental run of the scope starts from.
alter table scope_run add column structure jsonb;
