-- scenario: sign_in, success
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT bench.expect(NULL, 'SELECT pwupdate.sign_in($1[1], $1[2])',
					'user' || :n || '@bench.example', 'Bench passphrase 0');
COMMIT;
