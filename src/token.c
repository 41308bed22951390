/*-------------------------------------------------------------------------
 *
 * token.c
 *	  Random identifiers and bearer tokens from the server's CSPRNG, the
 *	  digests under which tokens are stored, and their constant-time
 *	  comparison.
 *
 * Tokens are random enough (at least 112 bits) that a fast digest is a
 * sound way to store them: there is nothing to guess offline.  Only the
 * digest reaches a table; the token itself is shown once, to the trusted
 * caller that issued it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sodium.h>

#include "pwupdate.h"

static const char alphabet[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/*
 * A random string of letters and digits, each character uniform over the
 * 62 symbols (bytes that would bias the choice are drawn again).
 */
char *
pwu_random_string(int length)
{
	char	   *result = palloc(length + 1);
	int			filled = 0;

	while (filled < length)
	{
		unsigned char bytes[64];

		if (!pg_strong_random(bytes, sizeof(bytes)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate random token")));
		for (int i = 0; i < (int) sizeof(bytes) && filled < length; i++)
		{
			/* 248 = 4 * 62: larger bytes would favour the first symbols */
			if (bytes[i] < 248)
				result[filled++] = alphabet[bytes[i] % 62];
		}
		explicit_bzero(bytes, sizeof(bytes));
	}
	result[length] = '\0';
	return result;
}

/*
 * The SHA-256 digest of a token, as lower-case hex: what tables store.
 */
char *
pwu_token_digest(const char *token, int len)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char	   *hex = palloc(crypto_hash_sha256_BYTES * 2 + 1);

	crypto_hash_sha256(digest, (const unsigned char *) token, len);
	sodium_bin2hex(hex, crypto_hash_sha256_BYTES * 2 + 1,
				   digest, sizeof(digest));
	return hex;
}

/*
 * Does a presented token match a stored digest?  The comparison takes the
 * same time wherever the digests differ.  A NULL stored digest (nothing
 * issued) still spends the same work and never matches.
 */
bool
pwu_token_matches(const char *token, int len, const char *stored_digest)
{
	char	   *digest = pwu_token_digest(token, len);
	bool		match;

	if (stored_digest == NULL || strlen(stored_digest) != strlen(digest))
	{
		(void) pwu_bytes_equal(digest, digest, strlen(digest));
		return false;
	}
	match = pwu_bytes_equal(digest, stored_digest, strlen(digest));
	pfree(digest);
	return match;
}
