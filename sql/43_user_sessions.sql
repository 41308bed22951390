-- Session maintenance, for trusted callers only: list a user's live
-- sessions (never a token or a digest), revoke one or all of them, and
-- purge the expired ones.

CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
	state text;
	message text;
	detail text;
BEGIN
	EXECUTE statement INTO result;
	RETURN result;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
	RETURN state || ': ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;

CREATE FUNCTION pg_temp.request(claims jsonb, cookies jsonb DEFAULT NULL,
								headers jsonb DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('request.method', 'POST', true);
	PERFORM set_config('request.jwt.claims', coalesce(claims::text, ''), true);
	PERFORM set_config('request.cookies', coalesce(cookies::text, ''), true);
	PERFORM set_config('request.headers', coalesce(headers::text, ''), true);
	RETURN pwupdate.current_caller()->>'kind';
END
$$;

CREATE ROLE regress_users_client;
GRANT pwupdate_api TO regress_users_client;
CREATE ROLE regress_users_dba;
GRANT pwupdate_admin TO regress_users_dba;

SELECT pwupdate.create_user('a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5.initech',
							'peter@initech.example', 'TPS reports 2024') AS peter;
SELECT pwupdate.create_user('f6f6f6f6-a7a7-4b8b-9c9c-d0d0d0d0d0d0.initech',
							'milton@initech.example', 'Red stapler 1999') AS milton;

CREATE TEMP TABLE sessions (name text PRIMARY KEY, r jsonb NOT NULL);
INSERT INTO sessions VALUES
	('peter 1', pwupdate.sign_in('peter@initech.example', 'TPS reports 2024')),
	('peter 2', pwupdate.sign_in('peter@initech.example', 'TPS reports 2024')),
	('peter 3', pwupdate.sign_in('peter@initech.example', 'TPS reports 2024')),
	('milton', pwupdate.sign_in('milton@initech.example', 'Red stapler 1999'));
CREATE FUNCTION pg_temp.session_id(name text) RETURNS uuid
LANGUAGE sql AS $$
	SELECT u.id FROM pwupdate.user_session u JOIN sessions s
	  ON u.token_digest = encode(sha256(convert_to(s.r->>'session_token', 'UTF8')), 'hex')
	WHERE s.name = $1
$$;

-- The listing: live sessions, oldest first, with their ids and times only.
SELECT pwupdate.list_user_sessions('a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5.initech') AS listing \gset
SELECT jsonb_array_length(:'listing') AS sessions,
	   (SELECT array_agg(DISTINCT k ORDER BY k)
		FROM jsonb_array_elements(:'listing') e, jsonb_object_keys(e) k) AS keys,
	   (SELECT array_agg(e->>'session_id') FROM jsonb_array_elements(:'listing') e)
		 = ARRAY[pg_temp.session_id('peter 1'), pg_temp.session_id('peter 2'),
				 pg_temp.session_id('peter 3')]::text[] AS oldest_first,
	   (SELECT bool_and(e->>'created_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
						AND e->>'expires_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$')
		FROM jsonb_array_elements(:'listing') e) AS iso_times;
SELECT count(*) AS secrets_in_listing FROM sessions s, pwupdate.user_session u
WHERE strpos(:'listing', s.r->>'session_token') > 0 OR strpos(:'listing', s.r->>'csrf_token') > 0
   OR strpos(:'listing', u.token_digest) > 0 OR strpos(:'listing', u.csrf_digest) > 0;

-- Unknown users are not found.
SELECT pg_temp.try($$SELECT pwupdate.list_user_sessions('99999999-9999-4999-8999-999999999999.initech')$$);
SELECT pg_temp.try($$SELECT pwupdate.list_user_sessions(NULL)$$);

-- Revoking one session: true once, then false; the cookie stops working.
SELECT pwupdate.revoke_user_session(pg_temp.session_id('peter 1')) AS revoked;
SELECT pwupdate.revoke_user_session((:'listing'::jsonb->0->>'session_id')::uuid) AS again;
SELECT pwupdate.revoke_user_session('00000000-0000-4000-8000-000000000000') AS unknown;
SELECT pg_temp.try($$SELECT pwupdate.revoke_user_session(NULL)$$);
BEGIN;
SELECT pg_temp.request('{"role": "anon"}',
					   jsonb_build_object(r->>'cookie_name', r->>'session_token'),
					   jsonb_build_object(lower(r->>'csrf_header'), r->>'csrf_token'))
FROM sessions WHERE name = 'peter 1';
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5.initech', '{"OldPassword": "TPS reports 2024", "NewPassword": "TPS reports 2025"}')$$) AS revoked_cookie;
ROLLBACK;

-- Expired sessions are not listed, and purging deletes exactly them.
UPDATE pwupdate.user_session SET expires_at = clock_timestamp() - interval '1 minute'
WHERE id = pg_temp.session_id('peter 2');
SELECT jsonb_array_length(pwupdate.list_user_sessions('a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5.initech')) AS live;
SELECT pwupdate.purge_expired_sessions() AS purged;
SELECT pwupdate.purge_expired_sessions() AS purged_again;
SELECT name, pg_temp.session_id(name) IS NOT NULL AS stored FROM sessions ORDER BY name;

-- Revoking all of a user's sessions leaves other users' alone.
SELECT pwupdate.revoke_user_sessions('a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5.initech') AS revoked_all;
SELECT pwupdate.list_user_sessions('a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5.initech') AS peter,
	   jsonb_array_length(pwupdate.list_user_sessions('f6f6f6f6-a7a7-4b8b-9c9c-d0d0d0d0d0d0.initech')) AS milton;
SELECT pg_temp.try($$SELECT pwupdate.revoke_user_sessions('99999999-9999-4999-8999-999999999999.initech')$$);
SELECT pg_temp.try($$SELECT pwupdate.revoke_user_sessions(NULL)$$);

-- Revocations are audited; purging is housekeeping and is not.
SELECT left(resource_id, 8) AS user_id, action, actor_role, channel FROM pwupdate.audit
WHERE resource = 'user' AND resource_id LIKE '%.initech' AND action <> 'create'
ORDER BY id;

-- Trusted callers only: pwupdate_admin members.
SET ROLE regress_users_dba;
SELECT pwupdate.purge_expired_sessions() AS dba_purged;
SELECT jsonb_array_length(pwupdate.list_user_sessions('f6f6f6f6-a7a7-4b8b-9c9c-d0d0d0d0d0d0.initech')) AS dba_listed;
SET ROLE regress_users_client;
SELECT pg_temp.try($$SELECT pwupdate.list_user_sessions('f6f6f6f6-a7a7-4b8b-9c9c-d0d0d0d0d0d0.initech')$$) AS api_role;
SELECT pg_temp.try($$SELECT pwupdate.revoke_user_session('00000000-0000-4000-8000-000000000000')$$) AS api_role;
SELECT pg_temp.try($$SELECT pwupdate.purge_expired_sessions()$$) AS api_role;
RESET ROLE;

-- Deleting a user deletes their sessions.
DELETE FROM pwupdate.user_account WHERE fed = 'initech';
SELECT count(*) AS sessions_left FROM pwupdate.user_session;
DROP ROLE regress_users_client;
DROP ROLE regress_users_dba;
