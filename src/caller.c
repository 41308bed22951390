/*-------------------------------------------------------------------------
 *
 * caller.c
 *	  Who is calling: a user or partner through PostgREST (request claims
 *	  with a subject), an anonymous PostgREST client (claims without one), a
 *	  trusted caller (a role granted pwupdate_admin, in SQL or behind the
 *	  gateway), or someone else.  Every API function decides with this one piece of code.
 *
 * The role that counts is the one in effect outside any SECURITY DEFINER
 * switch: the role a SQL client logged in or SET ROLE as, or the one
 * PostgREST switched to.  Claims are read only when the login role is a
 * member of pwupdate_gateway.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/varlena.h"

#include "pwupdate.h"

#define ADMIN_ROLE "pwupdate_admin"
#define GATEWAY_ROLE "pwupdate_gateway"

/*
 * Read a JSON setting such as request.jwt.claims.  NULL when unset, empty
 * (PostgREST leaves '' behind on a reused connection) or not an object.
 */
static Jsonb *
json_setting(const char *name)
{
	const char *value = GetConfigOption(name, true, false);
	Jsonb	   *json;

	if (value == NULL || value[0] == '\0')
		return NULL;
	json = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
											  CStringGetDatum(value)));
	if (!JB_ROOT_IS_OBJECT(json) || JB_ROOT_COUNT(json) == 0)
		return NULL;
	return json;
}

/* A claim as text: strings as they are, numbers in their JSON spelling. */
static char *
claim_text(Jsonb *claims, const char *key)
{
	JsonbValue *value = pwu_jsonb_get(claims, key);

	if (value == NULL)
		return NULL;
	if (value->type == jbvString)
		return value->val.string.len > 0 ?
			pnstrdup(value->val.string.val, value->val.string.len) : NULL;
	if (value->type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out,
												   NumericGetDatum(value->val.numeric)));
	return NULL;
}

/*
 * Scopes come as a space-separated "scope" string (OAuth) or a "scopes"
 * array; both are honoured.
 */
static List *
claim_scopes(Jsonb *claims)
{
	List	   *scopes = NIL;
	char	   *scope = pwu_jsonb_get_string(claims, "scope");
	JsonbValue *array = pwu_jsonb_get(claims, "scopes");

	if (scope != NULL)
	{
		char	   *token;
		char	   *saveptr = NULL;

		for (token = strtok_r(scope, " ", &saveptr); token != NULL;
			 token = strtok_r(NULL, " ", &saveptr))
			scopes = lappend(scopes, token);
	}
	if (array != NULL && array->type == jbvBinary)
	{
		JsonbIterator *it = JsonbIteratorInit(array->val.binary.data);
		JsonbValue	element;
		JsonbIteratorToken token;

		while ((token = JsonbIteratorNext(&it, &element, true)) != WJB_DONE)
			if (token == WJB_ELEM && element.type == jbvString)
				scopes = lappend(scopes, pnstrdup(element.val.string.val,
												  element.val.string.len));
	}
	return scopes;
}

static bool
is_member_of(Oid role, const char *group)
{
	Oid			group_oid = get_role_oid(group, true);

	return OidIsValid(group_oid) && is_member_of_role(role, group_oid);
}

/* Membership by grant: a superuser's membership of every role does not count. */
static bool
is_granted(Oid role, const char *group)
{
	Oid			group_oid = get_role_oid(group, true);

	return OidIsValid(group_oid) && is_member_of_role_nosuper(role, group_oid);
}

/*
 * Claims count only when the login role is a gateway such as PostgREST's
 * authenticator.  Anyone can set request.jwt.claims in their own session; a
 * client that logs in as another role and does so gets no one's identity.
 */
static Jsonb *
gateway_claims(void)
{
	if (!is_member_of(GetSessionUserId(), GATEWAY_ROLE))
		return NULL;
	return json_setting("request.jwt.claims");
}

/*
 * Find out who is calling the current API function.
 */
Caller *
pwu_current_caller(void)
{
	Caller	   *caller = palloc0(sizeof(Caller));
	Jsonb	   *claims = gateway_claims();
	const char *method = GetConfigOption("request.method", true, false);

	caller->role = GetOuterUserId();
	caller->via_http = method != NULL && method[0] != '\0';
	caller->headers = json_setting("request.headers");
	caller->cookies = json_setting("request.cookies");

	if (claims == NULL)
	{
		caller->kind = is_member_of(caller->role, ADMIN_ROLE) ?
			CALLER_TRUSTED : CALLER_UNTRUSTED;
		return caller;
	}

	caller->sub = claim_text(claims, "sub");
	caller->partner_sid = claim_text(claims, "partner_sid");
	caller->realm_id = claim_text(claims, "realm_id");
	caller->scopes = claim_scopes(claims);
	caller->kind = caller->sub != NULL ? CALLER_USER : CALLER_ANONYMOUS;

	/*
	 * A back office behind the gateway: its JWT names a role the DBA granted
	 * pwupdate_admin.  A superuser's implicit membership does not count
	 * here, so a superuser session trying out claims is their subject.
	 */
	if (is_granted(caller->role, ADMIN_ROLE))
		caller->kind = CALLER_TRUSTED;
	return caller;
}

/*
 * Refuse anyone but a trusted caller.
 */
void
pwu_require_trusted(const Caller *caller)
{
	if (caller->kind != CALLER_TRUSTED)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_PERMISSION_DENIED),
				 errmsg("permission denied for trusted-only function"),
				 errdetail("Only roles granted \"%s\" can use it.", ADMIN_ROLE)));
}

/*
 * Refuse callers that have no identity at all: anonymous clients and SQL
 * roles outside pwupdate_admin.  Functions for which a secret in the request
 * is the proof do not call this.
 */
void
pwu_require_identity(const Caller *caller)
{
	if (caller->kind == CALLER_ANONYMOUS)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNAUTHENTICATED),
				 errmsg("authentication required")));
	if (caller->kind == CALLER_UNTRUSTED)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_PERMISSION_DENIED),
				 errmsg("permission denied"),
				 errdetail("Call with request claims, or as a member of role \"%s\".",
						   ADMIN_ROLE)));
}

bool
pwu_caller_has_scope(const Caller *caller, const char *scope)
{
	ListCell   *lc;

	foreach(lc, caller->scopes)
		if (strcmp((char *) lfirst(lc), scope) == 0)
			return true;
	return false;
}

/* A request header; names are lower-case, as PostgREST passes them. */
char *
pwu_caller_header(const Caller *caller, const char *name)
{
	return pwu_jsonb_get_string(caller->headers, name);
}

char *
pwu_caller_cookie(const Caller *caller, const char *name)
{
	return pwu_jsonb_get_string(caller->cookies, name);
}

static const char *
caller_kind_name(CallerKind kind)
{
	switch (kind)
	{
		case CALLER_TRUSTED:
			return "trusted";
		case CALLER_USER:
			return "user";
		case CALLER_ANONYMOUS:
			return "anonymous";
		case CALLER_UNTRUSTED:
			return "untrusted";
	}
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(pwupdate_current_caller);

/*
 * current_caller() returns jsonb
 *
 * How pwupdate sees the current caller, for checking a gateway set-up.
 * Holds no secret: headers and cookies are not shown.
 */
Datum
pwupdate_current_caller(PG_FUNCTION_ARGS)
{
	Caller	   *caller = pwu_current_caller();
	JsonbParseState *state = NULL;
	JsonbValue *result;
	ListCell   *lc;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "kind", caller_kind_name(caller->kind));
	pwu_jsonb_push_string(&state, "role", GetUserNameFromId(caller->role, true));
	pwu_jsonb_push_string(&state, "sub", caller->sub);
	pwu_jsonb_push_string(&state, "partner_sid", caller->partner_sid);
	pwu_jsonb_push_string(&state, "realm_id", caller->realm_id);
	pwu_jsonb_push_string(&state, "channel", caller->via_http ? "postgrest" : "sql");

	pwu_jsonb_push_key(&state, "scopes");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	foreach(lc, caller->scopes)
	{
		JsonbValue	scope;

		scope.type = jbvString;
		scope.val.string.val = lfirst(lc);
		scope.val.string.len = strlen(lfirst(lc));
		pushJsonbValue(&state, WJB_ELEM, &scope);
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	PG_RETURN_JSONB_P(JsonbValueToJsonb(result));
}

/*
 * A function that created something answers 201 Created through PostgREST
 * (PostgREST reads response.status after the call); SQL callers see no
 * difference.
 */
void
pwu_respond_created(const Caller *caller)
{
	if (caller->via_http)
		(void) set_config_option("response.status", "201", PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
}
