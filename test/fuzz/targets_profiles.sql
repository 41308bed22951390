-- Fuzz targets of the password profile infos (seed 001): the update of
-- the seed's info and the creation of new ones, as a trusted SQL caller.
DO $$
DECLARE
	new_id uuid;
BEGIN
	new_id := pwupdate.create_realm('Fuzz');
	UPDATE pwupdate.realm SET id = '12b33a5d-b536-47a8-987d-9cdba15f1647' WHERE id = new_id;
	new_id := pwupdate.create_password_profile('12b33a5d-b536-47a8-987d-9cdba15f1647', 'Default');
	UPDATE pwupdate.password_profile SET id = '486fa6f1-d85a-44a0-abdf-ff0076fffd6c' WHERE id = new_id;
	new_id := pwupdate.create_user_authentication_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
													   'Fuzz', 'fuzz.member@example.com');
	UPDATE pwupdate.user_authentication_info SET id = 'a9dc5358-c3ee-44f9-a36c-3057213e750d' WHERE id = new_id;
	PERFORM pwupdate.create_password_profile_info('12b33a5d-b536-47a8-987d-9cdba15f1647',
		'a9dc5358-c3ee-44f9-a36c-3057213e750d',
		'{"data": {"type": "user_authentication_password_profile_info",
				   "password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
				   "username": "john.doe", "password": "fuzzing pass phrase 0"}}');
	UPDATE pwupdate.password_profile_info SET id = '2b2dd626-9960-40c6-a9f9-d4af96eed3fb';
END
$$;

INSERT INTO fuzz.target VALUES
	('update_password_profile_info',
	 'SELECT pwupdate.update_password_profile_info(''12b33a5d-b536-47a8-987d-9cdba15f1647'', ''a9dc5358-c3ee-44f9-a36c-3057213e750d'', ''2b2dd626-9960-40c6-a9f9-d4af96eed3fb'', %s)',
	 '{"data": {"type": "user_authentication_password_profile_info",
				"id": "2b2dd626-9960-40c6-a9f9-d4af96eed3fb",
				"password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
				"username": "john.doe", "password": "fuzzing pass phrase 1"}}'),
	('create_password_profile_info',
	 'SELECT pwupdate.create_password_profile_info(''12b33a5d-b536-47a8-987d-9cdba15f1647'', ''a9dc5358-c3ee-44f9-a36c-3057213e750d'', %s)',
	 '{"data": {"type": "user_authentication_password_profile_info",
				"password_profile_id": "486fa6f1-d85a-44a0-abdf-ff0076fffd6c",
				"username": "jane.doe", "password": "fuzzing pass phrase 2"}}');
