-- api: get_password_profile_info
-- work: none
-- user: authenticator
\set n 4 * random(0, :quarter - 1) + :stable
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('role', 'authenticated', true),
	   set_config('request.jwt.claims', '{"sub": "store-front", "role": "authenticated", "realm_id": "b0000000-0000-4000-8000-0000000000a1"}', true);
SELECT pwupdate.get_password_profile_info('b0000000-0000-4000-8000-0000000000a1', md5('uai' || :n)::uuid, md5('ppi' || :n)::uuid);
COMMIT;
