-- api: sign_in
-- work: verify
-- user: authenticator
-- An anonymous browser signs in (and opens a session).
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT pwupdate.sign_in('user' || :n || '@bench.example', 'Bench passphrase 0');
COMMIT;
