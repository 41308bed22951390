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
SELECT pwupdate.create_customer('mem.customer@memcorp.example', 'memory passphrase 0') ->> 'id' AS customer_id \gset
-- For the DBA functions: a login forced through a reset in every round, and
-- two users whose hashes are imported in every round.
SELECT pwupdate.create_login('memory_reset_login', 'memory passphrase 0',
	'5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b2c') ->> 'login_sid' AS reset_sid \gset
SELECT pwupdate.create_user('5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b21.memcorp',
	'mem.import1@memcorp.example', 'memory passphrase 0') IS NOT NULL AS import_user_1;
SELECT pwupdate.create_user('5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b22.memcorp',
	'mem.import2@memcorp.example', 'memory passphrase 0') IS NOT NULL AS import_user_2;

CREATE FUNCTION pg_temp.exercise(first int, iterations int, sid uuid, user_id text, realm uuid, uai uuid,
								 profile uuid, ppi uuid, customer_id text, reset_sid uuid)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	argon text := pwupdate.hash_password('memory check passphrase');
	bf text;
	created jsonb;
	reset_id text;
	token text;
	purged jsonb;
	imported jsonb := '[{"id": "5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b21.memcorp",
						 "hash": "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"},
						{"id": "5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b22.memcorp",
						 "hash": "$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1"}]';
	refused jsonb := '[{"id": "5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b21.memcorp", "hash": "not a hash"},
					   {"id": "no such user", "hash": "SnAvNTB92A.62"}, {"hash": 12}]';
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

		-- Customer password resets: issue one, read it, a wrong token, the
		-- right one anonymously; an email address already in use.  Here and
		-- below each refusal is caught by its own SQLSTATE, so that a call
		-- failing for another reason fails the test.
		created := pwupdate.create_customer_password_reset('mem.customer@memcorp.example', 'ref ' || i,
														   'origin', '{"n": 1}');
		reset_id := created #>> '{data,id}';
		token := created #>> '{data,attributes,reset_password_token}';
		PERFORM pwupdate.get_customer_password_reset(reset_id);
		BEGIN
			PERFORM pwupdate.reset_customer_password(reset_id, jsonb_build_object('data', jsonb_build_object(
				'type', 'customer_password_resets', 'id', reset_id, 'attributes', jsonb_build_object(
				'customer_password', 'memory passphrase ' || i, '_reset_password_token', 'a wrong token'))));
		EXCEPTION WHEN SQLSTATE 'PT422' THEN
			NULL;
		END;
		PERFORM set_config('request.jwt.claims', '{"role": "anon"}', true);
		PERFORM pwupdate.reset_customer_password(reset_id, jsonb_build_object('data', jsonb_build_object(
			'type', 'customer_password_resets', 'id', reset_id, 'attributes', jsonb_build_object(
			'customer_password', 'memory passphrase ' || i, '_reset_password_token', token))));
		PERFORM set_config('request.jwt.claims', '', true);
		PERFORM pwupdate.check_password('customer', customer_id, 'memory passphrase ' || i);
		BEGIN
			PERFORM pwupdate.create_customer('MEM.customer@memcorp.example');
		EXCEPTION WHEN unique_violation THEN
			NULL;
		END;
		PERFORM pwupdate.purge_expired_resets();

		-- DBA maintenance: the report and one hash's description; a forced
		-- reset, a wrong token, a password the policy refuses, the right
		-- token; an import of two rows and a refused one; the purge, and a
		-- batch size it refuses.
		PERFORM * FROM pwupdate.hash_report();
		PERFORM pwupdate.hash_info(bf);
		PERFORM pwupdate.hash_info('not a hash');
		SELECT r.reset_token INTO token FROM pwupdate.force_password_reset('partner_login', ARRAY[reset_sid::text]) AS r;
		BEGIN
			PERFORM pwupdate.reset_password('partner_login', reset_sid::text, 'a wrong token', 'memory passphrase ' || i);
		EXCEPTION WHEN SQLSTATE 'PT422' THEN
			NULL;
		END;
		BEGIN
			PERFORM pwupdate.reset_password('partner_login', reset_sid::text, token, 'short');
		EXCEPTION WHEN SQLSTATE 'PT422' THEN
			NULL;
		END;
		PERFORM pwupdate.reset_password('partner_login', reset_sid::text, token, 'memory passphrase ' || i);
		BEGIN
			PERFORM * FROM pwupdate.force_password_reset('partner_login', ARRAY['no such login']);
		EXCEPTION WHEN SQLSTATE 'PT404' THEN
			NULL;
		END;
		PERFORM pwupdate.import_hashes('user', imported, overwrite => true);
		PERFORM * FROM pwupdate.check_hash_import('user', refused);
		BEGIN
			PERFORM pwupdate.import_hashes('user', refused);
		EXCEPTION WHEN invalid_parameter_value THEN
			NULL;
		END;
		CALL pwupdate.purge_expired(100, 0, purged);
		BEGIN
			CALL pwupdate.purge_expired(0, 0, purged);
		EXCEPTION WHEN invalid_parameter_value THEN
			NULL;
		END;
	END LOOP;
	PERFORM pwupdate.purge_expired_sessions();
END
$$;

-- Called at top level, purge_expired commits after every batch, which it
-- cannot do inside a function: rounds of three expired sessions purged two
-- at a time, from a procedure CALLed at top level.  (Its thousands of
-- commits need not wait for the disk.)
SET synchronous_commit = off;
CREATE PROCEDURE pg_temp.purge_rounds(rounds int, user_id text)
LANGUAGE plpgsql AS $$
DECLARE
	purged jsonb;
BEGIN
	FOR i IN 1 .. rounds LOOP
		INSERT INTO pwupdate.user_session (user_id, token_digest, csrf_digest, expires_at)
		SELECT user_id, md5(random()::text) || md5(random()::text), 'x', now() - interval '1 minute'
		FROM generate_series(1, 3);
		CALL pwupdate.purge_expired(2, 0, purged);
		IF (purged ->> 'user_session')::int <> 3 THEN
			RAISE EXCEPTION 'round %: purged %', i, purged;
		END IF;
	END LOOP;
END
$$;

SELECT pg_temp.exercise(1, 1, :'sid', :'user_id', :'realm', :'uai', :'profile', :'ppi',
	:'customer_id', :'reset_sid');
SELECT pg_temp.exercise(2, 500, :'sid', :'user_id', :'realm', :'uai', :'profile', :'ppi',
	:'customer_id', :'reset_sid');
CALL pg_temp.purge_rounds(500, :'user_id');
SELECT pg_temp.rss_anon_kb() AS before_kb \gset
SELECT pg_temp.exercise(502, 2000, :'sid', :'user_id', :'realm', :'uai', :'profile', :'ppi',
	:'customer_id', :'reset_sid');
CALL pg_temp.purge_rounds(2000, :'user_id');
SELECT pg_temp.rss_anon_kb() - :before_kb < 512 AS rss_flat,
       CASE WHEN pg_temp.rss_anon_kb() - :before_kb >= 512
            THEN (pg_temp.rss_anon_kb() - :before_kb) || ' kB more' END AS growth;
-- The successes of the last round took.
SELECT pwupdate.check_password('customer', :'customer_id', 'memory passphrase 2501') AS last_customer_reset,
	   pwupdate.check_password('partner_login', :'reset_sid', 'memory passphrase 2501') AS last_forced_reset;
SELECT count(*) AS imports FROM pwupdate.audit
WHERE action = 'import' AND resource_id = '5b1c7a9e-0d2f-4e3a-8b6c-7d8e9f0a1b22.memcorp';
