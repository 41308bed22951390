-- api: create_password_profile_info
-- work: hash
-- A trusted caller adds a password profile info (without a username) to a
-- user authentication info.
\set n 4 * random(0, :quarter - 1) + :writable
SELECT pwupdate.create_password_profile_info('b0000000-0000-4000-8000-0000000000a1', md5('uai' || :n)::uuid,
	'{"data": {"type": "user_authentication_password_profile_info",
			   "password_profile_id": "b0000000-0000-4000-8000-0000000000b1", "password": "Bench passphrase 1"}}');
