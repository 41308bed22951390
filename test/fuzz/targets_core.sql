-- Fuzz targets of the password core.
INSERT INTO fuzz.target VALUES
	('validate_password', 'SELECT pwupdate.validate_password(''a long enough passphrase'', %s)',
	 '{"login": "carrierx_partner", "email": "someone"}');
