-- scenario: change_user_password, made-up session cookie
-- versus: change_user_password_ok.sql
-- target: refused without hashing
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :stable
\set r random(1, 1000000000)
BEGIN;
SELECT set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role": "anon"}', true),
	   set_config('request.cookies', '{"AtmoAuthToken_benchcorp": "madeupsession:r"}', true),
	   set_config('request.headers', '{"x-csrf-token_benchcorp": "madeupcsrf:r"}', true);
SELECT bench.expect('{PT401}', 'SELECT pwupdate.change_user_password($1[1], $1[2]::jsonb)',
					md5('user' || :n)::uuid || '.benchcorp',
					'{"OldPassword": "Bench passphrase 0", "NewPassword": "Bench passphrase 1"}');
COMMIT;
