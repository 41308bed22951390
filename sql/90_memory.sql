-- No memory kept across calls: after a warm-up, thousands more calls of
-- every API function (successes and refusals) leave the backend's private
-- memory (RssAnon) where it was.
CREATE FUNCTION pg_temp.rss_anon_kb() RETURNS bigint LANGUAGE sql AS $$
	SELECT (regexp_match(pg_read_file('/proc/self/status'), 'RssAnon:\s+(\d+) kB'))[1]::bigint
$$;

-- Accounts of every API.
SELECT pwupdate.create_login('memory_login', 'memory passphrase 0',
	'5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b2c') ->> 'login_sid' AS sid \gset
SELECT pwupdate.create_user('5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b2c.memcorp',
	'mem.user@memcorp.example', 'memory passphrase 0') AS user_id \gset
SELECT pwupdate.create_realm('memory realm') AS realm \gset
SELECT pwupdate.create_password_profile(:'realm', 'memory profile') AS profile \gset
SELECT pwupdate.create_user_authentication_info(:'realm', 'Mem User', 'mem.profile@memcorp.example') AS uai \gset
SELECT pwupdate.create_password_profile_info(:'realm', :'uai',
	jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
		'password_profile_id', :'profile', 'username', 'mem.user', 'password', 'memory passphrase 0')))
	-> 'data' ->> 'id' AS ppi \gset

CREATE FUNCTION pg_temp.exercise(first int, iterations int, sid uuid, user_id text, realm uuid, uai uuid,
								 profile uuid, ppi uuid)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	argon text := pwupdate.hash_password('memory check passphrase');
	bf text;
	login_claims text := '{"sub": "mem", "scope": "oauth.update oauth.read", "partner_sid": "5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b2c"}';
	realm_claims text := json_build_object('sub', 'mem', 'realm_id', realm)::text;
BEGIN
	SET LOCAL pwupdate.algorithm = bcrypt;
	bf := pwupdate.hash_password('memory check passphrase');
	RESET pwupdate.algorithm;
	FOR i IN first .. first + iterations - 1 LOOP
		-- The password core.
		PERFORM pwupdate.hash_password('memory check passphrase ' || i);
		PERFORM pwupdate.verify_password('memory check passphrase', argon);
		PERFORM pwupdate.verify_password('memory check passphrase', bf);
		PERFORM pwupdate.needs_rehash(argon);
		PERFORM pwupdate.validate_password('memory check passphrase ' || i, '{"login": "someone"}');
		PERFORM pwupdate.current_caller();
		BEGIN
			PERFORM pwupdate.validate_password('short');
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;

		-- Partner logins and the generic API, as a claims caller.
		PERFORM set_config('request.jwt.claims', login_claims, true);
		PERFORM pwupdate.patch_login(sid, jsonb_build_object('password', 'memory passphrase ' || i));
		PERFORM pwupdate.put_login(sid, jsonb_build_object('login', 'memory_login',
			'partner_sid', '5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b2c', 'token_scopes', '[]'::jsonb,
			'password', 'memory passphrase ' || i));
		PERFORM pwupdate.get_login(sid);
		PERFORM pwupdate.get('partner_login', sid::text);
		BEGIN
			PERFORM pwupdate.patch_login(sid, '{"login": "someone else"}');
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;

		-- Password profile info, as a realm's claims caller.
		PERFORM set_config('request.jwt.claims', realm_claims, true);
		PERFORM pwupdate.update_password_profile_info(realm, uai, ppi,
			jsonb_build_object('data', jsonb_build_object('type', 'user_authentication_password_profile_info',
				'password_profile_id', profile, 'password', 'memory passphrase ' || i)));
		PERFORM pwupdate.get_password_profile_info(realm, uai, ppi);

		-- Users: sign in, change the password with the old one.
		PERFORM set_config('request.jwt.claims', json_build_object('sub', user_id)::text, true);
		PERFORM pwupdate.change_user_password(user_id, jsonb_build_object(
			'OldPassword', 'memory passphrase ' || (i - 1), 'NewPassword', 'memory passphrase ' || i));
		PERFORM set_config('request.jwt.claims', '', true);
		PERFORM pwupdate.sign_in('mem.user@memcorp.example', 'memory passphrase ' || i);
		PERFORM pwupdate.check_password('partner_login', sid::text, 'memory passphrase ' || i);
	END LOOP;
	PERFORM pwupdate.purge_expired_sessions();
END
$$;

SELECT pg_temp.exercise(1, 1, :'sid', :'user_id', :'realm', :'uai', :'profile', :'ppi');
SELECT pg_temp.exercise(2, 500, :'sid', :'user_id', :'realm', :'uai', :'profile', :'ppi');
SELECT pg_temp.rss_anon_kb() AS before_kb \gset
SELECT pg_temp.exercise(502, 2000, :'sid', :'user_id', :'realm', :'uai', :'profile', :'ppi');
SELECT pg_temp.rss_anon_kb() - :before_kb < 512 AS rss_flat,
       CASE WHEN pg_temp.rss_anon_kb() - :before_kb >= 512
            THEN (pg_temp.rss_anon_kb() - :before_kb) || ' kB more' END AS growth;
