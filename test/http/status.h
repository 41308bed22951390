/*-------------------------------------------------------------------------
 *
 * status.h
 *	  PostgREST's SQLSTATE to HTTP status mapping, for the replay runner.
 *
 *-------------------------------------------------------------------------
 */
#ifndef REPLAY_STATUS_H
#define REPLAY_STATUS_H

#include <stdbool.h>

extern int	http_status(const char *sqlstate, const char *message, bool authenticated);
extern const char *reason_phrase(int status);

#endif
