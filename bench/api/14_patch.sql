-- api: patch (partner_login)
-- work: hash
-- user: authenticator
-- The generic engine's PATCH on the registered resource partner_login.
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.update", "partner_sid": "b0000000-0000-4000-8000-000000000001"}', true);
SELECT pwupdate.patch('partner_login', md5('login' || :n)::uuid::text,
					  '{"password": "Bench passphrase 1"}');
COMMIT;
