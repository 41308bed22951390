/*-------------------------------------------------------------------------
 *
 * session.h
 *	  Sign-in sessions of users (seed 003), shared by session.c and
 *	  api_users.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PWUPDATE_SESSION_H
#define PWUPDATE_SESSION_H

#include "pwupdate.h"

/* A session just opened: the only place its tokens exist in clear. */
typedef struct NewSession
{
	char	   *session_token;
	char	   *csrf_token;
	TimestampTz expires_at;
} NewSession;

/* The live session a request presented with its cookie and CSRF header. */
typedef struct Session
{
	char	   *id;
	char	   *user_id;
} Session;

extern char *pwu_user_fed(const char *user_id);
extern char *pwu_session_cookie_name(const char *fed);
extern char *pwu_session_csrf_header(const char *fed);

extern NewSession *pwu_session_open(const char *user_id);
extern Jsonb *pwu_session_response(const char *user_id,
								   const NewSession *session);
extern void pwu_session_wipe(NewSession *session);
extern Session *pwu_session_authenticate(const Caller *caller, const char *fed);
extern uint64 pwu_session_end_others(const char *user_id, const char *keep_id);

#endif							/* PWUPDATE_SESSION_H */
