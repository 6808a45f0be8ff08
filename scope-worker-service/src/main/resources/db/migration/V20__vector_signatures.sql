-- Each vector's sign bits (one per dimension: set where the value is positive). Search ranks
-- every chunk by how many bits differ from the query's, a cheap native operation, and scores only
-- the nearest few hundred exactly: a dot product in SQL for every chunk of a 10,000-page index
-- took seconds. Generated, so every writer of vectors gets it without knowing.
create function sign_bits(embedding real[]) returns bit varying
    language sql immutable parallel safe
    return (select string_agg(case when x > 0 then '1' else '0' end, '' order by i)::bit varying
            from unnest(embedding) with ordinality as t(x, i));

alter table chunk_vector
    add column signature bit varying generated always as (worker.sign_bits(embedding)) stored;
