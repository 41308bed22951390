-- The PL/pgSQL equivalent of patch_login (bench/guide); load/guide.sql
-- gives it the same logins as pwupdate.partner_login.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
\ir ../guide/schema.sql
