/*-------------------------------------------------------------------------
 *
 * store.c
 *	  The SQL side of the engine: lock and read one row by its key, write
 *	  only the changed columns, insert a row, and read or swap the hash of
 *	  the secret column.  Never parses JSON.
 *
 * Statements name the table and its columns through quote_identifier and
 * quote_qualified_identifier only, and every value travels as a $n
 * parameter.  Columns are cast to their field type's canonical type when
 * read; when written, assignment casts bring the canonical values back to
 * the column types.
 *
 * The statements run as the table's owner, in a restricted security
 * context, not as the extension's owner: a trigger on a DBA's table then
 * has the rights of whoever could write it, never a superuser's.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"

#include "engine.h"

/* StoreCall is declared in engine.h, for the statements of other files. */
struct StoreCall
{
	MemoryContext caller_cxt;	/* where results are copied to */
	Oid			save_userid;
	int			save_sec_context;
};

static void
store_begin(const Resource *r, StoreCall *call)
{
	call->caller_cxt = CurrentMemoryContext;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	GetUserIdAndSecContext(&call->save_userid, &call->save_sec_context);
	SetUserIdAndSecContext(r->owner,
						   call->save_sec_context |
						   SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
}

/* An error on the way aborts the transaction, which restores the user too. */
static void
store_end(StoreCall *call)
{
	SetUserIdAndSecContext(call->save_userid, call->save_sec_context);
	SPI_finish();
}

/*
 * Whether PostgreSQL's own report of this error shows the whole failing
 * row ("Failing row contains ..."): a NOT NULL or CHECK violation.
 */
static bool
detail_shows_row(int sqlerrcode)
{
	return sqlerrcode == ERRCODE_NOT_NULL_VIOLATION ||
		sqlerrcode == ERRCODE_CHECK_VIOLATION;
}

/*
 * Run one statement.  When a constraint of the table fails, PostgreSQL's
 * detail would list the whole row, hash column included, to a client;
 * for a resource with a secret it is replaced before the error goes on.
 */
static void
store_execute(const Resource *r, const char *sql, int nargs, Oid *argtypes,
			  Datum *values, const char *nulls, bool read_only, int expected)
{
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		int			rc = SPI_execute_with_args(sql, nargs, argtypes, values,
											   nulls, read_only, 0);

		if (rc != expected)
			elog(ERROR, "SPI_execute_with_args failed: %s",
				 SPI_result_code_string(rc));
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (r->secret < 0 || !detail_shows_row(edata->sqlerrcode) ||
			edata->detail == NULL)
			PG_RE_THROW();
		FlushErrorState();
		edata->detail = pstrdup("The failing row is not shown because it holds a password hash.");
		ReThrowError(edata);
	}
	PG_END_TRY();
}

static const char *
column(const Resource *r, int field)
{
	return quote_identifier(r->fields[field].column);
}

/* "col::type, ..." for every readable field, in field order. */
static char *
select_list(const Resource *r)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < r->nfields; i++)
	{
		if (r->fields[i].access == ACCESS_SECRET)
			continue;
		appendStringInfo(&buf, "%s%s::%s", buf.len > 0 ? ", " : "",
						 column(r, i), pwu_field_type_sql(r->fields[i].type));
	}
	return buf.data;
}

static char *
key_condition(const Resource *r)
{
	return psprintf("%s OPERATOR(pg_catalog.=) $1", column(r, r->key));
}

/* Copy the first result row out of SPI's memory, values detoasted. */
static ResourceRow *
copy_row(const Resource *r, MemoryContext target)
{
	HeapTuple	tuple = SPI_tuptable->vals[0];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	MemoryContext old = MemoryContextSwitchTo(target);
	ResourceRow *row = palloc0(sizeof(ResourceRow));
	int			attno = 0;

	row->values = palloc0(sizeof(Datum) * r->nfields);
	row->isnull = palloc(sizeof(bool) * r->nfields);
	for (int i = 0; i < r->nfields; i++)
	{
		int16		typlen;
		bool		typbyval;
		Datum		value;

		row->isnull[i] = true;
		if (r->fields[i].access == ACCESS_SECRET)
			continue;
		value = SPI_getbinval(tuple, desc, ++attno, &row->isnull[i]);
		if (row->isnull[i])
			continue;
		get_typlenbyval(pwu_field_type_oid(r->fields[i].type), &typlen, &typbyval);
		row->values[i] = typlen == -1 ?
			PointerGetDatum(PG_DETOAST_DATUM_COPY(value)) :
			datumCopy(value, typbyval, typlen);
	}
	MemoryContextSwitchTo(old);
	return row;
}

/*
 * Read the row with this key; NULL when there is none.  lock: take a row
 * lock (FOR UPDATE) that holds until the end of the transaction, so that
 * a concurrent writer waits and then sees this transaction's result.
 */
ResourceRow *
pwu_store_fetch(const Resource *r, Datum key, bool lock)
{
	StoreCall	call;
	Oid			argtypes[1] = {pwu_field_type_oid(r->fields[r->key].type)};
	Datum		values[1] = {key};
	ResourceRow *row = NULL;
	char	   *sql = psprintf("SELECT %s FROM %s WHERE %s%s",
							   select_list(r), r->table, key_condition(r),
							   lock ? " FOR UPDATE" : "");

	store_begin(r, &call);
	store_execute(r, sql, 1, argtypes, values, NULL, !lock, SPI_OK_SELECT);
	if (SPI_processed > 0)
		row = copy_row(r, call.caller_cxt);
	store_end(&call);
	return row;
}

/* The $n parameters of one statement. */
typedef struct Params
{
	int			n;
	Oid		   *types;
	Datum	   *values;
	char	   *nulls;
} Params;

static void
params_init(Params *p, int max)
{
	p->n = 0;
	p->types = palloc(sizeof(Oid) * max);
	p->values = palloc(sizeof(Datum) * max);
	p->nulls = palloc0(max + 1);
}

/* Add a parameter and return its number. */
static int
params_add(Params *p, Oid type, Datum value, bool isnull)
{
	p->types[p->n] = type;
	p->values[p->n] = value;
	p->nulls[p->n] = isnull ? 'n' : ' ';
	return ++p->n;
}

/*
 * The change set's values, and the secret's hash, as parameters; columns
 * receives the column of each, in the same order.
 */
static void
params_add_changes(Params *p, const Resource *r, const ChangeSet *cs,
				   List **columns)
{
	for (int i = 0; i < cs->nchanges; i++)
	{
		params_add(p, pwu_field_type_oid(r->fields[cs->fields[i]].type),
				   cs->values[i], cs->isnull[i]);
		*columns = lappend(*columns, (char *) column(r, cs->fields[i]));
	}
	if (cs->secret_hash != NULL)
	{
		params_add(p, TEXTOID, CStringGetTextDatum(cs->secret_hash), false);
		*columns = lappend(*columns, (char *) column(r, r->secret));
	}
}

/*
 * Write a change set to the row with this key (locked by the caller) and
 * return the row as written.  Only the changed columns appear in the
 * statement, plus the resource's updated column.
 */
ResourceRow *
pwu_store_update(const Resource *r, Datum key, const ChangeSet *cs)
{
	StoreCall	call;
	char	   *sql;
	Params		p;
	List	   *columns = NIL;
	StringInfoData set;
	ListCell   *lc;
	int			n = 1;
	ResourceRow *row;

	params_init(&p, cs->nchanges + 2);
	params_add(&p, pwu_field_type_oid(r->fields[r->key].type), key, false);
	params_add_changes(&p, r, cs, &columns);

	initStringInfo(&set);
	foreach(lc, columns)
		appendStringInfo(&set, "%s%s = $%d", set.len > 0 ? ", " : "",
						 (char *) lfirst(lc), ++n);
	if (r->updated_column != NULL)
		appendStringInfo(&set, "%s%s = pg_catalog.now()", set.len > 0 ? ", " : "",
						 quote_identifier(r->updated_column));

	sql = psprintf("UPDATE %s SET %s WHERE %s RETURNING %s",
				   r->table, set.data, key_condition(r), select_list(r));

	store_begin(r, &call);
	store_execute(r, sql, p.n, p.types, p.values, p.nulls, false, SPI_OK_UPDATE_RETURNING);
	if (SPI_processed != 1)
		elog(ERROR, "row of resource \"%s\" vanished while locked", r->name);
	row = copy_row(r, call.caller_cxt);
	store_end(&call);
	return row;
}

/*
 * Insert a row holding a change set (and the secret's hash); the table's
 * defaults fill the other columns.  Returns the row as inserted.
 */
ResourceRow *
pwu_store_insert(const Resource *r, const ChangeSet *cs)
{
	StoreCall	call;
	char	   *sql;
	Params		p;
	List	   *columns = NIL;
	StringInfoData names;
	StringInfoData numbers;
	ListCell   *lc;
	int			n = 0;
	ResourceRow *row;

	params_init(&p, cs->nchanges + 1);
	params_add_changes(&p, r, cs, &columns);
	initStringInfo(&names);
	initStringInfo(&numbers);
	foreach(lc, columns)
	{
		appendStringInfo(&names, "%s%s", n > 0 ? ", " : "", (char *) lfirst(lc));
		appendStringInfo(&numbers, "%s$%d", n > 0 ? ", " : "", n + 1);
		n++;
	}

	sql = psprintf("INSERT INTO %s (%s) VALUES (%s) RETURNING %s",
				   r->table, names.data, numbers.data, select_list(r));

	store_begin(r, &call);
	store_execute(r, sql, p.n, p.types, p.values, p.nulls, false, SPI_OK_INSERT_RETURNING);
	row = copy_row(r, call.caller_cxt);
	store_end(&call);
	return row;
}

/* Whether some row has this value in a field (say, a login taken). */
bool
pwu_store_exists(const Resource *r, int field, Datum value)
{
	StoreCall	call;
	char	   *sql;
	Oid			argtypes[1] = {pwu_field_type_oid(r->fields[field].type)};
	Datum		values[1] = {value};
	bool		exists;

	sql = psprintf("SELECT 1 FROM %s WHERE %s OPERATOR(pg_catalog.=) $1 LIMIT 1",
				   r->table, column(r, field));

	/* the latest snapshot: a row inserted earlier in this statement counts */
	store_begin(r, &call);
	store_execute(r, sql, 1, argtypes, values, NULL, false, SPI_OK_SELECT);
	exists = SPI_processed > 0;
	store_end(&call);
	return exists;
}

/*
 * The stored hash of the row with this key: NULL when there is no such
 * row (found = false) or the row has no hash.
 */
char *
pwu_store_fetch_secret(const Resource *r, Datum key, bool *found)
{
	StoreCall	call;
	char	   *sql;
	Oid			argtypes[1] = {pwu_field_type_oid(r->fields[r->key].type)};
	Datum		values[1] = {key};
	char	   *hash = NULL;

	sql = psprintf("SELECT %s::pg_catalog.text FROM %s WHERE %s",
				   column(r, r->secret), r->table, key_condition(r));

	store_begin(r, &call);
	store_execute(r, sql, 1, argtypes, values, NULL, true, SPI_OK_SELECT);
	*found = SPI_processed > 0;
	if (*found)
	{
		char	   *value = SPI_getvalue(SPI_tuptable->vals[0],
										 SPI_tuptable->tupdesc, 1);

		if (value != NULL)
			hash = MemoryContextStrdup(call.caller_cxt, value);
	}
	store_end(&call);
	return hash;
}

/*
 * Swap a stored hash for a new one, only if it is still the one read: a
 * password changed in the meantime is never overwritten by a rehash of the
 * old one.  True when the swap happened.
 */
bool
pwu_store_replace_secret(const Resource *r, Datum key, const char *old_hash,
						 const char *new_hash)
{
	StoreCall	call;
	char	   *sql;
	Oid			argtypes[3] = {pwu_field_type_oid(r->fields[r->key].type),
		TEXTOID, TEXTOID};
	Datum		values[3] = {key, CStringGetTextDatum(old_hash),
		CStringGetTextDatum(new_hash)};
	bool		replaced;

	sql = psprintf("UPDATE %s SET %s = $3 WHERE %s AND %s::pg_catalog.text OPERATOR(pg_catalog.=) $2",
				   r->table, column(r, r->secret), key_condition(r),
				   column(r, r->secret));

	store_begin(r, &call);
	store_execute(r, sql, 3, argtypes, values, NULL, false, SPI_OK_UPDATE);
	replaced = SPI_processed > 0;
	store_end(&call);
	return replaced;
}

/*---- Statements of other files ----*/

/*
 * Run statements of one's own on a resource's table the way the store runs
 * its own: connected to SPI, as the table's owner in a restricted security
 * context (pwu_store_begin), with constraint errors that would show a row
 * holding a hash masked (pwu_store_run), until pwu_store_end.  Used by the
 * set-based DBA functions (maintenance.c); names in the statements must be
 * quoted and values passed as $n parameters, as here.
 */
StoreCall *
pwu_store_begin(const Resource *r)
{
	StoreCall  *call = palloc(sizeof(StoreCall));

	store_begin(r, call);
	return call;
}

void
pwu_store_run(const Resource *r, const char *sql, int nargs, Oid *argtypes,
			  Datum *values, const char *nulls, bool read_only, int expected)
{
	store_execute(r, sql, nargs, argtypes, values, nulls, read_only, expected);
}

void
pwu_store_end(StoreCall *call)
{
	store_end(call);
	pfree(call);
}
