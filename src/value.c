/*-------------------------------------------------------------------------
 *
 * value.c
 *	  Field values: which columns fit which JSON type, and the conversions
 *	  between JSON values, column values and text, one field type at a time.
 *
 * Every field type has one canonical SQL type (text, uuid, int8, boolean,
 * timestamptz, text[], jsonb).  The store casts columns to it when reading
 * and lets assignment casts take it back when writing, so nothing here
 * depends on the exact column type.  Parsing never raises an error of its
 * own: a value that does not convert is reported against its field.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "engine.h"

typedef struct FieldTypeInfo
{
	const char *name;			/* in descriptions */
	Oid			oid;			/* canonical SQL type */
	const char *sql;			/* its qualified name, for casts */
	const char *expected;		/* for "Field ... must be %s." */
} FieldTypeInfo;

static const FieldTypeInfo type_info[FIELD_TYPE_COUNT] = {
	[FIELD_STRING] = {"string", TEXTOID, "pg_catalog.text", "a string"},
	[FIELD_UUID] = {"uuid", UUIDOID, "pg_catalog.uuid", "a string holding a UUID"},
	[FIELD_INTEGER] = {"integer", INT8OID, "pg_catalog.int8", "an integer"},
	[FIELD_BOOLEAN] = {"boolean", BOOLOID, "pg_catalog.bool", "a boolean"},
	[FIELD_TIMESTAMP] = {"timestamp", TIMESTAMPTZOID, "pg_catalog.timestamptz",
	"a string holding an ISO 8601 timestamp"},
	[FIELD_STRING_ARRAY] = {"string_array", TEXTARRAYOID, "pg_catalog.text[]",
	"an array of strings"},
	[FIELD_JSON] = {"json", JSONBOID, "pg_catalog.jsonb", "a JSON value"},
};

const char *
pwu_field_type_name(FieldType type)
{
	return type_info[type].name;
}

bool
pwu_field_type_from_name(const char *name, FieldType *type)
{
	for (int i = 0; i < FIELD_TYPE_COUNT; i++)
		if (strcmp(type_info[i].name, name) == 0)
		{
			*type = (FieldType) i;
			return true;
		}
	return false;
}

Oid
pwu_field_type_oid(FieldType type)
{
	return type_info[type].oid;
}

const char *
pwu_field_type_sql(FieldType type)
{
	return type_info[type].sql;
}

/* text, varchar, char, name, citext and domains over them */
static bool
is_string_type(Oid type)
{
	return TypeCategory(getBaseType(type)) == TYPCATEGORY_STRING;
}

/*
 * Whether a column of this type can hold a field of this JSON type, by
 * way of the canonical type's casts.
 */
bool
pwu_field_type_fits(FieldType type, Oid column_type)
{
	Oid			base = getBaseType(column_type);
	Oid			element;

	switch (type)
	{
		case FIELD_STRING:
			return is_string_type(base);
		case FIELD_UUID:
			return base == UUIDOID;
		case FIELD_INTEGER:
			return base == INT2OID || base == INT4OID || base == INT8OID;
		case FIELD_BOOLEAN:
			return base == BOOLOID;
		case FIELD_TIMESTAMP:
			return base == TIMESTAMPTZOID || base == TIMESTAMPOID;
		case FIELD_STRING_ARRAY:
			element = get_element_type(base);
			return OidIsValid(element) && is_string_type(element);
		case FIELD_JSON:
			return base == JSONBOID;
	}
	return false;
}

/*
 * The JSON type a column of this type is shown as when the description
 * does not say.
 */
bool
pwu_field_type_infer(Oid column_type, FieldType *type)
{
	for (int i = 0; i < FIELD_TYPE_COUNT; i++)
		if (pwu_field_type_fits((FieldType) i, column_type))
		{
			*type = (FieldType) i;
			return true;
		}
	return false;
}

/*---- Parsing without raising errors ----*/

/* Only the canonical spelling, 8-4-4-4-12 hex digits, in either case. */
static bool
parse_uuid(const char *s, int len, Datum *value)
{
	char	   *copy;

	if (len != UUID_LEN * 2 + 4)
		return false;
	for (int i = 0; i < len; i++)
	{
		bool		hyphen = (i == 8 || i == 13 || i == 18 || i == 23);

		if (hyphen ? s[i] != '-' : !isxdigit((unsigned char) s[i]))
			return false;
	}
	copy = pnstrdup(s, len);
	*value = DirectFunctionCall1(uuid_in, CStringGetDatum(copy));
	pfree(copy);
	return true;
}

/* Optional minus sign, then digits that fit in 64 bits. */
static bool
parse_integer(const char *s, int64 *result)
{
	const char *p = s;
	char	   *end;

	if (*p == '-')
		p++;
	if (*p == '\0')
		return false;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char) *q))
			return false;
	errno = 0;
	*result = strtoi64(s, &end, 10);
	return errno == 0 && *end == '\0';
}

/*
 * A JSON number that is a whole number: 12 and 12.0 are, 12.5 is not.
 */
static bool
numeric_to_int64(Numeric num, int64 *result)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out,
														NumericGetDatum(num)));
	char	   *point = strchr(s, '.');

	if (point != NULL)
	{
		for (const char *q = point + 1; *q; q++)
			if (*q != '0')
				return false;
		*point = '\0';
	}
	return parse_integer(s, result);
}

/*
 * An ISO 8601 date and time, as timestamptz_in reads it but without its
 * errors, and without its special words ("now", "infinity", "epoch").
 */
static bool
parse_timestamp(const char *s, Datum *value)
{
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	int			tz;
	struct pg_tm tm;
	fsec_t		fsec;
	TimestampTz result;

	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char) s[i]))
			return false;
	if (s[4] != '-' || strlen(s) >= MAXDATELEN)
		return false;
	if (ParseDateTime(s, workbuf, sizeof(workbuf), field, ftype,
					  MAXDATEFIELDS, &nf) != 0)
		return false;
	if (DecodeDateTime(field, ftype, nf, &dtype, &tm, &fsec, &tz) != 0 ||
		dtype != DTK_DATE)
		return false;
	if (tm2timestamp(&tm, fsec, &tz, &result) != 0 ||
		!IS_VALID_TIMESTAMP(result))
		return false;
	*value = TimestampTzGetDatum(result);
	return true;
}

static Datum
string_array_from_json(const JsonbValue *value, const char *pointer)
{
	JsonbIterator *it;
	JsonbValue	element;
	JsonbIteratorToken token;
	List	   *items = NIL;
	Datum	   *datums;
	int			n = 0;
	ListCell   *lc;

	if (value->type != jbvBinary || !JsonContainerIsArray(value->val.binary.data))
		pwu_body_error(BODY_WRONG_TYPE, pointer, type_info[FIELD_STRING_ARRAY].expected);

	it = JsonbIteratorInit(value->val.binary.data);
	while ((token = JsonbIteratorNext(&it, &element, true)) != WJB_DONE)
	{
		char	   *element_pointer;

		if (token != WJB_ELEM)
			continue;
		element_pointer = psprintf("%s/%d", pointer, list_length(items));
		if (element.type == jbvNull)
			pwu_body_error(BODY_NOT_NULLABLE, element_pointer, NULL);
		if (element.type != jbvString)
			pwu_body_error(BODY_WRONG_TYPE, element_pointer, "a string");
		items = lappend(items, cstring_to_text_with_len(element.val.string.val,
														element.val.string.len));
	}

	datums = palloc(sizeof(Datum) * Max(list_length(items), 1));
	foreach(lc, items)
		datums[n++] = PointerGetDatum(lfirst(lc));
	return PointerGetDatum(construct_array(datums, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/*
 * Convert a JSON value (not null) sent for a field to the field's
 * canonical type, or raise the "malformed body" class naming the field.
 */
Datum
pwu_value_from_json(const ResourceField *field, const JsonbValue *value,
					const char *pointer)
{
	const char *expected = type_info[field->type].expected;
	Datum		result;
	int64		integer;
	char	   *s;

	switch (field->type)
	{
		case FIELD_STRING:
			if (value->type != jbvString)
				break;
			return PointerGetDatum(cstring_to_text_with_len(value->val.string.val,
															value->val.string.len));
		case FIELD_UUID:
			if (value->type != jbvString ||
				!parse_uuid(value->val.string.val, value->val.string.len, &result))
				break;
			return result;
		case FIELD_INTEGER:
			if (value->type != jbvNumeric ||
				!numeric_to_int64(value->val.numeric, &integer))
				break;
			return Int64GetDatum(integer);
		case FIELD_BOOLEAN:
			if (value->type != jbvBool)
				break;
			return BoolGetDatum(value->val.boolean);
		case FIELD_TIMESTAMP:
			if (value->type != jbvString)
				break;
			s = pnstrdup(value->val.string.val, value->val.string.len);
			if (!parse_timestamp(s, &result))
				break;
			return result;
		case FIELD_STRING_ARRAY:
			return string_array_from_json(value, pointer);
		case FIELD_JSON:
			return JsonbPGetDatum(JsonbValueToJsonb((JsonbValue *) value));
	}
	pwu_body_error(BODY_WRONG_TYPE, pointer, expected);
}

/*
 * Convert an id or a claim to a key-like field's canonical type.  False
 * when the text cannot be such a value, which callers treat as "no such
 * row" rather than as an error.
 */
bool
pwu_value_from_text(FieldType type, const char *text, Datum *value)
{
	int64		integer;

	switch (type)
	{
		case FIELD_STRING:
			*value = CStringGetTextDatum(text);
			return true;
		case FIELD_UUID:
			return parse_uuid(text, strlen(text), value);
		case FIELD_INTEGER:
			if (!parse_integer(text, &integer))
				return false;
			*value = Int64GetDatum(integer);
			return true;
		default:
			return false;
	}
}

/* The text form of a key-like value, as ids appear in the audit. */
char *
pwu_value_to_text(FieldType type, Datum value)
{
	switch (type)
	{
		case FIELD_STRING:
			return TextDatumGetCString(value);
		case FIELD_UUID:
			return DatumGetCString(DirectFunctionCall1(uuid_out, value));
		case FIELD_INTEGER:
			return psprintf(INT64_FORMAT, DatumGetInt64(value));
		default:
			elog(ERROR, "field type \"%s\" has no text form",
				 type_info[type].name);
	}
	return NULL;				/* keep compiler quiet */
}

static char *
timestamp_text(TimestampTz ts)
{
	if (TIMESTAMP_IS_NOBEGIN(ts))
		return "-infinity";
	if (TIMESTAMP_IS_NOEND(ts))
		return "infinity";
	return pwu_iso_timestamp(ts);
}

static bool
text_equal(Datum a, Datum b)
{
	text	   *ta = DatumGetTextPP(a);
	text	   *tb = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(ta) == VARSIZE_ANY_EXHDR(tb) &&
		memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), VARSIZE_ANY_EXHDR(ta)) == 0;
}

static bool
string_arrays_equal(Datum a, Datum b)
{
	Datum	   *ea;
	Datum	   *eb;
	bool	   *na;
	bool	   *nb;
	int			ca;
	int			cb;

	deconstruct_array(DatumGetArrayTypeP(a), TEXTOID, -1, false, TYPALIGN_INT,
					  &ea, &na, &ca);
	deconstruct_array(DatumGetArrayTypeP(b), TEXTOID, -1, false, TYPALIGN_INT,
					  &eb, &nb, &cb);
	if (ca != cb)
		return false;
	for (int i = 0; i < ca; i++)
	{
		if (na[i] != nb[i])
			return false;
		if (!na[i] && !text_equal(ea[i], eb[i]))
			return false;
	}
	return true;
}

/*
 * Whether two values of a field are the same as far as the API can tell:
 * timestamps compare as they are shown, to the millisecond.
 */
bool
pwu_value_equal(FieldType type, Datum a, bool a_null, Datum b, bool b_null)
{
	if (a_null || b_null)
		return a_null && b_null;

	switch (type)
	{
		case FIELD_STRING:
			return text_equal(a, b);
		case FIELD_UUID:
			return memcmp(DatumGetUUIDP(a), DatumGetUUIDP(b), UUID_LEN) == 0;
		case FIELD_INTEGER:
			return DatumGetInt64(a) == DatumGetInt64(b);
		case FIELD_BOOLEAN:
			return DatumGetBool(a) == DatumGetBool(b);
		case FIELD_TIMESTAMP:
			return strcmp(timestamp_text(DatumGetTimestampTz(a)),
						  timestamp_text(DatumGetTimestampTz(b))) == 0;
		case FIELD_STRING_ARRAY:
			return string_arrays_equal(a, b);
		case FIELD_JSON:
			return compareJsonbContainers(&DatumGetJsonbP(a)->root,
										  &DatumGetJsonbP(b)->root) == 0;
	}
	return false;
}

static void
push_string(JsonbParseState **state, JsonbIteratorToken seq, char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = s;
	v.val.string.len = len;
	pushJsonbValue(state, seq, &v);
}

static void
push_string_array(JsonbParseState **state, Datum value)
{
	Datum	   *elements;
	bool	   *nulls;
	int			n;

	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false,
					  TYPALIGN_INT, &elements, &nulls, &n);
	pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < n; i++)
	{
		JsonbValue	null_value;

		if (nulls[i])
		{
			null_value.type = jbvNull;
			pushJsonbValue(state, WJB_ELEM, &null_value);
			continue;
		}
		push_string(state, WJB_ELEM, VARDATA_ANY(DatumGetTextPP(elements[i])),
					VARSIZE_ANY_EXHDR(DatumGetTextPP(elements[i])));
	}
	pushJsonbValue(state, WJB_END_ARRAY, NULL);
}

/*
 * Push a field's value as the value of the object member just pushed.
 */
void
pwu_value_push(JsonbParseState **state, FieldType type, Datum value,
			   bool isnull)
{
	JsonbValue	v;
	char	   *s;
	Jsonb	   *jb;

	if (isnull)
	{
		v.type = jbvNull;
		pushJsonbValue(state, WJB_VALUE, &v);
		return;
	}

	switch (type)
	{
		case FIELD_STRING:
			push_string(state, WJB_VALUE, VARDATA_ANY(DatumGetTextPP(value)),
						VARSIZE_ANY_EXHDR(DatumGetTextPP(value)));
			return;
		case FIELD_UUID:
			s = DatumGetCString(DirectFunctionCall1(uuid_out, value));
			push_string(state, WJB_VALUE, s, strlen(s));
			return;
		case FIELD_INTEGER:
			v.type = jbvNumeric;
			v.val.numeric = int64_to_numeric(DatumGetInt64(value));
			break;
		case FIELD_BOOLEAN:
			v.type = jbvBool;
			v.val.boolean = DatumGetBool(value);
			break;
		case FIELD_TIMESTAMP:
			s = timestamp_text(DatumGetTimestampTz(value));
			push_string(state, WJB_VALUE, s, strlen(s));
			return;
		case FIELD_STRING_ARRAY:
			push_string_array(state, value);
			return;
		case FIELD_JSON:
			jb = DatumGetJsonbP(value);
			/* A scalar document is a one-element pseudo-array: unwrap it. */
			if (JB_ROOT_IS_SCALAR(jb))
			{
				JsonbExtractScalar(&jb->root, &v);
				break;
			}
			v.type = jbvBinary;
			v.val.binary.data = &jb->root;
			v.val.binary.len = VARSIZE(jb) - VARHDRSZ;
			break;
	}
	pushJsonbValue(state, WJB_VALUE, &v);
}
