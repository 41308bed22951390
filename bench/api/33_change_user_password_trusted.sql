-- api: change_user_password (trusted)
-- work: verify+hash
-- A trusted caller sets a new password: one verification (the new one must
-- differ from the current one) and one hash.
\set n 4 * random(0, :quarter - 1) + :writable
\set r random(1, 1000000000)
SELECT pwupdate.change_user_password(md5('user' || :n)::uuid || '.benchcorp',
	'{"NewPassword": "Bench passphrase :r"}');
