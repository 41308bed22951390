/*-------------------------------------------------------------------------
 *
 * realms.c
 *	  The structure of seed 001 (Elastic Path) that password profile infos
 *	  live in: the trusted-only functions create_realm,
 *	  create_password_profile and create_user_authentication_info, so that
 *	  a DBA or a back-office application sets everything up in SQL.
 *
 * Password profiles and user authentication infos belong to one realm;
 * the tables' foreign keys carry the realm's id, so nothing below a realm
 * can point into another one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "profiles.h"

PG_FUNCTION_INFO_V1(pwupdate_create_realm);
PG_FUNCTION_INFO_V1(pwupdate_create_password_profile);
PG_FUNCTION_INFO_V1(pwupdate_create_user_authentication_info);

static char *
required_text(FunctionCallInfo fcinfo, int n, const char *name)
{
	char	   *value = TextDatumGetCString(pwu_required_arg(fcinfo, n, name));

	if (value[0] == '\0')
		ereport(ERROR,
				(errcode(PWU_ERRCODE_MALFORMED),
				 errmsg("argument \"%s\" must not be empty", name)));
	return value;
}

/*
 * Run an INSERT ... RETURNING id and return the new id.  An INSERT ...
 * SELECT from the realm inserts nothing for an unknown realm: "realm not
 * found".
 */
static Datum
insert_returning_id(const char *sql, int nargs, Oid *argtypes, Datum *values)
{
	MemoryContext outer = CurrentMemoryContext;
	pg_uuid_t  *id = NULL;
	bool		isnull;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(sql, nargs, argtypes, values, NULL, false, 0) !=
		SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not insert a row of a realm");
	if (SPI_processed == 1)
	{
		id = MemoryContextAlloc(outer, sizeof(pg_uuid_t));
		memcpy(id, DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 1, &isnull)),
			   sizeof(pg_uuid_t));
	}
	SPI_finish();
	if (id == NULL)
		pwu_not_found_error("realm");
	return UUIDPGetDatum(id);
}

/* Creations are for trusted callers, and answer 201 through PostgREST. */
static void
require_trusted_creator(void)
{
	Caller	   *caller = pwu_current_caller();

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
}

/*
 * create_realm(name text) returns uuid
 */
Datum
pwupdate_create_realm(PG_FUNCTION_ARGS)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	require_trusted_creator();
	values[0] = CStringGetTextDatum(required_text(fcinfo, 0, "name"));
	PG_RETURN_DATUM(insert_returning_id("INSERT INTO pwupdate.realm (name) "
										"VALUES ($1) RETURNING id",
										1, argtypes, values));
}

/*
 * create_password_profile(realm_id uuid, name text) returns uuid
 */
Datum
pwupdate_create_password_profile(PG_FUNCTION_ARGS)
{
	Oid			argtypes[2] = {UUIDOID, TEXTOID};
	Datum		values[2];

	require_trusted_creator();
	values[0] = pwu_required_arg(fcinfo, 0, "realm_id");
	values[1] = CStringGetTextDatum(required_text(fcinfo, 1, "name"));
	PG_RETURN_DATUM(insert_returning_id("INSERT INTO pwupdate.password_profile (realm_id, name) "
										"SELECT id, $2 FROM pwupdate.realm WHERE id = $1 "
										"RETURNING id",
										2, argtypes, values));
}

/*
 * create_user_authentication_info(realm_id uuid, name text, email text)
 *		returns uuid
 */
Datum
pwupdate_create_user_authentication_info(PG_FUNCTION_ARGS)
{
	Oid			argtypes[3] = {UUIDOID, TEXTOID, TEXTOID};
	Datum		values[3];
	char	   *email;

	require_trusted_creator();
	values[0] = pwu_required_arg(fcinfo, 0, "realm_id");
	values[1] = CStringGetTextDatum(required_text(fcinfo, 1, "name"));
	email = required_text(fcinfo, 2, "email");
	pwu_check_email(email);
	values[2] = CStringGetTextDatum(email);
	PG_RETURN_DATUM(insert_returning_id("INSERT INTO pwupdate.user_authentication_info "
										"(realm_id, name, email) "
										"SELECT id, $2, $3 FROM pwupdate.realm WHERE id = $1 "
										"RETURNING id",
										3, argtypes, values));
}
