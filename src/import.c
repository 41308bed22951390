/*-------------------------------------------------------------------------
 *
 * import.c
 *	  Bulk import of hashes made by other systems (bcrypt, Argon2id,
 *	  pgcrypto's crypt() formats) into existing accounts: import_hashes,
 *	  and check_hash_import, which lists every problem without importing.
 *
 * The rows are a JSON array of {"id": ..., "hash": ...}.  Every row is
 * checked before anything is written: its shape, its hash's format (a
 * format pwupdate verifies), its id (an account of the resource, named
 * once), and that the account has no password yet (NULL or voided)
 * unless overwrite is true.  Any problem fails the whole import with one
 * error that lists the rows by number and id; otherwise one statement sets
 * every hash.  A hash is never quoted: it is a secret too.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "maintenance.h"

/* Rows an import error lists; check_hash_import lists them all. */
#define MAX_LISTED_ROWS 100
/* Bytes of an id a message shows. */
#define MAX_SHOWN_ID	64

PG_FUNCTION_INFO_V1(pwupdate_import_hashes);
PG_FUNCTION_INFO_V1(pwupdate_check_hash_import);

typedef struct ImportRow
{
	int			number;			/* position in the array, from 1 */
	char	   *id;				/* the id as sent, or NULL */
	char	   *key_text;		/* the key's canonical text */
	Datum		key;
	char	   *hash;
	char	   *problem;		/* what is wrong, or NULL */
} ImportRow;

typedef struct Import
{
	Resource   *r;
	int			nrows;
	ImportRow  *rows;
	int			nproblems;
} Import;

static void
set_problem(Import *im, ImportRow *row, char *problem)
{
	if (row->problem != NULL)
		return;
	row->problem = problem;
	im->nproblems++;
}

/* A JSON scalar as text: strings as they are, numbers as spelt. */
static char *
scalar_text(const JsonbValue *v)
{
	if (v->type == jbvString)
		return pnstrdup(v->val.string.val, v->val.string.len);
	return DatumGetCString(DirectFunctionCall1(numeric_out,
											   NumericGetDatum(v->val.numeric)));
}

/* Read one element: {"id": string or number, "hash": string}. */
static void
read_row(Import *im, ImportRow *row, const JsonbValue *element)
{
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	value;
	JsonbIteratorToken token;
	bool		has_id = false;
	bool		has_hash = false;

	if (element->type != jbvBinary ||
		!JsonContainerIsObject(element->val.binary.data))
	{
		set_problem(im, row, "not a JSON object");
		return;
	}
	it = JsonbIteratorInit(element->val.binary.data);
	while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		char	   *name;

		if (token != WJB_KEY)
			continue;
		name = pnstrdup(key.val.string.val, key.val.string.len);
		JsonbIteratorNext(&it, &value, true);
		if (strcmp(name, "id") == 0)
		{
			has_id = true;
			if (value.type == jbvString || value.type == jbvNumeric)
				row->id = scalar_text(&value);
			else
				set_problem(im, row, "member \"id\" must be a string or a number");
		}
		else if (strcmp(name, "hash") == 0)
		{
			has_hash = true;
			if (value.type == jbvString)
				row->hash = pnstrdup(value.val.string.val, value.val.string.len);
			else
				set_problem(im, row, "member \"hash\" must be a string");
		}
		else
			set_problem(im, row, psprintf("unrecognized member \"%s\"", name));
	}
	if (!has_id)
		set_problem(im, row, "missing member \"id\"");
	if (!has_hash)
		set_problem(im, row, "missing member \"hash\"");
}

static char *
not_found(const Resource *r)
{
	return psprintf("%s not found", r->noun);
}

/* The id and the hash of each row, on their own. */
static void
check_values(Import *im)
{
	for (int i = 0; i < im->nrows; i++)
	{
		ImportRow  *row = &im->rows[i];
		HashDescription d;

		if (row->problem != NULL)
			continue;
		if (!pwu_value_from_text(im->r->fields[im->r->key].type, row->id, &row->key))
		{
			set_problem(im, row, not_found(im->r));
			continue;
		}
		row->key_text = pwu_account_key_text(im->r, row->key);
		pwu_hash_describe(row->hash, &d);
		if (!d.importable)
			set_problem(im, row, "unrecognized password hash format");
	}
}

static int
compare_keys(const void *a, const void *b)
{
	const ImportRow *x = *(ImportRow *const *) a;
	const ImportRow *y = *(ImportRow *const *) b;
	int			cmp = strcmp(x->key_text, y->key_text);

	return cmp != 0 ? cmp : x->number - y->number;
}

/* Each account at most once: a later row naming it again is a problem. */
static void
check_duplicates(Import *im)
{
	ImportRow **sorted = palloc(sizeof(ImportRow *) * (im->nrows + 1));
	int			n = 0;

	for (int i = 0; i < im->nrows; i++)
		if (im->rows[i].key_text != NULL)
			sorted[n++] = &im->rows[i];
	qsort(sorted, n, sizeof(ImportRow *), compare_keys);
	for (int i = 1, first = 0; i < n; i++)
	{
		if (strcmp(sorted[i]->key_text, sorted[first]->key_text) != 0)
		{
			first = i;
			continue;
		}
		set_problem(im, sorted[i],
					psprintf("duplicate id, also in row %d", sorted[first]->number));
	}
	pfree(sorted);
}

/*
 * The accounts must exist and, unless overwrite, have no password yet: a
 * NULL or voided secret.  lock: lock them until the end of the
 * transaction, so nothing changes between the check and the write.
 */
static void
check_accounts(Import *im, bool overwrite, bool lock)
{
	const Resource *r = im->r;
	const char *secret = quote_identifier(r->fields[r->secret].column);
	ImportRow **checked = palloc(sizeof(ImportRow *) * (im->nrows + 1));
	Datum	   *keys = palloc(sizeof(Datum) * (im->nrows + 1));
	bool	   *found = palloc0(sizeof(bool) * (im->nrows + 1));
	bool	   *unset = palloc0(sizeof(bool) * (im->nrows + 1));
	Oid			argtypes[1];
	Datum		values[1];
	StoreCall  *call;
	char	   *sql;
	int			n = 0;

	for (int i = 0; i < im->nrows; i++)
	{
		if (im->rows[i].problem != NULL)
			continue;
		checked[n] = &im->rows[i];
		keys[n++] = im->rows[i].key;
	}
	if (n == 0)
		return;

	argtypes[0] = get_array_type(pwu_field_type_oid(r->fields[r->key].type));
	values[0] = PointerGetDatum(pwu_account_key_array(r, keys, n));
	sql = psprintf("SELECT v.n, t.%s IS NULL "
				   "OR pg_catalog.starts_with(t.%s::pg_catalog.text, '!') "
				   "FROM pg_catalog.unnest($1) WITH ORDINALITY AS v(k, n) "
				   "JOIN %s AS t ON t.%s OPERATOR(pg_catalog.=) v.k%s",
				   secret, secret, r->table,
				   quote_identifier(r->fields[r->key].column),
				   lock ? " FOR UPDATE OF t" : "");

	call = pwu_store_begin(r);
	pwu_store_run(r, sql, 1, argtypes, values, NULL, !lock, SPI_OK_SELECT);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int64		number = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
														 SPI_tuptable->tupdesc,
														 1, &isnull));

		found[number - 1] = true;
		unset[number - 1] = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i],
													   SPI_tuptable->tupdesc,
													   2, &isnull));
	}
	pwu_store_end(call);

	for (int i = 0; i < n; i++)
	{
		if (!found[i])
			set_problem(im, checked[i], not_found(r));
		else if (!unset[i] && !overwrite)
			set_problem(im, checked[i], psprintf("%s already has a password", r->noun));
	}
}

/* Read and check every row; nothing is written. */
static Import *
check_import(FunctionCallInfo fcinfo, bool lock)
{
	Import	   *im = palloc0(sizeof(Import));
	Jsonb	   *hashes;
	bool		overwrite;
	JsonbIterator *it;
	JsonbValue	element;
	JsonbIteratorToken token;

	pwu_require_trusted(pwu_current_caller());
	im->r = pwu_account_resource(pwu_required_text_arg(fcinfo, 0, "resource"));
	hashes = DatumGetJsonbP(pwu_required_arg(fcinfo, 1, "hashes"));
	overwrite = DatumGetBool(pwu_required_arg(fcinfo, 2, "overwrite"));
	if (!JB_ROOT_IS_ARRAY(hashes) || JB_ROOT_IS_SCALAR(hashes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"hashes\" must be a JSON array"),
				 errdetail("Each element is an object {\"id\": ..., \"hash\": ...}.")));

	im->rows = palloc0(sizeof(ImportRow) * (JB_ROOT_COUNT(hashes) + 1));
	it = JsonbIteratorInit(&hashes->root);
	while ((token = JsonbIteratorNext(&it, &element, true)) != WJB_DONE)
	{
		ImportRow  *row;

		if (token != WJB_ELEM)
			continue;
		row = &im->rows[im->nrows++];
		row->number = im->nrows;
		read_row(im, row, &element);
	}

	check_values(im);
	check_duplicates(im);
	check_accounts(im, overwrite, lock);
	return im;
}

/* "Row 3 (id "x"): problem." */
static void
append_problem(StringInfo buf, const ImportRow *row)
{
	appendStringInfo(buf, "Row %d", row->number);
	if (row->id != NULL)
	{
		int			len = pg_mbcliplen(row->id, strlen(row->id), MAX_SHOWN_ID);

		appendStringInfo(buf, " (id \"%.*s%s\")", len, row->id,
						 row->id[len] != '\0' ? "..." : "");
	}
	appendStringInfo(buf, ": %s.", row->problem);
}

static void
import_failed(const Import *im)
{
	StringInfoData detail;
	int			listed = 0;

	initStringInfo(&detail);
	for (int i = 0; i < im->nrows && listed < MAX_LISTED_ROWS; i++)
	{
		if (im->rows[i].problem == NULL)
			continue;
		if (listed++ > 0)
			appendStringInfoChar(&detail, '\n');
		append_problem(&detail, &im->rows[i]);
	}
	if (im->nproblems > listed)
		appendStringInfo(&detail, "\nAnd %d more invalid rows.", im->nproblems - listed);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_plural("could not import password hashes: %d row is invalid",
						   "could not import password hashes: %d rows are invalid",
						   im->nproblems, im->nproblems),
			 errdetail_internal("%s", detail.data),
			 errhint("Nothing was imported.  pwupdate.check_hash_import() lists every invalid row.")));
}

/* Set every row's hash in one statement; the rows are checked. */
static void
write_hashes(const Import *im)
{
	const Resource *r = im->r;
	Datum	   *keys = palloc(sizeof(Datum) * (im->nrows + 1));
	char	  **hashes = palloc(sizeof(char *) * (im->nrows + 1));
	Oid			argtypes[2];
	Datum		values[2];
	StoreCall  *call;
	char	   *sql;
	uint64		written;

	for (int i = 0; i < im->nrows; i++)
	{
		keys[i] = im->rows[i].key;
		hashes[i] = im->rows[i].hash;
	}
	argtypes[0] = get_array_type(pwu_field_type_oid(r->fields[r->key].type));
	argtypes[1] = TEXTARRAYOID;
	values[0] = PointerGetDatum(pwu_account_key_array(r, keys, im->nrows));
	values[1] = PointerGetDatum(pwu_text_array(hashes, im->nrows));
	sql = psprintf("UPDATE %s AS t SET %s = v.h%s%s%s "
				   "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS v(k, h) "
				   "WHERE t.%s OPERATOR(pg_catalog.=) v.k",
				   r->table, quote_identifier(r->fields[r->secret].column),
				   r->updated_column != NULL ? ", " : "",
				   r->updated_column != NULL ? quote_identifier(r->updated_column) : "",
				   r->updated_column != NULL ? " = pg_catalog.now()" : "",
				   quote_identifier(r->fields[r->key].column));

	call = pwu_store_begin(r);
	pwu_store_run(r, sql, 2, argtypes, values, NULL, false, SPI_OK_UPDATE);
	written = SPI_processed;
	pwu_store_end(call);
	if (written != (uint64) im->nrows)
		elog(ERROR, "imported %llu hashes of %d locked accounts",
			 (unsigned long long) written, im->nrows);
}

/*
 * import_hashes(resource text, hashes jsonb, overwrite boolean DEFAULT false)
 *		returns bigint
 *
 * Sets the hashes of existing accounts, all or none; returns how many.
 * Each account gets an audit row "import"; a user's sessions end.
 */
Datum
pwupdate_import_hashes(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Import	   *im = check_import(fcinfo, true);
	char	  **ids;

	if (im->nproblems > 0)
		import_failed(im);
	if (im->nrows == 0)
		PG_RETURN_INT64(0);

	write_hashes(im);
	ids = palloc(sizeof(char *) * im->nrows);
	for (int i = 0; i < im->nrows; i++)
		ids[i] = im->rows[i].key_text;
	if (pwu_account_is_user(im->r))
		pwu_end_user_sessions(pwu_text_array(ids, im->nrows));
	pwu_audit_many(caller, im->r->name, pwu_text_array(ids, im->nrows), "import");
	PG_RETURN_INT64(im->nrows);
}

/*
 * check_hash_import(resource text, hashes jsonb, overwrite boolean DEFAULT
 *		false) returns table (row_number integer, id text, problem text)
 *
 * What import_hashes would refuse, every row of it; nothing is written.
 */
Datum
pwupdate_check_hash_import(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Import	   *im;

	InitMaterializedSRF(fcinfo, 0);
	im = check_import(fcinfo, false);
	for (int i = 0; i < im->nrows; i++)
	{
		const ImportRow *row = &im->rows[i];
		Datum		values[3];
		bool		nulls[3] = {false, row->id == NULL, false};

		if (row->problem == NULL)
			continue;
		values[0] = Int32GetDatum(row->number);
		values[1] = row->id != NULL ? CStringGetTextDatum(row->id) : (Datum) 0;
		values[2] = CStringGetTextDatum(row->problem);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
