-- scenario: update_password_profile_info, unknown id
-- versus: update_password_profile_info_ok.sql
-- target: refused without hashing
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "store-front", "role": "authenticated", "realm_id": "b0000000-0000-4000-8000-0000000000a1"}', true);
SELECT bench.expect('{PT404}',
	'SELECT pwupdate.update_password_profile_info($1[1]::uuid, $1[2]::uuid, $1[3]::uuid, $1[4]::jsonb)',
	'b0000000-0000-4000-8000-0000000000a1', md5('uai' || :n)::uuid::text, md5('unknown' || :n)::uuid::text, '{"data": {"type": "user_authentication_password_profile_info", "password_profile_id": "b0000000-0000-4000-8000-0000000000b1", "password": "Bench passphrase 1"}}');
COMMIT;
