-- The trigger that PostgREST's SQL user management guide puts on its users
-- table, written here in this project's own words: a new or changed
-- password column is replaced by its bcrypt hash from pgcrypto.  The cost
-- is the one pwupdate is given in each comparison (the guide's
-- gen_salt('bf') would take pgcrypto's default of 6); bench/run sets it
-- with psql -v cost=N before each comparison.
SELECT format($sql$
CREATE OR REPLACE FUNCTION basic_auth.encrypt_pass() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.pass IS DISTINCT FROM OLD.pass THEN
		NEW.pass := crypt(NEW.pass, gen_salt('bf', %s));
	END IF;
	RETURN NEW;
END
$$;
$sql$, :cost::int) \gexec
