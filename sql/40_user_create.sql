-- Users of seed 003 (Akana): created by trusted callers only, with ids
-- "<uuid>.<fed>", passwords through the policy, and tables that hold
-- hashes and digests readable by no API role.

-- try() runs one statement and shows its result, or the error as a
-- PostgREST client would see it: SQLSTATE, message and detail.
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

-- request() sets what PostgREST sets for one transaction; returns how
-- pwupdate sees the caller.
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

-- The seed's user, and a site admin of the same federation member.
SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp',
							'm.hamilton@acmepayments.example', 'Margaret10');
SELECT pwupdate.create_user(user_id => '5f0c8a8e-1111-4a2b-9c3d-2e4f6a8b0c1d.acmepaymentscorp',
							email => 'root@acmepayments.example',
							password => 'Site keeper 2024!', site_admin => true);

SELECT user_id, fed, email, site_admin,
	   password_hash LIKE '$argon2id$%' AS argon2id,
	   created_at = updated_at AS unchanged
FROM pwupdate.user_account
WHERE fed = 'acmepaymentscorp' ORDER BY email;

-- The result is the id, as text.
SELECT pg_typeof(pwupdate.create_user('0e3b7f2a-5c4d-4e6f-8a9b-0c1d2e3f4a5b.other-fed_2',
									  'dana@other.example', 'Lighthouse keeper 7'));

-- Creation is audited, without any secret.
SELECT resource, resource_id, action, actor_role, actor_sub, channel
FROM pwupdate.audit WHERE resource = 'user' ORDER BY id;

-- Ids: a lower-case UUID, ".", and a federation member id usable in a
-- cookie and a header name.
SELECT pg_temp.try($$SELECT pwupdate.create_user('margaret', 'a@b.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('ECEFFBE3-3386-495B-80D3-7526F0EB0EDC.acme', 'a@b.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc', 'a@b.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.', 'a@b.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acme corp', 'a@b.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acme.corp', 'a@b.example', 'Lighthouse keeper 7')$$);

-- Email addresses: one "@" with text on both sides, no white space.
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'nobody', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', '@acme.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'a@', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'a@b@acme.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'a b@acme.example', 'Lighthouse keeper 7')$$);

-- Taken ids and email addresses (compared case-insensitively) conflict.
SELECT pg_temp.try($$SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', 'new@acme.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'M.Hamilton@AcmePayments.example', 'Lighthouse keeper 7')$$);

-- The password passes the policy; the context words are the user id and
-- the email.  Had Margaret's address been margaret@..., the seed's own
-- password would have been refused.
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'margaret@acme.example', 'Margaret10')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'x@acme.example', 'my id is 11111111-2222-4333-8444-555555555555.acme')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'x@acme.example', 'short')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'x@acme.example', 'password1')$$);

-- No argument may be null.
SELECT pg_temp.try($$SELECT pwupdate.create_user(NULL, 'x@acme.example', 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', NULL, 'Lighthouse keeper 7')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'x@acme.example', NULL)$$);
SELECT pg_temp.try($$SELECT pwupdate.create_user('11111111-2222-4333-8444-555555555555.acme', 'x@acme.example', 'Lighthouse keeper 7', NULL)$$);

-- Trusted only: a pwupdate_admin member may; no other role may, with
-- claims or without.
SET ROLE regress_users_dba;
SELECT pg_temp.try($$SELECT pwupdate.create_user('22222222-3333-4444-8555-666666666666.acmepaymentscorp', 'ops@acmepayments.example', 'Lighthouse keeper 7')$$);
SET ROLE regress_users_client;
SELECT pg_temp.try($$SELECT pwupdate.create_user('33333333-3333-4444-8555-666666666666.acme', 'x@acme.example', 'Lighthouse keeper 7')$$);
BEGIN;
SELECT pg_temp.request('{"role": "anon"}');
SELECT pg_temp.try($$SELECT pwupdate.create_user('33333333-3333-4444-8555-666666666666.acme', 'x@acme.example', 'Lighthouse keeper 7')$$);
ROLLBACK;
RESET ROLE;
SELECT count(*) AS refused_users_created FROM pwupdate.user_account
WHERE user_id LIKE '11111111-%' OR user_id LIKE '33333333-%';

-- Neither API role nor PUBLIC can read the tables with hashes and digests,
-- nor call the trusted-only functions.
SELECT r.role, t.tab,
	   has_table_privilege(r.role, t.tab, 'SELECT') AS can_select,
	   has_any_column_privilege(r.role, t.tab, 'SELECT') AS any_column
FROM (VALUES ('pwupdate_api'), ('pwupdate_admin'), ('public')) AS r(role),
	 (VALUES ('pwupdate.user_account'), ('pwupdate.user_session')) AS t(tab)
ORDER BY 1, 2;
SELECT p.oid::regprocedure AS function,
	   has_function_privilege('pwupdate_api', p.oid, 'EXECUTE') AS api,
	   has_function_privilege('pwupdate_admin', p.oid, 'EXECUTE') AS admin,
	   has_function_privilege('public', p.oid, 'EXECUTE') AS public
FROM pg_proc p
WHERE p.pronamespace = 'pwupdate'::regnamespace
  AND p.proname IN ('create_user', 'sign_in', 'change_user_password',
					'list_user_sessions', 'revoke_user_session',
					'revoke_user_sessions', 'purge_expired_sessions')
ORDER BY p.proname;

-- The API functions are SECURITY DEFINER, volatile when they write, and
-- change_user_password returns the text/plain media-type domain.
SELECT p.proname, p.prosecdef, p.provolatile, p.prorettype::regtype,
	   pg_get_function_arguments(p.oid) AS arguments
FROM pg_proc p
WHERE p.pronamespace = 'pwupdate'::regnamespace
  AND p.proname IN ('create_user', 'sign_in', 'change_user_password',
					'list_user_sessions', 'revoke_user_session',
					'revoke_user_sessions', 'purge_expired_sessions')
ORDER BY 1;
SELECT typname, typtype, typbasetype::regtype FROM pg_type
WHERE typnamespace = 'pwupdate'::regnamespace AND typname = 'text/plain';

-- check_password knows the users as 'user', though the generic get, patch
-- and put do not reach them: right and wrong passwords, an unknown id.
SELECT pwupdate.check_password('user', 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', 'Margaret10') AS right_one,
	   pwupdate.check_password('user', 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', 'Margaret11') AS wrong_one,
	   pwupdate.check_password('user', '00000000-0000-4000-8000-000000000000.acmepaymentscorp', 'Margaret10') AS unknown_id,
	   pwupdate.check_password('user', 'not a user id', 'Margaret10') AS not_an_id;
SELECT pg_temp.try($$SELECT pwupdate.get('user', 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp')$$);
-- A hash made with other settings (pgcrypto's bcrypt here) is upgraded
-- when it verifies: audited as a rehash, updated_at and sessions kept.
SELECT count(pwupdate.sign_in('m.hamilton@acmepayments.example', 'Margaret10')) AS signed_in;
UPDATE pwupdate.user_account SET password_hash = crypt('Margaret10', gen_salt('bf', 4))
WHERE user_id = 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp'
RETURNING updated_at AS updated_before \gset
SELECT pwupdate.check_password('user', 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp', 'Margaret10') AS verifies;
SELECT password_hash LIKE '$argon2id$%' AS upgraded, updated_at = :'updated_before' AS updated_at_kept,
	   (SELECT count(*) FROM pwupdate.user_session s WHERE s.user_id = u.user_id) AS sessions
FROM pwupdate.user_account u
WHERE user_id = 'eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp';
SELECT resource, resource_id, action FROM pwupdate.audit
WHERE resource = 'user' AND action = 'rehash' ORDER BY id;

DELETE FROM pwupdate.user_account WHERE fed IN ('acmepaymentscorp', 'other-fed_2');
DROP ROLE regress_users_client;
DROP ROLE regress_users_dba;
