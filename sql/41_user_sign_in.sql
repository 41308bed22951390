-- sign_in: verifies an email and password, opens a session with a session
-- token and a CSRF token stored only as digests, upgrades an outdated hash
-- without ending sessions, and fails the same way, at the same cost, for
-- a wrong email and a wrong password.

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

SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
							'm.hamilton@acmepayments.example', 'Margaret10');

-- The response, tokens masked: names for the cookie and the header, two
-- random 43-character tokens (256 bits each), and the expiry
-- (pwupdate.session_ttl, 12 hours by default) in the API's ISO 8601 form.
CREATE TEMP TABLE signed_in AS
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10') AS r;
SELECT jsonb_object_keys(r) AS key FROM signed_in ORDER BY 1;
SELECT r->>'user_id' AS user_id, r->>'cookie_name' AS cookie_name,
	   r->>'csrf_header' AS csrf_header FROM signed_in;
SELECT r->>'session_token' ~ '^[A-Za-z0-9]{43}$' AS session_token_ok,
	   r->>'csrf_token' ~ '^[A-Za-z0-9]{43}$' AS csrf_token_ok,
	   r->>'session_token' <> r->>'csrf_token' AS tokens_differ,
	   r->>'expires_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS iso_expiry,
	   (r->>'expires_at')::timestamptz - now() BETWEEN interval '11 hours 59 minutes'
		   AND interval '12 hours 1 minute' AS twelve_hours
FROM signed_in;

-- Only SHA-256 digests of the tokens are stored.
SELECT s.token_digest = encode(sha256(convert_to(r->>'session_token', 'UTF8')), 'hex') AS token_digest,
	   s.csrf_digest = encode(sha256(convert_to(r->>'csrf_token', 'UTF8')), 'hex') AS csrf_digest,
	   date_trunc('milliseconds', s.expires_at) = (r->>'expires_at')::timestamptz AS same_expiry,
	   strpos(s::text, r->>'session_token') = 0 AND strpos(s::text, r->>'csrf_token') = 0 AS no_clear_token
FROM signed_in JOIN pwupdate.user_session s ON s.user_id = r->>'user_id';

-- Each sign-in opens a new session with new tokens; the email is matched
-- case-insensitively.
INSERT INTO signed_in
SELECT pwupdate.sign_in('M.Hamilton@AcmePayments.EXAMPLE', 'Margaret10');
SELECT count(DISTINCT r->>'session_token') AS sessions,
	   count(DISTINCT r->>'csrf_token') AS csrf_tokens FROM signed_in;
SELECT count(*) AS stored_sessions FROM pwupdate.user_session
WHERE user_id = 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp';

-- A shorter session lifetime applies to new sessions.
SET pwupdate.session_ttl = '90s';
SELECT (pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')->>'expires_at')::timestamptz
	   - now() BETWEEN interval '80 seconds' AND interval '100 seconds' AS ninety_seconds;
RESET pwupdate.session_ttl;

-- Anyone may sign in, through PostgREST as anonymous or with claims, with
-- only the API role's privileges; an SQL role outside pwupdate_admin
-- without claims may not.
SET ROLE regress_users_client;
BEGIN;
SELECT pg_temp.request('{"role": "anon"}');
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')->>'user_id' AS anonymous;
COMMIT;
BEGIN;
SELECT pg_temp.request('{"sub": "somebody"}');
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')->>'user_id' AS with_claims;
COMMIT;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')->>'user_id'$$);
RESET ROLE;

-- Wrong email and wrong password: one error, 28P01 (403 through PostgREST),
-- that says neither which nor anything about the account.
SELECT pg_temp.try($$SELECT pwupdate.sign_in('nobody@acmepayments.example', 'Margaret10')$$) AS wrong_email;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret11')$$) AS wrong_password;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('nobody@acmepayments.example', 'Margaret10')$$)
	 = pg_temp.try($$SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret11')$$) AS indistinguishable;
SELECT pg_temp.try($$SELECT pwupdate.sign_in(NULL, 'Margaret10')$$);
SELECT pg_temp.try($$SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', NULL)$$);

-- A hash made under other settings is upgraded at sign-in: the user's
-- sessions stay and updated_at does not move; the audit records a rehash,
-- as check_password's does.
SET pwupdate.argon2_iterations = 2;
SELECT pwupdate.create_user('6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a.acmepaymentscorp',
							'rehash@acmepayments.example', 'Copper kettle 88');
SELECT pwupdate.sign_in('rehash@acmepayments.example', 'Copper kettle 88') IS NOT NULL AS first_session;
RESET pwupdate.argon2_iterations;
SELECT password_hash AS old_hash, updated_at AS old_updated_at FROM pwupdate.user_account
WHERE email = 'rehash@acmepayments.example' \gset
SELECT pwupdate.needs_rehash(:'old_hash') AS needs_rehash;
SELECT pwupdate.sign_in('rehash@acmepayments.example', 'Copper kettle 88') IS NOT NULL AS second_session;
SELECT password_hash <> :'old_hash' AS upgraded,
	   NOT pwupdate.needs_rehash(password_hash) AS current,
	   pwupdate.verify_password('Copper kettle 88', password_hash) AS same_password,
	   updated_at = :'old_updated_at' AS updated_at_kept
FROM pwupdate.user_account WHERE email = 'rehash@acmepayments.example';
SELECT jsonb_array_length(pwupdate.list_user_sessions('6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a.acmepaymentscorp')) AS live_sessions;
SELECT action FROM pwupdate.audit
WHERE resource_id = '6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a.acmepaymentscorp' ORDER BY id;

DELETE FROM pwupdate.user_account WHERE fed = 'acmepaymentscorp';
SELECT count(*) AS sessions_left FROM pwupdate.user_session;
DROP ROLE regress_users_client;
