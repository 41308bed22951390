-- check_password counts failures towards the account's lockout: past the
-- threshold the account answers PT429, even for the right password, until
-- the window passes; a success clears the count.  Unknown ids are counted
-- the same way, so a 429 says nothing about which ids exist.
SET pwupdate.lockout_threshold = 3;
SELECT pwupdate.create_login('lockout_login', 'the right passphrase',
	'6f1d3f4e-2c55-4c1b-9a53-0b5e1c7d2a10') ->> 'login_sid' AS sid \gset

SELECT pwupdate.check_password('partner_login', :'sid', 'wrong guess 1') AS first,
       pwupdate.check_password('partner_login', :'sid', 'wrong guess 2') AS second;
-- A success before the threshold clears the count.
SELECT pwupdate.check_password('partner_login', :'sid', 'the right passphrase') AS right_one;
SELECT pwupdate.check_password('partner_login', :'sid', 'wrong guess 3') AS third,
       pwupdate.check_password('partner_login', :'sid', 'wrong guess 4') AS fourth,
       pwupdate.check_password('partner_login', :'sid', 'wrong guess 5') AS fifth;
SELECT pwupdate.check_password('partner_login', :'sid', 'the right passphrase');
\echo :LAST_ERROR_SQLSTATE
-- Failures are counted in shared memory, so rolling back the transaction
-- that made them does not erase them.
SELECT pwupdate.create_login('lockout_login_2', 'the right passphrase',
	'6f1d3f4e-2c55-4c1b-9a53-0b5e1c7d2a10') ->> 'login_sid' AS sid2 \gset
BEGIN;
SELECT pwupdate.check_password('partner_login', :'sid2', 'wrong guess ' || g) AS in_rolled_back_transaction
FROM generate_series(1, 3) AS g;
ROLLBACK;
SELECT pwupdate.check_password('partner_login', :'sid2', 'the right passphrase');
\echo :LAST_ERROR_SQLSTATE

-- An unknown id is locked out after as many tries.
SELECT pwupdate.check_password('partner_login', '00000000-0000-0000-0000-000000000000', 'guess ' || g) AS unknown
FROM generate_series(1, 3) AS g;
SELECT pwupdate.check_password('partner_login', '00000000-0000-0000-0000-000000000000', 'guess 4');
\echo :LAST_ERROR_SQLSTATE

-- The window passes.
SET pwupdate.lockout_window = 1;
SELECT pg_sleep(1.1);
SELECT pwupdate.check_password('partner_login', :'sid', 'the right passphrase') AS after_window;
RESET pwupdate.lockout_window;
RESET pwupdate.lockout_threshold;
