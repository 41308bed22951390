/*-------------------------------------------------------------------------
 *
 * api_resets.c
 *	  Customers and their password resets, seed 002 (Commerce Layer):
 *	  create_customer, create_customer_password_reset,
 *	  get_customer_password_reset, reset_customer_password and
 *	  purge_expired_resets.
 *
 * A reset's one-time token is the proof that lets anyone, anonymous
 * PostgREST clients included, set the customer's password: it is shown
 * once, to the trusted caller that creates the reset, and stored only as
 * a digest.  A reset request is checked in a fixed order, so one request
 * gets one answer and nothing is learnt before the token is shown: the
 * body's shape (400) and read-only attributes (422); the reset (404); a
 * lockout of the reset after repeated wrong tokens (429); the token
 * (422, one error whether it is wrong, expired or used); and only then the
 * new password's policy (422), whose context word would otherwise tell a
 * guesser about the customer's email.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "reset.h"

#define CUSTOMER_RESOURCE "customer"

PG_FUNCTION_INFO_V1(pwupdate_create_customer);
PG_FUNCTION_INFO_V1(pwupdate_create_customer_password_reset);
PG_FUNCTION_INFO_V1(pwupdate_get_customer_password_reset);
PG_FUNCTION_INFO_V1(pwupdate_reset_customer_password);
PG_FUNCTION_INFO_V1(pwupdate_purge_expired_resets);

/* Why a token was refused, for the server log only. */
typedef enum TokenProblem
{
	TOKEN_OK,
	TOKEN_WRONG,
	TOKEN_USED,
	TOKEN_VOIDED,
	TOKEN_EXPIRED
} TokenProblem;

static void token_error(TokenProblem problem) pg_attribute_noreturn();

/*---- Arguments ----*/

static char *
optional_text(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/* The policy's context word for a customer's password: the email's local part */
static ContextWord
email_word(const char *email)
{
	ContextWord word;

	word.label = "email";
	word.value = pwu_email_local_part(email);
	return word;
}

/*---- create_customer ----*/

/* The unique index on lower(email) of pwupdate.customer */
#define EMAIL_CONSTRAINT "customer_email_key"


/* A random id that no customer has yet (a clash of 62^10 is rare). */
static Datum
new_customer_id(const Resource *r)
{
	for (int attempt = 0; attempt < 5; attempt++)
	{
		Datum		id = CStringGetTextDatum(pwu_random_string(RESET_ID_CHARS));

		if (!pwu_store_exists(r, r->key, id))
			return id;
	}
	elog(ERROR, "could not find a free customer id");
	return (Datum) 0;			/* keep compiler quiet */
}

static void
email_in_use_error(const char *email)
{
	ereport(ERROR,
			(errcode(PWU_ERRCODE_CONFLICT),
			 errmsg("email address \"%s\" is already in use", email),
			 errdetail("Email addresses are compared case-insensitively.")));
}

/*
 * Insert the new customer.  A transaction creating the same address at the
 * same time gets past the check before the insert; the unique index stops
 * it there, and it gets the same error as a later one.
 */
static ResourceRow *
insert_customer(const Resource *r, ChangeSet *changes, const char *email)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceRow *row = NULL;

	PG_TRY();
	{
		row = pwu_store_insert(r, changes);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION ||
			edata->constraint_name == NULL ||
			strcmp(edata->constraint_name, EMAIL_CONSTRAINT) != 0)
			PG_RE_THROW();
		FlushErrorState();
		email_in_use_error(email);
	}
	PG_END_TRY();
	return row;
}

/*
 * Create a customer through the engine's store, as the registered
 * resource "customer" describes it; the password is optional.  One clock
 * reading for both timestamps: a new customer reads as never updated.
 */
static Jsonb *
create_customer(const Caller *caller, const char *email, Secret *password)
{
	Resource   *r;
	ChangeSet  *changes;
	ResourceRow *row;
	ContextWord word;
	Datum		now = TimestampTzGetDatum(GetCurrentTimestamp());

	pwu_check_email(email);
	if (pwu_customer_id_by_email(email) != NULL)
		email_in_use_error(email);

	r = pwu_resource_load(CUSTOMER_RESOURCE);
	changes = pwu_changeset_new(r);
	pwu_changeset_set(changes, r->key, new_customer_id(r), false);
	pwu_changeset_set(changes, pwu_resource_field(r, "email"),
					  CStringGetTextDatum(email), false);
	pwu_changeset_set(changes, pwu_resource_field(r, "created_at"), now, false);
	pwu_changeset_set(changes, pwu_resource_field(r, "updated_at"), now, false);
	changes->secret = password;
	word = email_word(email);
	pwu_document_secure(r, changes, NULL, &word, 1);

	row = insert_customer(r, changes, email);
	pwu_audit(caller, r->name, TextDatumGetCString(row->values[r->key]), "create");
	return pwu_document_object(r, row);
}

/*---- create_customer_password_reset and get_customer_password_reset ----*/

static Jsonb *
create_reset(const Caller *caller, const char *customer_email,
			 const char *reference, const char *reference_origin,
			 Jsonb *metadata)
{
	char	   *customer_id;
	char	   *token;
	char	   *drawn;
	CustomerReset *reset;
	Jsonb	   *response;

	if (!JB_ROOT_IS_OBJECT(metadata) || JB_ROOT_IS_SCALAR(metadata))
		ereport(ERROR,
				(errcode(PWU_ERRCODE_MALFORMED),
				 errmsg("argument \"metadata\" must be a JSON object")));
	customer_id = pwu_customer_id_by_email(customer_email);
	if (customer_id == NULL)
		pwu_not_found_error(CUSTOMER_RESOURCE);

	/* Kept in a buffer that is wiped even if an error comes first */
	token = pwu_secret_alloc(RESET_TOKEN_CHARS + 1);
	drawn = pwu_random_string(RESET_TOKEN_CHARS);
	memcpy(token, drawn, RESET_TOKEN_CHARS);
	explicit_bzero(drawn, RESET_TOKEN_CHARS);
	reset = pwu_reset_insert(customer_id, pwu_token_digest(token, RESET_TOKEN_CHARS),
							 reference, reference_origin, metadata);
	pwu_audit(caller, CUSTOMER_RESOURCE, customer_id, "create_password_reset");

	response = pwu_reset_response(reset, token, RESET_TOKEN_CHARS);
	explicit_bzero(token, RESET_TOKEN_CHARS);
	return response;
}

static Jsonb *
get_reset(const char *id)
{
	CustomerReset *reset = pwu_reset_fetch(id, true);

	if (reset == NULL)
		pwu_not_found_error("customer password reset");
	return pwu_reset_response(reset, NULL, 0);
}

/*---- reset_customer_password ----*/

/*
 * One error for a wrong, expired, used or voided token, so that a guess
 * learns nothing; the reason goes to the server log only.
 */
static void
token_error(TokenProblem problem)
{
	static const char *const reasons[] = {
		[TOKEN_OK] = "",
		[TOKEN_WRONG] = "The token does not match the reset.",
		[TOKEN_USED] = "The reset was already used.",
		[TOKEN_VOIDED] = "The reset was voided by another password change.",
		[TOKEN_EXPIRED] = "The reset has expired.",
	};

	ereport(ERROR,
			(errcode(PWU_ERRCODE_UNPROCESSABLE),
			 errmsg("invalid or expired reset token"),
			 errdetail_log("%s", reasons[problem])));
}

/*
 * Whether the token opens this reset now.  The digests are compared in
 * constant time, and the comparison is made whatever state the reset is
 * in, so that a used or expired reset takes as long to refuse.
 */
static TokenProblem
check_token(const CustomerReset *reset, const ResetRequest *request,
			TimestampTz now)
{
	bool		matches = pwu_token_matches(request->token, request->token_len,
											reset->token_digest);

	if (!matches)
		return TOKEN_WRONG;
	if (reset->used)
		return TOKEN_USED;
	if (reset->voided)
		return TOKEN_VOIDED;
	if (!pwu_reset_is_open(reset, now))
		return TOKEN_EXPIRED;
	return TOKEN_OK;
}

/*
 * Set a customer's password with a reset's token.  Wrong tokens count
 * towards a lockout of the reset; the right one clears the count.  The
 * reset is used, the password set and the customer's other open resets
 * voided by one statement, in the caller's transaction.
 */
static Jsonb *
reset_password(const Caller *caller, const char *id, Jsonb *body)
{
	ResetRequest *request;
	CustomerReset *reset;
	TokenProblem problem;
	TimestampTz now;
	ContextWord word;
	Jsonb	   *response;

	request = pwu_reset_read_request(id, body);
	reset = pwu_reset_lock(id);
	if (reset == NULL)
		pwu_not_found_error("customer password reset");

	pwu_lockout_check(RESET_LOCKOUT_RESOURCE, reset->id);
	now = GetCurrentTimestamp();
	problem = check_token(reset, request, now);
	if (problem == TOKEN_WRONG)
		pwu_lockout_failure(RESET_LOCKOUT_RESOURCE, reset->id);
	if (problem != TOKEN_OK)
		token_error(problem);
	pwu_lockout_success(RESET_LOCKOUT_RESOURCE, reset->id);

	word = email_word(reset->customer_email);
	pwu_document_secure(pwu_reset_attributes(), request->changes, NULL, &word, 1);
	reset = pwu_reset_consume(reset, now, request->changes->secret_hash, request);
	if (reset == NULL)
		token_error(TOKEN_USED);

	pwu_audit(caller, CUSTOMER_RESOURCE, reset->customer_id, "reset_password");
	response = pwu_reset_response(reset, NULL, 0);
	explicit_bzero(request->token, request->token_len);
	return response;
}

/*---- SQL-callable functions ----*/

/*
 * Each checks its caller before its arguments, so a role that may not call
 * a function learns nothing else from it.
 */

/*
 * create_customer(email text, password text DEFAULT NULL) returns jsonb
 */
Datum
pwupdate_create_customer(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
	(void) pwu_required_arg(fcinfo, 0, "email");
	PG_RETURN_JSONB_P(create_customer(caller, text_to_cstring(PG_GETARG_TEXT_PP(0)),
									  PG_ARGISNULL(1) ? NULL :
									  pwu_secret_from_text(PG_GETARG_TEXT_PP(1))));
}

/*
 * create_customer_password_reset(customer_email text, reference text,
 *		reference_origin text, metadata jsonb DEFAULT '{}') returns jsonb
 *
 * A null metadata is no metadata, as when it is left out.
 */
Datum
pwupdate_create_customer_password_reset(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Jsonb	   *metadata;

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
	(void) pwu_required_arg(fcinfo, 0, "customer_email");
	metadata = PG_ARGISNULL(3) ?
		DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"))) :
		PG_GETARG_JSONB_P(3);
	PG_RETURN_JSONB_P(create_reset(caller, text_to_cstring(PG_GETARG_TEXT_PP(0)),
								   optional_text(fcinfo, 1),
								   optional_text(fcinfo, 2),
								   metadata));
}

/*
 * get_customer_password_reset(id text) returns jsonb
 */
Datum
pwupdate_get_customer_password_reset(PG_FUNCTION_ARGS)
{
	pwu_require_trusted(pwu_current_caller());
	(void) pwu_required_arg(fcinfo, 0, "id");
	PG_RETURN_JSONB_P(get_reset(text_to_cstring(PG_GETARG_TEXT_PP(0))));
}

/*
 * reset_customer_password(id text, body jsonb) returns jsonb
 *
 * Anyone may call it: the token is the proof.  Only an SQL role outside
 * pwupdate_admin and without claims, which has no business here, is
 * refused.  A null body is a malformed body, reported as such.
 */
Datum
pwupdate_reset_customer_password(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();

	if (caller->kind == CALLER_UNTRUSTED)
		pwu_require_identity(caller);
	(void) pwu_required_arg(fcinfo, 0, "id");
	PG_RETURN_JSONB_P(reset_password(caller, text_to_cstring(PG_GETARG_TEXT_PP(0)),
									 PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1)));
}

/*
 * purge_expired_resets() returns bigint
 */
Datum
pwupdate_purge_expired_resets(PG_FUNCTION_ARGS)
{
	pwu_require_trusted(pwu_current_caller());
	PG_RETURN_INT64(pwu_reset_purge());
}
