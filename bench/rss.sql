-- The memory run of bench/run: one session makes many API calls, and the
-- backend's RssAnon is read between chunks of them.  rss_calls(first,
-- count, quarter) gives the calls first .. first + count - 1, each as the
-- four statements of its transaction (BEGIN, the caller's settings, the
-- call, COMMIT or ROLLBACK).  Another session makes them, so that the
-- measured backend runs nothing but the calls and the reading of its
-- memory.  Rows are those of the minimal-cost populations (10_bench.sql).
--
-- The calls go round ten kinds: patch_login (three of ten),
-- update_password_profile_info, a trusted change_user_password, sign_in,
-- get_login, and three refusals that end in an error: an unknown
-- login_sid (404), a body of the wrong JSON type (400) and a wrong
-- OldPassword (403, or 429 once the account is locked out).  When the
-- build has customer resets, every other bad body is a reset with its
-- token instead, rolled back.
CREATE FUNCTION pg_temp.rss_calls(first bigint, count int, quarter int)
RETURNS SETOF text
LANGUAGE sql
AS $fn$
	WITH settings AS (
		SELECT format('SELECT set_config(%L, %L, true), set_config(%L, %L, true)', 'role', 'authenticated',
					  'request.jwt.claims',
					  '{"sub": "bench_partner", "role": "authenticated", "scope": "oauth.read oauth.update", '
					  '"partner_sid": "b0000000-0000-4000-8000-000000000001"}') AS partner,
			   format('SELECT set_config(%L, %L, true), set_config(%L, %L, true)', 'role', 'authenticated',
					  'request.jwt.claims',
					  '{"sub": "store-front", "role": "authenticated", '
					  '"realm_id": "b0000000-0000-4000-8000-0000000000a1"}') AS realm,
			   format('SELECT set_config(%L, %L, true), set_config(%L, %L, true)', 'role', 'anon',
					  'request.jwt.claims', '{"role": "anon"}') AS anon,
			   to_regprocedure('pwupdate.reset_customer_password(text,jsonb)') IS NOT NULL AS resets
	), calls AS (
		SELECT k, k % 10 AS kind,
			   4 * floor(random() * quarter)::int + 2 AS w,	-- writable, minimal cost
			   4 * floor(random() * quarter)::int + 3 AS s		-- stable, minimal cost
		FROM generate_series(first, first + count - 1) AS k
	)
	SELECT concat_ws(E';\n', 'BEGIN',
		CASE
			WHEN kind IN (0, 1, 2, 6, 7) OR (kind = 8 AND NOT (resets AND k % 20 = 8)) THEN partner
			WHEN kind = 3 THEN realm
			WHEN kind = 4 THEN 'SELECT 1'
			WHEN kind = 5 OR kind = 8 THEN anon
			ELSE format('SELECT set_config(%L, %L, true), set_config(%L, %L, true)', 'role', 'authenticated',
						'request.jwt.claims',
						json_build_object('role', 'authenticated',
										  'sub', md5('user' || s)::uuid || '.benchcorp')::text)
		END,
		CASE kind
			WHEN 3 THEN format('SELECT pwupdate.update_password_profile_info(%L, %L, %L, %L)',
							   'b0000000-0000-4000-8000-0000000000a1', md5('uai' || w)::uuid,
							   md5('ppi' || w)::uuid,
							   '{"data": {"type": "user_authentication_password_profile_info", '
							   '"password_profile_id": "b0000000-0000-4000-8000-0000000000b1", '
							   '"password": "Bench passphrase ' || k || '"}}')
			WHEN 4 THEN format('SELECT pwupdate.change_user_password(%L, %L)',
							   md5('user' || w)::uuid || '.benchcorp',
							   json_build_object('NewPassword', 'Bench passphrase ' || k))
			WHEN 5 THEN format('SELECT pwupdate.sign_in(%L, %L)', 'user' || s || '@bench.example',
							   'Bench passphrase 0')
			WHEN 6 THEN format('SELECT pwupdate.get_login(%L)', md5('login' || s)::uuid)
			WHEN 7 THEN format('SELECT pwupdate.patch_login(%L, %L)', md5('unknown' || k)::uuid,
							   '{"password": "Bench passphrase 1"}')
			WHEN 8 THEN
				CASE WHEN resets AND k % 20 = 8 THEN
					format('SELECT pwupdate.reset_customer_password(%L, %L)', 'r' || lpad(s::text, 9, '0'),
						   json_build_object('data', json_build_object(
							   'type', 'customer_password_resets', 'id', 'r' || lpad(s::text, 9, '0'),
							   'attributes', json_build_object(
								   'customer_password', 'Bench passphrase ' || k,
								   '_reset_password_token', 'benchtoken' || lpad(s::text, 14, '0')))))
				ELSE format('SELECT pwupdate.patch_login(%L, %L)', md5('login' || w)::uuid,
							'{"password": 12}')
				END
			WHEN 9 THEN format('SELECT pwupdate.change_user_password(%L, %L)',
							   md5('user' || s)::uuid || '.benchcorp',
							   '{"OldPassword": "Wrong passphrase 0", "NewPassword": "Bench passphrase 1"}')
			ELSE format('SELECT pwupdate.patch_login(%L, %L)', md5('login' || w)::uuid,
						json_build_object('password', 'Bench passphrase ' || k))
		END,
		CASE WHEN kind = 8 AND resets AND k % 20 = 8 THEN 'ROLLBACK' ELSE 'COMMIT' END) || ';'
	FROM calls, settings
	ORDER BY k
$fn$;
