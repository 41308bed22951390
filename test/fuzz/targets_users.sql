-- Fuzz targets of the user password change (seed 003).
SELECT pwupdate.create_user('eceffbe3-3386-495b-80d3-7526f0eb0edc.fuzzcorp',
	'fuzz.user@fuzzcorp.example', 'Starting Passphrase 1');

INSERT INTO fuzz.target VALUES
	('change_user_password',
	 'SELECT pwupdate.change_user_password(''eceffbe3-3386-495b-80d3-7526f0eb0edc.fuzzcorp'', %s)',
	 '{"OldPassword": "Starting Passphrase 1", "NewPassword": "Next Passphrase 2"}');
