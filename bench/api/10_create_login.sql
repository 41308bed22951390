-- api: create_login
-- work: hash
-- A trusted SQL caller (a superuser) creates a login with a fresh name.
SELECT pwupdate.create_login('new_login_' || nextval('bench.serial'), 'Bench passphrase 1',
							 'b0000000-0000-4000-8000-000000000001', '{partners.read}');
