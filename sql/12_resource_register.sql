-- Registering a table of one's own as a resource: every rule of a
-- description is checked against the catalogs, and a role may only
-- register columns it could read and write itself.
\set VERBOSITY default

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
	RETURN state || ' ' || message || coalesce(' | ' || nullif(detail, ''), '');
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;

-- Registers the table regress_app.members with a description and options
-- (a jsonb object of register_resource's optional arguments).
CREATE FUNCTION pg_temp.reg(fields text, options jsonb DEFAULT '{}') RETURNS text
LANGUAGE sql AS $$
	SELECT pg_temp.try(format(
		'SELECT pwupdate.register_resource(name => %L, table_name => %L, key_column => %L, fields => %L, '
		'read_scopes => %L, write_scopes => %L, tenant_claim => %L, tenant_field => %L, updated_column => %L)',
		coalesce(options ->> 'name', 'member'), coalesce(options ->> 'table_name', 'regress_app.members'),
		coalesce(options ->> 'key_column', 'id'), fields,
		options ->> 'read_scopes', options ->> 'write_scopes', options ->> 'tenant_claim',
		options ->> 'tenant_field', options ->> 'updated_column'))
$$;
GRANT EXECUTE ON FUNCTION pg_temp.reg(text, jsonb) TO PUBLIC;

CREATE SCHEMA regress_app;
CREATE TABLE regress_app.members (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	handle		varchar(40) NOT NULL UNIQUE,
	email		text NOT NULL,
	nickname	text,
	team		uuid NOT NULL,
	age			smallint,
	search		tsvector,
	pw			text,
	pw2			text,
	changed		timestamptz,
	shout		text GENERATED ALWAYS AS (upper(handle)) STORED
);
CREATE VIEW regress_app.member_view AS SELECT * FROM regress_app.members;

-- The description that works, to vary below.
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "handle": {"access": "read_only", "required": true, "context_word": true},
					 "email": {"access": "writable", "required": true}, "pw": {"access": "secret"}}',
				   '{"write_scopes": "{members.write}"}') AS registered;
SELECT name, table_name, key_column, noun, read_scopes, write_scopes, tenant_claim,
	   tenant_field, updated_column, builtin
FROM pwupdate.resource ORDER BY name;
SELECT pg_temp.reg('{"id": {"access": "read_only"}}');
SELECT pwupdate.unregister_resource('member') AS unregistered,
	   pwupdate.unregister_resource('member') AS again;
SELECT pg_temp.try($$SELECT pwupdate.unregister_resource('partner_login')$$);

-- Types are inferred from the columns, or checked against them.
SELECT pg_temp.reg('{"id": {"access": "read_only", "type": "integer"}, "handle": {"access": "read_only", "type": "string"},
					 "team": {"access": "read_only"}, "age": {"access": "writable"},
					 "changed": {"access": "read_only"}, "shout": {"access": "read_only"}}');
SELECT pwupdate.unregister_resource('member') AS unregistered;

-- The resource and its description.
SELECT pg_temp.try($$SELECT pwupdate.register_resource('Members', 'regress_app.members', 'id', '{"id": {"access": "read_only"}}')$$);
SELECT pg_temp.try($$SELECT pwupdate.register_resource('member', 'regress_app.members', 'id', NULL)$$);
SELECT pg_temp.reg('{}');
SELECT pg_temp.reg('[]');
SELECT pg_temp.reg('{"id": "read_only"}');
SELECT pg_temp.reg('{"": {"access": "read_only"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only", "writeable": true}}');
SELECT pg_temp.reg('{"id": {}}');
SELECT pg_temp.reg('{"id": {"access": "hidden"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only", "required": "yes"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only", "column": 7}}');

-- Columns and types.
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "nick": {"access": "writable"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "age": {"access": "writable", "type": "number"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "age": {"access": "writable", "type": "string"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "search": {"access": "read_only"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "a": {"column": "email", "access": "read_only"}, "email": {"access": "read_only"}}');

-- Access rules.
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "password": {"column": "age", "access": "secret"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "password": {"column": "pw", "access": "secret", "nullable": true}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "pw": {"access": "secret"}, "pw2": {"access": "secret"}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "handle": {"access": "read_only", "nullable": true}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "age": {"access": "writable", "context_word": true}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "shout": {"access": "writable", "required": true}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "email": {"access": "writable"}}');

-- The key.
SELECT pg_temp.reg('{"handle": {"access": "read_only"}}');
SELECT pg_temp.reg('{"handle": {"access": "writable", "required": true}}', '{"key_column": "handle"}');
SELECT pg_temp.reg('{"id": {"access": "read_only", "required": true}}');
SELECT pg_temp.reg('{"email": {"access": "read_only"}}', '{"key_column": "email"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"key_column": "nothing"}');

-- Scopes, tenant and updated column.
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"write_scopes": "{a,NULL}"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"read_scopes": "{\"a b\"}"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"read_scopes": "{{a},{b}}"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"tenant_claim": "partner_sid"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "team": {"access": "read_only"}}', '{"tenant_claim": "org_id", "tenant_field": "team"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "pw": {"access": "secret"}}', '{"tenant_claim": "sub", "tenant_field": "pw"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"tenant_claim": "sub", "tenant_field": "team"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"updated_column": "nothing"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"updated_column": "email"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "changed": {"access": "writable"}}', '{"updated_column": "changed"}');

-- The table.
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"table_name": "regress_app.member_view"}');
SELECT pg_temp.reg('{"oid": {"access": "read_only"}}', '{"table_name": "pg_catalog.pg_class", "key_column": "oid"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"table_name": "pwupdate.audit"}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}}', '{"name": "partner_login"}');

-- Who may register: trusted callers, and only for columns they may read
-- and (for writable and secret fields) write.
CREATE ROLE regress_register_dba;
GRANT pwupdate_admin TO regress_register_dba;
GRANT USAGE ON SCHEMA regress_app TO regress_register_dba;
CREATE ROLE regress_register_web;
GRANT pwupdate_api TO regress_register_web;
GRANT USAGE ON SCHEMA regress_app TO regress_register_web;
SET ROLE regress_register_web;
SELECT pg_temp.reg('{"id": {"access": "read_only"}}');
RESET ROLE;
SET ROLE regress_register_dba;
SELECT pg_temp.reg('{"id": {"access": "read_only"}}');
RESET ROLE;
GRANT SELECT (id, handle, email) ON regress_app.members TO regress_register_dba;
SET ROLE regress_register_dba;
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "email": {"access": "writable", "required": true}}');
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "email": {"access": "read_only"}}') AS registered_by_dba;
SELECT pwupdate.unregister_resource('member') AS unregistered;
RESET ROLE;
SET ROLE regress_register_web;
SELECT pg_temp.try($$SELECT pwupdate.unregister_resource('member')$$);
RESET ROLE;

-- A registered table that changes under the description fails loudly.
SELECT pg_temp.reg('{"id": {"access": "read_only"}, "nickname": {"access": "writable"}}') IS NOT NULL AS registered;
ALTER TABLE regress_app.members DROP COLUMN nickname CASCADE;
SELECT pwupdate.get('member', '1');
SELECT pwupdate.unregister_resource('member') AS unregistered;
CREATE TABLE regress_app.scratch (id integer PRIMARY KEY);
SELECT pwupdate.register_resource('scratch', 'regress_app.scratch', 'id', '{"id": {"access": "read_only"}}') IS NOT NULL AS registered;
DROP TABLE regress_app.scratch;
SELECT pwupdate.get('scratch', '1');
SELECT pwupdate.unregister_resource('scratch') AS unregistered;

DROP TABLE regress_app.members;
DROP SCHEMA regress_app;
DROP OWNED BY regress_register_dba;
DROP ROLE regress_register_dba, regress_register_web;
