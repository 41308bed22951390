/*-------------------------------------------------------------------------
 *
 * resource.c
 *	  The declarative description of a resource: its table, its key, and
 *	  for each JSON field the column behind it, its JSON type and its access;
 *	  checked against the catalogs.
 *
 * A description is checked in full both when it is registered and each
 * time it is loaded, so a table altered after registration fails loudly
 * instead of being half-understood.  The caller's privileges on the table
 * are only checked at registration.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/catalog.h"
#include "catalog/namespace.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "engine.h"

static const char *const tenant_claims[] = {"sub", "partner_sid", "realm_id"};

/*
 * Set while a registered description is checked again on loading.  A
 * description that no longer fits its table is then the server's fault,
 * not the client's: errors get a class that PostgREST reports as 500.
 */
static bool checking_registered = false;

static int
description_errcode(int code)
{
	return checking_registered ? ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE : code;
}

static void
registered_context(void *arg)
{
	errcontext("checking registered resource \"%s\"", (const char *) arg);
}

/*---- The table ----*/

static void
describe_table(Resource *r, Oid relid, bool registering)
{
	HeapTuple	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Form_pg_class form;
	char	   *nspname;

	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_UNDEFINED_TABLE)),
				 errmsg("table of resource \"%s\" does not exist", r->name),
				 errhint("Unregister the resource, or register it again for another table.")));
	form = (Form_pg_class) GETSTRUCT(tuple);
	r->relid = relid;
	r->owner = form->relowner;
	r->relname = pstrdup(NameStr(form->relname));
	nspname = get_namespace_name(form->relnamespace);
	r->table = quote_qualified_identifier(nspname, r->relname);

	if (form->relkind != RELKIND_RELATION &&
		form->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_WRONG_OBJECT_TYPE)),
				 errmsg("\"%s\" is not a table", r->relname)));
	if (IsCatalogNamespace(form->relnamespace) ||
		IsToastNamespace(form->relnamespace) ||
		strcmp(nspname, "information_schema") == 0)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE)),
				 errmsg("cannot register system table \"%s\"", r->relname)));
	if (registering && !creating_extension && strcmp(nspname, "pwupdate") == 0)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE)),
				 errmsg("cannot register table \"%s\" of schema \"pwupdate\"",
						r->relname),
				 errdetail("The extension's own tables are registered by the extension itself.")));
	ReleaseSysCache(tuple);
}

/*---- Fields ----*/

static void
field_error(const char *name, const char *detail)
{
	ereport(ERROR,
			(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
			 errmsg("invalid description of field \"%s\"", name),
			 errdetail("%s", detail)));
}

static char *
spec_string(JsonbContainer *spec, const char *field, const char *member)
{
	JsonbValue *v = getKeyJsonValueFromContainer(spec, member, strlen(member), NULL);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type != jbvString || v->val.string.len == 0)
		field_error(field, psprintf("Member \"%s\" must be a non-empty string.", member));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* -1 when absent, else 0 or 1 */
static int
spec_bool(JsonbContainer *spec, const char *field, const char *member)
{
	JsonbValue *v = getKeyJsonValueFromContainer(spec, member, strlen(member), NULL);

	if (v == NULL || v->type == jbvNull)
		return -1;
	if (v->type != jbvBool)
		field_error(field, psprintf("Member \"%s\" must be a boolean.", member));
	return v->val.boolean ? 1 : 0;
}

static void
check_spec_members(JsonbContainer *spec, const char *field)
{
	static const char *const known[] = {
		"column", "type", "access", "required", "nullable", "context_word"
	};
	JsonbIterator *it = JsonbIteratorInit(spec);
	JsonbValue	key;
	JsonbIteratorToken token;

	while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		bool		found = false;

		if (token != WJB_KEY)
			continue;
		for (size_t i = 0; i < lengthof(known); i++)
			if (strlen(known[i]) == (size_t) key.val.string.len &&
				memcmp(known[i], key.val.string.val, key.val.string.len) == 0)
				found = true;
		if (!found)
			field_error(field,
						psprintf("Member \"%s\" is not recognized.  Recognized members are \"column\", \"type\", \"access\", \"required\", \"nullable\" and \"context_word\".",
								 pnstrdup(key.val.string.val, key.val.string.len)));
	}
}

static FieldAccess
parse_access(const char *field, const char *access)
{
	if (access != NULL && strcmp(access, "read_only") == 0)
		return ACCESS_READ_ONLY;
	if (access != NULL && strcmp(access, "writable") == 0)
		return ACCESS_WRITABLE;
	if (access != NULL && strcmp(access, "secret") == 0)
		return ACCESS_SECRET;
	field_error(field, "Member \"access\" must be \"read_only\", \"writable\" or \"secret\".");
	pg_unreachable();
}

static FieldType
column_field_type(ResourceField *f, const char *type_name, Oid column_type)
{
	FieldType	type;

	if (type_name == NULL)
	{
		if (!pwu_field_type_infer(column_type, &type))
			ereport(ERROR,
					(errcode(description_errcode(ERRCODE_DATATYPE_MISMATCH)),
					 errmsg("column \"%s\" cannot be described as a field",
							f->column),
					 errdetail("No JSON type fits type %s.",
							   format_type_be(column_type))));
		return type;
	}
	if (!pwu_field_type_from_name(type_name, &type))
		field_error(f->name,
					psprintf("Type \"%s\" is not recognized.  Recognized types are \"string\", \"uuid\", \"integer\", \"boolean\", \"timestamp\", \"string_array\" and \"json\".",
							 type_name));
	if (!pwu_field_type_fits(type, column_type))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_DATATYPE_MISMATCH)),
				 errmsg("column \"%s\" cannot hold field \"%s\"", f->column, f->name),
				 errdetail("Column \"%s\" is of type %s, which does not fit JSON type \"%s\".",
						   f->column, format_type_be(column_type), type_name)));
	return type;
}

/*
 * The rules that tie a field's access to its column and to the other
 * members of its description.
 */
static void
check_field_rules(const ResourceField *f, Form_pg_attribute att, int nullable)
{
	if (f->access == ACCESS_SECRET)
	{
		if (f->type != FIELD_STRING)
			field_error(f->name, "A secret field's column holds a hash, so its type must be \"string\".");
		if (nullable == 1 || f->context_word)
			field_error(f->name, "A secret field can be neither nullable nor a context word.");
	}
	if (nullable == 1 && att->attnotnull)
		field_error(f->name, psprintf("It cannot be nullable: column \"%s\" is NOT NULL.", f->column));
	if (f->context_word && f->type != FIELD_STRING)
		field_error(f->name, "Only string fields can be context words.");
	if (f->access != ACCESS_READ_ONLY &&
		(att->attgenerated != '\0' || att->attidentity == ATTRIBUTE_IDENTITY_ALWAYS))
		field_error(f->name, psprintf("Column \"%s\" is generated by the database, so the field must be read-only.", f->column));
	if (f->access == ACCESS_WRITABLE && !f->required && !f->nullable)
		field_error(f->name, "A writable field must be required or nullable: a replace sets an absent optional field to null.");
}

static void
parse_field(Resource *r, ResourceField *f, JsonbValue *spec_value)
{
	JsonbContainer *spec;
	HeapTuple	tuple;
	Form_pg_attribute att;
	char	   *type_name;
	int			nullable;

	if (spec_value->type != jbvBinary ||
		!JsonContainerIsObject(spec_value->val.binary.data))
		field_error(f->name, "A field is described by a JSON object.");
	spec = spec_value->val.binary.data;
	check_spec_members(spec, f->name);

	f->column = spec_string(spec, f->name, "column");
	if (f->column == NULL)
		f->column = f->name;
	type_name = spec_string(spec, f->name, "type");
	f->access = parse_access(f->name, spec_string(spec, f->name, "access"));
	f->required = spec_bool(spec, f->name, "required") == 1;
	f->context_word = spec_bool(spec, f->name, "context_word") == 1;
	nullable = spec_bool(spec, f->name, "nullable");

	tuple = SearchSysCacheAttName(r->relid, f->column);
	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_UNDEFINED_COLUMN)),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						f->column, r->relname)));
	att = (Form_pg_attribute) GETSTRUCT(tuple);
	f->attnum = att->attnum;
	f->type = column_field_type(f, type_name, att->atttypid);
	f->nullable = f->access != ACCESS_SECRET &&
		(nullable == -1 ? !att->attnotnull : nullable == 1);
	check_field_rules(f, att, nullable);
	ReleaseSysCache(tuple);
}

static void
parse_fields(Resource *r, Jsonb *fields)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken token;
	int			n = 0;

	if (fields == NULL || !JB_ROOT_IS_OBJECT(fields) || JB_ROOT_COUNT(fields) == 0)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("invalid resource description"),
				 errdetail("The fields must be a JSON object with at least one member.")));

	r->fields = palloc0(sizeof(ResourceField) * JB_ROOT_COUNT(fields));
	r->secret = -1;
	it = JsonbIteratorInit(&fields->root);
	while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		ResourceField *f = &r->fields[n];

		if (token != WJB_KEY)
			continue;
		f->name = pnstrdup(v.val.string.val, v.val.string.len);
		if (f->name[0] == '\0')
			field_error(f->name, "A field needs a non-empty name.");
		JsonbIteratorNext(&it, &v, true);
		parse_field(r, f, &v);

		for (int i = 0; i < n; i++)
			if (r->fields[i].attnum == f->attnum)
				ereport(ERROR,
						(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
						 errmsg("column \"%s\" is described by more than one field",
								f->column)));
		if (f->access == ACCESS_SECRET)
		{
			if (r->secret >= 0)
				ereport(ERROR,
						(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
						 errmsg("resource has more than one secret field"),
						 errdetail("Fields \"%s\" and \"%s\" are both secret.",
								   r->fields[r->secret].name, f->name)));
			r->secret = n;
		}
		n++;
	}
	r->nfields = n;
}

/*---- Key, tenant, updated column ----*/

static int
field_of_column(const Resource *r, const char *column)
{
	for (int i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].column, column) == 0)
			return i;
	return -1;
}

static bool
is_key_type(FieldType type)
{
	return type == FIELD_STRING || type == FIELD_UUID || type == FIELD_INTEGER;
}

/* A unique index on exactly this column, with no predicate or expression. */
static bool
column_is_unique(Oid relid, AttrNumber attnum)
{
	Relation	rel = table_open(relid, AccessShareLock);
	List	   *indexes = RelationGetIndexList(rel);
	ListCell   *lc;
	bool		unique = false;

	foreach(lc, indexes)
	{
		HeapTuple	tuple = SearchSysCache1(INDEXRELID,
											ObjectIdGetDatum(lfirst_oid(lc)));
		Form_pg_index index;

		if (!HeapTupleIsValid(tuple))
			continue;
		index = (Form_pg_index) GETSTRUCT(tuple);
		if (index->indisunique && index->indnkeyatts == 1 &&
			index->indkey.values[0] == attnum &&
			heap_attisnull(tuple, Anum_pg_index_indpred, NULL) &&
			heap_attisnull(tuple, Anum_pg_index_indexprs, NULL))
			unique = true;
		ReleaseSysCache(tuple);
	}
	table_close(rel, AccessShareLock);
	return unique;
}

static void
resolve_key(Resource *r, const char *key_column)
{
	ResourceField *f;

	r->key = key_column != NULL ? field_of_column(r, key_column) : -1;
	if (r->key < 0)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("key column \"%s\" is not described by a field",
						key_column ? key_column : ""),
				 errhint("Describe the key column as a read-only field.")));
	f = &r->fields[r->key];
	if (f->access != ACCESS_READ_ONLY || f->required || !is_key_type(f->type))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("invalid key field \"%s\"", f->name),
				 errdetail("The key field must be read-only, not required, and of type \"string\", \"uuid\" or \"integer\".")));
	if (!column_is_unique(r->relid, f->attnum))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_TABLE_DEFINITION)),
				 errmsg("key column \"%s\" is not unique", f->column),
				 errdetail("Table \"%s\" needs a primary key or a unique index on exactly this column.",
						   r->relname)));
}

static ScopeList
parse_scopes(ArrayType *array, const char *what)
{
	ScopeList	list = {false, NIL};
	Datum	   *elements;
	bool	   *nulls;
	int			n;

	if (array == NULL)
		return list;
	list.defined = true;
	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("%s must be a one-dimensional array", what)));
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT,
					  &elements, &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		char	   *scope = nulls[i] ? NULL : TextDatumGetCString(elements[i]);

		if (scope == NULL || scope[0] == '\0' || strchr(scope, ' ') != NULL)
			ereport(ERROR,
					(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
					 errmsg("invalid scope in %s", what),
					 errdetail("A scope is a non-empty string without spaces.")));
		list.names = lappend(list.names, scope);
	}
	return list;
}

static void
resolve_tenant(Resource *r, const char *claim, const char *field)
{
	bool		known = false;

	r->tenant = -1;
	r->tenant_claim = NULL;
	if (claim == NULL && field == NULL)
		return;
	if (claim == NULL || field == NULL)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("tenant_claim and tenant_field must be given together")));
	for (size_t i = 0; i < lengthof(tenant_claims); i++)
		if (strcmp(claim, tenant_claims[i]) == 0)
			known = true;
	if (!known)
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("unrecognized tenant claim \"%s\"", claim),
				 errdetail("Tenant claims are \"sub\", \"partner_sid\" and \"realm_id\".")));
	r->tenant = pwu_resource_field_index(r, field, strlen(field));
	if (r->tenant < 0 || r->fields[r->tenant].access == ACCESS_SECRET ||
		!is_key_type(r->fields[r->tenant].type))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("invalid tenant field \"%s\"", field),
				 errdetail("The tenant field must be a field of the resource, not secret, of type \"string\", \"uuid\" or \"integer\".")));
	r->tenant_claim = pstrdup(claim);
}

static void
resolve_updated_column(Resource *r, const char *column)
{
	HeapTuple	tuple;
	Form_pg_attribute att;
	int			field;

	r->updated_column = NULL;
	if (column == NULL)
		return;
	tuple = SearchSysCacheAttName(r->relid, column);
	if (!HeapTupleIsValid(tuple))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_UNDEFINED_COLUMN)),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, r->relname)));
	att = (Form_pg_attribute) GETSTRUCT(tuple);
	field = field_of_column(r, column);
	if (!pwu_field_type_fits(FIELD_TIMESTAMP, att->atttypid) ||
		att->attgenerated != '\0' ||
		att->attidentity == ATTRIBUTE_IDENTITY_ALWAYS ||
		(field >= 0 && r->fields[field].access != ACCESS_READ_ONLY))
		ereport(ERROR,
				(errcode(description_errcode(ERRCODE_INVALID_PARAMETER_VALUE)),
				 errmsg("invalid updated column \"%s\"", column),
				 errdetail("The updated column must be a timestamp column the database does not generate, and can only be described as a read-only field.")));
	ReleaseSysCache(tuple);
	r->updated_column = pstrdup(column);
}

/*---- Privileges of the registering role ----*/

static void
require_column_privilege(const Resource *r, Oid role, const char *column,
						 AttrNumber attnum, AclMode mode)
{
	if (pg_class_aclcheck(r->relid, role, mode) == ACLCHECK_OK ||
		pg_attribute_aclcheck(r->relid, attnum, role, mode) == ACLCHECK_OK)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for column \"%s\" of table \"%s\"",
					column, r->relname),
			 errdetail("Registering a table needs SELECT on every described column, and UPDATE on the writable, secret and updated columns.")));
}

/*
 * The API functions run with the extension owner's rights, so a role may
 * only register columns it could read and write itself.
 */
static void
check_privileges(const Resource *r)
{
	Oid			role = GetOuterUserId();

	for (int i = 0; i < r->nfields; i++)
	{
		const ResourceField *f = &r->fields[i];

		require_column_privilege(r, role, f->column, f->attnum, ACL_SELECT);
		if (f->access != ACCESS_READ_ONLY)
			require_column_privilege(r, role, f->column, f->attnum, ACL_UPDATE);
	}
	if (r->updated_column != NULL)
		require_column_privilege(r, role, r->updated_column,
								 get_attnum(r->relid, r->updated_column),
								 ACL_UPDATE);
}

/*
 * Build a resource from its specification and check it against the
 * catalogs.  registering: also check the calling role's privileges and
 * that the table is not one of pwupdate's own (unless the extension
 * script itself registers it).
 */
Resource *
pwu_resource_build(const ResourceSpec *spec, bool registering)
{
	Resource   *r = palloc0(sizeof(Resource));
	ErrorContextCallback context;

	r->name = pstrdup(spec->name);
	checking_registered = !registering;
	if (checking_registered)
	{
		context.callback = registered_context;
		context.arg = r->name;
		context.previous = error_context_stack;
		error_context_stack = &context;
	}
	describe_table(r, spec->relid, registering);
	parse_fields(r, spec->fields);
	resolve_key(r, spec->key_column);
	r->read_scopes = parse_scopes(spec->read_scopes, "read_scopes");
	r->write_scopes = parse_scopes(spec->write_scopes, "write_scopes");
	resolve_tenant(r, spec->tenant_claim, spec->tenant_field);
	resolve_updated_column(r, spec->updated_column);

	if (spec->noun != NULL && spec->noun[0] != '\0')
		r->noun = pstrdup(spec->noun);
	else
	{
		r->noun = pstrdup(r->name);
		for (char *p = r->noun; *p; p++)
			if (*p == '_')
				*p = ' ';
	}

	if (registering)
		check_privileges(r);
	else
		error_context_stack = context.previous;
	return r;
}

/* The index of the field with this JSON name, or -1. */
int
pwu_resource_field_index(const Resource *r, const char *name, int len)
{
	for (int i = 0; i < r->nfields; i++)
		if (strlen(r->fields[i].name) == (size_t) len &&
			memcmp(r->fields[i].name, name, len) == 0)
			return i;
	return -1;
}

/*
 * The index of a field the calling code knows its resource has: a missing
 * one is a bug in pwupdate, not in the request.
 */
int
pwu_resource_field(const Resource *r, const char *name)
{
	int			index = pwu_resource_field_index(r, name, strlen(name));

	if (index < 0)
		elog(ERROR, "resource \"%s\" has no field \"%s\"", r->name, name);
	return index;
}
