-- scenario: check_password, unknown id
-- versus: check_password_ok.sql
-- target: hashes on purpose
-- An unknown id costs one verification, like a known one: the answer
-- (false) must not tell which ids exist.
\set r random(1, 1000000000)
SELECT bench.expect(NULL, 'SELECT pwupdate.check_password($1[1], $1[2], $1[3])',
					'partner_login', md5('unknown' || :r)::uuid::text, 'Bench passphrase 0');
