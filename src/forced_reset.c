/*-------------------------------------------------------------------------
 *
 * forced_reset.c
 *	  Forced password resets: force_password_reset voids the passwords of
 *	  a set of accounts and issues each a one-time reset token, which
 *	  reset_password takes with the account's new password.
 *
 * A voided password is the value PWU_VOIDED_HASH in the secret column (a
 * NOT NULL column holds it as well as a nullable one): nothing verifies
 * against it, it needs no rehash, and hash_report counts it as "voided".
 * A user's sessions end when their password is voided.
 *
 * Reset tokens are random (43 characters, 256 bits), shown once to the
 * trusted caller that forced the reset, and stored in pwupdate.reset_token
 * only as SHA-256 digests.  A token is good for one use, until
 * pwupdate.reset_token_ttl has passed since it was issued (lowering the
 * setting shortens the tokens already issued), and only while the
 * account's password is still voided: any other password change ends it.
 * Presented tokens are compared in constant time with each live token of
 * the account, under a lock on the account's row, and the one that matches
 * is deleted in the same transaction as the password change, so of two
 * resets with one token exactly one succeeds.  A wrong, expired, used or
 * superseded token, or an unknown account, all give one error.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "maintenance.h"

/* 43 characters of 62 symbols carry 256 bits. */
#define RESET_TOKEN_CHARS	43
/* Ids a "not found" error lists. */
#define MAX_LISTED_IDS		20

PG_FUNCTION_INFO_V1(pwupdate_force_password_reset);
PG_FUNCTION_INFO_V1(pwupdate_reset_password);

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*---- force_password_reset ----*/

/*
 * The accounts of one forced reset, each once, in the order given, and
 * the ids given that name no account, also in that order.
 */
typedef struct ResetSet
{
	int			nids;
	char	  **given;			/* the ids as given */
	int		   *first;			/* position of the first id naming the same */
	int		   *account;		/* index into keys, or -1: not a key */
	int			n;				/* accounts */
	Datum	   *keys;
	char	  **ids;			/* the keys' canonical text */
	List	   *missing;		/* char *: given ids that name no account */
} ResetSet;

/* An id as compared: a key's canonical text, or the text given. */
typedef struct IdRef
{
	const char *text;
	int			pos;
} IdRef;

static int
compare_refs(const void *a, const void *b)
{
	const IdRef *x = a;
	const IdRef *y = b;
	int			cmp = strcmp(x->text, y->text);

	return cmp != 0 ? cmp : x->pos - y->pos;
}

static ResetSet *
read_ids(const Resource *r, ArrayType *array)
{
	ResetSet   *set = palloc0(sizeof(ResetSet));
	Datum	   *elems;
	bool	   *nulls;
	Datum	   *keys;
	char	  **texts;
	IdRef	   *refs;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"ids\" must be a one-dimensional array")));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &set->nids);
	set->given = palloc(sizeof(char *) * (set->nids + 1));
	set->first = palloc(sizeof(int) * (set->nids + 1));
	set->account = palloc(sizeof(int) * (set->nids + 1));
	set->keys = palloc(sizeof(Datum) * (set->nids + 1));
	set->ids = palloc(sizeof(char *) * (set->nids + 1));
	keys = palloc(sizeof(Datum) * (set->nids + 1));
	texts = palloc0(sizeof(char *) * (set->nids + 1));
	refs = palloc(sizeof(IdRef) * (set->nids + 1));

	for (int i = 0; i < set->nids; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("argument \"ids\" must not contain nulls")));
		set->given[i] = TextDatumGetCString(elems[i]);
		if (pwu_value_from_text(r->fields[r->key].type, set->given[i], &keys[i]))
			texts[i] = pwu_account_key_text(r, keys[i]);
		refs[i].text = texts[i] != NULL ? texts[i] : set->given[i];
		refs[i].pos = i;
	}

	/* Ids naming one account (or the same non-key) go together. */
	qsort(refs, set->nids, sizeof(IdRef), compare_refs);
	for (int i = 0, group = 0; i < set->nids; i++)
	{
		if (strcmp(refs[i].text, refs[group].text) != 0)
			group = i;
		set->first[refs[i].pos] = refs[group].pos;
	}

	for (int i = 0; i < set->nids; i++)
	{
		set->account[i] = -1;
		if (texts[i] == NULL)
			continue;
		if (set->first[i] == i)
		{
			set->keys[set->n] = keys[i];
			set->ids[set->n] = texts[i];
			set->account[i] = set->n++;
		}
		else
			set->account[i] = set->account[set->first[i]];
	}
	return set;
}

/*
 * Lock the accounts and, when every id names one, void their passwords;
 * otherwise set->missing lists the ids that do not.
 */
static void
void_passwords(const Resource *r, ResetSet *set)
{
	const char *key = quote_identifier(r->fields[r->key].column);
	bool	   *found = palloc0(sizeof(bool) * (set->n + 1));
	Oid			argtypes[2];
	Datum		values[2];
	StoreCall  *call;
	char	   *lock_sql;
	char	   *void_sql;

	argtypes[0] = get_array_type(pwu_field_type_oid(r->fields[r->key].type));
	values[0] = PointerGetDatum(pwu_account_key_array(r, set->keys, set->n));
	argtypes[1] = TEXTOID;
	values[1] = CStringGetTextDatum(PWU_VOIDED_HASH);
	lock_sql = psprintf("SELECT v.n FROM pg_catalog.unnest($1) WITH ORDINALITY AS v(k, n) "
						"JOIN %s AS t ON t.%s OPERATOR(pg_catalog.=) v.k "
						"FOR UPDATE OF t",
						r->table, key);
	void_sql = psprintf("UPDATE %s SET %s = $2%s%s%s "
						"WHERE %s OPERATOR(pg_catalog.=) ANY ($1)",
						r->table, quote_identifier(r->fields[r->secret].column),
						r->updated_column != NULL ? ", " : "",
						r->updated_column != NULL ? quote_identifier(r->updated_column) : "",
						r->updated_column != NULL ? " = pg_catalog.now()" : "",
						key);

	call = pwu_store_begin(r);
	if (set->n > 0)
		pwu_store_run(r, lock_sql, 1, argtypes, values, NULL, false, SPI_OK_SELECT);
	for (uint64 i = 0; set->n > 0 && i < SPI_processed; i++)
	{
		bool		isnull;

		found[DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
										  SPI_tuptable->tupdesc, 1, &isnull)) - 1] = true;
	}
	for (int i = 0; i < set->nids; i++)
		if (set->first[i] == i &&
			(set->account[i] < 0 || !found[set->account[i]]))
			set->missing = lappend(set->missing, set->given[i]);
	if (set->missing == NIL && set->n > 0)
		pwu_store_run(r, void_sql, 2, argtypes, values, NULL, false, SPI_OK_UPDATE);
	pwu_store_end(call);
}

static void
accounts_not_found(const Resource *r, List *missing)
{
	StringInfoData ids;
	ListCell   *lc;
	int			listed = 0;

	initStringInfo(&ids);
	foreach(lc, missing)
	{
		if (listed == MAX_LISTED_IDS)
		{
			appendStringInfo(&ids, " and %d more", list_length(missing) - listed);
			break;
		}
		appendStringInfo(&ids, "%s\"%s\"", listed++ > 0 ? ", " : "",
						 (char *) lfirst(lc));
	}
	ereport(ERROR,
			(errcode(PWU_ERRCODE_NOT_FOUND),
			 errmsg("%s not found", r->noun),
			 errdetail_plural("No %s has the id %s.", "No %s has the ids %s.",
							  list_length(missing), r->noun, ids.data),
			 errhint("Nothing was reset.")));
}

/*
 * Replace the account's reset tokens by new ones, expiring at expires_at;
 * returns the tokens, which exist nowhere else.
 */
static char **
issue_tokens(const Resource *r, const ResetSet *set, TimestampTz now,
			 TimestampTz expires_at)
{
	char	  **tokens = palloc(sizeof(char *) * (set->n + 1));
	char	  **digests = palloc(sizeof(char *) * (set->n + 1));
	Oid			argtypes[5] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID,
		TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		values[5];

	for (int i = 0; i < set->n; i++)
	{
		char	   *token = pwu_random_string(RESET_TOKEN_CHARS);

		tokens[i] = pwu_secret_alloc(RESET_TOKEN_CHARS + 1);
		memcpy(tokens[i], token, RESET_TOKEN_CHARS);
		explicit_bzero(token, RESET_TOKEN_CHARS);
		digests[i] = pwu_token_digest(tokens[i], RESET_TOKEN_CHARS);
	}
	values[0] = CStringGetTextDatum(r->name);
	values[1] = PointerGetDatum(pwu_text_array(set->ids, set->n));
	values[2] = PointerGetDatum(pwu_text_array(digests, set->n));
	values[3] = TimestampTzGetDatum(now);
	values[4] = TimestampTzGetDatum(expires_at);

	spi_connect();
	if (SPI_execute_with_args("DELETE FROM pwupdate.reset_token "
							  "WHERE resource = $1 AND resource_id = ANY ($2)",
							  5, argtypes, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from pwupdate.reset_token");
	if (SPI_execute_with_args("INSERT INTO pwupdate.reset_token "
							  "(resource, resource_id, token_digest, created_at, expires_at) "
							  "SELECT $1, u.id, u.digest, $4, $5 "
							  "FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) AS u(id, digest)",
							  5, argtypes, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into pwupdate.reset_token");
	SPI_finish();
	return tokens;
}

/*
 * force_password_reset(resource text, ids text[])
 *		returns table (id text, reset_token text, expires_at timestamptz)
 *
 * Voids the passwords of the accounts, ends users' sessions, and returns a
 * new reset token for each account, shown only here.  Every id must name
 * an account, or nothing is reset.
 */
Datum
pwupdate_force_password_reset(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ResetSet   *set;
	TimestampTz now;
	TimestampTz expires_at;
	char	  **tokens;

	pwu_require_trusted(caller);
	r = pwu_account_resource(pwu_required_text_arg(fcinfo, 0, "resource"));
	(void) pwu_required_arg(fcinfo, 1, "ids");
	InitMaterializedSRF(fcinfo, 0);

	set = read_ids(r, PG_GETARG_ARRAYTYPE_P(1));
	void_passwords(r, set);
	if (set->missing != NIL)
		accounts_not_found(r, set->missing);
	if (set->n == 0)
		return (Datum) 0;

	if (pwu_account_is_user(r))
		pwu_end_user_sessions(pwu_text_array(set->ids, set->n));
	now = GetCurrentTimestamp();
	expires_at = now + (TimestampTz) pwu_reset_token_ttl * USECS_PER_SEC;
	tokens = issue_tokens(r, set, now, expires_at);
	pwu_audit_many(caller, r->name, pwu_text_array(set->ids, set->n),
				   "force_reset");

	for (int i = 0; i < set->n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(set->ids[i]);
		values[1] = CStringGetTextDatum(tokens[i]);
		values[2] = TimestampTzGetDatum(expires_at);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		explicit_bzero(tokens[i], RESET_TOKEN_CHARS);
	}
	return (Datum) 0;
}

/*---- reset_password ----*/

static void invalid_token(void) pg_attribute_noreturn();

static void
invalid_token(void)
{
	ereport(ERROR,
			(errcode(PWU_ERRCODE_UNPROCESSABLE),
			 errmsg("invalid or expired reset token"),
			 errdetail("The token is wrong, expired or used, or the account's password is no longer voided.")));
}

/*
 * Find the live token of the account that the presented one matches, and
 * delete it; false when none does.  Every live token of the account is
 * compared, and an account without any still costs a comparison.
 */
static bool
consume_token(const char *resource, const char *id, const char *token)
{
	TimestampTz now = GetCurrentTimestamp();
	Oid			argtypes[4] = {TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID};
	Datum		values[4];
	int			len = strlen(token);
	char	   *match = NULL;
	bool		consumed = false;

	values[0] = CStringGetTextDatum(resource);
	values[1] = CStringGetTextDatum(id);
	values[2] = TimestampTzGetDatum(now);
	values[3] = TimestampTzGetDatum(now - (TimestampTz) pwu_reset_token_ttl * USECS_PER_SEC);

	spi_connect();
	if (SPI_execute_with_args("SELECT id::text, token_digest FROM pwupdate.reset_token "
							  "WHERE resource = $1 AND resource_id = $2 "
							  "AND expires_at > $3 AND created_at > $4",
							  4, argtypes, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.reset_token");
	if (SPI_processed == 0)
		(void) pwu_token_matches(token, len, NULL);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];

		if (pwu_token_matches(token, len, SPI_getvalue(tuple, SPI_tuptable->tupdesc, 2)))
			match = SPI_getvalue(tuple, SPI_tuptable->tupdesc, 1);
	}
	if (match != NULL)
	{
		Oid			idtype[1] = {TEXTOID};
		Datum		idvalue[1] = {CStringGetTextDatum(match)};

		if (SPI_execute_with_args("DELETE FROM pwupdate.reset_token WHERE id = $1::uuid",
								  1, idtype, idvalue, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not delete from pwupdate.reset_token");
		consumed = SPI_processed == 1;
	}
	SPI_finish();
	return consumed;
}

/*
 * Context words of a new password besides the resource's own: for users
 * their id and email, as api_users.c checks them; for password profile
 * infos the email of their user authentication info, as api_profiles.c.
 */
static int
extra_context_words(const Resource *r, const char *id, ContextWord *words)
{
	const char *sql = NULL;
	int			n = 0;
	char	   *email = NULL;

	if (pwu_account_is_user(r))
	{
		words[n].label = "user id";
		words[n++].value = id;
		sql = "SELECT email FROM pwupdate.user_account WHERE user_id = $1";
	}
	else if (get_rel_namespace(r->relid) == get_namespace_oid("pwupdate", true) &&
			 strcmp(get_rel_name(r->relid), "password_profile_info") == 0)
		sql = "SELECT u.email FROM pwupdate.password_profile_info AS p "
			"JOIN pwupdate.user_authentication_info AS u "
			"ON u.realm_id = p.realm_id AND u.id = p.user_authentication_info_id "
			"WHERE p.id = $1::uuid";
	if (sql == NULL)
		return 0;
	{
		MemoryContext outer = CurrentMemoryContext;
		Oid			argtypes[1] = {TEXTOID};
		Datum		values[1] = {CStringGetTextDatum(id)};

		spi_connect();
		if (SPI_execute_with_args(sql, 1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the email of an account");
		if (SPI_processed == 1)
			email = MemoryContextStrdup(outer,
										SPI_getvalue(SPI_tuptable->vals[0],
													 SPI_tuptable->tupdesc, 1));
		SPI_finish();
	}
	if (email != NULL)
	{
		words[n].label = "email";
		words[n++].value = pwu_email_local_part(email);
	}
	return n;
}

/*
 * reset_password(resource text, id text, reset_token text,
 *				  new_password text) returns void
 *
 * Sets the new password of an account whose password a forced reset
 * voided, with the reset token it issued.  The password passes the policy
 * with the account's context words.  The account's other tokens end, a
 * user's sessions end, failed attempts are forgotten, and the audit gets a
 * row "reset_password".
 */
Datum
pwupdate_reset_password(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	char	   *id;
	char	   *token;
	Secret	   *password;
	Datum		key;
	ResourceRow *row = NULL;
	char	   *hash = NULL;
	bool		found;
	bool		consumed;
	ChangeSet  *changes;
	ContextWord extra[2];
	int			nextra;

	pwu_require_trusted(caller);
	r = pwu_account_resource(pwu_required_text_arg(fcinfo, 0, "resource"));
	id = pwu_required_text_arg(fcinfo, 1, "id");
	token = pwu_required_text_arg(fcinfo, 2, "reset_token");
	password = pwu_secret_from_text(DatumGetTextPP(pwu_required_arg(fcinfo, 3, "new_password")));

	/* The account's row stays locked until the transaction ends. */
	if (pwu_value_from_text(r->fields[r->key].type, id, &key))
	{
		row = pwu_store_fetch(r, key, true);
		if (row != NULL)
		{
			id = pwu_account_key_text(r, key);
			hash = pwu_store_fetch_secret(r, key, &found);
		}
	}
	consumed = consume_token(r->name, id, token);
	explicit_bzero(token, strlen(token));
	if (!consumed || hash == NULL || pwu_hash_format(hash) != FORMAT_VOIDED)
		invalid_token();

	changes = pwu_changeset_new(r);
	changes->secret = password;
	nextra = extra_context_words(r, id, extra);
	pwu_document_secure(r, changes, row, extra, nextra);
	(void) pwu_store_update(r, key, changes);

	/* The other tokens of the account end with the voided password. */
	{
		Oid			argtypes[2] = {TEXTOID, TEXTOID};
		Datum		values[2] = {CStringGetTextDatum(r->name), CStringGetTextDatum(id)};

		spi_connect();
		if (SPI_execute_with_args("DELETE FROM pwupdate.reset_token "
								  "WHERE resource = $1 AND resource_id = $2",
								  2, argtypes, values, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not delete from pwupdate.reset_token");
		SPI_finish();
	}
	if (pwu_account_is_user(r))
		pwu_end_user_sessions(pwu_text_array(&id, 1));
	pwu_lockout_success(r->name, id);
	pwu_audit(caller, r->name, id, "reset_password");
	PG_RETURN_VOID();
}
