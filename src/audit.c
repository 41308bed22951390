/*-------------------------------------------------------------------------
 *
 * audit.c
 *	  The audit trail: one row in pwupdate.audit for every successful
 *	  credential change, written in the same transaction as the change so
 *	  the two commit or vanish together.  Rows never hold a secret.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "pwupdate.h"

/*
 * The columns every audit row shares, $3 to $6: the action, and who made
 * the change through what.
 */
static void
set_common_args(const Caller *caller, const char *action, Datum *values,
				char *nulls)
{
	char	   *role_name = GetUserNameFromId(caller->role, true);

	values[2] = CStringGetTextDatum(action);
	nulls[3] = role_name != NULL ? ' ' : 'n';
	if (role_name != NULL)
		values[3] = CStringGetTextDatum(role_name);
	nulls[4] = caller->sub != NULL ? ' ' : 'n';
	if (caller->sub != NULL)
		values[4] = CStringGetTextDatum(caller->sub);
	values[5] = CStringGetTextDatum(caller->via_http ? "postgrest" : "sql");
}

static void
insert_rows(const char *select_list_and_source, Oid ids_type, Datum *values,
			char *nulls)
{
	Oid			argtypes[6] = {TEXTOID, ids_type, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	char	   *sql = psprintf("INSERT INTO pwupdate.audit "
							   "(resource, resource_id, action, actor_role, actor_sub, channel) %s",
							   select_list_and_source);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(sql, 6, argtypes, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write to pwupdate.audit");
	SPI_finish();
}

/*
 * Record a successful change.
 *
 * resource: the kind of object, e.g. "partner_login"
 * resource_id: its id as text
 * action: what happened, e.g. "patch", "put", "reset_password"
 */
void
pwu_audit(const Caller *caller, const char *resource, const char *resource_id,
		  const char *action)
{
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	values[0] = CStringGetTextDatum(resource);
	values[1] = CStringGetTextDatum(resource_id);
	set_common_args(caller, action, values, nulls);
	insert_rows("VALUES ($1, $2, $3, $4, $5, $6)", TEXTOID, values, nulls);
}

/*
 * One audit row per id of a text array, in the array's order, in one
 * statement: the rows pwu_audit() would write one at a time.
 */
void
pwu_audit_many(const Caller *caller, const char *resource, ArrayType *ids,
			   const char *action)
{
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	values[0] = CStringGetTextDatum(resource);
	values[1] = PointerGetDatum(ids);
	set_common_args(caller, action, values, nulls);
	insert_rows("SELECT $1, u.id, $3, $4, $5, $6 "
				"FROM pg_catalog.unnest($2) WITH ORDINALITY AS u(id, n) "
				"ORDER BY u.n", TEXTARRAYOID, values, nulls);
}
