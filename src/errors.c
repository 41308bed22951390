/*-------------------------------------------------------------------------
 *
 * errors.c
 *	  The errors every API raises the same way: a malformed request body
 *	  (naming the field as a JSON pointer), missing required fields, a
 *	  resource that does not exist for this caller, and a NULL given for
 *	  an argument that needs a value.
 *
 * The SQLSTATE of each error class is defined once, in pwupdate.h.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "pwupdate.h"

/*
 * Raise the "malformed body" class for one field.
 *
 * pointer: the field as a JSON pointer ("" is the whole body)
 * expected: for BODY_WRONG_TYPE the type wanted ("a string"), for
 *		BODY_WRONG_VALUE the one value allowed; unused otherwise
 */
void
pwu_body_error(BodyProblem problem, const char *pointer, const char *expected)
{
	switch (problem)
	{
		case BODY_NOT_OBJECT:
			if (pointer[0] == '\0')
				ereport(ERROR,
						(errcode(PWU_ERRCODE_MALFORMED),
						 errmsg("request body must be a JSON object")));
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("wrong JSON type in request body"),
					 errdetail("Field \"%s\" must be an object.", pointer)));
			break;
		case BODY_UNKNOWN_FIELD:
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("unrecognized field in request body"),
					 errdetail("Field \"%s\" is not recognized.", pointer)));
			break;
		case BODY_MISSING_FIELD:
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("missing required field in request body"),
					 errdetail("Field \"%s\" is required.", pointer)));
			break;
		case BODY_NOT_NULLABLE:
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("null value in request body"),
					 errdetail("Field \"%s\" must not be null.", pointer)));
			break;
		case BODY_WRONG_TYPE:
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("wrong JSON type in request body"),
					 errdetail("Field \"%s\" must be %s.", pointer, expected)));
			break;
		case BODY_WRONG_VALUE:
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("invalid value in request body"),
					 errdetail("Field \"%s\" must be \"%s\".", pointer, expected)));
			break;
		case BODY_ID_MISMATCH:
			ereport(ERROR,
					(errcode(PWU_ERRCODE_MALFORMED),
					 errmsg("id in request body does not match the path"),
					 errdetail("Field \"%s\" must equal the id in the path.",
							   pointer)));
			break;
	}
	pg_unreachable();
}

/*
 * Raise the "malformed body" class for every required field that is
 * missing at once, so a client can fix them all in one go.
 */
void
pwu_missing_fields_error(List *pointers)
{
	StringInfoData names;
	ListCell   *lc;

	if (list_length(pointers) == 1)
		pwu_body_error(BODY_MISSING_FIELD, linitial(pointers), NULL);

	initStringInfo(&names);
	foreach(lc, pointers)
	{
		if (names.len > 0)
			appendStringInfoString(&names, ", ");
		appendStringInfo(&names, "\"%s\"", (char *) lfirst(lc));
	}
	ereport(ERROR,
			(errcode(PWU_ERRCODE_MALFORMED),
			 errmsg("missing required fields in request body"),
			 errdetail("Fields %s are required.", names.data)));
}

/*
 * Raise the "not found" class.  It is also what a caller gets for another
 * tenant's resource, so the message must not depend on which it was.
 */
void
pwu_not_found_error(const char *what)
{
	ereport(ERROR,
			(errcode(PWU_ERRCODE_NOT_FOUND),
			 errmsg("%s not found", what)));
}

/*
 * An argument that needs a value: NULL is 22004, PostgreSQL's own code for
 * a null value where none is allowed, for every function alike.
 */
Datum
pwu_required_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("argument \"%s\" must not be null", name)));
	return PG_GETARG_DATUM(n);
}

char *
pwu_required_text_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	return TextDatumGetCString(pwu_required_arg(fcinfo, n, name));
}
