/*-------------------------------------------------------------------------
 *
 * reset_json.c
 *	  The JSON:API side of customer password resets: reading a reset
 *	  request's body, and building the resource object every response
 *	  returns, in the seed's shape.
 *
 * Every level of the body goes through the engine's document reader
 * (document.c), each against a small description: the document ("data"),
 * the resource object ("type", "id", "attributes") and the attributes.
 * The attributes are read as an action (DOCUMENT_ACTION): the new password
 * and the token are required, reference_origin is optional, and the
 * read-only attributes are refused whatever their value, since comparing
 * them with the stored reset would tell a caller who has not yet shown the
 * token what the reset holds.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "reset.h"

#define RESET_TYPE "customer_password_resets"
#define RESET_PATH "/api/customer_password_resets/"

/* Random bytes of a trace id, shown as twice as many hex digits */
#define TRACE_ID_BYTES 32

/*---- Descriptions ----*/

/*
 * The attributes of a reset: first the ones every response shows, in the
 * seed's order, then the ones only a request sends.
 */
enum
{
	ATTR_CUSTOMER_EMAIL,
	ATTR_RESET_PASSWORD_TOKEN,
	ATTR_RESET_PASSWORD_AT,
	ATTR_CREATED_AT,
	ATTR_UPDATED_AT,
	ATTR_REFERENCE,
	ATTR_REFERENCE_ORIGIN,
	ATTR_METADATA,
	ATTR_SHOWN,					/* how many a response shows */
	ATTR_CUSTOMER_PASSWORD = ATTR_SHOWN,
	ATTR_TOKEN,
	ATTR_COUNT
};

#define READ_ONLY(n, t) \
	{.name = (n), .type = (t), .access = ACCESS_READ_ONLY, .nullable = true}

static ResourceField attribute_fields[ATTR_COUNT] = {
	[ATTR_CUSTOMER_EMAIL] = READ_ONLY("customer_email", FIELD_STRING),
	[ATTR_RESET_PASSWORD_TOKEN] = READ_ONLY("reset_password_token", FIELD_STRING),
	[ATTR_RESET_PASSWORD_AT] = READ_ONLY("reset_password_at", FIELD_TIMESTAMP),
	[ATTR_CREATED_AT] = READ_ONLY("created_at", FIELD_TIMESTAMP),
	[ATTR_UPDATED_AT] = READ_ONLY("updated_at", FIELD_TIMESTAMP),
	/* Set by the trusted caller that creates the reset */
	[ATTR_REFERENCE] = READ_ONLY("reference", FIELD_STRING),
	[ATTR_REFERENCE_ORIGIN] = {.name = "reference_origin", .type = FIELD_STRING,
	.access = ACCESS_WRITABLE, .nullable = true},
	[ATTR_METADATA] = READ_ONLY("metadata", FIELD_JSON),
	[ATTR_CUSTOMER_PASSWORD] = {.name = "customer_password", .type = FIELD_STRING,
	.access = ACCESS_SECRET, .required = true},
	[ATTR_TOKEN] = {.name = "_reset_password_token", .type = FIELD_STRING,
	.access = ACCESS_WRITABLE, .required = true},
};

static Resource attributes = {
	.name = "customer_password_reset",
	.noun = "customer password reset",
	.nfields = ATTR_COUNT,
	.fields = attribute_fields,
	.key = -1,
	.secret = ATTR_CUSTOMER_PASSWORD,
	.tenant = -1,
};

/* The resource object around the attributes */
enum
{
	DATA_TYPE,
	DATA_ID,
	DATA_ATTRIBUTES,
	DATA_COUNT
};

static ResourceField data_fields[DATA_COUNT] = {
	[DATA_TYPE] = {.name = "type", .type = FIELD_STRING,
	.access = ACCESS_WRITABLE, .required = true},
	[DATA_ID] = {.name = "id", .type = FIELD_STRING,
	.access = ACCESS_WRITABLE, .required = true},
	[DATA_ATTRIBUTES] = {.name = "attributes", .type = FIELD_JSON,
	.access = ACCESS_WRITABLE, .required = true},
};

static Resource resource_object = {
	.name = "customer_password_reset",
	.noun = "customer password reset",
	.nfields = DATA_COUNT,
	.fields = data_fields,
	.key = -1,
	.secret = -1,
	.tenant = -1,
};

/* The top-level document around the resource object */
enum
{
	DOC_DATA,
	DOC_COUNT
};

static ResourceField document_fields[DOC_COUNT] = {
	[DOC_DATA] = {.name = "data", .type = FIELD_JSON,
	.access = ACCESS_WRITABLE, .required = true},
};

static Resource document = {
	.name = "customer_password_reset",
	.noun = "customer password reset",
	.nfields = DOC_COUNT,
	.fields = document_fields,
	.key = -1,
	.secret = -1,
	.tenant = -1,
};

/* The description of a reset's attributes, for the new password's policy check. */
const Resource *
pwu_reset_attributes(void)
{
	return &attributes;
}

/*---- Reading a request ----*/

/* A jsonb document as the value the document reader takes; NULL stays. */
static JsonbValue *
as_value(Jsonb *jb, JsonbValue *value)
{
	if (jb == NULL)
		return NULL;
	value->type = jbvBinary;
	value->val.binary.data = &jb->root;
	value->val.binary.len = VARSIZE(jb) - VARHDRSZ;
	return value;
}

/* The value a read level gave a field; false when it was not sent. */
static bool
sent_value(const ChangeSet *cs, int field, Datum *value, bool *isnull)
{
	for (int i = 0; i < cs->nchanges; i++)
		if (cs->fields[i] == field)
		{
			*value = cs->values[i];
			*isnull = cs->isnull[i];
			return true;
		}
	return false;
}

/* A required, non-null field of a level that has been read. */
static Datum
required_value(const ChangeSet *cs, int field)
{
	Datum		value;
	bool		isnull;

	if (!sent_value(cs, field, &value, &isnull) || isnull)
		elog(ERROR, "required field %d missing after reading", field);
	return value;
}

/* One level of the body, read as an action: no current row to compare. */
static ChangeSet *
read_level(const Resource *description, Jsonb *object, const char *pointer)
{
	JsonbValue	value;

	return pwu_document_read(description, as_value(object, &value), pointer,
							 NULL, DOCUMENT_ACTION, NIL);
}

/*
 * Read the body of reset_customer_password:
 *	{"data": {"type": "customer_password_resets", "id": <id>,
 *			  "attributes": {"customer_password", "_reset_password_token",
 *							 "reference_origin" (optional)}}}
 *
 * Raises the "malformed body" class (400) for a body of another shape, a
 * wrong type or an id other than the argument, and the "invalid value"
 * class (422) for a read-only attribute.  The new password is returned in
 * plaintext, for the policy to see once the token has been checked.
 */
ResetRequest *
pwu_reset_read_request(const char *id, Jsonb *body)
{
	ResetRequest *request = palloc0(sizeof(ResetRequest));
	ChangeSet  *cs;
	char	   *type;
	text	   *token;
	Datum		origin;
	bool		origin_null;

	cs = read_level(&document, body, "");
	cs = read_level(&resource_object,
					DatumGetJsonbP(required_value(cs, DOC_DATA)), "/data");

	type = TextDatumGetCString(required_value(cs, DATA_TYPE));
	if (strcmp(type, RESET_TYPE) != 0)
		pwu_body_error(BODY_WRONG_VALUE, "/data/type", RESET_TYPE);
	if (strcmp(TextDatumGetCString(required_value(cs, DATA_ID)), id) != 0)
		pwu_body_error(BODY_ID_MISMATCH, "/data/id", NULL);

	cs = read_level(&attributes, DatumGetJsonbP(required_value(cs, DATA_ATTRIBUTES)),
					"/data/attributes");
	request->changes = cs;
	token = DatumGetTextPP(required_value(cs, ATTR_TOKEN));
	request->token_len = VARSIZE_ANY_EXHDR(token);
	request->token = pwu_secret_alloc(request->token_len + 1);
	memcpy(request->token, VARDATA_ANY(token), request->token_len);
	explicit_bzero(VARDATA_ANY(token), request->token_len);
	request->origin_sent = sent_value(cs, ATTR_REFERENCE_ORIGIN, &origin,
									  &origin_null);
	if (request->origin_sent && !origin_null)
		request->reference_origin = TextDatumGetCString(origin);
	return request;
}

/*---- Building a response ----*/

/* {"links": {"self": ..., "related": ...}} under a relationship's name */
static void
push_relationship(JsonbParseState **state, const char *self, const char *name)
{
	pwu_jsonb_push_key(state, name);
	pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_key(state, "links");
	pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(state, "self", psprintf("%s/relationships/%s", self, name));
	pwu_jsonb_push_string(state, "related", psprintf("%s/%s", self, name));
	pushJsonbValue(state, WJB_END_OBJECT, NULL);
	pushJsonbValue(state, WJB_END_OBJECT, NULL);
}

/* <base>/api/customer_password_resets/<id>; a trailing "/" of base is dropped */
static char *
self_link(const char *id)
{
	const char *base = pwu_base_url ? pwu_base_url : "";
	int			len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	return psprintf("%.*s" RESET_PATH "%s", len, base, id);
}

/* 64 hex digits from the server's CSPRNG, new for every response */
static char *
trace_id(void)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char bytes[TRACE_ID_BYTES];
	char	   *result = palloc(TRACE_ID_BYTES * 2 + 1);

	if (!pg_strong_random(bytes, sizeof(bytes)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random trace id")));
	for (int i = 0; i < TRACE_ID_BYTES; i++)
	{
		result[2 * i] = hex[bytes[i] >> 4];
		result[2 * i + 1] = hex[bytes[i] & 0x0f];
	}
	result[TRACE_ID_BYTES * 2] = '\0';
	return result;
}

static void
set_text(ResourceRow *row, int field, const char *value)
{
	row->isnull[field] = value == NULL;
	if (value != NULL)
		row->values[field] = CStringGetTextDatum(value);
}

static void
set_timestamp(ResourceRow *row, int field, TimestampTz value, bool isnull)
{
	row->isnull[field] = isnull;
	row->values[field] = TimestampTzGetDatum(value);
}

/* The shown attributes of a reset, as the engine's row of them. */
static ResourceRow *
attribute_row(const CustomerReset *reset, const text *token)
{
	ResourceRow *row = palloc0(sizeof(ResourceRow));

	row->values = palloc0(sizeof(Datum) * ATTR_COUNT);
	row->isnull = palloc0(sizeof(bool) * ATTR_COUNT);
	set_text(row, ATTR_CUSTOMER_EMAIL, reset->customer_email);
	row->isnull[ATTR_RESET_PASSWORD_TOKEN] = token == NULL;
	row->values[ATTR_RESET_PASSWORD_TOKEN] = PointerGetDatum(token);
	set_timestamp(row, ATTR_RESET_PASSWORD_AT, reset->reset_password_at, !reset->used);
	set_timestamp(row, ATTR_CREATED_AT, reset->created_at, false);
	set_timestamp(row, ATTR_UPDATED_AT, reset->updated_at, false);
	set_text(row, ATTR_REFERENCE, reset->reference);
	set_text(row, ATTR_REFERENCE_ORIGIN, reset->reference_origin);
	row->values[ATTR_METADATA] = JsonbPGetDatum(reset->metadata);
	return row;
}

/*
 * The resource object of a reset, in the seed's shape:
 *	{"data": {"id", "type", "links": {"self"}, "attributes": {...},
 *			  "relationships": {"customer": {"links"}, "events": {"links"}},
 *			  "meta": {"mode", "organization_id", "trace_id"}}}
 *
 * token: shown as attributes.reset_password_token; NULL shows null.  Only
 * the response that issues a token passes it: the one that spends it shows
 * null too, so a token is never handed back once it has been given out.
 */
Jsonb *
pwu_reset_response(const CustomerReset *reset, const char *token,
				   int token_len)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;
	Jsonb	   *response;
	char	   *self = self_link(reset->id);
	Resource	shown = attributes;
	text	   *shown_token = NULL;

	/* The attributes a request may only send come after the shown ones. */
	shown.nfields = ATTR_SHOWN;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_key(&state, "data");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "id", reset->id);
	pwu_jsonb_push_string(&state, "type", RESET_TYPE);

	pwu_jsonb_push_key(&state, "links");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "self", self);
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	pwu_jsonb_push_key(&state, "attributes");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	if (token != NULL)
		shown_token = cstring_to_text_with_len(token, token_len);
	pwu_document_push_fields(&state, &shown, attribute_row(reset, shown_token));
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	pwu_jsonb_push_key(&state, "relationships");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_relationship(&state, self, "customer");
	push_relationship(&state, self, "events");
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	pwu_jsonb_push_key(&state, "meta");
	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_jsonb_push_string(&state, "mode", pwu_mode ? pwu_mode : "");
	pwu_jsonb_push_string(&state, "organization_id", pwu_organization_id ? pwu_organization_id : "");
	pwu_jsonb_push_string(&state, "trace_id", trace_id());
	pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	response = JsonbValueToJsonb(result);
	if (shown_token != NULL)
		explicit_bzero(VARDATA(shown_token), token_len);
	return response;
}
