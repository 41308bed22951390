/*-------------------------------------------------------------------------
 *
 * pwupdate.c
 *	  Module entry point: the settings (pwupdate.*) and library start-up.
 *
 * Every setting that could weaken password storage or policy is PGC_SUSET,
 * so only a superuser (or a role granted SET on it) can lower it.  Tests
 * lower the hashing costs through these same settings.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sodium.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "pwupdate.h"

PG_MODULE_MAGIC;

/*---- GUC variables ----*/
int			pwu_algorithm = HASH_ARGON2ID;
int			pwu_argon2_memory_kib = 19456;
int			pwu_argon2_iterations = 2;
int			pwu_bcrypt_cost = 12;
int			pwu_min_length = 8;
int			pwu_max_length = 128;
char	   *pwu_base_url = NULL;
int			pwu_reset_token_ttl = 3600;
int			pwu_session_ttl = 43200;
int			pwu_member_token_ttl = 3600;
char	   *pwu_mode = NULL;
char	   *pwu_organization_id = NULL;

static const struct config_enum_entry algorithm_options[] = {
	{"argon2id", HASH_ARGON2ID, false},
	{"bcrypt", HASH_BCRYPT, false},
	{NULL, 0, false}
};

void		_PG_init(void);

static void
define_hash_settings(void)
{
	DefineCustomEnumVariable("pwupdate.algorithm",
							 "Sets the algorithm used to hash new passwords.",
							 "Hashes made with another algorithm still verify and report that they need a rehash.",
							 &pwu_algorithm,
							 HASH_ARGON2ID,
							 algorithm_options,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	/* OWASP's minimum for Argon2id is m = 19456 KiB, t = 2, p = 1. */
	DefineCustomIntVariable("pwupdate.argon2_memory",
							"Sets the memory cost of Argon2id hashing.",
							NULL,
							&pwu_argon2_memory_kib,
							19456,
							8,
							4194304,
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	DefineCustomIntVariable("pwupdate.argon2_iterations",
							"Sets the number of passes of Argon2id hashing.",
							NULL,
							&pwu_argon2_iterations,
							2,
							1,
							64,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("pwupdate.bcrypt_cost",
							"Sets the cost (log2 of the rounds) of bcrypt hashing.",
							NULL,
							&pwu_bcrypt_cost,
							12,
							4,
							31,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
}

static void
define_policy_settings(void)
{
	DefineCustomIntVariable("pwupdate.min_length",
							"Sets the minimum length of a new password, in characters.",
							NULL,
							&pwu_min_length,
							8,
							8,
							1024,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);

	DefineCustomIntVariable("pwupdate.max_length",
							"Sets the maximum length of a new password, in characters.",
							"NIST SP 800-63B asks to allow at least 64 characters.",
							&pwu_max_length,
							128,
							64,
							1024,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
}

static void
define_api_settings(void)
{
	DefineCustomStringVariable("pwupdate.base_url",
							   "Sets the prefix of the links in API responses.",
							   "Empty makes the links relative.",
							   &pwu_base_url,
							   "",
							   PGC_SUSET,
							   0,
							   NULL, NULL, NULL);

	DefineCustomIntVariable("pwupdate.reset_token_ttl",
							"Sets how long a customer password reset token stays valid.",
							NULL,
							&pwu_reset_token_ttl,
							3600,
							1,
							7 * 24 * 3600,
							PGC_SUSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("pwupdate.session_ttl",
							"Sets how long a session opened by sign_in stays valid.",
							NULL,
							&pwu_session_ttl,
							12 * 3600,
							1,
							30 * 24 * 3600,
							PGC_SUSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomIntVariable("pwupdate.member_token_ttl",
							"Sets how long an account management authentication token stays valid.",
							NULL,
							&pwu_member_token_ttl,
							3600,
							1,
							30 * 24 * 3600,
							PGC_SUSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomStringVariable("pwupdate.mode",
							   "Sets the mode reported in the meta of customer password reset responses.",
							   NULL,
							   &pwu_mode,
							   "live",
							   PGC_SUSET,
							   0,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("pwupdate.organization_id",
							   "Sets the organization id reported in the meta of customer password reset responses.",
							   NULL,
							   &pwu_organization_id,
							   "",
							   PGC_SUSET,
							   0,
							   NULL, NULL, NULL);
}

/*
 * Module load callback
 */
void
_PG_init(void)
{
	if (sodium_init() < 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not initialize libsodium")));

	/* First, so that even the messages of loading go through the mask. */
	pwu_logmask_init();

	define_hash_settings();
	define_policy_settings();
	define_api_settings();
	pwu_lockout_init();

	MarkGUCPrefixReserved("pwupdate");
}
