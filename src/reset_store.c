/*-------------------------------------------------------------------------
 *
 * reset_store.c
 *	  The SQL side of customer password resets: customers by email, and
 *	  resets inserted, read, locked, consumed and purged.  Never parses a
 *	  request.
 *
 * A reset is used by one statement that marks it used and sets its
 * customer's password together, and only while it is still open, so a
 * token can never set two passwords.  Before that statement the customer's
 * row is locked, then the reset's: every reset of one customer takes the
 * locks in that order, so two resets of one customer racing each other
 * take turns instead of deadlocking, and the second finds its reset voided
 * by the first (the trigger on pwupdate.customer does the voiding).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "reset.h"

#define RESET_COLUMNS \
	"r.id, r.customer_id, c.email, r.token_digest, r.reference, " \
	"r.reference_origin, r.metadata, r.created_at, r.updated_at, " \
	"r.expires_at, r.reset_password_at, r.voided_at "
#define RESET_FROM \
	"FROM pwupdate.customer_password_reset r " \
	"JOIN pwupdate.customer c ON c.id = r.customer_id "

/* How many fresh ids to try when a random one is taken (62^10 makes it rare) */
#define ID_ATTEMPTS 5

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

static void
spi_run(const char *sql, int nargs, Oid *argtypes, Datum *values,
		const char *nulls, bool read_only, int expected)
{
	int			rc = SPI_execute_with_args(sql, nargs, argtypes, values, nulls,
										   read_only, 0);

	if (rc != expected)
		elog(ERROR, "SPI_execute_with_args failed: %s", SPI_result_code_string(rc));
}

/* A text column of the first result row, copied out of SPI's memory. */
static char *
first_text(int column, MemoryContext target)
{
	char	   *value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
									 column);

	return value == NULL ? NULL : MemoryContextStrdup(target, value);
}

/*---- Customers ----*/

/*
 * The id of the customer with this email (case-insensitively), or NULL.
 * Read with the latest snapshot, not the statement's: a customer created
 * earlier in the same statement counts.
 */
char *
pwu_customer_id_by_email(const char *email)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(email)};
	char	   *id = NULL;

	spi_connect();
	spi_run("SELECT id FROM pwupdate.customer WHERE lower(email) = lower($1)",
			1, argtypes, values, NULL, false, SPI_OK_SELECT);
	if (SPI_processed > 0)
		id = first_text(1, outer);
	SPI_finish();
	return id;
}

/*---- Resets ----*/

static TimestampTz
timestamp_column(HeapTuple tuple, TupleDesc desc, int column, bool *isnull)
{
	Datum		value = SPI_getbinval(tuple, desc, column, isnull);

	return *isnull ? 0 : DatumGetTimestampTz(value);
}

/* Copy the first result row (RESET_COLUMNS) out of SPI's memory. */
static CustomerReset *
copy_reset(MemoryContext target, bool with_digest)
{
	HeapTuple	tuple = SPI_tuptable->vals[0];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	MemoryContext spi = MemoryContextSwitchTo(target);
	CustomerReset *reset = palloc0(sizeof(CustomerReset));
	bool		isnull;
	Datum		metadata;

	reset->id = SPI_getvalue(tuple, desc, 1);
	reset->customer_id = SPI_getvalue(tuple, desc, 2);
	reset->customer_email = SPI_getvalue(tuple, desc, 3);
	if (with_digest)
		reset->token_digest = SPI_getvalue(tuple, desc, 4);
	reset->reference = SPI_getvalue(tuple, desc, 5);
	reset->reference_origin = SPI_getvalue(tuple, desc, 6);
	metadata = SPI_getbinval(tuple, desc, 7, &isnull);
	reset->metadata = DatumGetJsonbPCopy(metadata);
	reset->created_at = timestamp_column(tuple, desc, 8, &isnull);
	reset->updated_at = timestamp_column(tuple, desc, 9, &isnull);
	reset->expires_at = timestamp_column(tuple, desc, 10, &isnull);
	reset->reset_password_at = timestamp_column(tuple, desc, 11, &isnull);
	reset->used = !isnull;
	(void) timestamp_column(tuple, desc, 12, &isnull);
	reset->voided = !isnull;
	MemoryContextSwitchTo(spi);
	return reset;
}

/*
 * The reset with this id, read with one statement; NULL when there is none.
 * read_only: for a function that writes nothing (STABLE); otherwise the
 * statement sees what the calling function has just written.
 */
static CustomerReset *
select_reset(const char *sql, const char *id, bool with_digest, bool read_only)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(id)};
	CustomerReset *reset = NULL;

	spi_connect();
	spi_run(sql, 1, argtypes, values, NULL, read_only, SPI_OK_SELECT);
	if (SPI_processed > 0)
		reset = copy_reset(outer, with_digest);
	SPI_finish();
	return reset;
}

/*
 * Start a reset: a fresh random id, the token's digest, and an expiry
 * pwupdate.reset_token_ttl from now.  Returns the reset as stored.
 */
CustomerReset *
pwu_reset_insert(const char *customer_id, const char *token_digest,
				 const char *reference, const char *reference_origin,
				 Jsonb *metadata)
{
	Oid			argtypes[7] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
		JSONBOID, INT4OID};
	Datum		values[7];
	char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};
	char	   *id = NULL;

	values[1] = CStringGetTextDatum(customer_id);
	values[2] = CStringGetTextDatum(token_digest);
	values[3] = reference ? CStringGetTextDatum(reference) : (Datum) 0;
	nulls[3] = reference ? ' ' : 'n';
	values[4] = reference_origin ? CStringGetTextDatum(reference_origin) : (Datum) 0;
	nulls[4] = reference_origin ? ' ' : 'n';
	values[5] = JsonbPGetDatum(metadata);
	values[6] = Int32GetDatum(pwu_reset_token_ttl);

	spi_connect();
	for (int attempt = 0; attempt < ID_ATTEMPTS && id == NULL; attempt++)
	{
		id = pwu_random_string(RESET_ID_CHARS);
		values[0] = CStringGetTextDatum(id);
		/* One clock reading: a new reset reads as never updated. */
		spi_run("INSERT INTO pwupdate.customer_password_reset "
				"(id, customer_id, token_digest, reference, reference_origin, metadata, "
				"created_at, updated_at, expires_at) "
				"SELECT $1, $2, $3, $4, $5, $6, now, now, now + make_interval(secs => $7) "
				"FROM clock_timestamp() AS now "
				"ON CONFLICT (id) DO NOTHING",
				7, argtypes, values, nulls, false, SPI_OK_INSERT);
		if (SPI_processed == 0)
			id = NULL;
	}
	SPI_finish();
	if (id == NULL)
		elog(ERROR, "could not find a free customer password reset id");
	return pwu_reset_fetch(id, false);
}

/*
 * The reset with this id, for a response; NULL when there is none.
 * read_only: called from a function that writes nothing.
 */
CustomerReset *
pwu_reset_fetch(const char *id, bool read_only)
{
	return select_reset("SELECT " RESET_COLUMNS RESET_FROM "WHERE r.id = $1",
						id, false, read_only);
}

/* The customer of a reset, locked for a password change; NULL if none. */
static char *
lock_customer_of(const char *reset_id)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(reset_id)};
	char	   *customer_id = NULL;

	spi_connect();
	spi_run("SELECT c.id FROM pwupdate.customer c "
			"WHERE c.id = (SELECT customer_id FROM pwupdate.customer_password_reset "
			"WHERE id = $1) FOR NO KEY UPDATE OF c",
			1, argtypes, values, NULL, false, SPI_OK_SELECT);
	if (SPI_processed > 0)
		customer_id = first_text(1, outer);
	SPI_finish();
	return customer_id;
}

/*
 * Lock a reset for using it: its customer's row first, then its own, and
 * read it with its token digest.  NULL when there is no such reset.  The
 * locks hold until the end of the transaction, so a second use of the same
 * reset waits, then finds it used.
 */
CustomerReset *
pwu_reset_lock(const char *id)
{
	for (int attempt = 0; attempt < 3; attempt++)
	{
		char	   *customer_id = lock_customer_of(id);
		CustomerReset *reset;

		if (customer_id == NULL)
			return NULL;
		reset = select_reset("SELECT " RESET_COLUMNS RESET_FROM
							 "WHERE r.id = $1 FOR UPDATE OF r", id, true, false);
		/* Moved to another customer id while unlocked: lock that one. */
		if (reset == NULL || strcmp(reset->customer_id, customer_id) == 0)
			return reset;
	}
	elog(ERROR, "could not lock customer password reset");
	return NULL;				/* keep compiler quiet */
}

/*
 * The oldest creation time a reset can have and still be open now, by the
 * current setting: lowering pwupdate.reset_token_ttl shortens the resets
 * already issued, on top of the expires_at each got when it was created.
 */
static TimestampTz
creation_cutoff(TimestampTz now)
{
	return now - (TimestampTz) pwu_reset_token_ttl * USECS_PER_SEC;
}

/* Neither used, voided nor expired at this time. */
bool
pwu_reset_is_open(const CustomerReset *reset, TimestampTz now)
{
	return !reset->used && !reset->voided &&
		now < reset->expires_at && reset->created_at > creation_cutoff(now);
}

/*
 * Use a locked, open reset: in one statement, mark it used at "now" (with
 * the request's reference_origin, if sent) and give its customer the new
 * password hash.  The statement itself checks that the reset is still open,
 * so nothing can be set twice by one token.  The trigger on the customer
 * then voids the customer's other open resets.  Returns the reset as
 * stored, or NULL when it was no longer open.
 */
CustomerReset *
pwu_reset_consume(const CustomerReset *reset, TimestampTz now,
				  const char *password_hash, const ResetRequest *request)
{
	Oid			argtypes[6] = {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID,
		BOOLOID, TEXTOID};
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	bool		consumed;

	values[0] = CStringGetTextDatum(reset->id);
	values[1] = TimestampTzGetDatum(now);
	values[2] = TimestampTzGetDatum(creation_cutoff(now));
	values[3] = CStringGetTextDatum(password_hash);
	values[4] = BoolGetDatum(request->origin_sent);
	values[5] = request->reference_origin ?
		CStringGetTextDatum(request->reference_origin) : (Datum) 0;
	nulls[5] = request->reference_origin ? ' ' : 'n';

	spi_connect();
	spi_run("WITH used AS ("
			" UPDATE pwupdate.customer_password_reset"
			" SET reset_password_at = $2, updated_at = $2,"
			" reference_origin = CASE WHEN $5 THEN $6 ELSE reference_origin END"
			" WHERE id = $1 AND reset_password_at IS NULL AND voided_at IS NULL"
			" AND expires_at > $2 AND created_at > $3"
			" RETURNING customer_id) "
			"UPDATE pwupdate.customer c SET password_hash = $4, updated_at = $2 "
			"FROM used WHERE c.id = used.customer_id",
			6, argtypes, values, nulls, false, SPI_OK_UPDATE);
	consumed = SPI_processed == 1;
	SPI_finish();
	return consumed ? pwu_reset_fetch(reset->id, false) : NULL;
}

/*
 * Delete every reset past its expiry, used or not; how many there were.
 * A used or voided reset stays readable until then.
 */
int64
pwu_reset_purge(void)
{
	TimestampTz now = GetCurrentTimestamp();
	Oid			argtypes[2] = {TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		values[2] = {TimestampTzGetDatum(now),
		TimestampTzGetDatum(creation_cutoff(now))};
	int64		purged;

	spi_connect();
	spi_run("DELETE FROM pwupdate.customer_password_reset "
			"WHERE expires_at <= $1 OR created_at <= $2",
			2, argtypes, values, NULL, false, SPI_OK_DELETE);
	purged = (int64) SPI_processed;
	SPI_finish();
	return purged;
}
