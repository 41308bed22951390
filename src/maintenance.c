/*-------------------------------------------------------------------------
 *
 * maintenance.c
 *	  DBA maintenance: the accounts the DBA functions work on, their bulk
 *	  audit, and the procedure purge_expired, which deletes expired
 *	  sessions, member tokens, reset tokens and customer password resets
 *	  in batches.
 *
 * purge_expired is a procedure so that it can commit after every batch:
 * a purge of millions of rows then holds its row locks for one batch at a
 * time, lets vacuum reclaim what it deleted while it runs, and never keeps
 * an API call waiting for long.  Rows some transaction has locked are
 * skipped (SKIP LOCKED) and left for the next run.  PostgreSQL forbids
 * transaction control in SECURITY DEFINER procedures and in procedures
 * with a SET clause, so this one runs as its caller: it checks that the
 * caller is trusted, then runs each batch as the table's owner with
 * search_path pinned to pg_catalog, pg_temp, and commits as the caller.
 * Called inside a transaction block (or from a function), where it cannot
 * commit, it still works in batches within that one transaction.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "maintenance.h"

/* The users of seed 003 as the engine would describe them. */
#define USER_FIELDS \
	"{\"user_id\": {\"access\": \"read_only\"}," \
	" \"email\": {\"access\": \"read_only\"}," \
	" \"password\": {\"column\": \"password_hash\", \"access\": \"secret\"}}"

PG_FUNCTION_INFO_V1(pwupdate_purge_expired);

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*---- Accounts ----*/

static bool
is_registered(const char *name)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(name)};
	bool		found;

	spi_connect();
	if (SPI_execute_with_args("SELECT 1 FROM pwupdate.resource "
							  "WHERE name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.resource");
	found = SPI_processed > 0;
	SPI_finish();
	return found;
}

/*
 * The users of seed 003, described for the engine's store without being
 * registered: the generic get, patch and put must not reach them, since
 * a user's password change also ends their sessions (api_users.c).
 */
static Resource *
user_resource(void)
{
	ResourceSpec spec;
	Oid			relid;

	relid = get_relname_relid("user_account",
							  get_namespace_oid("pwupdate", false));
	if (!OidIsValid(relid))
		elog(ERROR, "relation \"pwupdate.user_account\" does not exist");

	memset(&spec, 0, sizeof(spec));
	spec.name = USER_RESOURCE;
	spec.relid = relid;
	spec.key_column = "user_id";
	spec.fields = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
													 CStringGetDatum(USER_FIELDS)));
	spec.noun = "user";
	spec.updated_column = "updated_at";
	return pwu_resource_build(&spec, false);
}

/*
 * The account resource of this name: a registered resource with a secret
 * field, or "user" (unless a resource of that name is registered).  An
 * unknown name is the "not found" class, as in the generic API.
 */
Resource *
pwu_account_resource(const char *name)
{
	Resource   *r;

	if (strcmp(name, USER_RESOURCE) == 0 && !is_registered(name))
		return user_resource();
	r = pwu_resource_load(name);
	if (r->secret < 0)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("resource \"%s\" has no secret field", r->name)));
	return r;
}

bool
pwu_account_is_user(const Resource *r)
{
	return strcmp(r->name, USER_RESOURCE) == 0 &&
		get_rel_namespace(r->relid) == get_namespace_oid("pwupdate", true) &&
		strcmp(get_rel_name(r->relid), "user_account") == 0;
}

static int
compare_names(const ListCell *a, const ListCell *b)
{
	return strcmp(lfirst(a), lfirst(b));
}

/*
 * The names of every account resource, sorted: the registered resources
 * that have a secret field, and "user".
 */
List *
pwu_account_resource_names(void)
{
	MemoryContext outer = CurrentMemoryContext;
	List	   *names = NIL;
	bool		user_registered = false;

	spi_connect();
	if (SPI_execute("SELECT r.name FROM pwupdate.resource AS r "
					"WHERE EXISTS (SELECT FROM pg_catalog.jsonb_each(r.fields) AS f "
					"WHERE f.value OPERATOR(pg_catalog.->>) 'access' "
					"OPERATOR(pg_catalog.=) 'secret')",
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.resource");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i],
										SPI_tuptable->tupdesc, 1);

		if (strcmp(name, USER_RESOURCE) == 0)
			user_registered = true;
		names = lappend(names, MemoryContextStrdup(outer, name));
	}
	SPI_finish();

	if (!user_registered)
		names = lappend(names, pstrdup(USER_RESOURCE));
	list_sort(names, compare_names);
	return names;
}

/* A key as text, as the audit trail and the reset tokens store it. */
char *
pwu_account_key_text(const Resource *r, Datum key)
{
	return pwu_value_to_text(r->fields[r->key].type, key);
}

/* An array of keys in their field type's canonical SQL type. */
ArrayType *
pwu_account_key_array(const Resource *r, Datum *keys, int n)
{
	Oid			type = pwu_field_type_oid(r->fields[r->key].type);
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	return construct_array(keys, n, type, typlen, typbyval, typalign);
}

ArrayType *
pwu_text_array(char **values, int n)
{
	Datum	   *datums = palloc(sizeof(Datum) * (n > 0 ? n : 1));

	for (int i = 0; i < n; i++)
		datums[i] = CStringGetTextDatum(values[i]);
	return construct_array(datums, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* End every session of these users. */
void
pwu_end_user_sessions(ArrayType *user_ids)
{
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1] = {PointerGetDatum(user_ids)};

	spi_connect();
	if (SPI_execute_with_args("DELETE FROM pwupdate.user_session "
							  "WHERE user_id OPERATOR(pg_catalog.=) ANY ($1)",
							  1, argtypes, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from pwupdate.user_session");
	SPI_finish();
}

/*---- purge_expired ----*/

/*
 * What the purge deletes: each kind is a table of schema pwupdate and the
 * condition of its expired rows, where $2 is the time of the batch and $3
 * that time less pwupdate.reset_token_ttl.  A table that does not exist is
 * skipped.
 */
typedef struct PurgeKind
{
	const char *table;
	const char *expired;
} PurgeKind;

static const PurgeKind purge_kinds[] = {
	{"user_session", "expires_at OPERATOR(pg_catalog.<=) $2"},
	{"account_member_token", "expires_at OPERATOR(pg_catalog.<=) $2"},
	/* lowering the setting shortens the tokens already issued */
	{"reset_token", "expires_at OPERATOR(pg_catalog.<=) $2 "
	"OR created_at OPERATOR(pg_catalog.<=) $3"},
	{"customer_password_reset", "expires_at OPERATOR(pg_catalog.<=) $2 "
	"OR created_at OPERATOR(pg_catalog.<=) $3"},
};

/*
 * Delete up to batch_size expired rows of one kind, as the table's owner
 * with a pinned search_path; returns how many.
 */
static uint64
purge_batch(const PurgeKind *kind, Oid owner, int batch_size)
{
	Oid			argtypes[3] = {INT4OID, TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		values[3];
	TimestampTz now = GetCurrentTimestamp();
	char	   *table = quote_qualified_identifier("pwupdate", kind->table);
	char	   *sql;
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
	uint64		deleted;

	values[0] = Int32GetDatum(batch_size);
	values[1] = TimestampTzGetDatum(now);
	values[2] = TimestampTzGetDatum(now - (TimestampTz) pwu_reset_token_ttl * USECS_PER_SEC);
	sql = psprintf("DELETE FROM %s WHERE ctid OPERATOR(pg_catalog.=) ANY (ARRAY("
				   "SELECT ctid FROM %s WHERE %s LIMIT $1 FOR UPDATE SKIP LOCKED))",
				   table, table, kind->expired);

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(owner, save_sec_context |
						   SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	if (SPI_execute_with_args(sql, 3, argtypes, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from %s", table);
	deleted = SPI_processed;

	AtEOXact_GUC(true, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec_context);
	return deleted;
}

static int32
int_arg(FunctionCallInfo fcinfo, int n, const char *name, int32 min, int32 max)
{
	int32		value;

	value = DatumGetInt32(pwu_required_arg(fcinfo, n, name));
	if (value < min || value > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"%s\" must be between %d and %d", name, min, max)));
	return value;
}

/*
 * purge_expired(batch_size integer DEFAULT 10000,
 *				 progress_every integer DEFAULT 10,
 *				 INOUT purged jsonb DEFAULT NULL)
 *
 * Deletes the expired rows of every kind in batches of batch_size,
 * committing after each batch when it can, with a NOTICE every
 * progress_every batches of a kind (0: never).  purged receives how many
 * rows of each kind went: {"user_session": n, ...}.
 */
Datum
pwupdate_purge_expired(PG_FUNCTION_ARGS)
{
	bool		atomic = true;
	int32		batch_size;
	int32		progress_every;
	Oid			nspid;
	int64		counts[lengthof(purge_kinds)];
	JsonbParseState *state = NULL;
	JsonbValue *object;
	TupleDesc	tupdesc;
	Datum		result[1];
	bool		isnull[1] = {false};

	if (fcinfo->context != NULL && IsA(fcinfo->context, CallContext))
		atomic = ((CallContext *) fcinfo->context)->atomic;
	pwu_require_trusted(pwu_current_caller());
	batch_size = int_arg(fcinfo, 0, "batch_size", 1, 1000000);
	progress_every = int_arg(fcinfo, 1, "progress_every", 0, INT_MAX);
	nspid = get_namespace_oid("pwupdate", false);

	if (SPI_connect_ext(atomic ? 0 : SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (int k = 0; k < (int) lengthof(purge_kinds); k++)
	{
		const PurgeKind *kind = &purge_kinds[k];
		Oid			relid = get_relname_relid(kind->table, nspid);
		HeapTuple	tuple;
		Oid			owner;
		int64		batches = 0;
		uint64		deleted;

		counts[k] = 0;
		if (!OidIsValid(relid))
			continue;
		tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
		if (!HeapTupleIsValid(tuple))
			continue;
		owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
		ReleaseSysCache(tuple);

		do
		{
			CHECK_FOR_INTERRUPTS();
			deleted = purge_batch(kind, owner, batch_size);
			counts[k] += (int64) deleted;
			batches++;
			if (progress_every > 0 && batches % progress_every == 0)
				ereport(NOTICE,
						(errmsg("purged %lld expired rows from \"pwupdate.%s\" so far",
								(long long) counts[k], kind->table)));
			if (!atomic)
				SPI_commit();
		} while (deleted == (uint64) batch_size);
	}
	SPI_finish();

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (int k = 0; k < (int) lengthof(purge_kinds); k++)
		pwu_jsonb_push_int64(&state, purge_kinds[k].table, counts[k]);
	object = pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	result[0] = JsonbPGetDatum(JsonbValueToJsonb(object));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, result, isnull)));
}
