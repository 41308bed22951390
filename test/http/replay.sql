/*
 * replay.sql
 *	  Server-side helpers of the conformance runner (replay.c).  They run on
 *	  the runner's superuser connection, as temporary functions, and do the
 *	  JSON work: read a fixture, plan the request the way PostgREST's schema
 *	  cache would (which function, which statement, which transaction mode),
 *	  assemble the response and compare it with the fixture's expectations.
 *	  The statements themselves are sent by replay.c on the gateway
 *	  connection.  Nothing here is created in the database.
 */

-- A fixture file holds one fixture object or an array of them.
CREATE FUNCTION pg_temp.pgrst_fixtures(doc jsonb)
RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT f FROM jsonb_array_elements(
		CASE jsonb_typeof(doc) WHEN 'array' THEN doc ELSE jsonb_build_array(doc) END) AS f
$$;

-- base64url without padding, as in a JWT.
CREATE FUNCTION pg_temp.pgrst_base64url(data bytea)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT translate(encode(data, 'base64'), E'+/=\n', '-_')
$$;

-- HMAC-SHA256 (RFC 2104) with the built-in sha256(), so no extension is needed.
CREATE FUNCTION pg_temp.pgrst_hmac_sha256(data bytea, key bytea)
RETURNS bytea
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	k		bytea := CASE WHEN length(key) > 64 THEN sha256(key) ELSE key END;
	ipad	bytea;
	opad	bytea;
BEGIN
	k := k || decode(repeat('00', 64 - length(k)), 'hex');
	ipad := k;
	opad := k;
	FOR i IN 0..63 LOOP
		ipad := set_byte(ipad, i, get_byte(k, i) # 54);		/* 0x36 */
		opad := set_byte(opad, i, get_byte(k, i) # 92);		/* 0x5c */
	END LOOP;
	RETURN sha256(opad || sha256(ipad || data));
END
$$;

-- The HS256 JWT a client would send for these claims.
CREATE FUNCTION pg_temp.pgrst_jwt(claims jsonb, secret text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT signing_input || '.' ||
		pg_temp.pgrst_base64url(pg_temp.pgrst_hmac_sha256(convert_to(signing_input, 'UTF8'),
														   convert_to(secret, 'UTF8')))
	FROM (SELECT pg_temp.pgrst_base64url(convert_to('{"alg":"HS256","typ":"JWT"}', 'UTF8')) || '.' ||
				 pg_temp.pgrst_base64url(convert_to(claims::text, 'UTF8')) AS signing_input) AS s
$$;

-- Replace each ${name} in the fixture's strings by the value of variable name.
CREATE FUNCTION pg_temp.pgrst_bind(fixture jsonb, vars jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
	doc		text := fixture::text;
	v		record;
BEGIN
	FOR v IN SELECT key, coalesce(to_json(value)::text, '""') AS quoted FROM jsonb_each_text(vars) LOOP
		doc := replace(doc, '${' || v.key || '}', substr(v.quoted, 2, length(v.quoted) - 2));
	END LOOP;
	RETURN doc::jsonb;
END
$$;

-- PostgREST quotes every identifier it writes.
CREATE FUNCTION pg_temp.pgrst_ident(name text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '"' || replace(name, '"', '""') || '"'
$$;

-- A setup or teardown member: one SQL string or an array of them.
CREATE FUNCTION pg_temp.pgrst_sql(v jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT CASE jsonb_typeof(v)
		WHEN 'string' THEN v #>> '{}'
		WHEN 'array' THEN (SELECT string_agg(s, E';\n') FROM jsonb_array_elements_text(v) AS s)
	END
$$;

-- The input parameters of a function, in order; the last ones have defaults.
CREATE FUNCTION pg_temp.pgrst_args(fn oid)
RETURNS TABLE (pos bigint, argname text, argtype oid, required boolean)
LANGUAGE sql STABLE
AS $$
	SELECT row_number() OVER w, nullif(i.argname, ''), i.argtype,
		   row_number() OVER w <= c.pronargs - c.pronargdefaults
	FROM pg_proc c,
		 unnest(coalesce(c.proallargtypes, c.proargtypes::oid[]),
				coalesce(c.proargmodes, array_fill('i'::"char", ARRAY[c.pronargs::int])),
				coalesce(c.proargnames, array_fill(''::text, ARRAY[c.pronargs::int])))
			 WITH ORDINALITY AS i(argtype, argmode, argname, ord)
	WHERE c.oid = fn AND i.argmode IN ('i', 'b', 'v')
	WINDOW w AS (ORDER BY i.ord)
$$;

/*
 * Plan one fixture: everything replay.c needs to send PostgREST's statements.
 *
 * "early_*" are set when PostgREST answers from its schema cache, without
 * sending a statement (no such function: PGRST202; ambiguous: PGRST203;
 * Accept not available: PGRST107).
 */
CREATE FUNCTION pg_temp.pgrst_plan(fixture jsonb, anon text, api_schema text, secret text,
								   OUT name text,
								   OUT login text, OUT role text, OUT authenticated boolean,
								   OUT read_only boolean, OUT search_path text,
								   OUT claims text, OUT method text, OUT path text,
								   OUT headers text, OUT cookies text,
								   OUT statement text, OUT params text[], OUT json_param boolean,
								   OUT kind text, OUT early_status int, OUT early_code text, OUT early_message text,
								   OUT expect jsonb, OUT request jsonb)
LANGUAGE plpgsql
AS $$
DECLARE
	k			text;
	fname		text;
	body		jsonb := fixture -> 'body';
	query		jsonb := coalesce(fixture -> 'query', '{}');
	hdrs		jsonb := '{}';
	keys		text[];
	accept		text;
	f			record;
	oids		oid[];
	n			int;
	fq			text;
	sent		record;
	call_args	text;
	from_call	text;
	body_expr	text;
BEGIN
	FOR k IN SELECT jsonb_object_keys(fixture) LOOP
		IF k NOT IN ('name', 'setup', 'teardown', 'login', 'claims', 'method', 'path',
					 'query', 'headers', 'cookies', 'body', 'expect', 'comment') THEN
			RAISE EXCEPTION 'unrecognized fixture member "%"', k;
		END IF;
	END LOOP;
	name := fixture ->> 'name';
	k := substring((fixture - 'setup' - 'teardown')::text FROM '\$\{[A-Za-z_][A-Za-z0-9_]*\}');
	IF k IS NOT NULL THEN
		RAISE EXCEPTION 'variable % is not set by the setup', k;
	END IF;
	expect := fixture -> 'expect';
	IF name IS NULL OR jsonb_typeof(expect) IS DISTINCT FROM 'object'
	   OR jsonb_typeof(expect -> 'status') IS DISTINCT FROM 'number'
	   OR jsonb_typeof(expect -> 'headers') IS DISTINCT FROM 'object' THEN
		RAISE EXCEPTION 'a fixture needs "name" and "expect" with "status" and "headers"';
	END IF;
	FOR k IN SELECT jsonb_object_keys(expect) LOOP
		IF k NOT IN ('status', 'reason', 'headers', 'body') THEN
			RAISE EXCEPTION 'unrecognized member "%" in "expect"', k;
		END IF;
	END LOOP;
	login := fixture ->> 'login';
	method := upper(coalesce(fixture ->> 'method', 'POST'));
	path := fixture ->> 'path';
	IF method NOT IN ('GET', 'POST') THEN
		RAISE EXCEPTION 'method must be GET or POST';
	END IF;
	fname := substring(path FROM '^/rpc/([^/?]+)$');
	IF fname IS NULL THEN
		RAISE EXCEPTION 'path must be /rpc/<function>, without a query string (use "query")';
	END IF;
	IF method = 'GET' AND body IS NOT NULL THEN
		RAISE EXCEPTION 'a GET request has no body (use "query")';
	END IF;
	IF method = 'POST' AND fixture ? 'query' THEN
		RAISE EXCEPTION 'a POST request sends its arguments in "body"';
	END IF;
	IF body IS NOT NULL AND jsonb_typeof(body) <> 'object' THEN
		RAISE EXCEPTION 'the body of a function call is a JSON object of its arguments';
	END IF;

	-- Who: the JWT's role, else the anonymous role.  The claims always name it.
	IF jsonb_typeof(fixture -> 'claims') = 'object' THEN
		role := coalesce(fixture -> 'claims' ->> 'role', anon);
		claims := (jsonb_build_object('role', role) || (fixture -> 'claims'))::text;
		hdrs := jsonb_build_object('authorization',
								   'Bearer ' || pg_temp.pgrst_jwt(fixture -> 'claims', secret));
	ELSE
		role := anon;
		claims := jsonb_build_object('role', anon)::text;
	END IF;
	authenticated := role <> anon;
	search_path := pg_temp.pgrst_ident(api_schema) || ', ' || pg_temp.pgrst_ident('public');

	-- Headers reach the function lower-cased, all but Cookie.
	IF body IS NOT NULL THEN
		hdrs := hdrs || '{"content-type": "application/json"}';
	END IF;
	SELECT hdrs || coalesce(jsonb_object_agg(lower(h.key), h.value), '{}')
	INTO hdrs
	FROM jsonb_each(coalesce(fixture -> 'headers', '{}')) AS h;
	IF hdrs ? 'cookie' THEN
		RAISE EXCEPTION 'cookies go in "cookies", not in a Cookie header';
	END IF;
	headers := hdrs::text;
	cookies := coalesce(fixture -> 'cookies', '{}')::text;
	request := jsonb_build_object('method', method, 'path', path, 'query', query,
								  'headers', hdrs, 'cookies', cookies::jsonb)
		|| CASE WHEN body IS NULL THEN '{}' ELSE jsonb_build_object('body', body) END;

	-- The schema cache: functions of that name whose named input parameters
	-- take exactly the keys sent (parameters with a default may be left out).
	keys := ARRAY(SELECT jsonb_object_keys(CASE method WHEN 'GET' THEN query
										   ELSE coalesce(body, '{}') END));
	oids := ARRAY(
		SELECT c.oid
		FROM pg_proc c
		JOIN pg_namespace s ON s.oid = c.pronamespace
		CROSS JOIN LATERAL (SELECT coalesce(array_agg(a.argname), '{}') AS names,
								   coalesce(array_agg(a.argname) FILTER (WHERE a.required), '{}') AS required,
								   coalesce(bool_or(a.argname IS NULL), false) AS unnamed
							FROM pg_temp.pgrst_args(c.oid) AS a) AS p
		WHERE s.nspname = api_schema AND c.proname = fname AND c.prokind = 'f'
		  AND NOT p.unnamed AND keys <@ p.names AND p.required <@ keys);
	n := cardinality(oids);
	IF n <> 1 THEN
		early_status := CASE n WHEN 0 THEN 404 ELSE 300 END;
		early_code := CASE n WHEN 0 THEN 'PGRST202' ELSE 'PGRST203' END;
		early_message := CASE
			WHEN n > 1 THEN
				format('Could not choose the best candidate function between: %s.%s', api_schema, fname)
			WHEN cardinality(keys) = 0 THEN
				format('Could not find the function %s.%s without parameters in the schema cache', api_schema, fname)
			ELSE
				format('Could not find the function %s.%s(%s) in the schema cache', api_schema, fname,
					   array_to_string(ARRAY(SELECT unnest(keys) ORDER BY 1), ', '))
			END;
		RETURN;
	END IF;

	SELECT c.oid, c.provolatile, c.proretset, c.prorettype,
		   t.typtype = 'c' OR (c.prorettype = 'record'::regtype
							 AND c.proargmodes && ARRAY['o', 'b', 't']::"char"[]) AS composite,
		   CASE WHEN t.typtype = 'd' THEN pg_temp.pgrst_ident(tn.nspname) || '.' || pg_temp.pgrst_ident(t.typname) END AS domain_ident,
		   CASE WHEN t.typtype = 'd' THEN t.typname::text END AS domain_name
	INTO f
	FROM pg_proc c
	JOIN pg_type t ON t.oid = c.prorettype
	JOIN pg_namespace tn ON tn.oid = t.typnamespace
	WHERE c.oid = oids[1];

	-- Content negotiation: JSON for */* and application/json; text/plain
	-- only from a function that returns the media-type domain "text/plain".
	kind := CASE WHEN f.prorettype = 'void'::regtype THEN 'void' ELSE 'json' END;
	FOR accept IN SELECT trim(split_part(a, ';', 1))
				  FROM unnest(string_to_array(coalesce(hdrs ->> 'accept', '*/*'), ',')) AS a
	LOOP
		EXIT WHEN accept IN ('*/*', 'application/json');
		IF accept = f.domain_name AND NOT f.proretset AND NOT f.composite THEN
			kind := 'text';
			EXIT;
		END IF;
		accept := NULL;
	END LOOP;
	IF accept IS NULL THEN
		early_status := 406;
		early_code := 'PGRST107';
		early_message := 'None of these media types are available: ' || (hdrs ->> 'accept');
		RETURN;
	END IF;

	-- GET always reads; POST reads when the function is STABLE or IMMUTABLE.
	read_only := method = 'GET' OR f.provolatile IN ('s', 'i');

	-- The arguments sent, in the function's order, with their types.
	fq := pg_temp.pgrst_ident(api_schema) || '.' || pg_temp.pgrst_ident(fname);
	SELECT string_agg(pg_temp.pgrst_ident(a.argname), ', ' ORDER BY a.pos) AS cols,
		   string_agg(format('%s %s', pg_temp.pgrst_ident(a.argname), format_type(a.argtype, NULL)), ', ' ORDER BY a.pos) AS typed,
		   string_agg(format('%1$s := pgrst_body.%1$s', pg_temp.pgrst_ident(a.argname)), ', ' ORDER BY a.pos) AS named,
		   string_agg(format('%s := $%s::%s', pg_temp.pgrst_ident(a.argname), a.n, format_type(a.argtype, NULL)), ', ' ORDER BY a.pos) AS direct,
		   array_agg(query ->> a.argname ORDER BY a.pos) AS vals
	INTO sent
	FROM (SELECT x.*, row_number() OVER (ORDER BY x.pos) AS n
		  FROM pg_temp.pgrst_args(f.oid) AS x WHERE x.argname = ANY (keys)) AS a;

	-- PostgREST's call: scalars through a pgrst_scalar column, arguments in
	-- named notation; a JSON body as one json parameter expanded by
	-- json_to_record, GET arguments as one parameter each.
	IF cardinality(keys) = 0 THEN
		call_args := '';
	ELSIF method = 'GET' THEN
		call_args := sent.direct;
		params := sent.vals;
	ELSE
		call_args := sent.named;
		params := ARRAY[body::text];
		json_param := true;
	END IF;
	from_call := CASE WHEN f.composite THEN format('%s(%s) pgrst_call', fq, call_args)
				 ELSE format('(SELECT %s(%s) pgrst_scalar) pgrst_call', fq, call_args) END;
	IF json_param THEN
		from_call := format('FROM (SELECT $1 AS json_data) pgrst_payload, '
							'LATERAL (SELECT %s FROM json_to_record(pgrst_payload.json_data) AS _(%s) LIMIT 1) pgrst_body, '
							'LATERAL %s', sent.cols, sent.typed, from_call);
	ELSE
		from_call := 'FROM ' || from_call;
	END IF;
	body_expr := CASE
		WHEN kind = 'text' THEN f.domain_ident || '(_postgrest_t.pgrst_scalar)'
		WHEN f.composite AND NOT f.proretset THEN 'coalesce(json_agg(_postgrest_t)->0, ''null'')'
		WHEN f.composite THEN 'coalesce(json_agg(_postgrest_t), ''[]'')'
		WHEN f.proretset THEN 'coalesce(json_agg(_postgrest_t.pgrst_scalar), ''[]'')'
		ELSE 'coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, ''null'')'
	END;
	statement := format(
		'WITH pgrst_source AS (SELECT %s %s) '
		'SELECT null::bigint AS total_result_set, %s AS page_total, %s AS body, '
		'nullif(current_setting(''response.headers'', true), '''') AS response_headers, '
		'nullif(current_setting(''response.status'', true), '''') AS response_status, '
		''''' AS response_inserted '
		'FROM (SELECT "pgrst_call".* FROM "pgrst_source" AS "pgrst_call") _postgrest_t',
		CASE WHEN f.composite THEN '*' ELSE 'pgrst_call.pgrst_scalar' END, from_call,
		CASE WHEN f.proretset THEN 'pg_catalog.count(_postgrest_t)' ELSE '1' END, body_expr);
	json_param := coalesce(json_param, false);
END
$$;

/*
 * The response PostgREST sends.  An error (code set) gets PostgREST's error
 * body; 401 adds WWW-Authenticate.  A success carries the function's
 * result, with the headers of response.headers replacing PostgREST's own.
 * "raw" is the body as sent, for transcripts; comparisons ignore it.
 */
CREATE FUNCTION pg_temp.pgrst_response(status int, reason text, kind text, body text,
									   code text, message text, details text, hint text,
									   guc_headers text)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
	hdrs	jsonb := '{}';
	extra	jsonb;
	h		record;
	resp	jsonb;
BEGIN
	IF code IS NOT NULL THEN
		hdrs := '{"Content-Type": "application/json; charset=utf-8"}';
		IF status = 401 THEN
			hdrs := hdrs || '{"WWW-Authenticate": "Bearer"}';
		END IF;
		RETURN jsonb_build_object(
			'status', status, 'reason', reason, 'headers', hdrs,
			'body', jsonb_build_object('code', code, 'details', details, 'hint', hint, 'message', message),
			'raw', format('{"code":%s,"details":%s,"hint":%s,"message":%s}',
						  to_json(code), coalesce(to_json(details)::text, 'null'),
						  coalesce(to_json(hint)::text, 'null'), coalesce(to_json(message)::text, 'null')));
	END IF;

	resp := jsonb_build_object('status', status, 'reason', reason);
	IF kind = 'json' THEN
		hdrs := '{"Content-Type": "application/json; charset=utf-8"}';
		resp := resp || jsonb_build_object('body', body::jsonb, 'raw', body);
	ELSIF kind = 'text' THEN
		hdrs := '{"Content-Type": "text/plain; charset=utf-8"}';
		resp := resp || jsonb_build_object('body', to_jsonb(body), 'raw', body);
	END IF;

	-- response.headers: a JSON array of single-key objects of strings.
	IF guc_headers IS NOT NULL THEN
		BEGIN
			extra := guc_headers::jsonb;
		EXCEPTION WHEN invalid_text_representation THEN
			extra := NULL;
		END;
		IF jsonb_typeof(extra) IS DISTINCT FROM 'array'
		   OR EXISTS (SELECT FROM jsonb_array_elements(extra) AS e
					  WHERE jsonb_typeof(e) <> 'object'
						 OR (SELECT count(*) FROM jsonb_each(e)) <> 1
						 OR EXISTS (SELECT FROM jsonb_each(e) AS v WHERE jsonb_typeof(v.value) <> 'string')) THEN
			RETURN pg_temp.pgrst_response(500, 'Internal Server Error', NULL, NULL, 'PGRST111',
										  'response.headers guc must be a JSON array composed of objects with a single key and a string value',
										  NULL, NULL, NULL);
		END IF;
		FOR h IN SELECT v.key, v.value FROM jsonb_array_elements(extra) AS e, jsonb_each(e) AS v LOOP
			hdrs := (SELECT coalesce(jsonb_object_agg(o.key, o.value), '{}')
					 FROM jsonb_each(hdrs) AS o WHERE lower(o.key) <> lower(h.key))
				|| jsonb_build_object(h.key, h.value);
		END LOOP;
	END IF;
	RETURN resp || jsonb_build_object('headers', hdrs);
END
$$;

/*
 * Does an actual value match an expected one?  Expected strings "<any>",
 * "<string>", "<uuid>" and "<timestamp>" (ISO 8601 UTC with milliseconds)
 * match any value of that kind; objects must have the same keys.
 */
CREATE FUNCTION pg_temp.pgrst_match(e jsonb, a jsonb)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
	IF a IS NULL THEN
		RETURN false;
	ELSIF jsonb_typeof(e) = 'string' AND e #>> '{}' IN ('<any>', '<string>', '<uuid>', '<timestamp>') THEN
		RETURN CASE e #>> '{}'
			WHEN '<any>' THEN true
			WHEN '<string>' THEN jsonb_typeof(a) = 'string'
			WHEN '<uuid>' THEN jsonb_typeof(a) = 'string' AND a #>> '{}' ~
				'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
			ELSE jsonb_typeof(a) = 'string' AND a #>> '{}' ~
				'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$'
		END;
	ELSIF jsonb_typeof(e) = 'object' AND jsonb_typeof(a) = 'object' THEN
		RETURN (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(e) AS k)
				IS NOT DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(a) AS k)
			AND NOT EXISTS (SELECT FROM jsonb_each(e) AS x WHERE NOT pg_temp.pgrst_match(x.value, a -> x.key));
	ELSIF jsonb_typeof(e) = 'array' AND jsonb_typeof(a) = 'array' THEN
		RETURN jsonb_array_length(e) = jsonb_array_length(a)
			AND NOT EXISTS (SELECT FROM generate_series(0, jsonb_array_length(e) - 1) AS i
							WHERE NOT pg_temp.pgrst_match(e -> i, a -> i));
	ELSE
		RETURN e = a;
	END IF;
END
$$;

-- Header names compare case-insensitively.
CREATE FUNCTION pg_temp.pgrst_lower_keys(o jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(jsonb_object_agg(lower(key), value), '{}') FROM jsonb_each(o)
$$;

-- The differences between the expected and the actual response, or NULL.
CREATE FUNCTION pg_temp.pgrst_compare(expect jsonb, actual jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT string_agg(d, E'\n')
	FROM (VALUES
		(CASE WHEN expect -> 'status' <> actual -> 'status' THEN
			format('status: expected %s, got %s', expect -> 'status', actual -> 'status') END),
		(CASE WHEN expect ? 'reason' AND NOT pg_temp.pgrst_match(expect -> 'reason', actual -> 'reason') THEN
			format('reason: expected %s, got %s', expect -> 'reason', actual -> 'reason') END),
		(CASE WHEN NOT pg_temp.pgrst_match(pg_temp.pgrst_lower_keys(expect -> 'headers'),
										   pg_temp.pgrst_lower_keys(actual -> 'headers')) THEN
			format('headers: expected %s, got %s', expect -> 'headers', actual -> 'headers') END),
		(CASE WHEN expect ? 'body' AND NOT actual ? 'body' THEN
			format('body: expected %s, got no body', expect -> 'body')
		 WHEN actual ? 'body' AND NOT expect ? 'body' THEN
			format('body: expected no body, got %s', actual -> 'body')
		 WHEN expect ? 'body' AND NOT pg_temp.pgrst_match(expect -> 'body', actual -> 'body') THEN
			format('body: expected %s, got %s', expect -> 'body', actual -> 'body') END)
	) AS v(d)
$$;

-- Percent-encoding for a query string.
CREATE FUNCTION pg_temp.pgrst_urlencode(s text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT coalesce(string_agg(CASE WHEN c ~ '^[A-Za-z0-9._~-]$' THEN c
							   ELSE regexp_replace(upper(encode(convert_to(c, 'UTF8'), 'hex')), '(..)', '%\1', 'g')
							   END, '' ORDER BY i), '')
	FROM regexp_split_to_table(s, '') WITH ORDINALITY AS t(c, i)
$$;

-- A header name as clients usually spell it: x-csrf-token_acme -> X-Csrf-Token_acme.
CREATE FUNCTION pg_temp.pgrst_header_name(name text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT string_agg(upper(left(w, 1)) || substr(w, 2), '-' ORDER BY i)
	FROM unnest(string_to_array(name, '-')) WITH ORDINALITY AS t(w, i)
$$;

-- A word for a POSIX shell, in single quotes.
CREATE FUNCTION pg_temp.pgrst_shell(s text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT '''' || replace(s, '''', '''\''''') || ''''
$$;

-- The request as a curl command against PostgREST, and the response.
CREATE FUNCTION pg_temp.pgrst_transcript(request jsonb, actual jsonb, base_url text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
	SELECT array_to_string(
			   ARRAY['curl -i' || CASE WHEN request ->> 'method' = 'POST' AND request -> 'body' IS NULL
									  THEN ' -X POST' ELSE '' END
					 || ' ' || pg_temp.pgrst_shell(base_url || (request ->> 'path') ||
						 coalesce('?' || (SELECT string_agg(pg_temp.pgrst_urlencode(q.key) || '=' ||
															pg_temp.pgrst_urlencode(q.value), '&' ORDER BY q.key)
										  FROM jsonb_each_text(request -> 'query') AS q), ''))]
			   || ARRAY(SELECT '-H ' || pg_temp.pgrst_shell(pg_temp.pgrst_header_name(h.key) || ': ' || h.value)
						FROM jsonb_each_text(request -> 'headers') AS h ORDER BY h.key)
			   || ARRAY(SELECT '-H ' || pg_temp.pgrst_shell('Cookie: ' ||
							   string_agg(c.key || '=' || c.value, '; ' ORDER BY c.key))
						FROM jsonb_each_text(request -> 'cookies') AS c HAVING count(*) > 0)
			   || ARRAY(SELECT '-d ' || pg_temp.pgrst_shell(request ->> 'body')
						WHERE request -> 'body' IS NOT NULL),
			   E' \\\n  ')
		|| E'\n\n' || format('HTTP/1.1 %s %s', actual -> 'status', actual ->> 'reason')
		|| coalesce(E'\n' || (SELECT string_agg(h.key || ': ' || h.value, E'\n' ORDER BY h.key)
							  FROM jsonb_each_text(actual -> 'headers') AS h), '')
		|| coalesce(E'\n\n' || (actual ->> 'raw'), '')
$$;
