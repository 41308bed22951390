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

#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "pwupdate.h"

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
	Oid			argtypes[6] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	char	   *role_name = GetUserNameFromId(caller->role, true);

	values[0] = CStringGetTextDatum(resource);
	values[1] = CStringGetTextDatum(resource_id);
	values[2] = CStringGetTextDatum(action);
	if (role_name != NULL)
		values[3] = CStringGetTextDatum(role_name);
	else
		nulls[3] = 'n';
	if (caller->sub != NULL)
		values[4] = CStringGetTextDatum(caller->sub);
	else
		nulls[4] = 'n';
	values[5] = CStringGetTextDatum(caller->via_http ? "postgrest" : "sql");

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("INSERT INTO pwupdate.audit "
							  "(resource, resource_id, action, actor_role, actor_sub, channel) "
							  "VALUES ($1, $2, $3, $4, $5, $6)",
							  6, argtypes, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write to pwupdate.audit");
	SPI_finish();
}
