/*-------------------------------------------------------------------------
 *
 * member_token.c
 *	  Account management authentication tokens (seed 001): a token names one
 *	  account member, a user authentication info of a realm.  A request that
 *	  carries one in the header EP-Account-Management-Authentication-Token
 *	  may only touch that member's password profile infos.  Also the
 *	  trusted-only functions that issue, revoke and purge tokens.
 *
 * Tokens are random (43 characters, 256 bits), stored only as SHA-256
 * digests, and last pwupdate.member_token_ttl.  A revoked token is deleted.
 * A presented token is compared in constant time with each live token of
 * the member named by the path, so a token of another member, an expired,
 * revoked or made-up one all fail alike.
 *
 * Wrong tokens do not count towards the lockout: nobody guesses 256 bits,
 * and counting would let anyone with claims of the realm lock a member out.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "profiles.h"

/* 43 characters of 62 symbols carry 256 bits. */
#define MEMBER_TOKEN_CHARS 43

PG_FUNCTION_INFO_V1(pwupdate_create_account_member_token);
PG_FUNCTION_INFO_V1(pwupdate_revoke_account_member_token);
PG_FUNCTION_INFO_V1(pwupdate_revoke_account_member_tokens);
PG_FUNCTION_INFO_V1(pwupdate_purge_expired_account_member_tokens);

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

static char *
uuid_text(Datum uuid)
{
	return DatumGetCString(DirectFunctionCall1(uuid_out, uuid));
}

/*
 * Whether a token is one of the live tokens of this member.  Every live
 * token is compared, and a member without any still costs a comparison.
 */
static bool
member_token_valid(const char *token, Datum realm_id, Datum member_id)
{
	Oid			argtypes[2] = {UUIDOID, UUIDOID};
	Datum		values[2] = {realm_id, member_id};
	bool		valid = false;
	int			len = strlen(token);

	spi_connect();
	if (SPI_execute_with_args("SELECT token_digest FROM pwupdate.account_member_token "
							  "WHERE realm_id = $1 AND user_authentication_info_id = $2 "
							  "AND expires_at > clock_timestamp()",
							  2, argtypes, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.account_member_token");
	if (SPI_processed == 0)
		(void) pwu_token_matches(token, len, NULL);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *digest = SPI_getvalue(SPI_tuptable->vals[i],
										  SPI_tuptable->tupdesc, 1);

		if (pwu_token_matches(token, len, digest))
			valid = true;
	}
	SPI_finish();
	return valid;
}

/*
 * Refuse a request whose account member token header is present but does
 * not carry a live token of the user authentication info in the path.
 * Without the header, nothing to check.
 */
void
pwu_member_token_require(const Caller *caller, Datum realm_id,
						 Datum user_authentication_info_id)
{
	char	   *token = pwu_caller_header(caller, MEMBER_TOKEN_HEADER);
	bool		valid;

	if (token == NULL)
		return;
	valid = member_token_valid(token, realm_id, user_authentication_info_id);
	explicit_bzero(token, strlen(token));
	if (!valid)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNAUTHENTICATED),
				 errmsg("invalid or expired account management authentication token"),
				 errdetail("The header \"EP-Account-Management-Authentication-Token\" does not carry a live token of this account member.")));
}

/*---- Trusted-only token maintenance ----*/

/*
 * Store the digest of a new token for a member; false when the realm has
 * no such user authentication info.
 */
static bool
insert_token(Datum realm_id, Datum member_id, const char *token)
{
	Oid			argtypes[4] = {UUIDOID, UUIDOID, TEXTOID, INT4OID};
	Datum		values[4];
	bool		inserted;

	values[0] = realm_id;
	values[1] = member_id;
	values[2] = CStringGetTextDatum(pwu_token_digest(token, MEMBER_TOKEN_CHARS));
	values[3] = Int32GetDatum(pwu_member_token_ttl);

	spi_connect();
	if (SPI_execute_with_args("INSERT INTO pwupdate.account_member_token "
							  "(realm_id, user_authentication_info_id, token_digest, expires_at) "
							  "SELECT realm_id, id, $3, clock_timestamp() + $4 * interval '1 second' "
							  "FROM pwupdate.user_authentication_info "
							  "WHERE realm_id = $1 AND id = $2",
							  4, argtypes, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into pwupdate.account_member_token");
	inserted = SPI_processed == 1;
	SPI_finish();
	return inserted;
}

/*
 * create_account_member_token(realm_id uuid,
 *							   user_authentication_info_id uuid) returns text
 *
 * The token is shown here once; only its digest is kept.
 */
Datum
pwupdate_create_account_member_token(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Datum		realm_id;
	Datum		member_id;
	char	   *token;
	text	   *result;

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
	realm_id = pwu_required_arg(fcinfo, 0, "realm_id");
	member_id = pwu_required_arg(fcinfo, 1, "user_authentication_info_id");

	token = pwu_random_string(MEMBER_TOKEN_CHARS);
	if (!insert_token(realm_id, member_id, token))
	{
		explicit_bzero(token, MEMBER_TOKEN_CHARS);
		pwu_not_found_error("user authentication info");
	}
	result = cstring_to_text(token);
	explicit_bzero(token, MEMBER_TOKEN_CHARS);
	pwu_audit(caller, "user_authentication_info", uuid_text(member_id),
			  "issue_member_token");
	PG_RETURN_TEXT_P(result);
}

/*
 * revoke_account_member_token(token text) returns boolean
 *
 * True when the token existed (live or expired) and has ended.
 */
Datum
pwupdate_revoke_account_member_token(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	char	   *token;
	char	   *member_id = NULL;

	pwu_require_trusted(caller);
	token = pwu_required_text_arg(fcinfo, 0, "token");
	values[0] = CStringGetTextDatum(pwu_token_digest(token, strlen(token)));
	explicit_bzero(token, strlen(token));

	spi_connect();
	if (SPI_execute_with_args("DELETE FROM pwupdate.account_member_token "
							  "WHERE token_digest = $1 "
							  "RETURNING user_authentication_info_id::text",
							  1, argtypes, values, NULL, false, 0) != SPI_OK_DELETE_RETURNING)
		elog(ERROR, "could not delete from pwupdate.account_member_token");
	if (SPI_processed == 1)
		member_id = MemoryContextStrdup(outer,
										SPI_getvalue(SPI_tuptable->vals[0],
													 SPI_tuptable->tupdesc, 1));
	SPI_finish();

	if (member_id == NULL)
		PG_RETURN_BOOL(false);
	pwu_audit(caller, "user_authentication_info", member_id, "revoke_member_token");
	PG_RETURN_BOOL(true);
}

/*
 * revoke_account_member_tokens(realm_id uuid,
 *								user_authentication_info_id uuid) returns bigint
 *
 * Ends every token of a member; returns how many there were.  Ending
 * none changes nothing and is not audited.
 */
Datum
pwupdate_revoke_account_member_tokens(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Oid			argtypes[2] = {UUIDOID, UUIDOID};
	Datum		values[2];
	bool		found;
	uint64		ended = 0;

	pwu_require_trusted(caller);
	values[0] = pwu_required_arg(fcinfo, 0, "realm_id");
	values[1] = pwu_required_arg(fcinfo, 1, "user_authentication_info_id");

	spi_connect();
	if (SPI_execute_with_args("SELECT 1 FROM pwupdate.user_authentication_info "
							  "WHERE realm_id = $1 AND id = $2",
							  2, argtypes, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.user_authentication_info");
	found = SPI_processed == 1;
	if (found)
	{
		if (SPI_execute_with_args("DELETE FROM pwupdate.account_member_token "
								  "WHERE realm_id = $1 AND user_authentication_info_id = $2",
								  2, argtypes, values, NULL, false, 0) != SPI_OK_DELETE)
			elog(ERROR, "could not delete from pwupdate.account_member_token");
		ended = SPI_processed;
	}
	SPI_finish();

	if (!found)
		pwu_not_found_error("user authentication info");
	if (ended > 0)
		pwu_audit(caller, "user_authentication_info", uuid_text(values[1]),
				  "revoke_member_tokens");
	PG_RETURN_INT64((int64) ended);
}

/*
 * purge_expired_account_member_tokens() returns bigint
 *
 * Deletes the tokens that have expired; returns how many.
 */
Datum
pwupdate_purge_expired_account_member_tokens(PG_FUNCTION_ARGS)
{
	uint64		purged;

	pwu_require_trusted(pwu_current_caller());
	spi_connect();
	if (SPI_execute("DELETE FROM pwupdate.account_member_token "
					"WHERE expires_at <= clock_timestamp()",
					false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from pwupdate.account_member_token");
	purged = SPI_processed;
	SPI_finish();
	PG_RETURN_INT64((int64) purged);
}
