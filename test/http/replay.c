/*-------------------------------------------------------------------------
 *
 * replay.c
 *	  HTTP conformance runner for pwupdate: replays request fixtures against
 *	  the database exactly as PostgREST v12+ sends them, turns errors into
 *	  HTTP statuses with PostgREST's SQLSTATE table, and checks each
 *	  response's status, headers and body against the fixture.
 *
 * Usage:
 *	  replay [-d conninfo] [-U authenticator] [-a anon-role] [-s schema]
 *			 [-k jwt-secret] [-S helpers.sql] [-t base-url] FILE...
 *
 * It holds two connections.  The gateway connection logs in as PostgREST's
 * authenticator and carries the requests, one transaction each, like a
 * pooled PostgREST connection.  The control connection (a superuser) reads
 * the fixtures, runs their setup, plans each request from the catalogs as
 * PostgREST's schema cache would, assembles and compares the responses;
 * it does that with the temporary functions of test/http/replay.sql.
 *
 * With -t, each fixture is also printed as a curl command against a
 * PostgREST at base-url, followed by the response it gives.
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay.h"

typedef struct Options
{
	const char *conninfo;		/* control connection; env defaults */
	const char *authenticator;	/* login role of the gateway connection */
	const char *anon;			/* db-anon-role */
	const char *schema;			/* db-schemas (the first one) */
	const char *secret;			/* jwt-secret, to sign the Authorization */
	const char *helpers;		/* replay.sql */
	const char *base_url;		/* print transcripts against this URL */
} Options;

static void
ignore_notice(void *arg, const char *message)
{
	(void) arg;
	(void) message;
}

/* Connect, as "user" if given; exits on failure. */
static PGconn *
connect_as(const char *conninfo, const char *user)
{
	const char *keywords[] = {"dbname", "client_encoding", "user", NULL};
	const char *values[] = {conninfo, "UTF8", user, NULL};
	PGconn	   *conn;

	if (user == NULL)
		keywords[2] = NULL;
	conn = PQconnectdbParams(keywords, values, 1);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "replay: could not connect%s%s: %s",
				user ? " as " : "", user ? user : "", PQerrorMessage(conn));
		exit(2);
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	return conn;
}

static char *
read_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		fprintf(stderr, "replay: could not read file \"%s\"\n", path);
		exit(2);
	}
	buf = malloc(len + 1);
	if (buf == NULL || fread(buf, 1, len, f) != (size_t) len)
	{
		fprintf(stderr, "replay: could not read file \"%s\"\n", path);
		exit(2);
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Run a query on the control connection; exits if it fails. */
static PGresult *
control(PGconn *conn, const char *sql, int nparams, const char *const *values)
{
	PGresult   *res = PQexecParams(conn, sql, nparams, NULL, values,
								   NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK &&
		PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		fprintf(stderr, "replay: %s", PQresultErrorMessage(res));
		exit(2);
	}
	return res;
}

/* Run a fixture's teardown (column col of steps), if it has one. */
static bool
run_step(PGconn *ctl, const PGresult *steps, int col, const char *label)
{
	PGresult   *res;
	bool		ok;

	if (PQgetisnull(steps, 0, col))
		return true;
	res = PQexec(ctl, PQgetvalue(steps, 0, col));
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		printf("FAILED - %s: %s: %s", label, PQfname(steps, col),
			   PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/*
 * The response to a planned request: from the schema cache alone, or from
 * the statements sent on the gateway (or the fixture's own login).
 */
static PGresult *
respond(const Options *opt, PGconn *ctl, PGconn *gateway, const PGresult *plan)
{
	Outcome		o;
	const char *args[9];
	char		status[16];
	PGresult   *actual;

	memset(&o, 0, sizeof(o));
	if (column(plan, "early_code") != NULL)
	{
		o.status = atoi(column(plan, "early_status"));
		o.code = copy(column(plan, "early_code"));
		o.message = copy(column(plan, "early_message"));
		o.reason = reason_phrase(o.status);
	}
	else
	{
		PGconn	   *conn = gateway;
		PGresult   *values = NULL;
		const char **params = NULL;
		int			nparams = 0;
		int			i;

		if ((args[0] = column(plan, "params")) != NULL)
		{
			values = control(ctl, "SELECT unnest($1::text[])", 1, args);
			nparams = PQntuples(values);
			params = calloc(nparams + 1, sizeof(char *));
			for (i = 0; i < nparams; i++)
				params[i] = PQgetisnull(values, i, 0) ? NULL : PQgetvalue(values, i, 0);
		}
		if (column(plan, "login") != NULL)
			conn = connect_as(opt->conninfo, column(plan, "login"));
		send_request(conn, plan, nparams, params, &o);
		if (conn != gateway)
			PQfinish(conn);
		free(params);
		PQclear(values);
	}

	snprintf(status, sizeof(status), "%d", o.status);
	args[0] = status;
	args[1] = o.reason;
	args[2] = column(plan, "kind");
	args[3] = o.body;
	args[4] = o.code;
	args[5] = o.message;
	args[6] = o.details;
	args[7] = o.hint;
	args[8] = o.guc_headers;
	actual = control(ctl, "SELECT pg_temp.pgrst_response($1, $2, $3, $4, $5, $6, $7, $8, $9)",
					 9, args);
	free_outcome(&o);
	return actual;
}

/*
 * Run a fixture's setup, if it has one, and bind the ${name} variables of
 * the fixture to the columns of the first row that the setup's last
 * statement returns.  Returns the bound fixture, or NULL if setup failed.
 */
static PGresult *
setup_and_bind(PGconn *ctl, const char *fixture, const char *label)
{
	const char *arg[1] = {fixture};
	PGresult   *sql = control(ctl, "SELECT pg_temp.pgrst_sql($1::jsonb -> 'setup')", 1, arg);
	PGresult   *res = NULL;
	PGresult   *bound;
	const char **values;
	char	   *query;
	int			ncols = 0;
	int			i;

	if (!PQgetisnull(sql, 0, 0))
	{
		res = PQexec(ctl, PQgetvalue(sql, 0, 0));
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
			ncols = PQnfields(res);
		else if (PQresultStatus(res) != PGRES_COMMAND_OK &&
				 PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			printf("FAILED - %s: setup: %s", label, PQresultErrorMessage(res));
			PQclear(res);
			PQclear(sql);
			return NULL;
		}
	}

	/* pgrst_bind($1, jsonb_build_object($2::text, $3::text, ...)) */
	query = malloc(64 + 24 * ncols);
	values = calloc(1 + 2 * ncols, sizeof(char *));
	strcpy(query, "SELECT pg_temp.pgrst_bind($1, jsonb_build_object(");
	values[0] = fixture;
	for (i = 0; i < ncols; i++)
	{
		sprintf(query + strlen(query), "%s$%d::text, $%d::text",
				i > 0 ? ", " : "", 2 + 2 * i, 3 + 2 * i);
		values[1 + 2 * i] = PQfname(res, i);
		values[2 + 2 * i] = PQgetisnull(res, 0, i) ? NULL : PQgetvalue(res, 0, i);
	}
	strcat(query, "))");
	bound = control(ctl, query, 1 + 2 * ncols, values);
	free(query);
	free(values);
	PQclear(res);
	PQclear(sql);
	return bound;
}

/*
 * Replay one fixture and report it.  Returns true when it passed.
 */
static bool
run_fixture(const Options *opt, PGconn *ctl, PGconn *gateway,
			const char *fixture, const char *label)
{
	const char *args[4];
	PGresult   *bound;
	PGresult   *steps;
	PGresult   *plan;
	PGresult   *actual = NULL;
	PGresult   *diff = NULL;
	bool		passed = false;

	/* setup first: the plan looks at the functions it creates */
	if ((bound = setup_and_bind(ctl, fixture, label)) == NULL)
		return false;
	args[0] = PQgetvalue(bound, 0, 0);
	steps = control(ctl, "SELECT pg_temp.pgrst_sql($1::jsonb -> 'teardown') AS teardown",
					1, args);

	args[1] = opt->anon;
	args[2] = opt->schema;
	args[3] = opt->secret;
	plan = PQexecParams(ctl, "SELECT * FROM pg_temp.pgrst_plan($1, $2, $3, $4)",
						4, NULL, args, NULL, NULL, 0);
	if (PQresultStatus(plan) != PGRES_TUPLES_OK)
		printf("FAILED - %s: invalid fixture: %s\n", label,
			   PQresultErrorField(plan, PG_DIAG_MESSAGE_PRIMARY));
	else
	{
		label = column(plan, "name");
		actual = respond(opt, ctl, gateway, plan);
		args[0] = column(plan, "expect");
		args[1] = PQgetvalue(actual, 0, 0);
		diff = control(ctl, "SELECT pg_temp.pgrst_compare($1, $2)", 2, args);
		passed = PQgetisnull(diff, 0, 0);
	}
	passed = run_step(ctl, steps, 0, label) && passed;

	if (passed)
		printf("ok - %s\n", label);
	else if (diff != NULL && !PQgetisnull(diff, 0, 0))
	{
		char	   *line;
		char	   *save = NULL;

		printf("FAILED - %s\n", label);
		for (line = strtok_r(PQgetvalue(diff, 0, 0), "\n", &save); line != NULL;
			 line = strtok_r(NULL, "\n", &save))
			printf("    %s\n", line);
	}
	if (actual != NULL && opt->base_url != NULL)
	{
		PGresult   *res;

		args[0] = column(plan, "request");
		args[1] = PQgetvalue(actual, 0, 0);
		args[2] = opt->base_url;
		res = control(ctl, "SELECT pg_temp.pgrst_transcript($1, $2, $3)", 3, args);
		printf("\n%s\n\n", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	PQclear(diff);
	PQclear(actual);
	PQclear(plan);
	PQclear(steps);
	PQclear(bound);
	return passed;
}

static void
usage(void)
{
	fprintf(stderr,
			"usage: replay [-d conninfo] [-U authenticator] [-a anon-role] [-s schema]\n"
			"              [-k jwt-secret] [-S helpers.sql] [-t base-url] FILE...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	Options		opt = {
		.conninfo = "",
		.authenticator = "authenticator",
		.anon = "anon",
		.schema = "pwupdate",
		.secret = "change-me-to-a-random-secret-of-32-characters-or-more",
		.helpers = "test/http/replay.sql",
		.base_url = NULL,
	};
	PGconn	   *ctl;
	PGconn	   *gateway;
	PGresult   *res;
	char	   *text;
	int			passed = 0;
	int			failed = 0;
	int			c;

	while ((c = getopt(argc, argv, "d:U:a:s:k:S:t:")) != -1)
	{
		switch (c)
		{
			case 'd': opt.conninfo = optarg; break;
			case 'U': opt.authenticator = optarg; break;
			case 'a': opt.anon = optarg; break;
			case 's': opt.schema = optarg; break;
			case 'k': opt.secret = optarg; break;
			case 'S': opt.helpers = optarg; break;
			case 't': opt.base_url = optarg; break;
			default: usage();
		}
	}
	if (optind >= argc)
		usage();

	ctl = connect_as(opt.conninfo, NULL);
	gateway = connect_as(opt.conninfo, opt.authenticator);
	text = read_file(opt.helpers);
	res = PQexec(ctl, text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
	{
		fprintf(stderr, "replay: %s: %s", opt.helpers, PQresultErrorMessage(res));
		exit(2);
	}
	PQclear(res);
	free(text);

	for (; optind < argc; optind++)
	{
		const char *args[1];
		int			i;

		text = read_file(argv[optind]);
		args[0] = text;
		res = PQexecParams(ctl, "SELECT f::text FROM pg_temp.pgrst_fixtures($1) AS f",
						   1, NULL, args, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
		{
			printf("FAILED - %s: %s", argv[optind], PQresultErrorMessage(res));
			failed++;
		}
		else
		{
			for (i = 0; i < PQntuples(res); i++)
			{
				char		label[1024];

				snprintf(label, sizeof(label), "%s[%d]", argv[optind], i);
				if (run_fixture(&opt, ctl, gateway, PQgetvalue(res, i, 0), label))
					passed++;
				else
					failed++;
			}
		}
		PQclear(res);
		free(text);
	}

	PQfinish(gateway);
	PQfinish(ctl);
	printf("%d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
