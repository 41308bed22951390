/*-------------------------------------------------------------------------
 *
 * api_resource.c
 *	  One request, one path: who is calling, the resource's description,
 *	  the row under lock, the body against it, the secret's policy and hash,
 *	  only the changed columns written, the audit row, and the object back.
 *	  Also the generic SQL functions on any registered resource: get, patch,
 *	  put and check_password.
 *
 * A row of another tenant is reported exactly as a missing one.  A write
 * that changes nothing (PATCH {}, or read-only fields sent with their
 * current values) stores nothing and is not audited: the audit trail
 * records changes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "engine.h"
#include "maintenance.h"

PG_FUNCTION_INFO_V1(pwupdate_get);
PG_FUNCTION_INFO_V1(pwupdate_patch);
PG_FUNCTION_INFO_V1(pwupdate_put);
PG_FUNCTION_INFO_V1(pwupdate_check_password);

/*
 * The row a caller asks for, or the "not found" class: for an id that
 * cannot be a key, a missing row, or another tenant's.
 */
static ResourceRow *
fetch_for_caller(const Resource *r, const Caller *caller, const char *id,
				 bool lock, Datum *key)
{
	ResourceRow *row = NULL;

	if (id != NULL && pwu_value_from_text(r->fields[r->key].type, id, key))
		row = pwu_store_fetch(r, *key, lock);
	if (row == NULL || !pwu_resource_visible(r, caller, row))
		pwu_not_found_error(r->noun);
	return row;
}

/*
 * Read one object of a resource.
 */
Jsonb *
pwu_resource_get(const char *resource_name, const char *id)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ResourceRow *row;
	Datum		key;

	pwu_require_identity(caller);
	r = pwu_resource_load(resource_name);
	pwu_resource_authorize(r, caller, false);
	row = fetch_for_caller(r, caller, id, false, &key);
	return pwu_document_object(r, row);
}

/*
 * Apply a body to one object of a resource in merge or replace mode, and
 * return the object as stored.
 *
 * The row is locked before the body is looked at, so two writers of one
 * object take turns: the second one checks its body against, and writes
 * over, what the first one committed.
 */
Jsonb *
pwu_resource_write(const char *resource_name, const char *id, Jsonb *body,
				   DocumentMode mode)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ResourceRow *row;
	ChangeSet  *changes;
	JsonbValue	object;
	Datum		key;

	pwu_require_identity(caller);
	r = pwu_resource_load(resource_name);
	pwu_resource_authorize(r, caller, true);
	row = fetch_for_caller(r, caller, id, true, &key);

	if (body != NULL)
	{
		object.type = jbvBinary;
		object.val.binary.data = &body->root;
		object.val.binary.len = VARSIZE(body) - VARHDRSZ;
	}
	changes = pwu_document_read(r, body != NULL ? &object : NULL, "", row,
								mode, NIL);
	pwu_document_secure(r, changes, row, NULL, 0);
	if (pwu_changeset_is_empty(changes))
		return pwu_document_object(r, row);

	row = pwu_store_update(r, key, changes);
	pwu_audit(caller, r->name,
			  pwu_value_to_text(r->fields[r->key].type, row->values[r->key]),
			  mode == DOCUMENT_MERGE ? "patch" : "put");
	return pwu_document_object(r, row);
}

static char *
text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * get(resource text, id text) returns jsonb
 */
Datum
pwupdate_get(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(pwu_resource_get(text_arg(fcinfo, 0), text_arg(fcinfo, 1)));
}

/*
 * patch(resource text, id text, body jsonb) returns jsonb
 */
Datum
pwupdate_patch(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(pwu_resource_write(text_arg(fcinfo, 0), text_arg(fcinfo, 1),
										 PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2),
										 DOCUMENT_MERGE));
}

/*
 * put(resource text, id text, body jsonb) returns jsonb
 */
Datum
pwupdate_put(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(pwu_resource_write(text_arg(fcinfo, 0), text_arg(fcinfo, 1),
										 PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2),
										 DOCUMENT_REPLACE));
}

/*
 * Verify a password against a resource's secret column.  An id that
 * matches no row, or a row without a hash, costs one verification too.
 * When the password verifies and its hash was made with other settings,
 * the hash is upgraded.  Failures count towards the account's lockout,
 * for unknown ids too, so a 429 tells nothing about which ids exist.
 */
static bool
check_password(const Caller *caller, const Resource *r, const char *id,
			   Secret *password)
{
	FieldType	key_type = r->fields[r->key].type;
	char	   *hash = NULL;
	bool		found = false;
	bool		ok;
	Datum		key;

	pwu_lockout_check(r->name, id);
	if (pwu_value_from_text(key_type, id, &key))
		hash = pwu_store_fetch_secret(r, key, &found);
	if (hash == NULL)
	{
		pwu_dummy_verify(password);
		pwu_lockout_failure(r->name, id);
		return false;
	}

	ok = pwu_verify(password, hash);
	if (!ok)
	{
		pwu_lockout_failure(r->name, id);
		return false;
	}
	pwu_lockout_success(r->name, id);
	if (pwu_needs_rehash(hash) &&
		pwu_store_replace_secret(r, key, hash, pwu_hash(password)))
		pwu_audit(caller, r->name, pwu_value_to_text(key_type, key), "rehash");
	return true;
}

/*
 * check_password(resource text, id text, password text) returns boolean
 */
Datum
pwupdate_check_password(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	Secret	   *password;
	bool		ok;

	pwu_require_trusted(caller);
	/* also the users of seed 003, which the generic get/patch/put never reach */
	r = pwu_account_resource(text_arg(fcinfo, 0));

	password = pwu_secret_from_text(PG_GETARG_TEXT_PP(2));
	ok = check_password(caller, r, text_arg(fcinfo, 1), password);
	pwu_secret_wipe(password);
	PG_RETURN_BOOL(ok);
}
