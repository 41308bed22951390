/*-------------------------------------------------------------------------
 *
 * request.c
 *	  What PostgREST v12+ sends for one function call, and how it reads the
 *	  answer: the transaction, the settings statement, the call whose SELECT
 *	  also reads response.status and response.headers, COMMIT or ROLLBACK,
 *	  and an error's fields.
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

#define JSONOID 114

/*
 * The statement PostgREST runs first in every request's transaction: the
 * transaction-local settings, in PostgREST's order.  The impersonated
 * role's own ALTER ROLE settings would come before "role"; pwupdate's roles
 * have none.
 */
static const char *const set_config_sql =
"select set_config('search_path', $1, true), "
"set_config('role', $2, true), "
"set_config('request.jwt.claims', $3, true), "
"set_config('request.method', $4, true), "
"set_config('request.path', $5, true), "
"set_config('request.headers', $6, true), "
"set_config('request.cookies', $7, true)";

char *
copy(const char *s)
{
	char	   *c;

	if (s == NULL)
		return NULL;
	c = strdup(s);
	if (c == NULL)
	{
		fprintf(stderr, "replay: out of memory\n");
		exit(2);
	}
	return c;
}

void
free_outcome(Outcome *o)
{
	free(o->body);
	free(o->code);
	free(o->message);
	free(o->details);
	free(o->hint);
	free(o->guc_headers);
}

/* A column of the first row by name; NULL for SQL NULL. */
const char *
column(const PGresult *res, const char *name)
{
	int			i = PQfnumber(res, name);

	if (i < 0 || PQntuples(res) < 1 || PQgetisnull(res, 0, i))
		return NULL;
	return PQgetvalue(res, 0, i);
}

bool
flag(const PGresult *res, const char *name)
{
	const char *v = column(res, name);

	return v != NULL && strcmp(v, "t") == 0;
}

/* Record an error the way PostgREST sees it. */
static void
take_error(Outcome *o, const PGresult *res, PGconn *conn, bool authenticated)
{
	const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *message = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

	if (sqlstate == NULL)
	{
		/* lost the connection: PostgREST answers 503 */
		o->status = 503;
		o->code = copy("PGRST001");
		o->message = copy(PQerrorMessage(conn));
	}
	else
	{
		o->status = http_status(sqlstate, message ? message : "", authenticated);
		o->code = copy(sqlstate);
		o->message = copy(message);
		o->details = copy(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
		o->hint = copy(PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
	}
	o->reason = strncmp(o->code, "PT", 2) == 0 && o->message ?
		o->message : reason_phrase(o->status);
}

/*
 * Send one request as PostgREST does: BEGIN, the settings, the call (whose
 * SELECT also reads response.headers and response.status), then COMMIT, or
 * ROLLBACK after an error.
 */
void
send_request(PGconn *conn, const PGresult *plan, int nparams,
			 const char *const *params, Outcome *o)
{
	bool		authenticated = flag(plan, "authenticated");
	const char *settings[7];
	Oid		   *types = calloc(nparams + 1, sizeof(Oid));
	PGresult   *res;
	int			i;

	settings[0] = column(plan, "search_path");
	settings[1] = column(plan, "role");
	settings[2] = column(plan, "claims");
	settings[3] = column(plan, "method");
	settings[4] = column(plan, "path");
	settings[5] = column(plan, "headers");
	settings[6] = column(plan, "cookies");
	/* a JSON body is one json parameter; GET arguments are untyped text */
	for (i = 0; i < nparams; i++)
		types[i] = flag(plan, "json_param") ? JSONOID : 0;

	res = PQexec(conn, flag(plan, "read_only") ?
				 "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY" :
				 "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE");
	if (PQresultStatus(res) == PGRES_COMMAND_OK)
	{
		PQclear(res);
		res = PQexecParams(conn, set_config_sql, 7, NULL, settings,
						   NULL, NULL, 0);
	}
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
	{
		PQclear(res);
		res = PQexecParams(conn, column(plan, "statement"), nparams, types,
						   params, NULL, NULL, 0);
	}
	free(types);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
	{
		const char *guc_status = column(res, "response_status");

		o->body = copy(column(res, "body"));
		o->guc_headers = copy(column(res, "response_headers"));
		o->status = strcmp(column(plan, "kind"), "void") == 0 ? 204 : 200;
		if (guc_status != NULL)
		{
			char	   *end;
			long		status = strtol(guc_status, &end, 10);

			if (end == guc_status || *end != '\0' || status <= 0 || status > 999)
			{
				o->status = 500;
				o->code = copy("PGRST112");
				o->message = copy("response.status guc must be a valid status code");
			}
			else
				o->status = (int) status;
		}
		o->reason = reason_phrase(o->status);
		PQclear(res);
		res = o->code == NULL ? PQexec(conn, "COMMIT") : NULL;
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		if (res != NULL)
		{
			free_outcome(o);
			memset(o, 0, sizeof(*o));
			take_error(o, res, conn, authenticated);
		}
		PQclear(res);
		res = PQexec(conn, "ROLLBACK");
	}
	PQclear(res);
}

