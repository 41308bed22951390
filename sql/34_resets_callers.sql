-- Who may call reset_customer_password (contract sections 2 and 6): anyone
-- holding the token, anonymous PostgREST clients included, since the token
-- is the proof; never an SQL role outside pwupdate_admin without claims.
-- And no token, in clear, anywhere in the database afterwards.
\set VERBOSITY default

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
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

-- The seed's body for a reset.
CREATE FUNCTION pg_temp.body(id text, password text, token text) RETURNS jsonb
LANGUAGE sql AS $$
	SELECT jsonb_build_object('data', jsonb_build_object(
		'type', 'customer_password_resets', 'id', id,
		'attributes', jsonb_build_object('customer_password', password,
										 '_reset_password_token', token)))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.body(text, text, text) TO PUBLIC;

-- What PostgREST sets for one request; returns how pwupdate sees the caller.
CREATE FUNCTION pg_temp.request(claims jsonb) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('request.method', 'POST', true);
	PERFORM set_config('request.path', '/rpc/reset_customer_password', true);
	PERFORM set_config('request.jwt.claims', claims::text, true);
	RETURN pwupdate.current_caller()->>'kind';
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.request(jsonb) TO PUBLIC;

-- How many rows of any table outside the system schemas hold a string.
CREATE FUNCTION pg_temp.rows_holding(needle text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	col record;
	hits bigint;
	total bigint := 0;
BEGIN
	FOR col IN
		SELECT c.oid::regclass AS tab, a.attname
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
	LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE %I::text LIKE $1', col.tab, col.attname)
			INTO hits USING '%' || needle || '%';
		total := total + hits;
	END LOOP;
	RETURN total;
END
$$;

CREATE ROLE regress_resets_anon;			-- PostgREST's anonymous role
GRANT pwupdate_api TO regress_resets_anon;
CREATE ROLE regress_resets_nobody;			-- neither API nor admin

DELETE FROM pwupdate.audit WHERE resource = 'customer';
SELECT pwupdate.create_customer('john@example.com', 'Blue harbour 1968') ->> 'id' AS john_id \gset
SELECT pwupdate.create_customer_password_reset('john@example.com', 'by mail') AS issued \gset
SELECT :'issued'::jsonb #>> '{data,id}' AS reset_id,
	   :'issued'::jsonb #>> '{data,attributes,reset_password_token}' AS token \gset

-- Without claims, a role outside pwupdate_admin is refused before anything
-- is looked at, even with the right token: 42501 from pwupdate for the API
-- role, and from PostgreSQL for a role that may not execute the function.
SET ROLE regress_resets_anon;
SELECT pwupdate.reset_customer_password(:'reset_id', pg_temp.body(:'reset_id', 'Anchored at noon 2', :'token'));
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE regress_resets_nobody;
SELECT pwupdate.reset_customer_password('NoSuchId00', '{}');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- An anonymous PostgREST request (claims without "sub") with the token:
-- POST /rpc/reset_customer_password {"id": ..., "body": {"data": ...}}.
SET ROLE regress_resets_anon;
BEGIN;
SELECT pg_temp.request('{"role": "regress_resets_anon"}') AS caller;
-- A wrong token first: the one 422 error, as for anyone.
SELECT pg_temp.try(format('SELECT pwupdate.reset_customer_password(%L, %L)', :'reset_id',
						  pg_temp.body(:'reset_id', 'Anchored at noon 2', 'WrongToken000000000000000'))) AS wrong_token;
SELECT pwupdate.reset_customer_password(:'reset_id', pg_temp.body(:'reset_id', 'Anchored at noon 2', :'token'))
	   #> '{data,attributes}' ->> 'customer_email' AS reset_for;
-- The trusted-only functions stay closed to it.
SELECT pwupdate.create_customer_password_reset('john@example.com');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SELECT pg_temp.request('{"role": "regress_resets_anon"}') AS caller;
SELECT pwupdate.get_customer_password_reset(:'reset_id');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
RESET ROLE;
-- The first transaction was rolled back: do it again and commit.
SET ROLE regress_resets_anon;
BEGIN;
SELECT pg_temp.request('{"role": "regress_resets_anon"}') AS caller;
SELECT pwupdate.reset_customer_password(:'reset_id', pg_temp.body(:'reset_id', 'Anchored at noon 2', :'token'))
	   #>> '{data,attributes,customer_email}' AS reset_for;
COMMIT;
RESET ROLE;
SELECT pwupdate.check_password('customer', :'john_id', 'Anchored at noon 2') AS new_password;

-- A signed-in user (claims with "sub") may use a token too: it is the
-- token, not the identity, that proves the right.
SELECT pwupdate.create_customer_password_reset('john@example.com', 'second') AS issued \gset
SELECT :'issued'::jsonb #>> '{data,id}' AS second_id,
	   :'issued'::jsonb #>> '{data,attributes,reset_password_token}' AS second_token \gset
SET ROLE regress_resets_anon;
BEGIN;
SELECT pg_temp.request('{"role": "regress_resets_anon", "sub": "support-agent-7"}') AS caller;
SELECT pwupdate.reset_customer_password(:'second_id', pg_temp.body(:'second_id', 'Anchored at dusk 3', :'second_token'))
	   #>> '{data,attributes,customer_email}' AS reset_for;
COMMIT;
RESET ROLE;

-- Audited with the role, the subject if any, and the channel.
SELECT resource, resource_id = :'john_id' AS johns, action, actor_role, actor_sub, channel
FROM pwupdate.audit WHERE resource = 'customer' ORDER BY id;

-- No token in clear anywhere: not the two issued here, whether used or
-- not, nor one that was only ever sent.
SELECT pwupdate.create_customer_password_reset('john@example.com', 'unused')
	   #>> '{data,attributes,reset_password_token}' AS unused_token \gset
SELECT pg_temp.rows_holding(:'token') AS first_token_rows,
	   pg_temp.rows_holding(:'second_token') AS second_token_rows,
	   pg_temp.rows_holding(:'unused_token') AS unused_token_rows,
	   pg_temp.rows_holding('WrongToken000000000000000') AS wrong_token_rows;
SELECT count(*) AS reset_rows, count(*) FILTER (WHERE token_digest ~ '^[0-9a-f]{64}$') AS digests
FROM pwupdate.customer_password_reset;
-- Neither the API role nor pwupdate_admin may read the digests.
SELECT has_column_privilege('pwupdate_admin', 'pwupdate.customer_password_reset', 'token_digest', 'SELECT') AS admin_digest,
	   has_column_privilege('pwupdate_admin', 'pwupdate.customer', 'password_hash', 'SELECT') AS admin_hash,
	   has_any_column_privilege('pwupdate_api', 'pwupdate.customer_password_reset', 'SELECT') AS api_resets,
	   has_any_column_privilege('pwupdate_api', 'pwupdate.customer', 'SELECT') AS api_customers;

DELETE FROM pwupdate.customer;
DROP ROLE regress_resets_anon;
DROP ROLE regress_resets_nobody;
