/*-------------------------------------------------------------------------
 *
 * maintenance.h
 *	  DBA maintenance, shared by maintenance.c (accounts, audit, purge),
 *	  hash_report.c, import.c and forced_reset.c.
 *
 * The DBA functions work on "accounts": the rows of any registered
 * resource with a secret field, and the users of seed 003
 * (pwupdate.user_account), which are not a registered resource and are
 * named "user" here as in the audit trail.  Both are handled through the
 * engine's Resource description, so statements name tables and columns the
 * same way and run as the table's owner (store.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PWUPDATE_MAINTENANCE_H
#define PWUPDATE_MAINTENANCE_H

#include "engine.h"

/* The name of the users of seed 003 in the DBA functions and the audit. */
#define USER_RESOURCE "user"

/*---- Accounts (maintenance.c) ----*/
extern Resource *pwu_account_resource(const char *name);
extern List *pwu_account_resource_names(void);
extern bool pwu_account_is_user(const Resource *r);
extern char *pwu_account_key_text(const Resource *r, Datum key);
extern ArrayType *pwu_account_key_array(const Resource *r, Datum *keys, int n);
extern ArrayType *pwu_text_array(char **values, int n);
extern void pwu_end_user_sessions(ArrayType *user_ids);

/*---- Hashes (hash_report.c) ----*/

/* What a stored hash says about itself, without verifying anything. */
typedef struct HashDescription
{
	const char *algorithm;		/* "argon2id", "bcrypt", ..., "voided",
								 * "unrecognized", or "none" for NULL */
	char	   *parameters;		/* "m=19456,t=2,p=1", "variant=2b,cost=12";
								 * NULL when the format has none */
	bool		importable;		/* a real hash that pwupdate can verify */
} HashDescription;

extern void pwu_hash_describe(const char *hash, HashDescription *d);

#endif							/* PWUPDATE_MAINTENANCE_H */
