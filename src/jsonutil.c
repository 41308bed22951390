/*-------------------------------------------------------------------------
 *
 * jsonutil.c
 *	  Small jsonb helpers the API sources share: member look-up, JSON
 *	  pointers for error details, and timestamps in the API's ISO 8601 form.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/datetime.h"
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
