/*-------------------------------------------------------------------------
 *
 * replay.h
 *	  Shared declarations of the HTTP conformance runner.
 *
 *-------------------------------------------------------------------------
 */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>

#include "libpq-fe.h"

/* What came back from the database for one request. */
typedef struct Outcome
{
	int			status;
	const char *reason;
	char	   *body;
	char	   *code;
	char	   *message;
	char	   *details;
	char	   *hint;
	char	   *guc_headers;
} Outcome;

/* request.c */
extern void send_request(PGconn *conn, const PGresult *plan, int nparams,
						 const char *const *params, Outcome *o);
extern void free_outcome(Outcome *o);
extern char *copy(const char *s);
extern const char *column(const PGresult *res, const char *name);
extern bool flag(const PGresult *res, const char *name);

/* status.c */
extern int	http_status(const char *sqlstate, const char *message, bool authenticated);
extern const char *reason_phrase(int status);

#endif
