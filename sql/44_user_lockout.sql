-- Failed attempts lock a user out (PT429, 429) after
-- pwupdate.lockout_threshold of them: wrong sign-ins and wrong current
-- passwords count towards one budget per user; an unknown email is locked
-- out like a known one; a success clears the count; a site admin's reset
-- without the old password is never refused and unlocks the account.
-- Needs pwupdate in shared_preload_libraries, as in test/pwupdate.conf.

CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
	state text;
	message text;
	detail text;
BEGIN
	EXECUTE statement INTO result;
	RETURN result;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL;
	RETURN state || ': ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;

SET pwupdate.lockout_threshold = 3;

SELECT pwupdate.create_user('1c1c1c1c-2d2d-4e3e-8f4f-5a5a5a5a5a5a.hooli',
							'gavin@hooli.example', 'Tethics forever 1') AS gavin;
SELECT pwupdate.create_user('2d2d2d2d-3e3e-4f4f-9a5a-6b6b6b6b6b6b.hooli',
							'denpok@hooli.example', 'Spiritual advisor 2') AS denpok;
SELECT pwupdate.create_user('3e3e3e3e-4f4f-4a5a-8b6b-7c7c7c7c7c7c.hooli',
							'jared@hooli.example', 'Donald Dunn 1980') AS jared;
SELECT pwupdate.create_user('4f4f4f4f-5a5a-4b6b-9c7c-8d8d8d8d8d8d.hooli',
							'patrice@hooli.example', 'Board seat 2015', true) AS site_admin;

-- Three wrong sign-ins, then even the right password is refused, before it
-- is checked.  An unknown email behaves exactly the same, in any case.
SELECT n, pg_temp.try($$SELECT pwupdate.sign_in('gavin@hooli.example', 'nucleus 2')$$) AS known
FROM generate_series(1, 3) n;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('gavin@hooli.example', 'Tethics forever 1')->>'user_id'$$) AS right_password;
SELECT n, pg_temp.try($$SELECT pwupdate.sign_in('GHOST@hooli.example', 'nucleus 2')$$) AS unknown
FROM generate_series(1, 3) n;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('ghost@hooli.example', 'nucleus 2')->>'user_id'$$)
	 = pg_temp.try($$SELECT pwupdate.sign_in('gavin@hooli.example', 'Tethics forever 1')->>'user_id'$$) AS indistinguishable;

-- A success clears the count: two failures, a success, two more failures
-- and the right password still signs in.
SELECT pg_temp.try($$SELECT pwupdate.sign_in('denpok@hooli.example', 'wrong guess 1')$$) AS one,
	   pg_temp.try($$SELECT pwupdate.sign_in('denpok@hooli.example', 'wrong guess 2')$$) AS two;
SELECT pwupdate.sign_in('denpok@hooli.example', 'Spiritual advisor 2')->>'user_id' AS success;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('denpok@hooli.example', 'wrong guess 3')$$) AS one,
	   pg_temp.try($$SELECT pwupdate.sign_in('denpok@hooli.example', 'wrong guess 4')$$) AS two;
SELECT pwupdate.sign_in('denpok@hooli.example', 'Spiritual advisor 2')->>'user_id' AS success;

-- Wrong current passwords count too, in the budget sign-in uses.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "3e3e3e3e-4f4f-4a5a-8b6b-7c7c7c7c7c7c.hooli"}', true) IS NOT NULL AS claims;
SELECT n, pg_temp.try($$SELECT pwupdate.change_user_password('3e3e3e3e-4f4f-4a5a-8b6b-7c7c7c7c7c7c.hooli', '{"OldPassword": "wrong guess", "NewPassword": "Donald Dunn 1981"}')$$) AS wrong_old
FROM generate_series(1, 3) n;
SELECT pg_temp.try($$SELECT pwupdate.change_user_password('3e3e3e3e-4f4f-4a5a-8b6b-7c7c7c7c7c7c.hooli', '{"OldPassword": "Donald Dunn 1980", "NewPassword": "Donald Dunn 1981"}')$$) AS right_old;
COMMIT;
SELECT pg_temp.try($$SELECT pwupdate.sign_in('jared@hooli.example', 'Donald Dunn 1980')->>'user_id'$$) AS sign_in;

-- A site admin resets the password without the old one; that unlocks it.
BEGIN;
SELECT set_config('request.jwt.claims', '{"sub": "4f4f4f4f-5a5a-4b6b-9c7c-8d8d8d8d8d8d.hooli"}', true) IS NOT NULL AS claims;
SELECT pwupdate.change_user_password('3e3e3e3e-4f4f-4a5a-8b6b-7c7c7c7c7c7c.hooli',
	'{"NewPassword": "Donald Dunn 1982"}') AS admin_reset;
COMMIT;
SELECT pwupdate.sign_in('jared@hooli.example', 'Donald Dunn 1982')->>'user_id' AS sign_in;

RESET pwupdate.lockout_threshold;
DELETE FROM pwupdate.user_account WHERE fed = 'hooli';
