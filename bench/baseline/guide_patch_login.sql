-- The PL/pgSQL equivalent of patch_login (bench/guide/schema.sql), called
-- exactly as bench/api/12_patch_login.sql calls pwupdate's.
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.update", "partner_sid": "b0000000-0000-4000-8000-000000000001"}', true);
SELECT api.patch_login(md5('login' || :n)::uuid, '{"password": "Bench passphrase 1"}');
COMMIT;
