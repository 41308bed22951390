-- scenario: change_user_password (trusted), success
\set n 4 * random(0, :quarter - 1) + :writable
\set r random(1, 1000000000)
SELECT bench.expect(NULL, 'SELECT pwupdate.change_user_password($1[1], $1[2]::jsonb)',
					md5('user' || :n)::uuid || '.benchcorp', '{"NewPassword": "Bench passphrase :r"}');
