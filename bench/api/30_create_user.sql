-- api: create_user
-- work: hash
SELECT pwupdate.create_user(md5('new' || s)::uuid || '.benchcorp', 'new' || s || '@bench.example',
							'Bench passphrase 1')
FROM nextval('bench.serial') AS s;
