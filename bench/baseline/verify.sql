-- One verification against a stored hash of the parameters in force.
-- With -D postgrest=1 (bench/run sets it beside an API script that runs in
-- a transaction), in the transaction PostgREST wraps around a call.
\if :postgrest
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench", "role": "authenticated"}', true);
\endif
SELECT bench.verify_premade('Bench passphrase 0', :stable);
\if :postgrest
COMMIT;
\endif
