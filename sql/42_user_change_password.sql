-- change_user_password: the seed's flow (Margaret10 -> Margaret11 from a
-- browser holding a session cookie and its CSRF token), the other ways to
-- be identified (claims, trusted SQL), who may change whose password, and
-- every error class of contract section 7.

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

SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
							'm.hamilton@acmepayments.example', 'Margaret10') AS margaret;
SELECT pwupdate.create_user('5f0c8a8e-1111-4a2b-9c3d-2e4f6a8b0c1d.acmepaymentscorp',
							'root@acmepayments.example', 'Site keeper 2024!', true) AS site_admin;
SELECT pwupdate.create_user('7b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f.acmepaymentscorp',
							'bob.jones@acmepayments.example', 'Bluebird rising 9') AS bob;
SELECT pwupdate.create_user('0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.globex',
							'olga@globex.example', 'Lighthouse keeper 7') AS olga;

-- Signed-in browsers, by name; the tokens never reach the output.
CREATE TEMP TABLE sessions (name text PRIMARY KEY, r jsonb NOT NULL);
GRANT SELECT ON sessions TO regress_users_client;
INSERT INTO sessions VALUES
	('margaret laptop', pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')),
	('margaret phone', pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')),
	('admin', pwupdate.sign_in('root@acmepayments.example', 'Site keeper 2024!')),
	('bob', pwupdate.sign_in('bob.jones@acmepayments.example', 'Bluebird rising 9')),
	('olga', pwupdate.sign_in('olga@globex.example', 'Lighthouse keeper 7'));

-- A PostgREST request from the browser holding session "name": anonymous
-- claims, its cookie, and its CSRF header carrying the token of session
-- "csrf" (by default its own; '' leaves the header out).
CREATE FUNCTION pg_temp.browser(name text, csrf text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	own jsonb;
	other jsonb;
	headers jsonb := '{"accept": "text/plain, */*; q=0.01", "content-type": "application/json"}';
BEGIN
	SELECT r INTO own FROM sessions s WHERE s.name = browser.name;
	SELECT r INTO other FROM sessions s WHERE s.name = coalesce(nullif(browser.csrf, ''), browser.name);
	IF csrf IS DISTINCT FROM '' THEN
		headers := headers || jsonb_build_object(lower(own->>'csrf_header'), other->>'csrf_token');
	END IF;
	RETURN pg_temp.request('{"role": "anon"}',
						   jsonb_build_object(own->>'cookie_name', own->>'session_token'),
						   headers);
END
$$;

-- Which sessions are still live.
CREATE FUNCTION pg_temp.live_sessions() RETURNS TABLE (name text, live boolean)
LANGUAGE sql AS $$
	SELECT s.name, EXISTS (
		SELECT FROM pwupdate.user_session u
		WHERE u.token_digest = encode(sha256(convert_to(s.r->>'session_token', 'UTF8')), 'hex')
		  AND u.expires_at > clock_timestamp())
	FROM sessions s ORDER BY s.name
$$;

--
-- The seed: Margaret, signed in on her laptop, changes her password from
-- Margaret10 to Margaret11 through PostgREST (anonymous role, session
-- cookie AtmoAuthToken_acmepaymentscorp, header X-Csrf-Token_acmepaymentscorp).
-- The response is her user id, of the text/plain media-type domain.
--
BEGIN;
SET LOCAL ROLE regress_users_client;
SELECT pg_temp.browser('margaret laptop');
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
	'{ "OldPassword":"Margaret10", "NewPassword":"Margaret11" }') AS response;
COMMIT;
BEGIN;
SELECT pg_typeof(pwupdate.change_user_password(
	'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"NewPassword": "Margaret12"}'));
ROLLBACK;

-- Her other session ended, the laptop's stayed, nobody else's changed.
SELECT * FROM pg_temp.live_sessions();
SELECT pg_temp.try($$SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')->>'user_id'$$) AS old_password,
	   pg_temp.try($$SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret11')->>'user_id'$$) AS new_password;
SELECT created_at < updated_at AS updated_at_moved FROM pwupdate.user_account
WHERE user_id = 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp';

--
-- Not authenticated (PT401, 401): no cookie, a cookie without the CSRF
-- header, a wrong CSRF token, an ended, unknown or expired session, or a
-- session presented under another federation's cookie name.
--
BEGIN;
SELECT pg_temp.request('{"role": "anon"}');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS no_cookie;
SELECT pg_temp.browser('margaret laptop', csrf => '');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS no_csrf_header;
SELECT pg_temp.browser('margaret laptop', csrf => 'admin');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS wrong_csrf;
SELECT pg_temp.browser('margaret phone');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS ended_session;
SELECT pg_temp.request('{"role": "anon"}', '{"AtmoAuthToken_acmepaymentscorp": "TokenID=8ed70a13-8469-11e8-b37a-b155e4eabeb8"}',
					   '{"x-csrf-token_acmepaymentscorp": "TokenID=8ed70a13-8469-11e8-b37a-b155e4eabeb8"}');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS unknown_session;
SELECT pg_temp.request('{"role": "anon"}',
					   jsonb_build_object('AtmoAuthToken_acmepaymentscorp', r->>'session_token'),
					   jsonb_build_object('x-csrf-token_acmepaymentscorp', r->>'csrf_token'))
FROM sessions WHERE name = 'olga';
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS other_federation;
ROLLBACK;

INSERT INTO sessions VALUES
	('margaret expired', pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret11'));
UPDATE pwupdate.user_session SET expires_at = clock_timestamp() - interval '1 second'
WHERE token_digest = (SELECT encode(sha256(convert_to(r->>'session_token', 'UTF8')), 'hex')
					  FROM sessions WHERE name = 'margaret expired');
BEGIN;
SELECT pg_temp.browser('margaret expired');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS expired_session;
ROLLBACK;

--
-- Malformed bodies (22023, 400) name the field as a JSON pointer.
--
BEGIN;
SELECT pg_temp.browser('margaret laptop');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '["Margaret11", "Margaret12"]')$$) AS array_body;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '"Margaret12"')$$) AS string_body;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', NULL)$$) AS null_body;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{}')$$) AS empty_body;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11"}')$$) AS no_new_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret12", "Email": "x@y.example"}')$$) AS unknown_field;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": 12345678}')$$) AS number;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": null, "NewPassword": "Margaret12"}')$$) AS null_old_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password(NULL, '{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}')$$) AS null_user_id;

--
-- Self: the current password is required and must be right (28P01, 403).
--
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret10", "NewPassword": "Margaret12"}')$$) AS wrong_old_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"NewPassword": "Margaret12"}')$$) AS missing_old_password;

--
-- The new password differs from the current one and passes the policy,
-- with the user id and the email as context words (PT422, 422).
--
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Margaret11"}')$$) AS same_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Marg12"}')$$) AS too_short;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "M.Hamilton rocks"}')$$) AS email_in_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp!"}')$$) AS user_id_in_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "password1"}')$$) AS common;
ROLLBACK;

--
-- A user who is not a site admin cannot change another user's password
-- (42501, 403), whether that user exists or not: the refusal comes before
-- any look-up, so it tells nothing about other accounts.
--
BEGIN;
SELECT pg_temp.browser('bob');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"NewPassword": "Bob was here 1"}')$$) AS plain_user_on_margaret;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret11", "NewPassword": "Bob was here 1"}')$$) AS even_with_her_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('99999999-9999-4999-8999-999999999999.acmepaymentscorp', '{"NewPassword": "Bob was here 1"}')$$) AS plain_user_on_nobody;
SELECT pg_temp.request('{"sub": "7b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f.acmepaymentscorp"}');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"NewPassword": "Bob was here 1"}')$$) AS claims_on_margaret;
SELECT pg_temp.request('{"sub": "not-a-user"}');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"NewPassword": "Bob was here 1"}')$$) AS unknown_subject;
ROLLBACK;

--
-- Claims: the subject changes their own password.  There is no current
-- session, so every session of the user ends.
--
BEGIN;
SELECT pg_temp.request('{"sub": "eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp", "role": "web_user"}');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "Margaret10", "NewPassword": "Margaret12"}')$$) AS claims_wrong_old;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
	'{"OldPassword": "Margaret11", "NewPassword": "Margaret12"}') AS claims_self;
COMMIT;
SELECT * FROM pg_temp.live_sessions() WHERE name LIKE 'margaret%';

--
-- A site admin changes another user's password without the old one, from
-- a browser session: the user's sessions all end, the admin's stays.  An
-- OldPassword that is sent is still checked.
--
INSERT INTO sessions VALUES
	('margaret tablet', pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret12'));
BEGIN;
SELECT pg_temp.browser('admin');
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"OldPassword": "wrong guess 1", "NewPassword": "Margaret13"}')$$) AS admin_wrong_old;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', '{"NewPassword": "Margaret12"}')$$) AS admin_same_password;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('99999999-9999-4999-8999-999999999999.acmepaymentscorp', '{"NewPassword": "Margaret13"}')$$) AS admin_on_nobody;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('5f0c8a8e-1111-4a2b-9c3d-2e4f6a8b0c1d.acmepaymentscorp', '{"NewPassword": "Site keeper 2025!"}')$$) AS admin_self_without_old;
SELECT pwupdate.change_user_password('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
	'{"NewPassword": "Margaret13"}') AS admin_on_margaret;
COMMIT;
SELECT * FROM pg_temp.live_sessions() WHERE name IN ('admin', 'margaret tablet');
SELECT pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret13')->>'user_id' AS margaret_signs_in;

-- The same admin through claims.
BEGIN;
SELECT pg_temp.request('{"sub": "5f0c8a8e-1111-4a2b-9c3d-2e4f6a8b0c1d.acmepaymentscorp"}');
SELECT pwupdate.change_user_password('7b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f.acmepaymentscorp',
	'{"NewPassword": "Bluebird rising 11"}') AS admin_claims_on_bob;
COMMIT;

--
-- Trusted SQL callers (no claims, member of pwupdate_admin) change any
-- password without the old one; other SQL roles are refused.
--
SELECT pwupdate.change_user_password('0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.globex',
	'{"NewPassword": "Lighthouse keeper 8"}') AS superuser_on_olga;
SELECT * FROM pg_temp.live_sessions() WHERE name = 'olga';
SET ROLE regress_users_dba;
SELECT pwupdate.change_user_password('0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.globex',
	'{"NewPassword": "Lighthouse keeper 9"}') AS dba_on_olga;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.globex', '{"OldPassword": "Lighthouse keeper 8", "NewPassword": "Lighthouse keeper 10"}')$$) AS dba_wrong_old;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('99999999-9999-4999-8999-999999999999.globex', '{"NewPassword": "Lighthouse keeper 10"}')$$) AS dba_on_nobody;
SET ROLE regress_users_client;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.globex', '{"NewPassword": "Lighthouse keeper 10"}')$$) AS api_role_without_claims;
RESET ROLE;

-- Every change is audited with the acting user as the subject (also when a
-- session cookie identified them); failures leave no trace; no secret.
SELECT left(resource_id, 8) AS user_id, action, actor_role, left(actor_sub, 8) AS actor_sub, channel
FROM pwupdate.audit
WHERE resource = 'user' AND action = 'change_password'
  AND resource_id IN ('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
					  '7b1e2d3c-4a5b-4c6d-8e7f-9a0b1c2d3e4f.acmepaymentscorp',
					  '0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.globex')
ORDER BY id;
SELECT count(*) AS audit_rows_with_secrets
FROM pwupdate.audit a, sessions s
WHERE strpos(a::text, s.r->>'session_token') > 0 OR strpos(a::text, s.r->>'csrf_token') > 0
   OR a::text ~ '(Margaret1|Bluebird|Lighthouse)';

DELETE FROM pwupdate.user_account WHERE fed IN ('acmepaymentscorp', 'globex');
REVOKE SELECT ON sessions FROM regress_users_client;
DROP ROLE regress_users_client;
DROP ROLE regress_users_dba;
