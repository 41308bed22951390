-- No memory kept across calls: after a warm-up, thousands more calls of
-- each function leave the backend's private memory (RssAnon) where it was.
CREATE FUNCTION pg_temp.rss_anon_kb() RETURNS bigint LANGUAGE sql AS $$
	SELECT (regexp_match(pg_read_file('/proc/self/status'), 'RssAnon:\s+(\d+) kB'))[1]::bigint
$$;

CREATE FUNCTION pg_temp.exercise(iterations int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	argon text := pwupdate.hash_password('memory check passphrase');
	bf text;
BEGIN
	SET LOCAL pwupdate.algorithm = bcrypt;
	bf := pwupdate.hash_password('memory check passphrase');
	RESET pwupdate.algorithm;
	FOR i IN 1 .. iterations LOOP
		PERFORM pwupdate.hash_password('memory check passphrase ' || i);
		PERFORM pwupdate.verify_password('memory check passphrase', argon);
		PERFORM pwupdate.verify_password('memory check passphrase', bf);
		PERFORM pwupdate.needs_rehash(argon);
		PERFORM pwupdate.validate_password('memory check passphrase ' || i, '{"login": "someone"}');
		PERFORM pwupdate.current_caller();
		BEGIN
			PERFORM pwupdate.validate_password('short');
		EXCEPTION WHEN OTHERS THEN
			NULL;
		END;
	END LOOP;
END
$$;

SELECT pg_temp.exercise(1000);
SELECT pg_temp.rss_anon_kb() AS before_kb \gset
SELECT pg_temp.exercise(5000);
SELECT pg_temp.rss_anon_kb() - :before_kb < 256 AS rss_flat,
       CASE WHEN pg_temp.rss_anon_kb() - :before_kb >= 256
            THEN (pg_temp.rss_anon_kb() - :before_kb) || ' kB more' END AS growth;
