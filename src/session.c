/*-------------------------------------------------------------------------
 *
 * session.c
 *	  Sign-in sessions of users (seed 003): opening one with a session
 *	  token and a CSRF token, recognising it from a request's cookie and
 *	  CSRF header, ending sessions, and the trusted-only functions that
 *	  list, revoke and purge them.
 *
 * Both tokens are random and stored only as SHA-256 digests.  The cookie
 * and the header are named after the federation member, the part of the
 * user id after its last ".": AtmoAuthToken_<fed> and X-Csrf-Token_<fed>
 * (x-csrf-token_<fed> in request.headers, where PostgREST lower-cases
 * header names).  A session is ended by deleting its row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "pwupdate.h"
#include "session.h"

/* 43 characters of 62 symbols carry 256 bits. */
#define SESSION_TOKEN_CHARS 43

PG_FUNCTION_INFO_V1(pwupdate_list_user_sessions);
PG_FUNCTION_INFO_V1(pwupdate_revoke_user_session);
PG_FUNCTION_INFO_V1(pwupdate_revoke_user_sessions);
PG_FUNCTION_INFO_V1(pwupdate_purge_expired_sessions);

/*
 * The federation member id of a user id: what follows the last ".".  NULL
 * when there is none.
 */
char *
pwu_user_fed(const char *user_id)
{
	const char *dot = strrchr(user_id, '.');

	if (dot == NULL || dot[1] == '\0')
		return NULL;
	return pstrdup(dot + 1);
}

char *
pwu_session_cookie_name(const char *fed)
{
	return psprintf("AtmoAuthToken_%s", fed);
}

char *
pwu_session_csrf_header(const char *fed)
{
	return psprintf("X-Csrf-Token_%s", fed);
}

/* The CSRF header's name as request.headers spells it. */
static char *
csrf_header_key(const char *fed)
{
	char	   *key = pwu_session_csrf_header(fed);

	for (char *p = key; *p; p++)
		*p = pg_ascii_tolower((unsigned char) *p);
	return key;
}

/* A fresh token in a buffer that is wiped with its memory context. */
static char *
new_token(void)
{
	char	   *token = pwu_random_string(SESSION_TOKEN_CHARS);
	char	   *kept = pwu_secret_alloc(SESSION_TOKEN_CHARS + 1);

	memcpy(kept, token, SESSION_TOKEN_CHARS);
	explicit_bzero(token, SESSION_TOKEN_CHARS);
	pfree(token);
	return kept;
}

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/*
 * Open a session for a user whose password was just verified.  It lasts
 * pwupdate.session_ttl.  The caller shows the tokens once and then wipes
 * them with pwu_session_wipe().
 */
NewSession *
pwu_session_open(const char *user_id)
{
	NewSession *session = palloc0(sizeof(NewSession));
	Oid			argtypes[4] = {TEXTOID, TEXTOID, TEXTOID, INT4OID};
	Datum		values[4];
	bool		isnull;

	session->session_token = new_token();
	session->csrf_token = new_token();
	values[0] = CStringGetTextDatum(user_id);
	values[1] = CStringGetTextDatum(pwu_token_digest(session->session_token,
													 SESSION_TOKEN_CHARS));
	values[2] = CStringGetTextDatum(pwu_token_digest(session->csrf_token,
													 SESSION_TOKEN_CHARS));
	values[3] = Int32GetDatum(pwu_session_ttl);

	spi_connect();
	if (SPI_execute_with_args("INSERT INTO pwupdate.user_session "
							  "(user_id, token_digest, csrf_digest, expires_at) "
							  "VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 second') "
							  "RETURNING expires_at",
							  4, argtypes, values, NULL, false, 0) != SPI_OK_INSERT_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "could not insert into pwupdate.user_session");
	session->expires_at = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0],
															SPI_tuptable->tupdesc,
															1, &isnull));
	SPI_finish();
	return session;
}

/*
 * What sign_in returns: the names the browser needs and, this once, the
 * tokens in clear.
 */
Jsonb *
pwu_session_response(const char *user_id, const NewSession *session)
{
	char	   *fed = pwu_user_fed(user_id);
	JsonbParseState *state = NULL;
	JsonbValue *object;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "user_id", user_id);
	pwu_jsonb_push_string(&state, "cookie_name", pwu_session_cookie_name(fed));
	pwu_jsonb_push_string(&state, "session_token", session->session_token);
	pwu_jsonb_push_string(&state, "csrf_header", pwu_session_csrf_header(fed));
	pwu_jsonb_push_string(&state, "csrf_token", session->csrf_token);
	pwu_jsonb_push_string(&state, "expires_at", pwu_iso_timestamp(session->expires_at));
	object = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(object);
}

void
pwu_session_wipe(NewSession *session)
{
	explicit_bzero(session->session_token, SESSION_TOKEN_CHARS);
	explicit_bzero(session->csrf_token, SESSION_TOKEN_CHARS);
}

/*
 * Find the live session whose token digest is given, in the federation the
 * cookie was named after.  Returns it with the digest of its CSRF token,
 * or NULL.
 */
static Session *
find_live_session(const char *token_digest, const char *fed,
				  char **csrf_digest)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(token_digest)};
	Session    *session = NULL;

	spi_connect();
	if (SPI_execute_with_args("SELECT id::text, user_id, csrf_digest "
							  "FROM pwupdate.user_session "
							  "WHERE token_digest = $1 AND expires_at > clock_timestamp()",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.user_session");
	if (SPI_processed == 1)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext spi = MemoryContextSwitchTo(outer);

		session = palloc(sizeof(Session));
		session->id = SPI_getvalue(tuple, desc, 1);
		session->user_id = SPI_getvalue(tuple, desc, 2);
		*csrf_digest = SPI_getvalue(tuple, desc, 3);
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();

	/* A session is only valid under the cookie name it was issued with. */
	if (session != NULL)
	{
		char	   *session_fed = pwu_user_fed(session->user_id);

		if (session_fed == NULL || strcmp(session_fed, fed) != 0)
			session = NULL;
	}
	return session;
}

/*
 * Recognise the session a request presents: the cookie AtmoAuthToken_<fed>
 * names a live session and the header x-csrf-token_<fed> carries that
 * session's CSRF token.
 *
 * Returns NULL when the request has no such cookie, so the caller can tell
 * "no identity" apart.  A cookie without the header, an unknown or expired
 * session and a wrong CSRF token raise the "not authenticated" class; the
 * last two share one message, so a guessed cookie learns nothing.
 */
Session *
pwu_session_authenticate(const Caller *caller, const char *fed)
{
	char	   *cookie;
	char	   *csrf;
	char	   *csrf_digest = NULL;
	Session    *session;
	bool		csrf_ok;

	if (fed == NULL)
		return NULL;
	cookie = pwu_caller_cookie(caller, pwu_session_cookie_name(fed));
	if (cookie == NULL)
		return NULL;
	csrf = pwu_caller_header(caller, csrf_header_key(fed));
	if (csrf == NULL)
	{
		explicit_bzero(cookie, strlen(cookie));
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNAUTHENTICATED),
				 errmsg("missing CSRF token"),
				 errdetail("A request with the session cookie \"%s\" must carry the session's CSRF token in the header \"%s\".",
						   pwu_session_cookie_name(fed),
						   pwu_session_csrf_header(fed))));
	}

	session = find_live_session(pwu_token_digest(cookie, strlen(cookie)), fed,
								&csrf_digest);
	csrf_ok = pwu_token_matches(csrf, strlen(csrf), csrf_digest);
	explicit_bzero(cookie, strlen(cookie));
	explicit_bzero(csrf, strlen(csrf));

	if (session == NULL || !csrf_ok)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNAUTHENTICATED),
				 errmsg("invalid or expired session"),
				 errdetail("The session cookie does not name a live session, or the CSRF token does not match it."),
				 errhint("Sign in again.")));
	return session;
}

/*
 * End every session of a user but the one with id keep_id (NULL: end all).
 * Returns how many ended.
 */
uint64
pwu_session_end_others(const char *user_id, const char *keep_id)
{
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2];
	char		nulls[2] = {' ', ' '};
	uint64		ended;

	values[0] = CStringGetTextDatum(user_id);
	if (keep_id != NULL)
		values[1] = CStringGetTextDatum(keep_id);
	else
		nulls[1] = 'n';

	spi_connect();
	if (SPI_execute_with_args("DELETE FROM pwupdate.user_session "
							  "WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)",
							  2, argtypes, values, nulls, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from pwupdate.user_session");
	ended = SPI_processed;
	SPI_finish();
	return ended;
}

/*---- Trusted-only session maintenance ----*/

static void
require_user(const char *user_id)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(user_id)};
	bool		found;

	spi_connect();
	if (SPI_execute_with_args("SELECT 1 FROM pwupdate.user_account WHERE user_id = $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.user_account");
	found = SPI_processed == 1;
	SPI_finish();
	if (!found)
		pwu_not_found_error("user");
}

/*
 * The live sessions of a user, oldest first, as a JSON array of
 * {"session_id", "created_at", "expires_at"}: never a token or a digest.
 */
static Jsonb *
list_sessions(const char *user_id)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(user_id)};
	JsonbParseState *state = NULL;
	JsonbValue *array;
	Jsonb	   *result;

	spi_connect();
	if (SPI_execute_with_args("SELECT id::text, created_at, expires_at "
							  "FROM pwupdate.user_session "
							  "WHERE user_id = $1 AND expires_at > clock_timestamp() "
							  "ORDER BY created_at, id",
							  1, argtypes, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.user_session");

	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;

		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		pwu_jsonb_push_string(&state, "session_id", SPI_getvalue(tuple, desc, 1));
		pwu_jsonb_push_string(&state, "created_at",
					pwu_iso_timestamp(DatumGetTimestampTz(SPI_getbinval(tuple, desc, 2, &isnull))));
		pwu_jsonb_push_string(&state, "expires_at",
					pwu_iso_timestamp(DatumGetTimestampTz(SPI_getbinval(tuple, desc, 3, &isnull))));
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	array = pushJsonbValue(&state, WJB_END_ARRAY, NULL);

	MemoryContextSwitchTo(outer);
	result = JsonbValueToJsonb(array);
	SPI_finish();
	return result;
}

/*
 * Delete one session by id.  Returns the id of the user it belonged to, or
 * NULL when there was no such session.
 */
static char *
delete_session(Datum session_id)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {UUIDOID};
	Datum		values[1] = {session_id};
	char	   *user_id = NULL;

	spi_connect();
	if (SPI_execute_with_args("DELETE FROM pwupdate.user_session WHERE id = $1 "
							  "RETURNING user_id",
							  1, argtypes, values, NULL, false, 0) != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "could not delete from pwupdate.user_session");
	if (SPI_processed == 1)
		user_id = MemoryContextStrdup(outer,
									  SPI_getvalue(SPI_tuptable->vals[0],
												   SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return user_id;
}

static uint64
purge_expired(void)
{
	uint64		purged;

	spi_connect();
	if (SPI_execute("DELETE FROM pwupdate.user_session "
					"WHERE expires_at <= clock_timestamp()",
					false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from pwupdate.user_session");
	purged = SPI_processed;
	SPI_finish();
	return purged;
}

/*
 * list_user_sessions(user_id text) returns jsonb
 */
Datum
pwupdate_list_user_sessions(PG_FUNCTION_ARGS)
{
	char	   *user_id;

	pwu_require_trusted(pwu_current_caller());
	user_id = pwu_required_text_arg(fcinfo, 0, "user_id");
	require_user(user_id);
	PG_RETURN_JSONB_P(list_sessions(user_id));
}

/*
 * revoke_user_session(session_id uuid) returns boolean
 *
 * True when the session existed and has ended.
 */
Datum
pwupdate_revoke_user_session(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	char	   *user_id;

	pwu_require_trusted(caller);
	user_id = delete_session(pwu_required_arg(fcinfo, 0, "session_id"));
	if (user_id == NULL)
		PG_RETURN_BOOL(false);
	pwu_audit(caller, "user", user_id, "revoke_session");
	PG_RETURN_BOOL(true);
}

/*
 * revoke_user_sessions(user_id text) returns bigint
 *
 * Ends every session of a user; returns how many there were.
 */
Datum
pwupdate_revoke_user_sessions(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	char	   *user_id;
	uint64		ended;

	pwu_require_trusted(caller);
	user_id = pwu_required_text_arg(fcinfo, 0, "user_id");
	require_user(user_id);
	ended = pwu_session_end_others(user_id, NULL);
	pwu_audit(caller, "user", user_id, "revoke_sessions");
	PG_RETURN_INT64((int64) ended);
}

/*
 * purge_expired_sessions() returns bigint
 *
 * Deletes the sessions that have expired; returns how many.
 */
Datum
pwupdate_purge_expired_sessions(PG_FUNCTION_ARGS)
{
	pwu_require_trusted(pwu_current_caller());
	PG_RETURN_INT64((int64) purge_expired());
}
