-- A bounded fuzzer for pwupdate's API functions: mutated JSON bodies (wrong
-- types, deep nesting, huge strings, invalid and NUL escapes, duplicate
-- keys, SQL-looking strings, unknown and missing members) are sent to every
-- target.  Each call must either succeed or fail with a documented SQLSTATE,
-- and a failed call must leave every pwupdate table as it was.
--
-- psql variables: iterations (per target), seed (for setseed).

CREATE SCHEMA fuzz;

-- A target: a call with %s where the body (as a jsonb-cast literal) goes.
CREATE TABLE fuzz.target (
	name	text PRIMARY KEY,
	call	text NOT NULL,
	seed	jsonb NOT NULL
);

-- Documented classes (README, "Errors"), and the server's own answer to a
-- body that is not valid jsonb (invalid escapes, too deep, too long).
CREATE TABLE fuzz.allowed (sqlstate text PRIMARY KEY);
INSERT INTO fuzz.allowed VALUES
	('22023'), ('22004'), ('PT401'), ('42501'), ('28P01'), ('PT404'), ('23505'), ('PT422'), ('PT429'),
	('22P02'), ('22P05'), ('54001'), ('54000'), ('22021');

CREATE TABLE fuzz.finding (
	target	text,
	body	text,
	problem text
);

-- Every pwupdate table, as one digest: per table, its row count and the
-- sum of its rows' 64-bit hashes, which needs no sort and no concatenation
-- of the rows (the fuzzer leaves megabyte-long values behind), so that it
-- stays cheap as the tables grow during a run.
CREATE FUNCTION fuzz.state() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t regclass;
	digest text := '';
	part text;
BEGIN
	FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = 'pwupdate' AND c.relkind = 'r' ORDER BY c.relname
	LOOP
		EXECUTE format('SELECT count(*) || %L || coalesce(sum(hashtextextended(r::text, 0)), 0) FROM %s r',
					   ':', t) INTO part;
		digest := digest || t::text || '=' || part || ';';
	END LOOP;
	RETURN digest;
END
$$;

CREATE FUNCTION fuzz.pick(n int) RETURNS int LANGUAGE sql AS $$
	SELECT floor(random() * n)::int
$$;

-- A random path to an object member of the seed: {} for the root, or the
-- path of a nested object (JSON:API envelopes nest their fields).
CREATE FUNCTION fuzz.object_path(doc jsonb) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
	path text[] := '{}';
	inner_keys text[];
BEGIN
	LOOP
		SELECT array_agg(k) INTO inner_keys
		FROM jsonb_each(doc #> path) AS e(k, v) WHERE jsonb_typeof(v) = 'object';
		EXIT WHEN inner_keys IS NULL OR random() < 0.3;
		path := path || inner_keys[1 + fuzz.pick(array_length(inner_keys, 1))];
	END LOOP;
	RETURN path;
END
$$;

-- One mutation of the seed, as JSON text (which need not be valid jsonb).
CREATE FUNCTION fuzz.mutate(seed jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	path text[] := fuzz.object_path(seed);
	keys text[];
	key text;
	target text[];
	kind int := fuzz.pick(16);
BEGIN
	SELECT array_agg(k) INTO keys FROM jsonb_object_keys(seed #> path) AS k;
	IF keys IS NULL THEN
		keys := ARRAY['x'];
	END IF;
	key := keys[1 + fuzz.pick(array_length(keys, 1))];
	target := path || key;
	RETURN CASE kind
		WHEN 0 THEN (seed #- target)::text
		WHEN 1 THEN jsonb_set(seed, path || ('unknown_' || fuzz.pick(100)), '"x"')::text
		WHEN 2 THEN jsonb_set(seed, target, '12345')::text
		WHEN 3 THEN jsonb_set(seed, target, 'true')::text
		WHEN 4 THEN jsonb_set(seed, target, 'null')::text
		WHEN 5 THEN jsonb_set(seed, target, '[]')::text
		WHEN 6 THEN jsonb_set(seed, target, '{"nested": {"deeper": []}}')::text
		WHEN 7 THEN jsonb_set(seed, target, to_jsonb(repeat('A', 1048576)))::text
		WHEN 8 THEN jsonb_set(seed, target, to_jsonb(repeat(U&'\00e9', 300)))::text
		WHEN 9 THEN replace(jsonb_set(seed, target, '"@@"')::text, '"@@"', repeat('[', 5000) || repeat(']', 5000))
		WHEN 10 THEN replace(jsonb_set(seed, target, '"@@"')::text, '"@@"', '"\ud800x"')
		WHEN 11 THEN replace(jsonb_set(seed, target, '"@@"')::text, '"@@"', '"pass\u0000word"')
		WHEN 12 THEN regexp_replace(seed::text, '}$', ', ' || to_jsonb(key)::text || ': "duplicate value"}')
		WHEN 13 THEN jsonb_set(seed, target, to_jsonb($q$'); DROP TABLE pwupdate.audit; --$q$::text))::text
		WHEN 14 THEN (ARRAY['[]', '"body"', '42', 'null', '[{"a": 1}]', '{}'])[1 + fuzz.pick(6)]
		ELSE jsonb_set(seed, target, to_jsonb('" OR 1=1 --' || repeat('x', fuzz.pick(80))))::text
	END;
END
$$;

CREATE FUNCTION fuzz.run(iterations int) RETURNS TABLE (target text, calls int, succeeded int, failed int)
LANGUAGE plpgsql AS $$
DECLARE
	t fuzz.target;
	body text;
	before text;
	ok int;
	bad int;
	state text;
	msg text;
BEGIN
	FOR t IN SELECT * FROM fuzz.target ORDER BY name LOOP
		ok := 0;
		bad := 0;
		-- Every call is undone, successes too (by the exception below), so
		-- the tables stay as small as the seed left them and every call
		-- starts from the same state.
		before := fuzz.state();
		FOR i IN 1 .. iterations LOOP
			body := fuzz.mutate(t.seed);
			BEGIN
				EXECUTE format(t.call, quote_literal(body) || '::jsonb');
				ok := ok + 1;
				RAISE SQLSTATE 'FZ000';
			EXCEPTION WHEN SQLSTATE 'FZ000' THEN
				NULL;
			WHEN OTHERS THEN
				GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
				bad := bad + 1;
				IF NOT EXISTS (SELECT FROM fuzz.allowed a WHERE a.sqlstate = state) THEN
					INSERT INTO fuzz.finding VALUES (t.name, left(body, 200), state || ': ' || msg);
				END IF;
				IF fuzz.state() <> before THEN
					INSERT INTO fuzz.finding VALUES (t.name, left(body, 200), 'state changed on error');
				END IF;
			END;
		END LOOP;
		target := t.name;
		calls := iterations;
		succeeded := ok;
		failed := bad;
		RETURN NEXT;
	END LOOP;
END
$$;
