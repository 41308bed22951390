/*-------------------------------------------------------------------------
 *
 * hash.c
 *	  Password hashing and verification: Argon2id through libsodium, bcrypt
 *	  and the legacy crypt(3) formats through libxcrypt.
 *
 * New hashes use pwupdate.algorithm.  bcrypt hashes are written with the
 * $2a$ prefix so that pgcrypto's crypt() verifies them; $2b$ and $2y$
 * hashes imported from other systems verify here too.  md5-crypt, extended
 * DES and traditional DES (pgcrypto's other crypt() formats) verify as
 * legacy hashes that always need a rehash.
 *
 * A stored value that starts with "!" is a voided password (a forced
 * reset, see maintenance.c): it is a known shape that never verifies and
 * needs no rehash, so that sign-ins against it fail like a wrong password.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <crypt.h>
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "fmgr.h"
#include "utils/builtins.h"

#include "pwupdate.h"

/* bcrypt reads at most this many bytes of a password. */
#define BCRYPT_MAX_BYTES	72
#define BCRYPT_SALT_BYTES	16

PG_FUNCTION_INFO_V1(pwupdate_hash_password);
PG_FUNCTION_INFO_V1(pwupdate_verify_password);
PG_FUNCTION_INFO_V1(pwupdate_needs_rehash);

static bool
all_crypt64(const char *s, int len)
{
	for (int i = 0; i < len; i++)
	{
		char		c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '/'))
			return false;
	}
	return true;
}

static bool
is_bcrypt(const char *hash, int len)
{
	return len == 60 &&
		hash[0] == '$' && hash[1] == '2' &&
		strchr("abxy", hash[2]) != NULL && hash[2] != '\0' &&
		hash[3] == '$' &&
		isdigit((unsigned char) hash[4]) && isdigit((unsigned char) hash[5]) &&
		(hash[4] - '0') * 10 + (hash[5] - '0') >= 4 &&
		(hash[4] - '0') * 10 + (hash[5] - '0') <= 31 &&
		hash[6] == '$' &&
		all_crypt64(hash + 7, 53);
}

static bool
is_md5_crypt(const char *hash, int len)
{
	const char *end;

	if (strncmp(hash, "$1$", 3) != 0)
		return false;
	end = strchr(hash + 3, '$');
	return end != NULL && end - (hash + 3) <= 8 &&
		(hash + len) - (end + 1) == 22 && all_crypt64(end + 1, 22);
}

/*
 * Tell which format a stored hash has, from its shape alone.
 */
static HashFormat
classify_hash(const char *hash)
{
	int			len = strlen(hash);

	if (hash[0] == '!')
		return FORMAT_VOIDED;
	if (len >= (int) crypto_pwhash_STRBYTES)
		return FORMAT_UNKNOWN;
	if (strncmp(hash, "$argon2id$", 10) == 0)
		return crypto_pwhash_argon2id_str_needs_rehash(hash, 1, 8192) >= 0 ?
			FORMAT_ARGON2ID : FORMAT_UNKNOWN;
	if (strncmp(hash, "$argon2i$", 9) == 0)
		return crypto_pwhash_argon2i_str_needs_rehash(hash, 1, 8192) >= 0 ?
			FORMAT_ARGON2I : FORMAT_UNKNOWN;
	if (is_bcrypt(hash, len))
		return FORMAT_BCRYPT;
	if (is_md5_crypt(hash, len))
		return FORMAT_MD5_CRYPT;
	if (len == 20 && hash[0] == '_' && all_crypt64(hash + 1, 19))
		return FORMAT_EXTENDED_DES;
	if (len == 13 && all_crypt64(hash, 13))
		return FORMAT_DES;
	return FORMAT_UNKNOWN;
}

/*
 * The format of a stored hash, from its shape alone: nothing is verified.
 */
HashFormat
pwu_hash_format(const char *hash)
{
	return classify_hash(hash);
}

/* The stored hash is never quoted: it is a secret too. */
static HashFormat
require_known_format(const char *hash)
{
	HashFormat	format = classify_hash(hash);

	if (format == FORMAT_UNKNOWN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized password hash format"),
				 errdetail("Supported formats are Argon2id PHC strings and the crypt(3) formats bcrypt, md5-crypt, extended DES and DES.")));
	return format;
}

static void
reject_long_bcrypt_password(const Secret *password)
{
	if (password->len > BCRYPT_MAX_BYTES)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is too long for bcrypt"),
				 errdetail("bcrypt uses at most %d bytes of a password; this one has %d.",
						   BCRYPT_MAX_BYTES, password->len),
				 errhint("Use a shorter password, or set pwupdate.algorithm to argon2id.")));
}

static char *
hash_argon2id(const Secret *password)
{
	char		out[crypto_pwhash_STRBYTES];
	char	   *result;

	if (crypto_pwhash_str_alg(out, password->data, password->len,
							  pwu_argon2_iterations,
							  (size_t) pwu_argon2_memory_kib * 1024,
							  crypto_pwhash_ALG_ARGON2ID13) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("could not hash password"),
				 errdetail("Argon2id could not allocate %d kB of memory.",
						   pwu_argon2_memory_kib)));
	result = pstrdup(out);
	explicit_bzero(out, sizeof(out));
	return result;
}

/*
 * Run crypt(3) with a setting (a salt, or a whole stored hash) and return
 * libxcrypt's work area, whose output member holds the result.  The work
 * area holds derived key material, so it is wiped on reset like a secret.
 */
static struct crypt_data *
run_crypt(const Secret *password, const char *setting)
{
	struct crypt_data *work;

	work = (struct crypt_data *) pwu_secret_alloc(sizeof(struct crypt_data));
	if (crypt_rn(password->data, setting, work, sizeof(*work)) == NULL ||
		work->output[0] == '*')
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not hash password")));
	return work;
}

static char *
hash_bcrypt(const Secret *password)
{
	char		salt_bytes[BCRYPT_SALT_BYTES];
	char		setting[CRYPT_GENSALT_OUTPUT_SIZE];
	struct crypt_data *work;
	char	   *result;

	reject_long_bcrypt_password(password);
	if (!pg_strong_random(salt_bytes, sizeof(salt_bytes)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random salt")));
	if (crypt_gensalt_rn("$2a$", pwu_bcrypt_cost, salt_bytes,
						 sizeof(salt_bytes), setting, sizeof(setting)) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("could not generate bcrypt salt")));

	work = run_crypt(password, setting);
	result = pstrdup(work->output);
	explicit_bzero(work, sizeof(*work));
	return result;
}

/*
 * Hash a password with the configured algorithm and parameters.
 */
char *
pwu_hash(const Secret *password)
{
	if (password->too_long)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is too long"),
				 errdetail("A password can be at most %d bytes long.",
						   PWU_MAX_PASSWORD_BYTES)));
	if (pwu_algorithm == HASH_BCRYPT)
		return hash_bcrypt(password);
	return hash_argon2id(password);
}

static bool
verify_crypt(const Secret *password, const char *hash)
{
	struct crypt_data *work = run_crypt(password, hash);
	Size		len = strlen(hash);
	bool		match;

	match = strlen(work->output) == len &&
		pwu_bytes_equal(work->output, hash, len);
	explicit_bzero(work, sizeof(*work));
	return match;
}

/*
 * Check a password against a stored hash of any supported format.
 *
 * A bcrypt hash only ever saw the first 72 bytes of a password, so a longer
 * password is refused rather than silently truncated to match.
 */
bool
pwu_verify(const Secret *password, const char *hash)
{
	HashFormat	format = require_known_format(hash);

	/* Nothing that long was ever hashed, so it cannot match. */
	if (password->too_long)
		return false;

	switch (format)
	{
		case FORMAT_ARGON2ID:
		case FORMAT_ARGON2I:
			{
				char		stored[crypto_pwhash_STRBYTES] = {0};

				strlcpy(stored, hash, sizeof(stored));
				return crypto_pwhash_str_verify(stored, password->data,
												password->len) == 0;
			}
		case FORMAT_BCRYPT:
			if (password->len > BCRYPT_MAX_BYTES)
				return false;
			return verify_crypt(password, hash);
		case FORMAT_MD5_CRYPT:
		case FORMAT_EXTENDED_DES:
		case FORMAT_DES:
			return verify_crypt(password, hash);
		case FORMAT_VOIDED:
			/* Nothing matches, at the cost of a verification. */
			pwu_dummy_verify(password);
			return false;
		case FORMAT_UNKNOWN:
			break;
	}
	pg_unreachable();
}

/*
 * Spend the work of one verification when there is no stored hash to check,
 * so that an unknown account costs what a known one does.
 */
void
pwu_dummy_verify(const Secret *password)
{
	char	   *hash;

	if (password->too_long ||
		(pwu_algorithm == HASH_BCRYPT && password->len > BCRYPT_MAX_BYTES))
		return;
	hash = pwu_hash(password);
	pfree(hash);
}

/*
 * Tell whether a stored hash was made with another algorithm or other
 * parameters than the current settings ask for.
 */
bool
pwu_needs_rehash(const char *hash)
{
	switch (require_known_format(hash))
	{
		case FORMAT_ARGON2ID:
			if (pwu_algorithm != HASH_ARGON2ID)
				return true;
			return crypto_pwhash_argon2id_str_needs_rehash(hash,
														   pwu_argon2_iterations,
														   (size_t) pwu_argon2_memory_kib * 1024) != 0;
		case FORMAT_BCRYPT:
			if (pwu_algorithm != HASH_BCRYPT || hash[2] == 'x')
				return true;
			return (hash[4] - '0') * 10 + (hash[5] - '0') != pwu_bcrypt_cost;
		case FORMAT_VOIDED:
			/* No password to rehash: a new one comes through a reset. */
			return false;
		default:
			return true;
	}
}

/*---- SQL-callable functions ----*/

/*
 * hash_password(password text) returns text
 */
Datum
pwupdate_hash_password(PG_FUNCTION_ARGS)
{
	Secret	   *password = pwu_secret_from_text(PG_GETARG_TEXT_PP(0));
	char	   *hash = pwu_hash(password);

	pwu_secret_wipe(password);
	PG_RETURN_TEXT_P(cstring_to_text(hash));
}

/*
 * verify_password(password text, hash text) returns boolean
 */
Datum
pwupdate_verify_password(PG_FUNCTION_ARGS)
{
	Secret	   *password = pwu_secret_from_text(PG_GETARG_TEXT_PP(0));
	char	   *hash = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bool		match = pwu_verify(password, hash);

	pwu_secret_wipe(password);
	PG_RETURN_BOOL(match);
}

/*
 * needs_rehash(hash text) returns boolean
 */
Datum
pwupdate_needs_rehash(PG_FUNCTION_ARGS)
{
	char	   *hash = text_to_cstring(PG_GETARG_TEXT_PP(0));

	PG_RETURN_BOOL(pwu_needs_rehash(hash));
}
