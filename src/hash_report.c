/*-------------------------------------------------------------------------
 *
 * hash_report.c
 *	  What stored hashes say about themselves: the algorithm and parameter
 *	  set of one hash (hash_info), and for every account resource how many
 *	  hashes use each, and how many need a rehash (hash_report).
 *
 * Nothing here verifies or derives anything: a hash's format comes from
 * hash.c's classification of its shape, and its parameters from the
 * parameter part of its text.  Whether a hash needs a rehash depends only
 * on its algorithm and parameters, so the report asks once per parameter
 * set, not once per row.  A report over a million rows is one sequential
 * scan per table.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "maintenance.h"

/* Rows read from a table at a time. */
#define REPORT_FETCH_ROWS	10000
/* No recognized hash is this long; longer values are not looked at. */
#define MAX_HASH_LEN		255

PG_FUNCTION_INFO_V1(pwupdate_hash_info);
PG_FUNCTION_INFO_V1(pwupdate_hash_report);

/* crypt(3)'s base-64 alphabet: "./0-9A-Za-z", 0 to 63 */
static int
crypt64_value(char c)
{
	if (c == '.')
		return 0;
	if (c == '/')
		return 1;
	if (c >= '0' && c <= '9')
		return c - '0' + 2;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 12;
	return c - 'a' + 38;
}

/*
 * The n-th "$"-separated field of a hash (the text before the first "$"
 * is field 0), as a new string.
 */
static char *
dollar_field(const char *hash, int n)
{
	const char *start = hash;
	const char *end;

	for (int i = 0; i < n; i++)
	{
		start = strchr(start, '$');
		if (start == NULL)
			return NULL;
		start++;
	}
	end = strchr(start, '$');
	return end != NULL ? pnstrdup(start, end - start) : pstrdup(start);
}

/*
 * Describe a stored hash (NULL: no password) without verifying anything.
 *
 * Algorithms and their parameters:
 *	 argon2id, argon2i	"m=<KiB>,t=<iterations>,p=<lanes>", as in the hash
 *	 bcrypt				"variant=<2a|2b|2x|2y>,cost=<cost>"
 *	 extended-des		"rounds=<rounds>"
 *	 md5-crypt, des		none (fixed)
 *	 voided				a forced reset's marker: no password
 *	 unrecognized		not a format pwupdate can verify
 *	 none				NULL: no password
 */
void
pwu_hash_describe(const char *hash, HashDescription *d)
{
	d->parameters = NULL;
	d->importable = false;
	if (hash == NULL)
	{
		d->algorithm = "none";
		return;
	}

	switch (pwu_hash_format(hash))
	{
		case FORMAT_ARGON2ID:
			d->algorithm = "argon2id";
			d->parameters = dollar_field(hash, 3);
			break;
		case FORMAT_ARGON2I:
			d->algorithm = "argon2i";
			d->parameters = dollar_field(hash, 3);
			break;
		case FORMAT_BCRYPT:
			d->algorithm = "bcrypt";
			d->parameters = psprintf("variant=2%c,cost=%d", hash[2],
									 (hash[4] - '0') * 10 + (hash[5] - '0'));
			break;
		case FORMAT_MD5_CRYPT:
			d->algorithm = "md5-crypt";
			break;
		case FORMAT_EXTENDED_DES:
			{
				int			rounds = 0;

				/* "_" and four characters, least significant first */
				for (int i = 0; i < 4; i++)
					rounds |= crypt64_value(hash[1 + i]) << (6 * i);
				d->algorithm = "extended-des";
				d->parameters = psprintf("rounds=%d", rounds);
			}
			break;
		case FORMAT_DES:
			d->algorithm = "des";
			break;
		case FORMAT_VOIDED:
			d->algorithm = "voided";
			return;
		case FORMAT_UNKNOWN:
			d->algorithm = "unrecognized";
			return;
	}
	d->importable = true;
}

/*
 * hash_info(hash text, OUT algorithm text, OUT parameters text,
 *			 OUT needs_rehash boolean)
 */
Datum
pwupdate_hash_info(PG_FUNCTION_ARGS)
{
	char	   *hash = text_to_cstring(PG_GETARG_TEXT_PP(0));
	HashDescription d;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	pwu_hash_describe(hash, &d);
	values[0] = CStringGetTextDatum(d.algorithm);
	if (d.parameters != NULL)
		values[1] = CStringGetTextDatum(d.parameters);
	else
		nulls[1] = true;
	values[2] = BoolGetDatum(d.importable && pwu_needs_rehash(hash));
	explicit_bzero(hash, strlen(hash));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc),
													  values, nulls)));
}

/*---- hash_report ----*/

/* One line of the report: a resource's hashes of one parameter set. */
typedef struct ReportClass
{
	const char *algorithm;
	char	   *parameters;
	int64		hashes;
	bool		needs_rehash;
} ReportClass;

typedef struct Report
{
	MemoryContext cxt;			/* where classes live */
	List	   *classes;		/* ReportClass *, in order of appearance */
	ReportClass *last;			/* the class of the previous row */
} Report;

static bool
same_class(const ReportClass *c, const HashDescription *d)
{
	if (strcmp(c->algorithm, d->algorithm) != 0)
		return false;
	if (c->parameters == NULL || d->parameters == NULL)
		return c->parameters == d->parameters;
	return strcmp(c->parameters, d->parameters) == 0;
}

/*
 * Count one hash.  Rows of one parameter set tend to come together, so the
 * previous row's class is tried first; a new class asks hash.c once
 * whether its hashes need a rehash.
 */
static void
report_count(Report *report, const char *hash)
{
	HashDescription d;
	ListCell   *lc;
	ReportClass *c = NULL;

	pwu_hash_describe(hash, &d);
	if (report->last != NULL && same_class(report->last, &d))
		c = report->last;
	else
	{
		foreach(lc, report->classes)
		{
			if (same_class(lfirst(lc), &d))
			{
				c = lfirst(lc);
				break;
			}
		}
	}
	if (c == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(report->cxt);

		c = palloc(sizeof(ReportClass));
		c->algorithm = d.algorithm;
		c->parameters = d.parameters != NULL ? pstrdup(d.parameters) : NULL;
		c->hashes = 0;
		c->needs_rehash = d.importable && pwu_needs_rehash(hash);
		report->classes = lappend(report->classes, c);
		MemoryContextSwitchTo(old);
	}
	c->hashes++;
	report->last = c;
}

/*
 * Read every value of a resource's secret column and count it.  The scan
 * runs as the table's owner (store.c), through a cursor, so memory stays
 * bounded whatever the table's size.
 */
static List *
report_resource(const Resource *r)
{
	MemoryContext outer = CurrentMemoryContext;
	MemoryContext row_cxt;
	StoreCall  *call;
	Portal		portal;
	Report		report = {outer, NIL, NULL};
	char	   *sql;

	sql = psprintf("SELECT %s::pg_catalog.text FROM %s",
				   quote_identifier(r->fields[r->secret].column), r->table);
	row_cxt = AllocSetContextCreate(outer, "hash report rows",
									ALLOCSET_DEFAULT_SIZES);

	call = pwu_store_begin(r);
	portal = SPI_cursor_open_with_args(NULL, sql, 0, NULL, NULL, NULL, true, 0);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, REPORT_FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool		isnull;
			Datum		value = SPI_getbinval(SPI_tuptable->vals[i],
											  SPI_tuptable->tupdesc, 1, &isnull);
			MemoryContext old = MemoryContextSwitchTo(row_cxt);
			char		buf[MAX_HASH_LEN + 1];

			if (isnull)
				report_count(&report, NULL);
			else
			{
				text	   *t = DatumGetTextPP(value);
				int			len = VARSIZE_ANY_EXHDR(t);

				/* too long to be anything recognized: counted as such */
				if (len > MAX_HASH_LEN)
					len = 0;
				memcpy(buf, VARDATA_ANY(t), len);
				buf[len] = '\0';
				report_count(&report, buf);
				explicit_bzero(buf, len);
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	pwu_store_end(call);
	MemoryContextDelete(row_cxt);
	return report.classes;
}

static int
compare_classes(const ListCell *a, const ListCell *b)
{
	const ReportClass *x = lfirst(a);
	const ReportClass *y = lfirst(b);
	int			cmp = strcmp(x->algorithm, y->algorithm);

	if (cmp != 0)
		return cmp;
	if (x->parameters == NULL || y->parameters == NULL)
		return (x->parameters == NULL) - (y->parameters == NULL);
	return strcmp(x->parameters, y->parameters);
}

/*
 * hash_report() returns table (resource text, algorithm text,
 *								 parameters text, hashes bigint,
 *								 needs_rehash bigint)
 *
 * One row per account resource and parameter set, ordered by resource,
 * algorithm and parameters.  NULL values count as algorithm "none", voided
 * passwords as "voided", values pwupdate cannot verify as "unrecognized";
 * none of them needs a rehash (they need a new password).
 */
Datum
pwupdate_hash_report(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ListCell   *lc;

	pwu_require_trusted(pwu_current_caller());
	InitMaterializedSRF(fcinfo, 0);

	foreach(lc, pwu_account_resource_names())
	{
		const char *name = lfirst(lc);
		List	   *classes = report_resource(pwu_account_resource(name));
		ListCell   *cc;

		list_sort(classes, compare_classes);
		foreach(cc, classes)
		{
			ReportClass *c = lfirst(cc);
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			values[0] = CStringGetTextDatum(name);
			values[1] = CStringGetTextDatum(c->algorithm);
			if (c->parameters != NULL)
				values[2] = CStringGetTextDatum(c->parameters);
			else
				nulls[2] = true;
			values[3] = Int64GetDatum(c->hashes);
			values[4] = Int64GetDatum(c->needs_rehash ? c->hashes : 0);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
								 values, nulls);
		}
	}
	return (Datum) 0;
}
