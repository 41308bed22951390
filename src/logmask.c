/*-------------------------------------------------------------------------
 *
 * logmask.c
 *	  Keeps passwords and tokens out of the server log.  Statement texts
 *	  and bind parameters that reach the log in a statement calling pwupdate
 *	  (or setting PostgREST's request.cookies and request.headers) have
 *	  their string literals masked, an error raised by pwupdate's code, or
 *	  in such a statement, never repeats the statement, and what the
 *	  server's input functions quote of a refused argument is masked.
 *
 * The hook is installed when the library is loaded.  Errors are covered
 * from the first call on, since pwupdate is loaded before it can raise one;
 * log_statement and log_min_duration_statement lines are covered in every
 * statement only when pwupdate is in shared_preload_libraries (or
 * session_preload_libraries), since otherwise a backend's first statement
 * is logged before the library is loaded.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "tcop/tcopprot.h"
#include "utils/elog.h"

#include "pwupdate.h"

#define MASK "***"

static emit_log_hook_type prev_emit_log_hook = NULL;


/*
 * Whether SQL text may carry a secret: it calls pwupdate, or it sets the
 * request settings through which PostgREST passes cookies (session tokens)
 * and headers (CSRF tokens, the bearer token) to pwupdate.
 */
static bool
is_sensitive(const char *text)
{
	static const char *const markers[] = {
		"pwupdate", "request.cookies", "request.headers", NULL
	};

	if (text == NULL)
		return false;
	for (const char *p = text; *p; p++)
		for (int i = 0; markers[i] != NULL; i++)
			if (pg_strncasecmp(p, markers[i], strlen(markers[i])) == 0)
				return true;
	return false;
}

/* The Makefile gives every error raised in pwupdate's code its own domain. */
static bool
raised_by_pwupdate(const ErrorData *edata)
{
	return edata->domain != NULL && strcmp(edata->domain, TEXTDOMAIN) == 0;
}

/*
 * Length of a dollar-quote tag ("$$", "$body$") starting at p, or 0 when p
 * starts a parameter reference such as "$1" or is not a tag at all.
 */
static int
dollar_tag_length(const char *p)
{
	const char *q = p + 1;

	if (*q == '$')
		return 2;
	if (!(isalpha((unsigned char) *q) || *q == '_' || IS_HIGHBIT_SET(*q)))
		return 0;
	while (isalnum((unsigned char) *q) || *q == '_' || IS_HIGHBIT_SET(*q))
		q++;
	return *q == '$' ? (int) (q - p) + 1 : 0;
}

/*
 * Copy SQL text with the contents of every string literal replaced by the
 * mask: '...', E'...' (with backslash escapes) and dollar-quoted strings.
 * An unterminated literal is masked to the end.
 */
static char *
mask_literals(const char *text)
{
	StringInfoData out;
	const char *p = text;

	initStringInfo(&out);
	while (*p)
	{
		if (*p == '\'')
		{
			bool		backslashes = p > text && (p[-1] == 'E' || p[-1] == 'e');

			p++;
			while (*p)
			{
				if (backslashes && *p == '\\' && p[1] != '\0')
					p += 2;
				else if (*p == '\'' && p[1] == '\'')
					p += 2;
				else if (*p == '\'')
					break;
				else
					p++;
			}
			appendStringInfoString(&out, "'" MASK "'");
			if (*p)
				p++;
		}
		else if (*p == '$' && dollar_tag_length(p) > 0)
		{
			int			taglen = dollar_tag_length(p);
			const char *end = strstr(p + taglen, pnstrdup(p, taglen));

			appendBinaryStringInfo(&out, p, taglen);
			appendStringInfoString(&out, MASK);
			appendBinaryStringInfo(&out, p, taglen);
			p = end != NULL ? end + taglen : p + strlen(p);
		}
		else
			appendStringInfoChar(&out, *p++);
	}
	return out.data;
}

/* Copy text with whatever stands between double quotes masked. */
static char *
mask_quoted(const char *text)
{
	StringInfoData out;
	bool		inside = false;

	initStringInfo(&out);
	for (const char *p = text; *p; p++)
	{
		if (*p == '"')
		{
			if (!inside)
				appendStringInfoString(&out, "\"" MASK);
			inside = !inside;
		}
		if (!inside)
			appendStringInfoChar(&out, *p);
	}
	return out.data;
}

/*
 * Copy a CONTEXT with the input that the server's own input functions
 * quote masked: "JSON data, line 1: <the text>" of a jsonb value that
 * failed to parse, and "portal parameter $1 = '...'" of a bind parameter.
 */
static char *
mask_context(const char *context)
{
	StringInfoData out;
	const char *line = context;

	initStringInfo(&out);
	while (*line)
	{
		const char *end = strchr(line, '\n');
		int			len = end != NULL ? (int) (end - line) : (int) strlen(line);
		char	   *text = pnstrdup(line, len);
		const char *colon = strstr(text, ": ");

		if (strncmp(text, "JSON data", 9) == 0 && colon != NULL)
		{
			appendBinaryStringInfo(&out, text, colon - text + 2);
			appendStringInfoString(&out, MASK);
		}
		else
			appendStringInfoString(&out, mask_literals(text));
		if (end == NULL)
			break;
		appendStringInfoChar(&out, '\n');
		line = end + 1;
	}
	return out.data;
}

static void
mask_secrets(ErrorData *edata)
{
	bool		in_sensitive_statement = is_sensitive(debug_query_string);

	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
	if (!edata->output_to_server)
		return;

	if (in_sensitive_statement || raised_by_pwupdate(edata))
		edata->hide_stmt = true;

	if (is_sensitive(edata->message))
		edata->message = mask_literals(edata->message);
	/* Bind parameters: "parameters: $1 = '...'" in a DETAIL or CONTEXT. */
	if (in_sensitive_statement || is_sensitive(edata->message))
	{
		if (edata->detail != NULL && strstr(edata->detail, "parameters:") != NULL)
			edata->detail = mask_literals(edata->detail);
		if (edata->context != NULL && strstr(edata->context, "parameters:") != NULL)
			edata->context = mask_literals(edata->context);
	}

	/*
	 * An argument the server refused before pwupdate saw it (a jsonb body
	 * that does not parse, a bind parameter of the wrong type): the input
	 * function quotes the input in its DETAIL ("Token "..." is invalid.")
	 * and CONTEXT.
	 */
	if (in_sensitive_statement && !raised_by_pwupdate(edata))
	{
		if (edata->detail != NULL &&
			(edata->sqlerrcode == ERRCODE_INVALID_TEXT_REPRESENTATION ||
			 edata->sqlerrcode == ERRCODE_UNTRANSLATABLE_CHARACTER ||
			 edata->sqlerrcode == ERRCODE_CHARACTER_NOT_IN_REPERTOIRE))
			edata->detail = mask_quoted(edata->detail);
		if (edata->context != NULL)
			edata->context = mask_context(edata->context);
	}
}

void
pwu_logmask_init(void)
{
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = mask_secrets;
}
