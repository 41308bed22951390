/*-------------------------------------------------------------------------
 *
 * status.c
 *	  PostgREST's mapping of an error's SQLSTATE to an HTTP status, as
 *	  documented in its docs/references/errors.rst and coded in Error.hs
 *	  (the same table in v12, v13, v14 and main), and the reason phrases.
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

typedef struct StatusRule
{
	const char *code;
	int			status;
} StatusRule;

/*
 * PostgREST's SQLSTATE to HTTP table (docs/references/errors.rst and
 * Error.hs): specific codes are tested before classes; anything else is
 * 400.  42501, 21000, 22023, 42883 and PTxyz are decided in http_status().
 */
static const StatusRule code_rules[] = {
	{"23503", 409}, {"23505", 409}, {"25006", 405}, {"53400", 500},
	{"57P01", 503}, {"P0001", 400}, {"42883", 404}, {"42P01", 404},
	{"42P17", 500},
};

static const StatusRule class_rules[] = {
	{"08", 503}, {"09", 500}, {"0L", 403}, {"0P", 403}, {"25", 500},
	{"28", 403}, {"2D", 500}, {"38", 500}, {"39", 500}, {"3B", 500},
	{"40", 500}, {"53", 503}, {"54", 500}, {"55", 500}, {"57", 500},
	{"58", 500}, {"F0", 500}, {"HV", 500}, {"P0", 500}, {"XX", 500},
};

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t		n = strlen(s);
	size_t		m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * The HTTP status PostgREST answers for an error.  "authenticated" means
 * the request's role is not the anonymous role.
 */
int
http_status(const char *sqlstate, const char *message, bool authenticated)
{
	size_t		i;

	if (starts_with(sqlstate, "PT"))
	{
		if (isdigit((unsigned char) sqlstate[2]) &&
			isdigit((unsigned char) sqlstate[3]) &&
			isdigit((unsigned char) sqlstate[4]))
			return atoi(sqlstate + 2);
		return 500;
	}
	if (strcmp(sqlstate, "42501") == 0)
		return authenticated ? 403 : 401;
	if (strcmp(sqlstate, "21000") == 0)
		return ends_with(message, "requires a WHERE clause") ? 400 : 500;
	/* a JWT naming a role that does not exist (v13.0.1 and later) */
	if (strcmp(sqlstate, "22023") == 0)
		return starts_with(message, "role") &&
			ends_with(message, "does not exist") ? 401 : 400;
	if (strcmp(sqlstate, "42883") == 0 &&
		starts_with(message, "function xmlagg("))
		return 406;
	for (i = 0; i < lengthof(code_rules); i++)
		if (strcmp(sqlstate, code_rules[i].code) == 0)
			return code_rules[i].status;
	for (i = 0; i < lengthof(class_rules); i++)
		if (starts_with(sqlstate, class_rules[i].code))
			return class_rules[i].status;
	return 400;
}

typedef struct Phrase
{
	int			status;
	const char *text;
} Phrase;

static const Phrase phrases[] = {
	{200, "OK"}, {201, "Created"}, {204, "No Content"}, {300, "Multiple Choices"},
	{400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
	{404, "Not Found"}, {405, "Method Not Allowed"}, {406, "Not Acceptable"},
	{409, "Conflict"}, {422, "Unprocessable Entity"}, {429, "Too Many Requests"},
	{500, "Internal Server Error"}, {503, "Service Unavailable"},
};

/* The standard reason phrase of a status (PTxyz errors use their message). */
const char *
reason_phrase(int status)
{
	size_t		i;

	for (i = 0; i < lengthof(phrases); i++)
		if (phrases[i].status == status)
			return phrases[i].text;
	return "";
}
