-- api: check_password (partner_login)
-- work: verify
\set n 4 * random(0, :quarter - 1) + :stable
SELECT pwupdate.check_password('partner_login', md5('login' || :n)::uuid::text, 'Bench passphrase 0');
