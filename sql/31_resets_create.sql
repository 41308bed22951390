-- Customer password resets (contract section 6): creating and reading them
-- as a trusted caller, the resource object's shape, the token (shown once,
-- stored as a digest), and purging expired resets.
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

-- A reset's resource object with its random parts checked by shape and
-- masked: the id (also in the links), the token, the trace id, and the
-- timestamps as <t0>, <t1>, ... in the order of their values.
CREATE FUNCTION pg_temp.masked(r jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	id text := r #>> '{data,id}';
	stamps text[];
	k text;
BEGIN
	IF id ~ '^[A-Za-z0-9]{10}$' THEN
		r := replace(r::text, id, '<id>')::jsonb;
	END IF;
	IF r #>> '{data,attributes,reset_password_token}' ~ '^[A-Za-z0-9]{43}$' THEN
		r := jsonb_set(r, '{data,attributes,reset_password_token}', '"<token>"');
	END IF;
	IF r #>> '{data,meta,trace_id}' ~ '^[0-9a-f]{64}$' THEN
		r := jsonb_set(r, '{data,meta,trace_id}', '"<trace_id>"');
	END IF;
	SELECT array_agg(DISTINCT v ORDER BY v) INTO stamps
	FROM jsonb_each_text(r #> '{data,attributes}') AS e(k, v)
	WHERE v ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$';
	FOREACH k IN ARRAY ARRAY['created_at', 'updated_at', 'reset_password_at'] LOOP
		IF r #>> ARRAY['data', 'attributes', k] = ANY (stamps) THEN
			r := jsonb_set(r, ARRAY['data', 'attributes', k],
						   to_jsonb('<t' || array_position(stamps, r #>> ARRAY['data', 'attributes', k]) - 1 || '>'));
		END IF;
	END LOOP;
	RETURN r;
END
$$;

-- How many rows of any table outside the system schemas hold a string in
-- any column, as text: a secret must be found in none.
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

SELECT pwupdate.create_customer('john@example.com', 'Blue harbour 1968') ->> 'id' AS john_id \gset
SELECT pwupdate.create_customer('mary@example.com') ->> 'id' AS mary_id \gset

-- A reset with the defaults: no reference, no origin, empty metadata.  The
-- response is the seed's resource object and carries the token, this once.
SELECT pwupdate.create_customer_password_reset('john@example.com') AS first \gset
SELECT jsonb_pretty(pg_temp.masked(:'first'));
SELECT :'first'::jsonb #>> '{data,id}' AS first_id,
	   :'first'::jsonb #>> '{data,attributes,reset_password_token}' AS first_token \gset

-- With every argument, for an address written in another case.
SELECT pwupdate.create_customer_password_reset(customer_email => 'JOHN@Example.com',
		reference => 'ANY-EXTERNAL-REFEFERNCE', reference_origin => 'ANY-EXTERNAL-REFEFERNCE-ORIGIN',
		metadata => '{"foo": "bar"}') AS second \gset
SELECT pg_temp.masked(:'second') #> '{data,attributes}' AS attributes;
SELECT :'second'::jsonb #>> '{data,id}' AS second_id,
	   :'second'::jsonb #>> '{data,attributes,reset_password_token}' AS second_token \gset
-- A null metadata is no metadata; a customer without a password may reset.
SELECT pwupdate.create_customer_password_reset('mary@example.com', metadata => NULL)
	   #> '{data,attributes,metadata}' AS metadata;

-- Ids and tokens are random: each reset has its own; trace ids are new for
-- every response.
SELECT :'first_id' <> :'second_id' AS ids_differ, :'first_token' <> :'second_token' AS tokens_differ,
	   :'first'::jsonb #>> '{data,meta,trace_id}' <> :'second'::jsonb #>> '{data,meta,trace_id}' AS trace_ids_differ,
	   length(:'first_token') AS token_characters;

-- What is stored: the token's SHA-256 digest, never the token, and an
-- expiry pwupdate.reset_token_ttl (1 hour) after creation.
SELECT id = :'first_id' AS first, customer_id = :'john_id' AS johns, token_digest = encode(sha256(convert_to(:'first_token', 'UTF8')), 'hex') AS digest_of_token,
	   expires_at - created_at AS lifetime, created_at = updated_at AS never_updated,
	   reset_password_at IS NULL AND voided_at IS NULL AS open
FROM pwupdate.customer_password_reset WHERE id = :'first_id';
SELECT pg_temp.rows_holding(:'first_token') AS rows_with_first_token,
	   pg_temp.rows_holding(:'second_token') AS rows_with_second_token;

-- Reading a reset (trusted callers only) never shows a token: null.
SELECT pg_temp.masked(pwupdate.get_customer_password_reset(:'second_id')) #> '{data,attributes}' AS attributes;
SELECT pwupdate.get_customer_password_reset(:'second_id') #> '{data,attributes}'
	 = :'second'::jsonb #> '{data,attributes}' || '{"reset_password_token": null}' AS same_but_token;
SELECT pwupdate.get_customer_password_reset('NoSuchId00');
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.try($$SELECT pwupdate.get_customer_password_reset(NULL)$$);

-- Links and meta come from the settings: a trailing "/" of the base URL is
-- dropped; mode and organization_id as set.
SET pwupdate.base_url = 'https://yourdomain.commercelayer.io/';
SET pwupdate.mode = 'test';
SET pwupdate.organization_id = 'xRRkjDFafe';
SELECT jsonb_pretty(pg_temp.masked(pwupdate.get_customer_password_reset(:'first_id')) #- '{data,attributes}');
RESET pwupdate.base_url;
RESET pwupdate.mode;
RESET pwupdate.organization_id;

-- The functions of the contract: named arguments (PostgREST passes them by
-- name), run as the extension's owner with a pinned search_path, VOLATILE
-- when they write.
SELECT p.oid::regprocedure AS function, p.proargnames AS arguments, p.provolatile AS volatility,
	   p.prosecdef AS security_definer, pg_get_function_result(p.oid) AS result
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pwupdate'
  AND p.proname IN ('create_customer', 'create_customer_password_reset', 'get_customer_password_reset',
					'reset_customer_password', 'purge_expired_resets')
ORDER BY p.proname;

-- Creation errors: a null email and metadata that is not an object (400),
-- an unknown customer (404).
SELECT pwupdate.create_customer_password_reset(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.try($$SELECT pwupdate.create_customer_password_reset('john@example.com', metadata => '[]')$$);
SELECT pg_temp.try($$SELECT pwupdate.create_customer_password_reset('john@example.com', metadata => '"foo"')$$);
SELECT pwupdate.create_customer_password_reset('nobody@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS resets FROM pwupdate.customer_password_reset;

-- Issuing a reset is audited under the customer, without the token.
SELECT resource, resource_id = :'john_id' AS johns, action, actor_role, channel
FROM pwupdate.audit WHERE action = 'create_password_reset' ORDER BY id;

-- Trusted callers only: the API role may execute none of these (42501).
CREATE ROLE regress_resets_web;
GRANT pwupdate_api TO regress_resets_web;
CREATE ROLE regress_resets_dba;
GRANT pwupdate_admin TO regress_resets_dba;
SET ROLE regress_resets_web;
SELECT pwupdate.create_customer_password_reset('john@example.com');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.get_customer_password_reset(:'first_id');
\echo :LAST_ERROR_SQLSTATE
SELECT pwupdate.purge_expired_resets();
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE regress_resets_dba;
SELECT pg_temp.masked(pwupdate.get_customer_password_reset(:'first_id')) #>> '{data,id}' AS read_by_dba;
RESET ROLE;
DROP ROLE regress_resets_web;
DROP ROLE regress_resets_dba;

-- Tokens come from the server's CSPRNG, uniformly over 62 letters and
-- digits: 43 of them are about 256 bits.  Two hundred fresh tokens are all
-- different, and between them use every symbol.
CREATE TEMP TABLE issued AS
SELECT pwupdate.create_customer_password_reset('mary@example.com', 'batch')
	   #>> '{data,attributes,reset_password_token}' AS token
FROM generate_series(1, 200);
SELECT count(*) AS tokens, count(DISTINCT token) AS distinct_tokens,
	   bool_and(token ~ '^[A-Za-z0-9]{43}$') AS token_shape,
	   (SELECT count(DISTINCT c) FROM issued, regexp_split_to_table(token, '') AS c) AS symbols_used,
	   round(43 * log(2, 62)) AS bits
FROM issued;
DROP TABLE issued;
DELETE FROM pwupdate.customer_password_reset WHERE reference = 'batch';

-- purge_expired_resets() deletes the resets past their expiry, used or
-- not, and keeps the others, used and voided ones included, until then.
-- Ages are set by hand here; expiry itself is tested with the setting in
-- 32_resets_reset.
DELETE FROM pwupdate.customer_password_reset;
SELECT pwupdate.create_customer_password_reset('john@example.com', reference => r) IS NOT NULL AS created
FROM unnest(ARRAY['open', 'used', 'voided', 'expired', 'expired used', 'expired voided', 'old by the setting']) AS r;
UPDATE pwupdate.customer_password_reset SET reset_password_at = created_at WHERE reference LIKE '%used';
UPDATE pwupdate.customer_password_reset SET voided_at = created_at WHERE reference LIKE '%voided';
UPDATE pwupdate.customer_password_reset
SET created_at = created_at - interval '2 hours', expires_at = expires_at - interval '2 hours'
WHERE reference LIKE 'expired%';
-- Created 45 minutes ago with an hour to live, when the setting is now 30 minutes.
UPDATE pwupdate.customer_password_reset
SET created_at = created_at - interval '45 minutes', expires_at = expires_at - interval '45 minutes'
WHERE reference = 'old by the setting';
SET pwupdate.reset_token_ttl = '30min';
SELECT pwupdate.purge_expired_resets() AS purged;
RESET pwupdate.reset_token_ttl;
SELECT reference FROM pwupdate.customer_password_reset ORDER BY reference;
SELECT pwupdate.purge_expired_resets() AS purged_again;

DELETE FROM pwupdate.customer;
