-- The extension installs into its own schema, creates its roles, and
-- drops cleanly, leaving only the cluster-wide roles behind.
SELECT extname, extversion, extrelocatable FROM pg_extension
WHERE extname = 'pwupdate';

-- Schema pwupdate is itself a member of the extension, and holds the rest.
SELECT pg_describe_object(classid, objid, objsubid) AS member_schema
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pwupdate')
  AND classid = 'pg_namespace'::regclass;

SELECT rolname, rolcanlogin FROM pg_roles
WHERE rolname IN ('pwupdate_admin', 'pwupdate_api', 'pwupdate_gateway') ORDER BY rolname;

-- Every function carries a comment (PostgREST shows them).
SELECT p.oid::regprocedure AS function_without_comment
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate' AND obj_description(p.oid, 'pg_proc') IS NULL;

-- Functions that run with raised privileges pin search_path.
SELECT p.oid::regprocedure AS definer_without_search_path
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate' AND p.prosecdef
  AND NOT coalesce(p.proconfig, '{}') @> '{"search_path=pg_catalog, pg_temp"}';

-- The packaged list of common passwords was loaded.
SELECT source, count(*) > 3000 AS loaded FROM pwupdate.blocklist GROUP BY source;

SELECT count(*) AS members_before FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pwupdate') \gset

DROP EXTENSION pwupdate;
SELECT count(*) AS schemas_left FROM pg_namespace WHERE nspname = 'pwupdate';
SELECT count(*) AS roles_left FROM pg_roles
WHERE rolname IN ('pwupdate_admin', 'pwupdate_api', 'pwupdate_gateway');

-- Installing again over the existing roles works.
CREATE EXTENSION pwupdate;
SELECT count(*) = :members_before AS same_members FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pwupdate');
