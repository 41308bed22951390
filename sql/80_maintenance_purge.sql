-- DBA maintenance: pwupdate.purge_expired deletes expired sessions, account
-- member tokens, reset tokens and customer password resets in batches,
-- committing after each batch, with a NOTICE every progress_every batches,
-- and returns the counts.
-- (Skipping rows that others have locked: test/t/070_maintenance_scripts.sh.)

CREATE ROLE regress_maint_dba IN ROLE pwupdate_admin;
CREATE ROLE regress_maint_nobody;
CREATE ROLE regress_maint_api IN ROLE pwupdate_api;

-- Whatever earlier tests left behind goes first.
CALL pwupdate.purge_expired() \gset

SELECT pwupdate.create_user('0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e.purgecorp',
							'ada@purgecorp.example', 'Analytical engine 1843') AS ada \gset
-- Seven sessions: five expired, two live.
SELECT count(pwupdate.sign_in('ada@purgecorp.example', 'Analytical engine 1843'))
FROM generate_series(1, 7);
UPDATE pwupdate.user_session SET expires_at = now() - interval '1 second'
WHERE id IN (SELECT id FROM pwupdate.user_session WHERE user_id = :'ada'
			 ORDER BY created_at LIMIT 5);

-- Three member tokens: one expired.
SELECT pwupdate.create_realm('Purge realm') AS realm \gset
SELECT pwupdate.create_user_authentication_info(:'realm', 'Ada', 'ada@purgecorp.example') AS member \gset
SELECT count(pwupdate.create_account_member_token(:'realm', :'member'))
FROM generate_series(1, 3);
UPDATE pwupdate.account_member_token SET expires_at = now() - interval '1 second'
WHERE id = (SELECT id FROM pwupdate.account_member_token
			WHERE user_authentication_info_id = :'member' LIMIT 1);

-- Reset tokens of two forced resets: one expired, and one issued longer ago
-- than pwupdate.reset_token_ttl (lowered since) with its expiry still ahead.
SELECT pwupdate.create_login('purge-one', 'first login passphrase', '5d5d5d5d-6e6e-4f7f-8a8a-9b9b9b9b9b9b') ->> 'login_sid' AS one \gset
SELECT pwupdate.create_login('purge-two', 'second login passphrase', '5d5d5d5d-6e6e-4f7f-8a8a-9b9b9b9b9b9b') ->> 'login_sid' AS two \gset
SELECT pwupdate.create_login('purge-three', 'third login passphrase', '5d5d5d5d-6e6e-4f7f-8a8a-9b9b9b9b9b9b') ->> 'login_sid' AS three \gset
SELECT count(*) FROM pwupdate.force_password_reset('partner_login', ARRAY[:'one', :'two', :'three']);
UPDATE pwupdate.reset_token SET expires_at = now() - interval '1 second'
WHERE resource_id = :'one';
UPDATE pwupdate.reset_token SET created_at = now() - interval '40 minutes'
WHERE resource_id = :'two';

-- Customer password resets: of three, one expired and one issued before
-- the lowered pwupdate.reset_token_ttl; used or not makes no difference.
SELECT pwupdate.create_customer('purge@purgecorp.example') ->> 'id' AS customer \gset
SELECT count(pwupdate.create_customer_password_reset('purge@purgecorp.example'))
FROM generate_series(1, 3);
UPDATE pwupdate.customer_password_reset SET expires_at = now() - interval '1 second'
WHERE id = (SELECT min(id) FROM pwupdate.customer_password_reset WHERE customer_id = :'customer');
UPDATE pwupdate.customer_password_reset SET created_at = now() - interval '40 minutes'
WHERE id = (SELECT max(id) FROM pwupdate.customer_password_reset WHERE customer_id = :'customer');
SET pwupdate.reset_token_ttl = '30min';

-- Each batch records the transaction it ran in.
CREATE TABLE regress_purge_batches (table_name text, xid xid8);
CREATE FUNCTION regress_record_batch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.regress_purge_batches VALUES (TG_TABLE_NAME, pg_catalog.pg_current_xact_id());
	RETURN NULL;
END
$$;
CREATE TRIGGER regress_record_batch AFTER DELETE ON pwupdate.user_session
FOR EACH ROW EXECUTE FUNCTION regress_record_batch();

-- Batches of two, a NOTICE every second batch: 5 sessions are 3 batches.
SET ROLE regress_maint_dba;
CALL pwupdate.purge_expired(batch_size => 2, progress_every => 2);
RESET ROLE;

-- Committed batch by batch: three transactions for three batches.
SELECT count(*) AS sessions_deleted, count(DISTINCT xid) AS transactions
FROM regress_purge_batches;
SELECT count(*) AS live_sessions FROM pwupdate.user_session WHERE user_id = :'ada';
SELECT count(*) AS live_member_tokens FROM pwupdate.account_member_token
WHERE user_authentication_info_id = :'member';
SELECT resource_id = :'three' AS only_the_live_reset_token_is_left
FROM pwupdate.reset_token WHERE resource = 'partner_login';
SELECT count(*) AS live_customer_resets FROM pwupdate.customer_password_reset
WHERE customer_id = :'customer';

-- Nothing left to purge.
CALL pwupdate.purge_expired();

-- In a transaction block it cannot commit: the batches share the
-- transaction, and roll back with it.
TRUNCATE regress_purge_batches;
UPDATE pwupdate.user_session SET expires_at = now() - interval '1 second'
WHERE user_id = :'ada';
BEGIN;
CALL pwupdate.purge_expired(batch_size => 1, progress_every => 0);
SELECT count(*) AS sessions_deleted, count(DISTINCT xid) AS transactions
FROM regress_purge_batches;
ROLLBACK;
SELECT count(*) AS sessions_still_there FROM pwupdate.user_session WHERE user_id = :'ada';

-- It is a procedure: SELECT is refused; a DO block can CALL it.
SELECT pwupdate.purge_expired(1, 0, NULL);
\echo :LAST_ERROR_SQLSTATE
DO $$
DECLARE
	purged jsonb;
BEGIN
	CALL pwupdate.purge_expired(100, 0, purged);
	RAISE NOTICE 'purged from a DO block: %', purged;
END
$$;

-- The procedure runs with its caller's rights and search_path, but pins
-- its own for the batches: operators a caller puts ahead of pg_catalog
-- never run inside it.
CREATE SCHEMA regress_trap AUTHORIZATION regress_maint_dba;
SET ROLE regress_maint_dba;
CREATE FUNCTION regress_trap.le(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN RAISE NOTICE 'hijacked through <='; RETURN pg_catalog.timestamptz_le($1, $2); END $$;
CREATE OPERATOR regress_trap.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = regress_trap.le);
CREATE FUNCTION regress_trap.eq(tid, tid) RETURNS boolean LANGUAGE plpgsql
	AS $$ BEGIN RAISE NOTICE 'hijacked through ='; RETURN pg_catalog.tideq($1, $2); END $$;
CREATE OPERATOR regress_trap.= (LEFTARG = tid, RIGHTARG = tid, FUNCTION = regress_trap.eq);
SET search_path = regress_trap, pg_catalog;
SELECT now() <= now() AS trap;
RESET ROLE;
INSERT INTO pwupdate.user_session (user_id, token_digest, csrf_digest, expires_at)
VALUES (:'ada', 'trap', 'trap', now() - interval '1 minute');
SET ROLE regress_maint_dba;
CALL pwupdate.purge_expired(batch_size => 1);
RESET search_path;
RESET ROLE;
DROP SCHEMA regress_trap CASCADE;

DROP TRIGGER regress_record_batch ON pwupdate.user_session;
DROP FUNCTION regress_record_batch();
DROP TABLE regress_purge_batches;

-- Arguments.
CALL pwupdate.purge_expired(batch_size => 0);
\echo :LAST_ERROR_SQLSTATE
CALL pwupdate.purge_expired(batch_size => 1000001);
CALL pwupdate.purge_expired(batch_size => NULL);
\echo :LAST_ERROR_SQLSTATE
CALL pwupdate.purge_expired(progress_every => -1);

-- Trusted callers only: no EXECUTE for others, the API role included.
SET ROLE regress_maint_nobody;
CALL pwupdate.purge_expired();
\echo :LAST_ERROR_SQLSTATE
SET ROLE regress_maint_api;
CALL pwupdate.purge_expired();
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

RESET pwupdate.reset_token_ttl;
DROP ROLE regress_maint_dba;
DROP ROLE regress_maint_nobody;
DROP ROLE regress_maint_api;
