-- Fuzz targets of DBA maintenance: the hashes argument of import_hashes and
-- check_hash_import, the id, reset token and new password of
-- reset_password, and the stored hash that hash_info reads.  All run as a
-- trusted SQL caller, as they must.
SELECT pwupdate.create_user('3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a71.fuzzcorp', 'fuzz.import1@fuzzcorp.example',
	'Starting Passphrase 1') IS NOT NULL AS import_user_1;
SELECT pwupdate.create_user('3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a72.fuzzcorp', 'fuzz.import2@fuzzcorp.example',
	'Starting Passphrase 1') IS NOT NULL AS import_user_2;
SELECT pwupdate.create_login('fuzz_forced_login', 'a fine fuzzing passphrase',
	'edebf627-ebce-4f77-8160-75db76154168') ->> 'login_sid' AS forced_sid \gset

-- The hashes are a JSON array, and the fuzzer mutates objects: the body is
-- an object whose members' values, in key order, are the rows.  So rows are
-- dropped, added, replaced by other JSON types, and mutated member by
-- member; a body that is not an object (the fuzzer's "[]", "42", null, ...)
-- is passed as it is.  The seed's two rows are valid, and overwrite is on,
-- so a mutation that breaks one row must leave the other unimported.
CREATE FUNCTION fuzz.as_array(body jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	IF jsonb_typeof(body) <> 'object' THEN
		RETURN body;
	END IF;
	RETURN coalesce((SELECT jsonb_agg(value ORDER BY key) FROM jsonb_each(body)), '[]');
END
$$;

-- A forced reset of the login before every call, with a known token, so
-- that the seed is a valid request and a mutated one that is still valid
-- goes all the way through to the policy and the new hash.  A failed call
-- rolls the forced reset back with it.  SQL NULL arguments are refused
-- with 22004 (sql/83_maintenance_force_reset.sql); an application passing
-- the strings of a form never sends NULL, so a missing or null member is
-- sent as an empty string, and any other JSON value as its text.
CREATE FUNCTION fuzz.forced_reset(body jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	sid text := (SELECT login_sid::text FROM pwupdate.partner_login WHERE login = 'fuzz_forced_login');
BEGIN
	PERFORM pwupdate.force_password_reset('partner_login', ARRAY[sid]);
	UPDATE pwupdate.reset_token
	SET token_digest = encode(sha256(convert_to('FuzzForcedToken0000000000000000000000000000', 'UTF8')), 'hex')
	WHERE resource = 'partner_login' AND resource_id = sid;
	PERFORM pwupdate.reset_password('partner_login', coalesce(body ->> 'id', ''),
									coalesce(body ->> 'reset_token', ''), coalesce(body ->> 'new_password', ''));
END
$$;

INSERT INTO fuzz.target VALUES
	('import_hashes', 'SELECT pwupdate.import_hashes(''user'', fuzz.as_array(%s), true)',
	 '{"row1": {"id": "3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a71.fuzzcorp",
				"hash": "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"},
	   "row2": {"id": "3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a72.fuzzcorp",
				"hash": "$1$USP8WwHP$2wZP4.no6F4L/29ZvpalD1"}}'),
	('check_hash_import', 'SELECT count(*) FROM pwupdate.check_hash_import(''user'', fuzz.as_array(%s), true)',
	 '{"row1": {"id": "3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a71.fuzzcorp",
				"hash": "$argon2id$v=19$m=64,t=1,p=1$oB+wrwsNeDgulmTQxrzdNg$5bvO5gQx70o+Mbsjo2K13+SaKTQZJp4/4Dpzw3A+iyU"},
	   "row2": {"id": "3c3c3c3c-4d4d-4e5e-8f6f-7a7a7a7a7a72.fuzzcorp", "hash": "_J9..wGaKzV16s0nHHY2"}}'),
	('reset_password', 'SELECT fuzz.forced_reset(%s)',
	 jsonb_build_object('id', :'forced_sid', 'reset_token', 'FuzzForcedToken0000000000000000000000000000',
						'new_password', 'Orchard in April 2025')),
	('hash_info', 'SELECT * FROM pwupdate.hash_info(%s ->> ''hash'')',
	 '{"hash": "$2a$04$MmOvqRAq0j/0iObZnOX6ausfVmaoR/CF0uTJko/HGJQ81ksJfd1LK"}');
