/*-------------------------------------------------------------------------
 *
 * logmask.c
 *	  Keeps passwords and tokens out of the server log.  Statement texts
 *	  and bind parameters that reach the log in a statement calling pwupdate
 *	  (or setting PostgREST's request.cookies and request.headers) have
 *	  their string literals masked, and an error raised by pwupdate's code,
 *	  or in such a statement, never repeats the statement.
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

/* Directory part of this file's name, shared by all of pwupdate's sources. */
static int	source_dir_len = 0;

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

static bool
raised_by_pwupdate(const ErrorData *edata)
{
	return edata->filename != NULL && source_dir_len > 0 &&
		strncmp(edata->filename, __FILE__, source_dir_len) == 0;
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
}

void
pwu_logmask_init(void)
{
	const char *slash = strrchr(__FILE__, '/');

	source_dir_len = slash != NULL ? (int) (slash - __FILE__) + 1 : 0;
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = mask_secrets;
}
