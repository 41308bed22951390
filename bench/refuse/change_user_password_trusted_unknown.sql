-- scenario: change_user_password (trusted), unknown user id
-- versus: change_user_password_trusted_ok.sql
-- target: refused without hashing
\set n 4 * random(0, :quarter - 1) + :writable
\set r random(1, 1000000000)
SELECT bench.expect('{PT404}', 'SELECT pwupdate.change_user_password($1[1], $1[2]::jsonb)',
					md5('unknown' || :n)::uuid || '.benchcorp', '{"NewPassword": "Bench passphrase :r"}');
