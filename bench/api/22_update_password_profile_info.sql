-- api: update_password_profile_info
-- work: hash
-- user: authenticator
-- The seed's PUT of a password, the username kept.
\set n 4 * random(0, :quarter - 1) + :writable
BEGIN;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "store-front", "role": "authenticated", "realm_id": "b0000000-0000-4000-8000-0000000000a1"}', true);
SELECT pwupdate.update_password_profile_info('b0000000-0000-4000-8000-0000000000a1', md5('uai' || :n)::uuid, md5('ppi' || :n)::uuid,
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "b0000000-0000-4000-8000-0000000000b1", "password": "Bench passphrase 1"}}');
COMMIT;
