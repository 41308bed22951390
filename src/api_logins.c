/*-------------------------------------------------------------------------
 *
 * api_logins.c
 *	  Partner logins (seed 000, CarrierX): create_login, get_login,
 *	  patch_login and put_login.
 *
 * A partner login is the resource "partner_login" of the registry (see
 * the install script), so get, patch and put are the engine's own path;
 * only creation, which takes SQL arguments rather than a body, is spelt
 * out here.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "engine.h"

#define LOGIN_RESOURCE "partner_login"

PG_FUNCTION_INFO_V1(pwupdate_create_login);
PG_FUNCTION_INFO_V1(pwupdate_get_login);
PG_FUNCTION_INFO_V1(pwupdate_patch_login);
PG_FUNCTION_INFO_V1(pwupdate_put_login);

/* The login_sid argument as the engine's id; NULL finds nothing. */
static char *
login_sid_arg(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return NULL;
	return DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(0)));
}

static ArrayType *
scopes_arg(FunctionCallInfo fcinfo, int n)
{
	ArrayType  *scopes = PG_GETARG_ARRAYTYPE_P(n);

	if (ARR_NDIM(scopes) > 1 || array_contains_nulls(scopes))
		ereport(ERROR,
				(errcode(PWU_ERRCODE_MALFORMED),
				 errmsg("argument \"token_scopes\" must be a one-dimensional array without nulls")));
	return scopes;
}

/*
 * create_login(login text, password text, partner_sid uuid,
 *				token_scopes text[] DEFAULT '{}') returns jsonb
 *
 * Trusted callers only.  The password passes the policy with the login as
 * a context word.
 */
Datum
pwupdate_create_login(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	Resource   *r;
	ChangeSet  *changes;
	ResourceRow *row;
	text	   *login;
	int			login_field;

	pwu_require_trusted(caller);
	pwu_respond_created(caller);
	(void) pwu_required_arg(fcinfo, 0, "login");
	(void) pwu_required_arg(fcinfo, 1, "password");
	(void) pwu_required_arg(fcinfo, 2, "partner_sid");
	(void) pwu_required_arg(fcinfo, 3, "token_scopes");
	login = PG_GETARG_TEXT_PP(0);
	if (VARSIZE_ANY_EXHDR(login) == 0)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_MALFORMED),
				 errmsg("argument \"login\" must not be empty")));

	r = pwu_resource_load(LOGIN_RESOURCE);
	login_field = pwu_resource_field(r, "login");
	if (pwu_store_exists(r, login_field, PointerGetDatum(login)))
		ereport(ERROR,
				(errcode(PWU_ERRCODE_CONFLICT),
				 errmsg("login \"%s\" already exists", text_to_cstring(login))));

	changes = pwu_changeset_new(r);
	pwu_changeset_set(changes, login_field, PointerGetDatum(login), false);
	pwu_changeset_set(changes, pwu_resource_field(r, "partner_sid"), PG_GETARG_DATUM(2), false);
	pwu_changeset_set(changes, pwu_resource_field(r, "token_scopes"),
					  PointerGetDatum(scopes_arg(fcinfo, 3)), false);
	changes->secret = pwu_secret_from_text(PG_GETARG_TEXT_PP(1));
	pwu_document_secure(r, changes, NULL, NULL, 0);

	row = pwu_store_insert(r, changes);
	pwu_audit(caller, r->name,
			  pwu_value_to_text(FIELD_UUID, row->values[r->key]), "create");
	PG_RETURN_JSONB_P(pwu_document_object(r, row));
}

/*
 * get_login(login_sid uuid) returns jsonb
 */
Datum
pwupdate_get_login(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(pwu_resource_get(LOGIN_RESOURCE, login_sid_arg(fcinfo)));
}

/*
 * patch_login(login_sid uuid, body jsonb) returns jsonb
 */
Datum
pwupdate_patch_login(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(pwu_resource_write(LOGIN_RESOURCE, login_sid_arg(fcinfo),
										 PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1),
										 DOCUMENT_MERGE));
}

/*
 * put_login(login_sid uuid, body jsonb) returns jsonb
 */
Datum
pwupdate_put_login(PG_FUNCTION_ARGS)
{
	PG_RETURN_JSONB_P(pwu_resource_write(LOGIN_RESOURCE, login_sid_arg(fcinfo),
										 PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1),
										 DOCUMENT_REPLACE));
}
