-- When each page was written. An incremental run carries the pages it keeps into its own rows with
-- their content, commit and this time unchanged, so a kept page is told from a rewritten one.
alter table page add column generated_at timestamptz not null default now();
