-- scenario: patch_login, success
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.update", "partner_sid": "b0000000-0000-4000-8000-000000000001"}', true);
SELECT bench.expect(NULL, 'SELECT pwupdate.patch_login($1[1]::uuid, $1[2]::jsonb)',
					md5('login' || :n)::uuid::text, '{"password": "Bench passphrase 1"}');
COMMIT;
