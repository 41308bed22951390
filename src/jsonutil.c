/*-------------------------------------------------------------------------
 *
 * jsonutil.c
 *	  Small jsonb helpers the API sources share: member look-up, object
 *	  members pushed while building a response, JSON pointers for error
 *	  details, and timestamps in the API's ISO 8601 form.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/datetime.h"
#include "utils/numeric.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "pwupdate.h"

/*
 * Append one member name to a JSON pointer, escaping "~" and "/" as RFC
 * 6901 asks.
 */
char *
pwu_json_pointer(const char *parent, const char *key)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s/", parent);
	for (const char *p = key; *p; p++)
	{
		if (*p == '~')
			appendStringInfoString(&buf, "~0");
		else if (*p == '/')
			appendStringInfoString(&buf, "~1");
		else
			appendStringInfoChar(&buf, *p);
	}
	return buf.data;
}

/*
 * Find a member of a jsonb object; NULL when absent or not an object.
 */
JsonbValue *
pwu_jsonb_get(Jsonb *object, const char *key)
{
	if (object == NULL || !JB_ROOT_IS_OBJECT(object))
		return NULL;
	return getKeyJsonValueFromContainer(&object->root, key, strlen(key), NULL);
}

/*
 * A string member of a jsonb object as a C string; NULL when absent, null
 * or not a string.
 */
char *
pwu_jsonb_get_string(Jsonb *object, const char *key)
{
	JsonbValue *value = pwu_jsonb_get(object, key);

	if (value == NULL || value->type != jbvString)
		return NULL;
	return pnstrdup(value->val.string.val, value->val.string.len);
}

/*
 * A timestamp as the APIs show it: ISO 8601 in UTC with milliseconds,
 * "2021-06-07T15:58:08.198Z".
 */
char *
pwu_iso_timestamp(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
					tm.tm_year, tm.tm_mon, tm.tm_mday,
					tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (fsec / 1000));
}

/*---- Members of an object being built ----*/

void
pwu_jsonb_push_key(JsonbParseState **state, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &k);
}

/* "key": "value", or "key": null for NULL */
void
pwu_jsonb_push_string(JsonbParseState **state, const char *key,
					  const char *value)
{
	JsonbValue	v;

	pwu_jsonb_push_key(state, key);
	if (value == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvString;
		v.val.string.val = (char *) value;
		v.val.string.len = strlen(value);
	}
	pushJsonbValue(state, WJB_VALUE, &v);
}

void
pwu_jsonb_push_bool(JsonbParseState **state, const char *key, bool value)
{
	JsonbValue	v;

	pwu_jsonb_push_key(state, key);
	v.type = jbvBool;
	v.val.boolean = value;
	pushJsonbValue(state, WJB_VALUE, &v);
}

void
pwu_jsonb_push_int64(JsonbParseState **state, const char *key, int64 value)
{
	JsonbValue	v;

	pwu_jsonb_push_key(state, key);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(value);
	pushJsonbValue(state, WJB_VALUE, &v);
}
