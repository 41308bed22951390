-- api: put_login
-- work: hash
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.update", "partner_sid": "b0000000-0000-4000-8000-000000000001"}', true);
SELECT pwupdate.put_login(md5('login' || :n)::uuid,
						  ('{"login": "bench_login_' || :n || '", "partner_sid": "b0000000-0000-4000-8000-000000000001", '
						   '"token_scopes": ["partners.read", "partners.update"], '
						   '"password": "Bench passphrase 1"}')::jsonb);
COMMIT;
