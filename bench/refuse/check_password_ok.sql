-- scenario: check_password, right password
\set n 4 * random(0, :quarter - 1) + :stable
SELECT bench.expect(NULL, 'SELECT pwupdate.check_password($1[1], $1[2], $1[3])',
					'partner_login', md5('login' || :n)::uuid::text, 'Bench passphrase 0');
