-- scenario: sign_in, unknown email
-- versus: sign_in_ok.sql
-- target: hashes on purpose
-- user: authenticator
-- An unknown email spends a hash, so that its answer takes as long as a
-- wrong password's: refusing it fast would tell which emails exist.
\set r random(1, 1000000000)
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT bench.expect('{28P01}', 'SELECT pwupdate.sign_in($1[1], $1[2])',
					'nobody:r@bench.example', 'Bench passphrase 0');
COMMIT;
