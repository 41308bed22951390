/*-------------------------------------------------------------------------
 *
 * registry.c
 *	  The registry of resources, table pwupdate.resource: loading a
 *	  description by name, and the trusted-only functions that register a
 *	  table (the extension's own, or a DBA's) and unregister it.
 *
 * A row holds the description as registered, with the fields normalized
 * (every member spelt out, the JSON types the columns got), so that what
 * the registry shows is exactly what the engine applies.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "engine.h"

PG_FUNCTION_INFO_V1(pwupdate_register_resource);
PG_FUNCTION_INFO_V1(pwupdate_unregister_resource);

static const char *const access_names[] = {
	[ACCESS_READ_ONLY] = "read_only",
	[ACCESS_WRITABLE] = "writable",
	[ACCESS_SECRET] = "secret",
};

/* Copy a by-reference column out of SPI memory, detoasted; NULL if null. */
static void *
copy_varlena(HeapTuple tuple, TupleDesc desc, int column,
			 MemoryContext target)
{
	bool		isnull;
	Datum		value = SPI_getbinval(tuple, desc, column, &isnull);
	MemoryContext old;
	void	   *copy;

	if (isnull)
		return NULL;
	old = MemoryContextSwitchTo(target);
	copy = PG_DETOAST_DATUM_COPY(value);
	MemoryContextSwitchTo(old);
	return copy;
}

static char *
copy_text(HeapTuple tuple, TupleDesc desc, int column, MemoryContext target)
{
	text	   *t = copy_varlena(tuple, desc, column, target);
	MemoryContext old;
	char	   *s;

	if (t == NULL)
		return NULL;
	old = MemoryContextSwitchTo(target);
	s = text_to_cstring(t);
	MemoryContextSwitchTo(old);
	return s;
}

/*
 * Load and check the description of a registered resource.  A name that
 * is not registered is the "not found" class: for the generic API it is a
 * path segment like any other.
 */
Resource *
pwu_resource_load(const char *name)
{
	MemoryContext caller_cxt = CurrentMemoryContext;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	ResourceSpec spec;
	HeapTuple	tuple;
	TupleDesc	desc;
	bool		isnull;

	if (name == NULL)
		pwu_not_found_error("resource");
	values[0] = CStringGetTextDatum(name);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT table_name::pg_catalog.oid, key_column::pg_catalog.text, "
							  "fields, noun, read_scopes, write_scopes, tenant_claim, "
							  "tenant_field, updated_column::pg_catalog.text "
							  "FROM pwupdate.resource WHERE name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.resource");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_NOT_FOUND),
				 errmsg("resource \"%s\" does not exist", name)));

	tuple = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	memset(&spec, 0, sizeof(spec));
	spec.name = MemoryContextStrdup(caller_cxt, name);
	spec.relid = DatumGetObjectId(SPI_getbinval(tuple, desc, 1, &isnull));
	spec.key_column = copy_text(tuple, desc, 2, caller_cxt);
	spec.fields = copy_varlena(tuple, desc, 3, caller_cxt);
	spec.noun = copy_text(tuple, desc, 4, caller_cxt);
	spec.read_scopes = copy_varlena(tuple, desc, 5, caller_cxt);
	spec.write_scopes = copy_varlena(tuple, desc, 6, caller_cxt);
	spec.tenant_claim = copy_text(tuple, desc, 7, caller_cxt);
	spec.tenant_field = copy_text(tuple, desc, 8, caller_cxt);
	spec.updated_column = copy_text(tuple, desc, 9, caller_cxt);
	SPI_finish();

	return pwu_resource_build(&spec, false);
}

/*
 * The fields of a resource with every member spelt out, as they are
 * stored in the registry.
 */
Jsonb *
pwu_resource_fields_jsonb(const Resource *r)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (int i = 0; i < r->nfields; i++)
	{
		const ResourceField *f = &r->fields[i];

		pwu_jsonb_push_key(&state, f->name);
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		pwu_jsonb_push_string(&state, "column", f->column);
		pwu_jsonb_push_string(&state, "type", pwu_field_type_name(f->type));
		pwu_jsonb_push_string(&state, "access", access_names[f->access]);
		pwu_jsonb_push_bool(&state, "required", f->required);
		pwu_jsonb_push_bool(&state, "nullable", f->nullable);
		pwu_jsonb_push_bool(&state, "context_word", f->context_word);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}

static void
check_resource_name(const char *name)
{
	bool		valid = name[0] >= 'a' && name[0] <= 'z' && strlen(name) < NAMEDATALEN;

	for (const char *p = name; *p && valid; p++)
		valid = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (!valid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid resource name \"%s\"", name),
				 errdetail("A resource name starts with a lower-case letter and has only lower-case letters, digits and underscores.")));
}

static char *
optional_text(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/* True while this extension's own script runs. */
static bool
in_extension_script(void)
{
	return creating_extension &&
		CurrentExtensionObject == get_extension_oid("pwupdate", true);
}

static Jsonb *
insert_resource(const ResourceSpec *spec, const Resource *r)
{
	MemoryContext caller_cxt = CurrentMemoryContext;
	Oid			argtypes[11] = {TEXTOID, OIDOID, TEXTOID, JSONBOID, TEXTOID,
		TEXTARRAYOID, TEXTARRAYOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID};
	Datum		values[11];
	char		nulls[11];
	Jsonb	   *stored;
	Jsonb	   *result;
	bool		isnull;

	memset(nulls, ' ', sizeof(nulls));
	values[0] = CStringGetTextDatum(r->name);
	values[1] = ObjectIdGetDatum(r->relid);
	values[2] = CStringGetTextDatum(r->fields[r->key].column);
	values[3] = JsonbPGetDatum(pwu_resource_fields_jsonb(r));
	values[4] = CStringGetTextDatum(r->noun);
	values[5] = PointerGetDatum(spec->read_scopes);
	nulls[5] = spec->read_scopes ? ' ' : 'n';
	values[6] = PointerGetDatum(spec->write_scopes);
	nulls[6] = spec->write_scopes ? ' ' : 'n';
	values[7] = r->tenant_claim ? CStringGetTextDatum(r->tenant_claim) : (Datum) 0;
	nulls[7] = r->tenant_claim ? ' ' : 'n';
	values[8] = r->tenant >= 0 ? CStringGetTextDatum(r->fields[r->tenant].name) : (Datum) 0;
	nulls[8] = r->tenant >= 0 ? ' ' : 'n';
	values[9] = r->updated_column ? CStringGetTextDatum(r->updated_column) : (Datum) 0;
	nulls[9] = r->updated_column ? ' ' : 'n';
	values[10] = BoolGetDatum(in_extension_script());

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT 1 FROM pwupdate.resource WHERE name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.resource");
	if (SPI_processed > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("resource \"%s\" already exists", r->name),
				 errhint("Unregister it first with pwupdate.unregister_resource().")));
	if (SPI_execute_with_args("INSERT INTO pwupdate.resource AS r "
							  "(name, table_name, key_column, fields, noun, read_scopes, "
							  "write_scopes, tenant_claim, tenant_field, updated_column, builtin) "
							  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
							  "RETURNING pg_catalog.to_jsonb(r.*) OPERATOR(pg_catalog.-) 'builtin'",
							  11, argtypes, values, nulls, false, 0) != SPI_OK_INSERT_RETURNING)
		elog(ERROR, "could not write to pwupdate.resource");
	stored = DatumGetJsonbP(SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &isnull));
	result = (Jsonb *) MemoryContextAlloc(caller_cxt, VARSIZE(stored));
	memcpy(result, stored, VARSIZE(stored));
	SPI_finish();
	return result;
}

/*
 * register_resource(name text, table_name regclass, key_column name,
 *					 fields jsonb, noun text, read_scopes text[],
 *					 write_scopes text[], tenant_claim text,
 *					 tenant_field text, updated_column name) returns jsonb
 *
 * Describe a table so that pwupdate.get/patch/put/check_password work on
 * it.  Trusted callers only; returns the description as stored.
 */
Datum
pwupdate_register_resource(PG_FUNCTION_ARGS)
{
	ResourceSpec spec;
	Resource   *r;

	pwu_require_trusted(pwu_current_caller());
	(void) pwu_required_arg(fcinfo, 0, "name");
	(void) pwu_required_arg(fcinfo, 1, "table_name");
	(void) pwu_required_arg(fcinfo, 2, "key_column");
	(void) pwu_required_arg(fcinfo, 3, "fields");

	memset(&spec, 0, sizeof(spec));
	spec.name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	check_resource_name(spec.name);
	spec.relid = PG_GETARG_OID(1);
	spec.key_column = pstrdup(NameStr(*PG_GETARG_NAME(2)));
	spec.fields = PG_GETARG_JSONB_P(3);
	spec.noun = optional_text(fcinfo, 4);
	spec.read_scopes = PG_ARGISNULL(5) ? NULL : PG_GETARG_ARRAYTYPE_P(5);
	spec.write_scopes = PG_ARGISNULL(6) ? NULL : PG_GETARG_ARRAYTYPE_P(6);
	spec.tenant_claim = optional_text(fcinfo, 7);
	spec.tenant_field = optional_text(fcinfo, 8);
	spec.updated_column = PG_ARGISNULL(9) ? NULL :
		pstrdup(NameStr(*PG_GETARG_NAME(9)));

	r = pwu_resource_build(&spec, true);
	PG_RETURN_JSONB_P(insert_resource(&spec, r));
}

/*
 * unregister_resource(name text) returns boolean
 *
 * Forget a DBA's resource; false when there was none of that name.  The
 * extension's own resources stay.
 */
Datum
pwupdate_unregister_resource(PG_FUNCTION_ARGS)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	bool		builtin = false;
	bool		found;
	bool		isnull;

	pwu_require_trusted(pwu_current_caller());
	(void) pwu_required_arg(fcinfo, 0, "name");
	values[0] = PointerGetDatum(PG_GETARG_TEXT_PP(0));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT builtin FROM pwupdate.resource "
							  "WHERE name OPERATOR(pg_catalog.=) $1 FOR UPDATE",
							  1, argtypes, values, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.resource");
	found = SPI_processed > 0;
	if (found)
		builtin = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
											 SPI_tuptable->tupdesc, 1, &isnull));
	if (builtin)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cannot unregister resource \"%s\"",
						text_to_cstring(PG_GETARG_TEXT_PP(0))),
				 errdetail("The resource belongs to extension \"pwupdate\".")));
	if (found &&
		SPI_execute_with_args("DELETE FROM pwupdate.resource WHERE name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, values, NULL, false, 0) != SPI_OK_DELETE)
		elog(ERROR, "could not delete from pwupdate.resource");
	SPI_finish();
	PG_RETURN_BOOL(found);
}
