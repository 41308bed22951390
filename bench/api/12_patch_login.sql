-- api: patch_login
-- work: hash
-- user: authenticator
-- The seed's PATCH of a password, as PostgREST runs POST /rpc/patch_login.
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.update", "partner_sid": "b0000000-0000-4000-8000-000000000001"}', true);
SELECT pwupdate.patch_login(md5('login' || :n)::uuid, '{"password": "Bench passphrase 1"}');
COMMIT;
