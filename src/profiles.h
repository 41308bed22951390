/*-------------------------------------------------------------------------
 *
 * profiles.h
 *	  Password profile infos of seed 001 (Elastic Path), shared by
 *	  api_profiles.c, member_token.c and realms.c.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PWUPDATE_PROFILES_H
#define PWUPDATE_PROFILES_H

#include "pwupdate.h"

/* The header naming an account member, as request.headers spells it. */
#define MEMBER_TOKEN_HEADER "ep-account-management-authentication-token"

extern void pwu_member_token_require(const Caller *caller, Datum realm_id,
									 Datum user_authentication_info_id);

#endif							/* PWUPDATE_PROFILES_H */
