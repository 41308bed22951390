/*-------------------------------------------------------------------------
 *
 * api_users.c
 *	  Users and their passwords, seed 003 (Akana): create_user, sign_in
 *	  and change_user_password.
 *
 * A user id is "<uuid>.<fed>"; the federation member id after the last "."
 * names the session cookie and the CSRF header (session.c).  Who may change
 * a password: the user (with the current password), a site admin (anyone's,
 * without it) or a trusted SQL caller.  A caller who is neither self nor
 * admin is refused before the target is looked up, so a refusal never tells
 * whether a user id exists.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/formatting.h"

#include "pwupdate.h"
#include "session.h"

/* "eceffbe3-3386-495b-80d3-7526f0eb0edc": canonical, lower-case */
#define UUID_CHARS 36
#define FED_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

#define USER_SELECT \
	"SELECT user_id, email, password_hash, site_admin FROM pwupdate.user_account "
#define USER_BY_ID			USER_SELECT "WHERE user_id = $1"
#define USER_BY_ID_LOCKED	USER_SELECT "WHERE user_id = $1 FOR NO KEY UPDATE"
#define USER_BY_EMAIL		USER_SELECT "WHERE lower(email) = lower($1)"

PG_FUNCTION_INFO_V1(pwupdate_create_user);
PG_FUNCTION_INFO_V1(pwupdate_sign_in);
PG_FUNCTION_INFO_V1(pwupdate_change_user_password);

typedef struct UserRow
{
	char	   *user_id;
	char	   *email;
	char	   *password_hash;
	bool		site_admin;
} UserRow;

/* Who is changing a password, once authenticated. */
typedef struct Actor
{
	Caller	   *caller;
	char	   *user_id;		/* acting user; NULL for a trusted SQL caller */
	Session    *session;		/* session that authenticated the call, or NULL */
	bool		admin;			/* may change anyone's password */
} Actor;

/* The body of change_user_password; absent members are NULL. */
typedef struct PasswordChange
{
	Secret	   *old_password;
	Secret	   *new_password;
} PasswordChange;

/*---- Validation of new users ----*/

static bool
is_uuid_text(const char *s)
{
	for (int i = 0; i < UUID_CHARS; i++)
	{
		char		c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23)
		{
			if (c != '-')
				return false;
		}
		else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

/* The fed ends up in a cookie name and a header name: keep it a token. */
static bool
is_user_id(const char *user_id)
{
	const char *fed;

	if (strlen(user_id) < UUID_CHARS + 2 || !is_uuid_text(user_id) ||
		user_id[UUID_CHARS] != '.')
		return false;
	fed = user_id + UUID_CHARS + 1;
	return strspn(fed, FED_CHARS) == strlen(fed);
}

static void
check_new_user(const char *user_id, const char *email)
{
	if (!is_user_id(user_id))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid user id \"%s\"", user_id),
				 errdetail("A user id is a lower-case UUID, a \".\" and a federation member id of letters, digits, \"-\" and \"_\", such as \"eceffbe3-3386-495b-80d3-7526f0eb0edc.acmepaymentscorp\".")));
	pwu_check_email(email);
}

/* The policy, with the contract's context words: user id and email. */
static void
check_password_policy(const Secret *password, const char *user_id,
					  const char *email)
{
	ContextWord words[2];

	words[0].label = "user id";
	words[0].value = user_id;
	words[1].label = "email";
	words[1].value = pwu_email_local_part(email);
	pwu_check_policy(password, words, lengthof(words));
}

/*---- pwupdate.user_account ----*/

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/* Run one of the USER_* queries; NULL when no user matches. */
static UserRow *
fetch_user(const char *query, const char *key)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(key)};
	UserRow    *row = NULL;

	spi_connect();
	if (SPI_execute_with_args(query, 1, argtypes, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.user_account");
	if (SPI_processed == 1)
	{
		HeapTuple	tuple = SPI_tuptable->vals[0];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		MemoryContext spi = MemoryContextSwitchTo(outer);

		row = palloc(sizeof(UserRow));
		row->user_id = SPI_getvalue(tuple, desc, 1);
		row->email = SPI_getvalue(tuple, desc, 2);
		row->password_hash = SPI_getvalue(tuple, desc, 3);
		row->site_admin = DatumGetBool(SPI_getbinval(tuple, desc, 4, &isnull));
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
	return row;
}

/*
 * Both the id and the email are unique; a race past these checks still
 * ends in the same SQLSTATE from the unique indexes.
 */
static void
insert_user(const char *user_id, const char *email, const char *hash,
			bool site_admin)
{
	Oid			argtypes[4] = {TEXTOID, TEXTOID, TEXTOID, BOOLOID};
	Datum		values[4];

	if (fetch_user(USER_BY_ID, user_id) != NULL)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_CONFLICT),
				 errmsg("user \"%s\" already exists", user_id)));
	if (fetch_user(USER_BY_EMAIL, email) != NULL)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_CONFLICT),
				 errmsg("email address \"%s\" is already in use", email),
				 errdetail("Email addresses are compared case-insensitively.")));

	values[0] = CStringGetTextDatum(user_id);
	values[1] = CStringGetTextDatum(email);
	values[2] = CStringGetTextDatum(hash);
	values[3] = BoolGetDatum(site_admin);
	/* One clock reading for both, so a new user reads as never updated. */
	spi_connect();
	if (SPI_execute_with_args("INSERT INTO pwupdate.user_account "
							  "(user_id, email, password_hash, site_admin, created_at, updated_at) "
							  "SELECT $1, $2, $3, $4, now, now FROM clock_timestamp() AS now",
							  4, argtypes, values, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not insert into pwupdate.user_account");
	SPI_finish();
}

/*
 * Store a new hash.  A password change moves updated_at; a transparent
 * rehash of the same password does not, as nothing changed for the user.
 */
static void
store_password_hash(const char *user_id, const char *hash, bool changed)
{
	Oid			argtypes[2] = {TEXTOID, TEXTOID};
	Datum		values[2];

	values[0] = CStringGetTextDatum(user_id);
	values[1] = CStringGetTextDatum(hash);
	spi_connect();
	if (SPI_execute_with_args(changed ?
							  "UPDATE pwupdate.user_account SET password_hash = $2, "
							  "updated_at = clock_timestamp() WHERE user_id = $1" :
							  "UPDATE pwupdate.user_account SET password_hash = $2 "
							  "WHERE user_id = $1",
							  2, argtypes, values, NULL, false, 0) != SPI_OK_UPDATE ||
		SPI_processed != 1)
		elog(ERROR, "could not update pwupdate.user_account");
	SPI_finish();
}

/*---- create_user ----*/

static void
create_user(const char *user_id, const char *email, Secret *password,
			bool site_admin)
{
	Caller	   *caller = pwu_current_caller();

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
	check_new_user(user_id, email);
	check_password_policy(password, user_id, email);
	insert_user(user_id, email, pwu_hash(password), site_admin);
	pwu_secret_wipe(password);
	pwu_audit(caller, "user", user_id, "create");
}

/*---- sign_in ----*/

static void sign_in_failed(const char *account) pg_attribute_noreturn();

/*
 * The account whose failed attempts a sign-in counts: the user, or for an
 * unknown email the email itself, so that an unknown address is locked
 * out after as many tries as a known one and the lockout reveals nothing.
 */
static char *
sign_in_account(const UserRow *user, const char *email)
{
	if (user != NULL)
		return user->user_id;
	return str_tolower(email, strlen(email), DEFAULT_COLLATION_OID);
}

/* One error for an unknown email and a wrong password alike. */
static void
sign_in_failed(const char *account)
{
	pwu_lockout_failure("user", account);
	ereport(ERROR,
			(errcode(PWU_ERRCODE_WRONG_PASSWORD),
			 errmsg("invalid email or password")));
}

/*
 * Lock the user's row for the rest of the transaction and make sure the
 * password still matches the hash now stored: a password change that
 * committed while the first verification ran must not let the old
 * password open a session that outlives it.
 */
static UserRow *
lock_verified_user(const UserRow *user, const Secret *password)
{
	UserRow    *locked = fetch_user(USER_BY_ID_LOCKED, user->user_id);

	if (locked == NULL)
		sign_in_failed(user->user_id);
	if (strcmp(locked->password_hash, user->password_hash) != 0 &&
		!pwu_verify(password, locked->password_hash))
		sign_in_failed(user->user_id);
	return locked;
}

/*
 * Verify an email and password and open a session.  An unknown email
 * costs one hash like a wrong password does, and counts towards a lockout
 * like one.  A hash made under older settings is replaced without touching
 * the user's sessions.
 */
static Jsonb *
sign_in(const char *email, Secret *password)
{
	Caller	   *caller = pwu_current_caller();
	UserRow    *user;
	char	   *account;
	NewSession *session;
	Jsonb	   *result;

	/* Anyone with the password may sign in, but not an unknown SQL role. */
	if (caller->kind == CALLER_UNTRUSTED)
		pwu_require_identity(caller);

	user = fetch_user(USER_BY_EMAIL, email);
	account = sign_in_account(user, email);
	pwu_lockout_check("user", account);
	if (user == NULL)
	{
		pwu_dummy_verify(password);
		sign_in_failed(account);
	}
	if (!pwu_verify(password, user->password_hash))
		sign_in_failed(account);
	user = lock_verified_user(user, password);
	pwu_lockout_success("user", user->user_id);

	if (pwu_needs_rehash(user->password_hash))
	{
		store_password_hash(user->user_id, pwu_hash(password), false);
		pwu_audit(caller, "user", user->user_id, "rehash");
	}
	pwu_secret_wipe(password);

	session = pwu_session_open(user->user_id);
	result = pwu_session_response(user->user_id, session);
	pwu_session_wipe(session);
	return result;
}

/*---- change_user_password ----*/

static Secret *
body_password(const JsonbValue *value, const char *key)
{
	char	   *pointer = pwu_json_pointer("", key);

	if (value->type == jbvNull)
		pwu_body_error(BODY_NOT_NULLABLE, pointer, NULL);
	if (value->type != jbvString)
		pwu_body_error(BODY_WRONG_TYPE, pointer, "a string");
	return pwu_secret_from_cstring(value->val.string.val, value->val.string.len);
}

/*
 * Read {"OldPassword", "NewPassword"}.  NewPassword is required; whether
 * OldPassword is depends on who calls, which is decided later.
 */
static PasswordChange *
parse_password_change(Jsonb *body)
{
	PasswordChange *change = palloc0(sizeof(PasswordChange));
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	value;
	JsonbIteratorToken token;

	if (body == NULL || !JB_ROOT_IS_OBJECT(body) || JB_ROOT_IS_SCALAR(body))
		pwu_body_error(BODY_NOT_OBJECT, "", NULL);

	it = JsonbIteratorInit(&body->root);
	while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		char	   *name;

		if (token != WJB_KEY)
			continue;
		name = pnstrdup(key.val.string.val, key.val.string.len);
		(void) JsonbIteratorNext(&it, &value, true);
		if (strcmp(name, "OldPassword") == 0)
			change->old_password = body_password(&value, name);
		else if (strcmp(name, "NewPassword") == 0)
			change->new_password = body_password(&value, name);
		else
			pwu_body_error(BODY_UNKNOWN_FIELD, pwu_json_pointer("", name), NULL);
	}
	if (change->new_password == NULL)
		pwu_body_error(BODY_MISSING_FIELD, "/NewPassword", NULL);
	return change;
}

static void
wipe_password_change(PasswordChange *change)
{
	pwu_secret_wipe(change->old_password);
	pwu_secret_wipe(change->new_password);
}

/*
 * Authenticate the caller: a trusted SQL caller, the claims' subject, or
 * the session named by the cookie of the target user's federation (with
 * its CSRF header).  Anything else is refused here.
 */
static Actor *
identify_actor(const char *target_id)
{
	Actor	   *actor = palloc0(sizeof(Actor));
	UserRow    *row;

	actor->caller = pwu_current_caller();
	switch (actor->caller->kind)
	{
		case CALLER_TRUSTED:
			actor->admin = true;
			return actor;
		case CALLER_USER:
			actor->user_id = actor->caller->sub;
			break;
		case CALLER_ANONYMOUS:
			actor->session = pwu_session_authenticate(actor->caller,
													  pwu_user_fed(target_id));
			if (actor->session != NULL)
				actor->user_id = actor->session->user_id;
			break;
		case CALLER_UNTRUSTED:
			break;
	}
	/* Anonymous without a session cookie, or an SQL role outside the admins */
	if (actor->user_id == NULL)
		pwu_require_identity(actor->caller);

	row = fetch_user(USER_BY_ID, actor->user_id);
	actor->admin = row != NULL && row->site_admin;
	return actor;
}

static bool
is_self(const Actor *actor, const char *target_id)
{
	return actor->user_id != NULL && strcmp(actor->user_id, target_id) == 0;
}

static void
authorize(const Actor *actor, const char *target_id)
{
	if (!is_self(actor, target_id) && !actor->admin)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_FORBIDDEN),
				 errmsg("permission denied to change another user's password"),
				 errdetail("Only a site admin can change the password of another user.")));
}

/*
 * The current password: required from a user changing their own, checked
 * whenever it is sent.  Wrong guesses count towards the lockout that
 * sign-in shares; an admin's reset without it is never locked out.
 */
static void
check_old_password(const Actor *actor, const UserRow *target,
				   const PasswordChange *change)
{
	if (change->old_password == NULL)
	{
		if (!is_self(actor, target->user_id))
			return;
		ereport(ERROR,
				(errcode(PWU_ERRCODE_WRONG_PASSWORD),
				 errmsg("current password required"),
				 errdetail("Changing your own password needs the current one in \"/OldPassword\".")));
	}
	pwu_lockout_check("user", target->user_id);
	if (!pwu_verify(change->old_password, target->password_hash))
	{
		pwu_lockout_failure("user", target->user_id);
		ereport(ERROR,
				(errcode(PWU_ERRCODE_WRONG_PASSWORD),
				 errmsg("current password is incorrect")));
	}
}

static void
check_new_password(const UserRow *target, const PasswordChange *change)
{
	bool		same;

	/* A verified OldPassword is the current one: no second hash needed. */
	if (change->old_password != NULL)
		same = pwu_secret_equal(change->old_password, change->new_password);
	else
		same = pwu_verify(change->new_password, target->password_hash);
	if (same)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("new password must differ from the current password")));
	check_password_policy(change->new_password, target->user_id, target->email);
}

/*
 * What a password change takes away besides the old password: every other
 * session of the user.  The session that made the call, when it is the
 * user's own, stays.  Users have no reset tokens of their own (customer
 * resets belong to customers), so there are none to void.
 */
static void
end_other_credentials(const Actor *actor, const char *target_id)
{
	const char *keep = NULL;

	if (actor->session != NULL && is_self(actor, target_id))
		keep = actor->session->id;
	(void) pwu_session_end_others(target_id, keep);
}

/*
 * The audit names the acting user as the subject, also when a session
 * cookie rather than claims identified them.
 */
static void
audit_change(const Actor *actor, const char *target_id)
{
	Caller		acting = *actor->caller;

	if (acting.sub == NULL)
		acting.sub = actor->user_id;
	pwu_audit(&acting, "user", target_id, "change_password");
}

static char *
change_user_password(const char *target_id, Jsonb *body)
{
	Actor	   *actor = identify_actor(target_id);
	PasswordChange *change = parse_password_change(body);
	UserRow    *target;

	authorize(actor, target_id);
	target = fetch_user(USER_BY_ID_LOCKED, target_id);
	if (target == NULL)
		pwu_not_found_error("user");

	check_old_password(actor, target, change);
	check_new_password(target, change);
	store_password_hash(target->user_id, pwu_hash(change->new_password), true);
	wipe_password_change(change);

	pwu_lockout_success("user", target->user_id);
	end_other_credentials(actor, target->user_id);
	audit_change(actor, target->user_id);
	return target->user_id;
}

/*---- SQL-callable functions ----*/

static void
require_arguments(FunctionCallInfo fcinfo, const char *const *names)
{
	for (int n = 0; names[n] != NULL; n++)
		(void) pwu_required_arg(fcinfo, n, names[n]);
}

/*
 * create_user(user_id text, email text, password text,
 *			   site_admin boolean DEFAULT false) returns text
 */
Datum
pwupdate_create_user(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"user_id", "email", "password", "site_admin", NULL};
	char	   *user_id;

	require_arguments(fcinfo, names);
	user_id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	create_user(user_id, text_to_cstring(PG_GETARG_TEXT_PP(1)),
				pwu_secret_from_text(PG_GETARG_TEXT_PP(2)), PG_GETARG_BOOL(3));
	PG_RETURN_TEXT_P(cstring_to_text(user_id));
}

/*
 * sign_in(email text, password text) returns jsonb
 */
Datum
pwupdate_sign_in(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"email", "password", NULL};

	require_arguments(fcinfo, names);
	PG_RETURN_JSONB_P(sign_in(text_to_cstring(PG_GETARG_TEXT_PP(0)),
							  pwu_secret_from_text(PG_GETARG_TEXT_PP(1))));
}

/*
 * change_user_password(user_id text, body jsonb) returns "text/plain"
 *
 * A null body is a malformed body, reported as such.
 */
Datum
pwupdate_change_user_password(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"user_id", NULL};
	Jsonb	   *body;

	require_arguments(fcinfo, names);
	body = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	PG_RETURN_TEXT_P(cstring_to_text(change_user_password(text_to_cstring(PG_GETARG_TEXT_PP(0)),
														  body)));
}
