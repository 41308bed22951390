/*-------------------------------------------------------------------------
 *
 * api_profiles.c
 *	  Password profile infos, seed 001 (Elastic Path):
 *	  create_password_profile_info (trusted only), get_password_profile_info
 *	  and update_password_profile_info.
 *
 * A password profile info is the resource "password_profile_info" of the
 * registry: the engine reads the fields of a body (in its update mode, a
 * PUT whose absent optional fields keep their values), checks and hashes
 * the password and stores the row.  This file adds what the engine cannot
 * know: the JSON:API envelope ("data", "type", "meta", "links"), the path
 * (realm, user authentication info), the rules that need other tables (the
 * password profile is one of the realm's, the user's email is a context
 * word) and the conflict of a username taken in its password profile.
 *
 * A password profile info of another realm or of another user
 * authentication info is reported exactly as a missing one.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "engine.h"
#include "profiles.h"

#define INFO_RESOURCE "password_profile_info"
#define INFO_TYPE "user_authentication_password_profile_info"
#define USERNAME_MAX_CHARS 255	/* as the table's CHECK */
#define USERNAME_CONSTRAINT "password_profile_info_username_key"

PG_FUNCTION_INFO_V1(pwupdate_create_password_profile_info);
PG_FUNCTION_INFO_V1(pwupdate_get_password_profile_info);
PG_FUNCTION_INFO_V1(pwupdate_update_password_profile_info);

/* The members a body may have: the envelope's, then the object's. */
static const char *const envelope_members[] = {"data"};
static const char *const create_members[] = {
	"type", "password_profile_id", "username", "password"
};
static const char *const update_members[] = {
	"type", "id", "password_profile_id", "username", "password"
};

/*---- Small helpers ----*/

static void
spi_connect(void)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
}

/* The change set's entry for a field, or -1 when the body leaves it. */
static int
change_of(const ChangeSet *cs, int field)
{
	for (int i = 0; i < cs->nchanges; i++)
		if (cs->fields[i] == field)
			return i;
	return -1;
}

static bool
uuid_equal(Datum a, Datum b)
{
	return pwu_value_equal(FIELD_UUID, a, false, b, false);
}

static char *
uuid_text(Datum uuid)
{
	return pwu_value_to_text(FIELD_UUID, uuid);
}

/*---- Who may reach a password profile info ----*/

/*
 * Refuse a caller with an identity who may not reach the password profile
 * infos under the path (realm, user authentication info): claims of
 * another realm (404, as for a missing one), or an account member token
 * header that is not a live token of this user authentication info (401).
 * No scope is needed.
 */
static void
authorize_path(const Caller *caller, const Resource *r, Datum realm_id,
			   Datum member_id)
{
	Datum		claimed;

	if (caller->kind == CALLER_USER &&
		(caller->realm_id == NULL ||
		 !pwu_value_from_text(FIELD_UUID, caller->realm_id, &claimed) ||
		 !uuid_equal(claimed, realm_id)))
		pwu_not_found_error(r->noun);
	pwu_member_token_require(caller, realm_id, member_id);
}

/*
 * The row of the password profile info under the path, locked if asked;
 * the "not found" class for a missing one and for one of another realm or
 * of another user authentication info.
 */
static ResourceRow *
fetch_info(const Resource *r, const Caller *caller, Datum realm_id,
		   Datum member_id, Datum id, bool lock)
{
	ResourceRow *row = pwu_store_fetch(r, id, lock);

	if (row == NULL || !pwu_resource_visible(r, caller, row) ||
		!uuid_equal(row->values[pwu_resource_field(r, "realm_id")], realm_id) ||
		!uuid_equal(row->values[pwu_resource_field(r, "user_authentication_info_id")], member_id))
		pwu_not_found_error(r->noun);
	return row;
}

/* Every value null: what a body is read against when creating. */
static ResourceRow *
blank_row(const Resource *r)
{
	ResourceRow *row = palloc0(sizeof(ResourceRow));

	row->values = palloc0(sizeof(Datum) * r->nfields);
	row->isnull = palloc(sizeof(bool) * r->nfields);
	memset(row->isnull, true, sizeof(bool) * r->nfields);
	return row;
}

/*---- The request body ----*/

/* Refuse any member of an object that is not among the names given. */
static void
check_members(JsonbContainer *object, const char *pointer,
			  const char *const *names, int nnames)
{
	JsonbIterator *it = JsonbIteratorInit(object);
	JsonbValue	key;
	JsonbIteratorToken token;

	while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		bool		known = false;

		if (token != WJB_KEY)
			continue;
		for (int i = 0; i < nnames; i++)
			if (strlen(names[i]) == (size_t) key.val.string.len &&
				memcmp(names[i], key.val.string.val, key.val.string.len) == 0)
				known = true;
		if (!known)
			pwu_body_error(BODY_UNKNOWN_FIELD,
						   pwu_json_pointer(pointer,
											pnstrdup(key.val.string.val,
													 key.val.string.len)),
						   NULL);
	}
}

/*
 * Check the JSON:API envelope {"data": {"type": ..., ...}} and return its
 * "data" object for the engine.  Members are checked before "type", so
 * that one body always gives one error; "data" holds only the members the
 * contract names (the realm, the user authentication info and the
 * timestamps are never taken from a body).
 */
static JsonbValue
read_envelope(Jsonb *body, const char *const *members, int nmembers)
{
	JsonbValue	data;
	JsonbValue	type;
	JsonbContainer *object;

	if (body == NULL || !JB_ROOT_IS_OBJECT(body))
		pwu_body_error(BODY_NOT_OBJECT, "", NULL);
	check_members(&body->root, "", envelope_members, lengthof(envelope_members));
	if (getKeyJsonValueFromContainer(&body->root, "data", strlen("data"), &data) == NULL)
		pwu_body_error(BODY_MISSING_FIELD, "/data", NULL);
	if (data.type != jbvBinary || !JsonContainerIsObject(data.val.binary.data))
		pwu_body_error(BODY_NOT_OBJECT, "/data", NULL);
	object = data.val.binary.data;
	check_members(object, "/data", members, nmembers);

	if (getKeyJsonValueFromContainer(object, "type", strlen("type"), &type) == NULL)
		pwu_body_error(BODY_MISSING_FIELD, "/data/type", NULL);
	if (type.type == jbvNull)
		pwu_body_error(BODY_NOT_NULLABLE, "/data/type", NULL);
	if (type.type != jbvString)
		pwu_body_error(BODY_WRONG_TYPE, "/data/type", "a string");
	if ((size_t) type.val.string.len != strlen(INFO_TYPE) ||
		memcmp(type.val.string.val, INFO_TYPE, type.val.string.len) != 0)
		pwu_body_error(BODY_WRONG_VALUE, "/data/type", INFO_TYPE);
	return data;
}

/*
 * A new password profile must be one of the realm's.  It is locked (FOR
 * KEY SHARE) so that it cannot vanish before the row pointing to it is
 * stored.
 */
static void
check_password_profile(const Resource *r, const ChangeSet *cs, Datum realm_id)
{
	int			change = change_of(cs, pwu_resource_field(r, "password_profile_id"));
	Oid			argtypes[2] = {UUIDOID, UUIDOID};
	Datum		values[2];
	bool		found;

	if (change < 0)
		return;
	values[0] = cs->values[change];
	values[1] = realm_id;
	spi_connect();
	if (SPI_execute_with_args("SELECT 1 FROM pwupdate.password_profile "
							  "WHERE id = $1 AND realm_id = $2 FOR KEY SHARE",
							  2, argtypes, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.password_profile");
	found = SPI_processed == 1;
	SPI_finish();
	if (!found)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password profile not found in this realm"),
				 errdetail("Field \"/data/password_profile_id\" must be the id of a password profile of the realm.")));
}

/* A new username has 1 to USERNAME_MAX_CHARS characters; null removes it. */
static void
check_username(const Resource *r, const ChangeSet *cs)
{
	int			change = change_of(cs, pwu_resource_field(r, "username"));
	text	   *username;
	int			nchars;

	if (change < 0 || cs->isnull[change])
		return;
	username = DatumGetTextPP(cs->values[change]);
	nchars = pg_mbstrlen_with_len(VARDATA_ANY(username),
								  VARSIZE_ANY_EXHDR(username));
	if (nchars < 1 || nchars > USERNAME_MAX_CHARS)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("invalid username"),
				 errdetail("Field \"/data/username\" must have from 1 to %d characters.",
						   USERNAME_MAX_CHARS)));
}

/* The email of a user authentication info of the realm, or NULL. */
static char *
member_email(Datum realm_id, Datum member_id)
{
	MemoryContext outer = CurrentMemoryContext;
	Oid			argtypes[2] = {UUIDOID, UUIDOID};
	Datum		values[2] = {realm_id, member_id};
	char	   *email = NULL;

	spi_connect();
	if (SPI_execute_with_args("SELECT email FROM pwupdate.user_authentication_info "
							  "WHERE realm_id = $1 AND id = $2",
							  2, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.user_authentication_info");
	if (SPI_processed == 1)
		email = MemoryContextStrdup(outer,
									SPI_getvalue(SPI_tuptable->vals[0],
												 SPI_tuptable->tupdesc, 1));
	SPI_finish();
	return email;
}

/*
 * The checks of a body's values, in order: the password profile, the
 * username, and last the new password's policy (context words: the
 * username, new or current, and the email's local part), which also hashes
 * it.
 */
static void
check_values(const Resource *r, ChangeSet *cs, const ResourceRow *current,
			 Datum realm_id, const char *email)
{
	ContextWord email_word;

	check_password_profile(r, cs, realm_id);
	check_username(r, cs);
	email_word.label = "email";
	email_word.value = pwu_email_local_part(email);
	pwu_document_secure(r, cs, current, &email_word, 1);
}

/*---- Storing, and the response ----*/

/*
 * Insert a new row (insert) or update the row with key id, and return it
 * as stored.  A username taken in the password profile, also by a
 * concurrent transaction that commits first, is the "conflict" class.
 */
static ResourceRow *
store_info(const Resource *r, const ChangeSet *cs, bool insert, Datum id)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceRow *volatile row = NULL;

	PG_TRY();
	{
		row = insert ? pwu_store_insert(r, cs) : pwu_store_update(r, id, cs);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_UNIQUE_VIOLATION ||
			edata->constraint_name == NULL ||
			strcmp(edata->constraint_name, USERNAME_CONSTRAINT) != 0)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(PWU_ERRCODE_CONFLICT),
				 errmsg("username is already taken"),
				 errdetail("Usernames are unique within a password profile.")));
	}
	PG_END_TRY();
	return row;
}

static void
push_field(JsonbParseState **state, const Resource *r, const ResourceRow *row,
		   const char *name)
{
	int			i = pwu_resource_field(r, name);

	pwu_jsonb_push_key(state, name);
	pwu_value_push(state, r->fields[i].type, row->values[i], row->isnull[i]);
}

/* pwupdate.base_url (without a trailing "/") and the object's path. */
static char *
self_link(const Resource *r, const ResourceRow *row)
{
	const char *base = pwu_base_url != NULL ? pwu_base_url : "";
	int			baselen = strlen(base);

	while (baselen > 0 && base[baselen - 1] == '/')
		baselen--;
	return psprintf("%.*s/authentication-realms/%s/user-authentication-info/%s"
					"/user-authentication-password-profile-info/%s",
					baselen, base,
					uuid_text(row->values[pwu_resource_field(r, "realm_id")]),
					uuid_text(row->values[pwu_resource_field(r, "user_authentication_info_id")]),
					uuid_text(row->values[r->key]));
}

/*
 * The response of the seed: {"data": {"id", "username", "meta":
 * {"created_at", "updated_at"}, "type", "password_profile_id"}, "links":
 * {"self"}}.  The password never appears.
 */
static Jsonb *
info_document(const Resource *r, const ResourceRow *row)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_key(&state, "data");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_field(&state, r, row, "id");
	push_field(&state, r, row, "username");
	pwu_jsonb_push_key(&state, "meta");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_field(&state, r, row, "created_at");
	push_field(&state, r, row, "updated_at");
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "type", INFO_TYPE);
	push_field(&state, r, row, "password_profile_id");
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	pwu_jsonb_push_key(&state, "links");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "self", self_link(r, row));
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}

/*---- The password profile info functions ----*/

static Jsonb *
body_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : PG_GETARG_JSONB_P(n);
}

/*
 * create_password_profile_info(realm_id uuid,
 *								user_authentication_info_id uuid,
 *								body jsonb) returns jsonb
 *
 * Trusted callers only.  The body is read as an update of a row whose
 * values are all null, so an absent username stays null; password and
 * password_profile_id are required, and no id is taken.
 */
Datum
pwupdate_create_password_profile_info(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ResourceRow *blank;
	ResourceRow *row;
	ChangeSet  *changes;
	JsonbValue	data;
	Datum		realm_id;
	Datum		member_id;
	char	   *email;

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
	realm_id = pwu_required_arg(fcinfo, 0, "realm_id");
	member_id = pwu_required_arg(fcinfo, 1, "user_authentication_info_id");
	email = member_email(realm_id, member_id);
	if (email == NULL)
		pwu_not_found_error("user authentication info");

	r = pwu_resource_load(INFO_RESOURCE);
	blank = blank_row(r);
	data = read_envelope(body_arg(fcinfo, 2), create_members,
						 lengthof(create_members));
	changes = pwu_document_read(r, &data, "/data", blank, DOCUMENT_UPDATE,
								list_make1("type"));
	if (changes->secret == NULL)
		pwu_body_error(BODY_MISSING_FIELD, "/data/password", NULL);
	check_values(r, changes, blank, realm_id, email);

	pwu_changeset_set(changes, pwu_resource_field(r, "realm_id"), realm_id, false);
	pwu_changeset_set(changes, pwu_resource_field(r, "user_authentication_info_id"),
					  member_id, false);
	row = store_info(r, changes, true, (Datum) 0);
	pwu_audit(caller, r->name, uuid_text(row->values[r->key]), "create");
	PG_RETURN_JSONB_P(info_document(r, row));
}

/*
 * get_password_profile_info(realm_id uuid, user_authentication_info_id uuid,
 *							 password_profile_info_id uuid) returns jsonb
 */
Datum
pwupdate_get_password_profile_info(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ResourceRow *row;

	pwu_require_identity(caller);
	r = pwu_resource_load(INFO_RESOURCE);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		pwu_not_found_error(r->noun);
	authorize_path(caller, r, PG_GETARG_DATUM(0), PG_GETARG_DATUM(1));
	row = fetch_info(r, caller, PG_GETARG_DATUM(0), PG_GETARG_DATUM(1),
					 PG_GETARG_DATUM(2), false);
	PG_RETURN_JSONB_P(info_document(r, row));
}

/*
 * update_password_profile_info(realm_id uuid,
 *								user_authentication_info_id uuid,
 *								password_profile_info_id uuid,
 *								body jsonb) returns jsonb
 *
 * The row is locked before the body is looked at, so two updates of one
 * password profile info take turns.  An update that changes nothing
 * stores nothing: updated_at stays and no audit row is written.
 */
Datum
pwupdate_update_password_profile_info(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ResourceRow *row;
	ChangeSet  *changes;
	JsonbValue	data;
	Datum		realm_id;
	Datum		member_id;
	Datum		id;

	pwu_require_identity(caller);
	r = pwu_resource_load(INFO_RESOURCE);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		pwu_not_found_error(r->noun);
	realm_id = PG_GETARG_DATUM(0);
	member_id = PG_GETARG_DATUM(1);
	id = PG_GETARG_DATUM(2);
	authorize_path(caller, r, realm_id, member_id);
	row = fetch_info(r, caller, realm_id, member_id, id, true);

	data = read_envelope(body_arg(fcinfo, 3), update_members,
						 lengthof(update_members));
	changes = pwu_document_read(r, &data, "/data", row, DOCUMENT_UPDATE,
								list_make1("type"));
	check_values(r, changes, row, realm_id,
				 changes->secret != NULL ? member_email(realm_id, member_id) : NULL);
	if (pwu_changeset_is_empty(changes))
		PG_RETURN_JSONB_P(info_document(r, row));

	row = store_info(r, changes, false, id);
	pwu_audit(caller, r->name, uuid_text(id), "update");
	PG_RETURN_JSONB_P(info_document(r, row));
}
