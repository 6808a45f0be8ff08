-- The LLM tokens each page cost over all its quality-loop attempts (zero for the static agent).
alter table page add column prompt_tokens bigint not null default 0;
alter table page add column completion_tokens bigint not null default 0;
