/*-------------------------------------------------------------------------
 *
 * authorize.c
 *	  Who may use a resource, as its description says: the scopes a claims
 *	  caller needs to read or to change it, and the tenant claim a row must
 *	  match.  Trusted SQL callers may act on every row.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"

#include "engine.h"

static bool
has_any_scope(const Caller *caller, const ScopeList *list)
{
	ListCell   *lc;

	foreach(lc, list->names)
		if (pwu_caller_has_scope(caller, lfirst(lc)))
			return true;
	return false;
}

static char *
scope_names(const ScopeList *a, const ScopeList *b)
{
	StringInfoData buf;
	const ScopeList *lists[2] = {a, b};

	initStringInfo(&buf);
	for (int i = 0; i < 2; i++)
	{
		ListCell   *lc;

		if (lists[i] == NULL)
			continue;
		foreach(lc, lists[i]->names)
			appendStringInfo(&buf, "%s\"%s\"", buf.len > 0 ? ", " : "",
							 (char *) lfirst(lc));
	}
	return buf.data;
}

/*
 * Refuse a caller that may not read (write = false) or change a resource
 * at all: anonymous and untrusted callers, and claims callers without one
 * of the scopes.  Whether a given row is theirs is decided once it is read.
 *
 * Reads accept the read scopes and the write scopes.  A list that is not
 * defined keeps every claims caller out; a defined empty list asks for no
 * scope.
 */
void
pwu_resource_authorize(const Resource *r, const Caller *caller, bool write)
{
	const ScopeList *extra = write ? NULL : &r->read_scopes;
	bool		defined = r->write_scopes.defined || (extra && extra->defined);
	bool		open;

	pwu_require_identity(caller);
	if (caller->kind == CALLER_TRUSTED)
		return;

	if (!defined)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_FORBIDDEN),
				 errmsg("permission denied for %s", r->noun),
				 errdetail("Only trusted SQL callers can %s it.",
						   write ? "change" : "read")));

	open = (r->write_scopes.defined && r->write_scopes.names == NIL) ||
		(extra && extra->defined && extra->names == NIL);
	if (open || has_any_scope(caller, &r->write_scopes) ||
		(extra && has_any_scope(caller, extra)))
		return;

	if (list_length(r->write_scopes.names) +
		(extra ? list_length(extra->names) : 0) == 1)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_FORBIDDEN),
				 errmsg("missing required scope"),
				 errdetail("Scope %s is required.",
						   scope_names(&r->write_scopes, extra))));
	ereport(ERROR,
			(errcode(PWU_ERRCODE_FORBIDDEN),
			 errmsg("missing required scope"),
			 errdetail("One of the scopes %s is required.",
					   scope_names(&r->write_scopes, extra))));
}

/*
 * Whether a row belongs to the caller's tenant.  Trusted callers see every
 * row; a claims caller without the tenant claim sees none.  Callers report
 * a row that is not theirs exactly as a missing one.
 */
bool
pwu_resource_visible(const Resource *r, const Caller *caller,
					 const ResourceRow *row)
{
	const ResourceField *f;
	const char *claim;
	Datum		value;

	if (caller->kind == CALLER_TRUSTED || r->tenant < 0)
		return true;
	if (strcmp(r->tenant_claim, "sub") == 0)
		claim = caller->sub;
	else if (strcmp(r->tenant_claim, "partner_sid") == 0)
		claim = caller->partner_sid;
	else
		claim = caller->realm_id;
	f = &r->fields[r->tenant];
	if (claim == NULL || !pwu_value_from_text(f->type, claim, &value))
		return false;
	return pwu_value_equal(f->type, value, false,
						   row->values[r->tenant], row->isnull[r->tenant]);
}
