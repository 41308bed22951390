/*-------------------------------------------------------------------------
 *
 * engine.h
 *	  The resource engine: a declarative description of a table behind a
 *	  JSON object, and the pieces that apply a request body to one of its
 *	  rows in merge (PATCH) or replace (PUT) mode.
 *
 * The pieces are meant to be used separately by API files that wrap the
 * object in an envelope of their own (JSON:API "data", "attributes"):
 *
 *	 - resource.c:	the description (fields, key, access),
 *					checked against the catalogs;
 *	 - authorize.c: scopes and tenant, from the description;
 *	 - registry.c:	the registry table pwupdate.resource and its functions;
 *	 - value.c:		JSON values <-> column values, one field type at a time;
 *	 - document.c:	body + current row + mode -> change set, the secret's
 *					policy and hash, and the response object;
 *	 - store.c:		SPI: lock and read a row, write only the changed columns;
 *	 - api_resource.c: the whole flow, and the generic SQL functions.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PWUPDATE_ENGINE_H
#define PWUPDATE_ENGINE_H

#include "access/attnum.h"
#include "utils/array.h"
#include "utils/jsonb.h"

#include "pwupdate.h"

/*---- Descriptions (resource.c) ----*/

/*
 * JSON type of a field.  Each has one canonical SQL type that the store
 * reads and writes (value.c): a column of any fitting type is cast to it.
 */
typedef enum FieldType
{
	FIELD_STRING,				/* text; any string-category column */
	FIELD_UUID,					/* uuid */
	FIELD_INTEGER,				/* int8; smallint, integer, bigint columns */
	FIELD_BOOLEAN,				/* boolean */
	FIELD_TIMESTAMP,			/* timestamptz; ISO 8601 with milliseconds */
	FIELD_STRING_ARRAY,			/* text[]; any array of strings */
	FIELD_JSON					/* jsonb: any JSON value */
} FieldType;

#define FIELD_TYPE_COUNT (FIELD_JSON + 1)

typedef enum FieldAccess
{
	ACCESS_READ_ONLY,			/* shown; in a body only with its current value */
	ACCESS_WRITABLE,			/* shown and changeable */
	ACCESS_SECRET				/* write-only: policy-checked, hashed, never shown */
} FieldAccess;

typedef struct ResourceField
{
	char	   *name;			/* JSON member name */
	char	   *column;			/* column behind it */
	AttrNumber	attnum;
	FieldType	type;
	FieldAccess access;
	bool		required;		/* must be present in a replace */
	bool		nullable;		/* JSON null accepted */
	bool		context_word;	/* the secret must not contain its value */
} ResourceField;

/*
 * Scopes a claims caller needs.  An undefined list refuses every claims
 * caller; a defined empty list asks for no scope at all.
 */
typedef struct ScopeList
{
	bool		defined;
	List	   *names;			/* char * */
} ScopeList;

typedef struct Resource
{
	char	   *name;			/* registry name, e.g. "partner_login" */
	char	   *noun;			/* what errors call one, e.g. "login" */
	Oid			relid;
	Oid			owner;			/* the store runs as the table's owner */
	char	   *table;			/* quoted, schema-qualified name */
	char	   *relname;		/* plain name, for messages */
	int			nfields;
	ResourceField *fields;
	int			key;			/* index of the key field */
	int			secret;			/* index of the secret field, or -1 */
	ScopeList	read_scopes;	/* for reads, besides write_scopes */
	ScopeList	write_scopes;
	char	   *tenant_claim;	/* "sub", "partner_sid", "realm_id" or NULL */
	int			tenant;			/* index of the field the claim must equal */
	char	   *updated_column; /* set to now() on every write, or NULL */
} Resource;

/*
 * What a registration or the registry says about a resource, before it is
 * checked against the catalogs.  Scope arrays may be NULL (undefined).
 */
typedef struct ResourceSpec
{
	char	   *name;
	Oid			relid;
	char	   *key_column;
	Jsonb	   *fields;
	char	   *noun;
	ArrayType  *read_scopes;
	ArrayType  *write_scopes;
	char	   *tenant_claim;
	char	   *tenant_field;
	char	   *updated_column;
} ResourceSpec;

extern Resource *pwu_resource_build(const ResourceSpec *spec, bool registering);
extern int	pwu_resource_field_index(const Resource *resource, const char *name,
									 int len);
extern int	pwu_resource_field(const Resource *resource, const char *name);

/*---- The registry (registry.c) ----*/
extern Resource *pwu_resource_load(const char *name);
extern Jsonb *pwu_resource_fields_jsonb(const Resource *resource);

/*---- Field values (value.c) ----*/
extern const char *pwu_field_type_name(FieldType type);
extern bool pwu_field_type_from_name(const char *name, FieldType *type);
extern bool pwu_field_type_fits(FieldType type, Oid column_type);
extern bool pwu_field_type_infer(Oid column_type, FieldType *type);
extern Oid	pwu_field_type_oid(FieldType type);
extern const char *pwu_field_type_sql(FieldType type);

extern Datum pwu_value_from_json(const ResourceField *field,
								 const JsonbValue *value, const char *pointer);
extern bool pwu_value_from_text(FieldType type, const char *text, Datum *value);
extern char *pwu_value_to_text(FieldType type, Datum value);
extern bool pwu_value_equal(FieldType type, Datum a, bool a_null,
							Datum b, bool b_null);
extern void pwu_value_push(JsonbParseState **state, FieldType type,
						   Datum value, bool isnull);

/*---- Rows and change sets (document.c) ----*/

/* One row as the engine sees it: one value per field, secrets left out. */
typedef struct ResourceRow
{
	Datum	   *values;
	bool	   *isnull;
} ResourceRow;

typedef enum DocumentMode
{
	DOCUMENT_MERGE,				/* PATCH: only the fields sent change */
	DOCUMENT_REPLACE,			/* PUT: the body is the whole object */
	DOCUMENT_UPDATE,			/* PUT whose absent optional fields keep
								 * their values: required fields and the key
								 * as in a replace, the rest as in a merge */
	DOCUMENT_ACTION				/* a request to act on the object (a password
								 * reset): required fields must be present,
								 * read-only ones cannot be sent at all, absent
								 * ones are left alone; no current row */
} DocumentMode;

/*
 * The columns a body changes.  The secret travels in plaintext only until
 * pwu_document_secure() has checked and hashed it.
 */
typedef struct ChangeSet
{
	int			nchanges;
	int		   *fields;			/* field indexes, never the secret's */
	Datum	   *values;
	bool	   *isnull;
	Secret	   *secret;			/* new plaintext of the secret field */
	char	   *secret_hash;	/* its hash, once secured */
} ChangeSet;

extern ChangeSet *pwu_changeset_new(const Resource *resource);
extern void pwu_changeset_set(ChangeSet *changes, int field, Datum value,
							  bool isnull);
extern bool pwu_changeset_is_empty(const ChangeSet *changes);

extern ChangeSet *pwu_document_read(const Resource *resource,
									const JsonbValue *body,
									const char *pointer,
									const ResourceRow *current,
									DocumentMode mode,
									const List *consumed);
extern void pwu_document_secure(const Resource *resource, ChangeSet *changes,
								const ResourceRow *current,
								const ContextWord *extra, int nextra);
extern void pwu_document_push_fields(JsonbParseState **state,
									 const Resource *resource,
									 const ResourceRow *row);
extern Jsonb *pwu_document_object(const Resource *resource,
								  const ResourceRow *row);
extern void pwu_read_only_error(const char *pointer) pg_attribute_noreturn();

/*---- Authorization (authorize.c) ----*/
extern void pwu_resource_authorize(const Resource *resource,
								   const Caller *caller, bool write);
extern bool pwu_resource_visible(const Resource *resource, const Caller *caller,
								 const ResourceRow *row);

/*---- Storage (store.c) ----*/
extern ResourceRow *pwu_store_fetch(const Resource *resource, Datum key,
									bool lock);
extern ResourceRow *pwu_store_update(const Resource *resource, Datum key,
									 const ChangeSet *changes);
extern ResourceRow *pwu_store_insert(const Resource *resource,
									 const ChangeSet *changes);
extern bool pwu_store_exists(const Resource *resource, int field, Datum value);
extern char *pwu_store_fetch_secret(const Resource *resource, Datum key,
									bool *found);
extern bool pwu_store_replace_secret(const Resource *resource, Datum key,
									 const char *old_hash,
									 const char *new_hash);

/* Statements of other files, run as the store runs its own. */
typedef struct StoreCall StoreCall;

extern StoreCall *pwu_store_begin(const Resource *resource);
extern void pwu_store_run(const Resource *resource, const char *sql, int nargs,
						  Oid *argtypes, Datum *values, const char *nulls,
						  bool read_only, int expected);
extern void pwu_store_end(StoreCall *call);

/*---- The whole flow (api_resource.c) ----*/
extern Jsonb *pwu_resource_get(const char *resource_name, const char *id);
extern Jsonb *pwu_resource_write(const char *resource_name, const char *id,
								 Jsonb *body, DocumentMode mode);

#endif							/* PWUPDATE_ENGINE_H */
