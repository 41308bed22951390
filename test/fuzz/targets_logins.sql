-- Fuzz targets of partner logins (seed 000) and the generic resource API.
SELECT pwupdate.create_login('fuzz_partner_login', 'a fine fuzzing passphrase',
	'edebf627-ebce-4f77-8160-75db76154168', '{partners.read}') ->> 'login_sid' AS sid \gset

INSERT INTO fuzz.target VALUES
	('patch_login', format('SELECT pwupdate.patch_login(%L, %%s)', :'sid'),
	 '{"password": "another fine passphrase"}'),
	('put_login', format('SELECT pwupdate.put_login(%L, %%s)', :'sid'),
	 jsonb_build_object('login', 'fuzz_partner_login', 'login_sid', :'sid',
	                    'partner_sid', 'edebf627-ebce-4f77-8160-75db76154168',
	                    'token_scopes', '["partners.read"]'::jsonb, 'password', 'yet another passphrase')),
	('patch (generic)', format('SELECT pwupdate.patch(''partner_login'', %L, %%s)', :'sid'),
	 '{"password": "a generic passphrase"}');
