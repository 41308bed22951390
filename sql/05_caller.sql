-- Who is calling: claims, their absence, and the role in effect.
CREATE ROLE regress_admin IN ROLE pwupdate_admin;
CREATE ROLE regress_api IN ROLE pwupdate_api;

-- No claims, superuser (a member of every role): trusted.
SELECT pwupdate.current_caller() - 'role' AS caller;

-- Claims with a subject; "scope" and "scopes" both count.
BEGIN;
SELECT set_config('request.jwt.claims',
	'{"role": "web", "sub": "u-1", "scope": "oauth.read oauth.update", "scopes": ["oauth.manage"], "partner_sid": "p-1", "realm_id": "r-1"}', true);
SELECT set_config('request.method', 'POST', true);
SELECT pwupdate.current_caller() - 'role' AS caller;
COMMIT;

-- Claims without a subject: anonymous (PostgREST's anon role).
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "anon"}', true);
SELECT pwupdate.current_caller() ->> 'kind' AS kind;
COMMIT;

-- A numeric subject is taken as text; an empty one is no subject.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": 42}', true);
SELECT pwupdate.current_caller() ->> 'sub' AS sub;
SELECT set_config('request.jwt.claims', '{"sub": ""}', true);
SELECT pwupdate.current_caller() ->> 'kind' AS kind;
COMMIT;

-- After a transaction that set claims, PostgREST's connection holds '':
-- that is no claims at all.
SELECT current_setting('request.jwt.claims') AS leftover;
SELECT pwupdate.current_caller() ->> 'kind' AS kind;
-- {} and a non-object are no claims either.
SELECT set_config('request.jwt.claims', '{}', false);
SELECT pwupdate.current_caller() ->> 'kind' AS kind;
SELECT set_config('request.jwt.claims', '[1]', false);
SELECT pwupdate.current_caller() ->> 'kind' AS kind;
RESET request.jwt.claims;

-- The role in effect decides for SQL callers: admin members are trusted,
-- other roles are not.
SET ROLE regress_admin;
SELECT pwupdate.current_caller() AS caller;
RESET ROLE;
SET ROLE regress_api;
SELECT pwupdate.current_caller() AS caller;
RESET ROLE;

-- Claims count only when the login role is a gateway (PostgREST's
-- authenticator).  A client logging in as another role cannot claim an identity.
CREATE ROLE regress_client LOGIN IN ROLE pwupdate_api;
CREATE ROLE regress_authenticator LOGIN NOINHERIT IN ROLE pwupdate_gateway;
GRANT regress_api TO regress_authenticator;
SET SESSION AUTHORIZATION regress_client;
SELECT set_config('request.jwt.claims', '{"sub": "someone-else"}', false);
SELECT pwupdate.current_caller() ->> 'kind' AS kind, pwupdate.current_caller() ->> 'sub' AS sub;
RESET request.jwt.claims;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_authenticator;
SET ROLE regress_api;
SELECT set_config('request.jwt.claims', '{"sub": "u-2"}', false);
SELECT pwupdate.current_caller() ->> 'kind' AS kind, pwupdate.current_caller() ->> 'sub' AS sub,
       pwupdate.current_caller() ->> 'role' AS role;
RESET request.jwt.claims;
RESET ROLE;

-- Behind the gateway, a JWT whose role was granted pwupdate_admin is a
-- trusted caller (a back office), with its subject; a superuser's
-- membership of every role does not count, so the superuser's own
-- sessions above are their claims' subject.
RESET SESSION AUTHORIZATION;
GRANT regress_admin TO regress_authenticator;
SET SESSION AUTHORIZATION regress_authenticator;
SET ROLE regress_admin;
BEGIN;
SELECT set_config('request.jwt.claims', '{"role": "regress_admin", "sub": "back-office"}', true) IS NOT NULL AS claims_set;
SELECT set_config('request.method', 'POST', true) IS NOT NULL AS method_set;
SELECT pwupdate.current_caller() AS caller;
-- Creating answers 201 through PostgREST (response.status); reading does not.
SELECT pwupdate.create_realm('Created behind the gateway') IS NOT NULL AS created,
	   current_setting('response.status', true) AS response_status;
ROLLBACK;
SELECT current_setting('response.status', true) AS after_rollback;
-- The same creation from SQL sets no status.
SELECT pwupdate.create_realm('Created from SQL') IS NOT NULL AS created,
	   current_setting('response.status', true) AS response_status;
RESET ROLE;
RESET SESSION AUTHORIZATION;
DELETE FROM pwupdate.realm WHERE name = 'Created from SQL';

DROP ROLE regress_admin;
DROP ROLE regress_api;
DROP ROLE regress_client;
DROP ROLE regress_authenticator;
