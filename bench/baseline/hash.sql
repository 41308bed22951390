-- One hash with the settings in force, nothing else.
-- With -D postgrest=1 (bench/run sets it beside an API script that runs in
-- a transaction), in the transaction PostgREST wraps around a call.
\if :postgrest
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench", "role": "authenticated"}', true);
\endif
SELECT bench.hash_password('Bench passphrase 1');
\if :postgrest
COMMIT;
\endif
