-- Serving through PostgREST: the install notifies a running PostgREST, and
-- pwupdate.setup_postgrest() creates and grants PostgREST's roles.
\set SHOW_CONTEXT never
LISTEN pgrst;
CREATE EXTENSION pwupdate;
UNLISTEN pgrst;

SELECT * FROM pwupdate.setup_postgrest();
-- Idempotent: nothing new the second time.
SELECT * FROM pwupdate.setup_postgrest();
SELECT rolname, rolcanlogin, rolinherit FROM pg_roles
WHERE rolname IN ('authenticator', 'anon', 'authenticated') ORDER BY rolname;

-- The request roles execute exactly what pwupdate_api executes.
SELECT p.oid::regprocedure AS differs_from_api
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate'
  AND (has_function_privilege('anon', p.oid, 'EXECUTE')
	   <> has_function_privilege('pwupdate_api', p.oid, 'EXECUTE')
	   OR has_function_privilege('authenticated', p.oid, 'EXECUTE')
	   <> has_function_privilege('pwupdate_api', p.oid, 'EXECUTE'));
-- The authenticator (NOINHERIT) executes nothing itself.
SELECT count(*) AS authenticator_functions
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate' AND has_function_privilege('authenticator', p.oid, 'EXECUTE');

-- Other names, quoted as needed; one role may serve both kinds of request.
SELECT * FROM pwupdate.setup_postgrest('Web Gateway', 'web "anon"', 'web "anon"');

-- Refused: the authenticator as a request role, superusers, members of
-- pwupdate_admin, reserved names.
SELECT * FROM pwupdate.setup_postgrest('x', 'y', 'x');
CREATE ROLE http_super SUPERUSER;
SELECT * FROM pwupdate.setup_postgrest('authenticator', 'http_super', 'authenticated');
CREATE ROLE http_admin IN ROLE pwupdate_admin;
SELECT * FROM pwupdate.setup_postgrest('authenticator', 'anon', 'http_admin');
SELECT * FROM pwupdate.setup_postgrest('pg_monitor', 'anon', 'authenticated');
SELECT * FROM pwupdate.setup_postgrest('authenticator', 'pwupdate_api', 'authenticated');
SELECT * FROM pwupdate.setup_postgrest(NULL, 'anon', 'authenticated');

-- An existing authenticator that inherits gets a warning.
CREATE ROLE http_inherit LOGIN;
SELECT * FROM pwupdate.setup_postgrest('http_inherit', 'anon', 'authenticated');

-- Superuser only.
SET ROLE authenticated;
SELECT * FROM pwupdate.setup_postgrest();
RESET ROLE;

DROP ROLE http_super, http_admin, http_inherit, "Web Gateway", "web ""anon""";
