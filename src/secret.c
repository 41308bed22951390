/*-------------------------------------------------------------------------
 *
 * secret.c
 *	  Plaintext secrets in memory: allocation that is wiped when its memory
 *	  context goes away (also on error), NFKC normalization of passwords,
 *	  and constant-time comparison.
 *
 * A plaintext copy is never pfree'd by hand: freeing would leave the wipe
 * callback pointing at released memory.  Callers wipe early with
 * pwu_secret_wipe() when they are done, and the context's reset or deletion
 * wipes again and releases the memory.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <string.h>

#include <sodium.h>

#include "common/unicode_norm.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"

#include "pwupdate.h"

typedef struct WipeOnReset
{
	MemoryContextCallback callback;
	void	   *buffer;
	Size		size;
} WipeOnReset;

static void
wipe_buffer(void *arg)
{
	WipeOnReset *wipe = (WipeOnReset *) arg;

	explicit_bzero(wipe->buffer, wipe->size);
}

/*
 * Allocate a zeroed buffer in CurrentMemoryContext that is wiped when the
 * context is reset or deleted, including the reset of an aborted
 * transaction.
 */
char *
pwu_secret_alloc(Size size)
{
	WipeOnReset *wipe = palloc(sizeof(WipeOnReset));

	wipe->buffer = palloc0(size);
	wipe->size = size;
	wipe->callback.func = wipe_buffer;
	wipe->callback.arg = wipe;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &wipe->callback);
	return wipe->buffer;
}

/*
 * A password too long to look at: no text, and more characters than any
 * policy allows.
 */
static Secret *
too_long_secret(Secret *secret)
{
	secret->data = pwu_secret_alloc(1);
	secret->len = 0;
	secret->nchars = INT_MAX;
	secret->too_long = true;
	return secret;
}

/*
 * Normalize a password to NFKC so that composed and decomposed spellings of
 * the same text hash alike, and count its characters.
 *
 * Input that is not valid in the database encoding is refused before
 * anything else looks at it.  In a database whose encoding is not UTF-8 the
 * text is kept as it is; the install script refuses such databases, so that
 * branch only protects against a changed template.
 */
Secret *
pwu_secret_from_cstring(const char *s, int len)
{
	Secret	   *secret = palloc0(sizeof(Secret));
	pg_wchar   *wide;
	pg_wchar   *normalized;
	int			nwide;
	int			nnorm;

	if (len > PWU_MAX_PASSWORD_BYTES)
		return too_long_secret(secret);

	if (GetDatabaseEncoding() != PG_UTF8)
	{
		secret->data = pwu_secret_alloc(len + 1);
		memcpy(secret->data, s, len);
		secret->len = len;
		secret->nchars = pg_mbstrlen_with_len(s, len);
		return secret;
	}

	/* The server's own message would quote the offending bytes. */
	if (!pg_verify_mbstr(PG_UTF8, s, len, true))
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("password is not valid UTF-8")));

	wide = (pg_wchar *) pwu_secret_alloc((len + 1) * sizeof(pg_wchar));
	nwide = pg_mb2wchar_with_len(s, wide, len);
	wide[nwide] = 0;

	normalized = unicode_normalize(UNICODE_NFKC, wide);
	explicit_bzero(wide, (len + 1) * sizeof(pg_wchar));
	for (nnorm = 0; normalized[nnorm] != 0; nnorm++)
		;

	/* NFKC can expand a character; four bytes per code point is the most. */
	secret->data = pwu_secret_alloc(nnorm * 4 + 1);
	secret->len = pg_wchar2mb_with_len(normalized, secret->data, nnorm);
	secret->nchars = nnorm;
	explicit_bzero(normalized, nnorm * sizeof(pg_wchar));
	pfree(normalized);

	if (secret->len > PWU_MAX_PASSWORD_BYTES)
	{
		pwu_secret_wipe(secret);
		return too_long_secret(secret);
	}
	return secret;
}

Secret *
pwu_secret_from_text(text *t)
{
	return pwu_secret_from_cstring(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

void
pwu_secret_wipe(Secret *secret)
{
	if (secret != NULL && secret->data != NULL)
		explicit_bzero(secret->data, secret->len);
}

/*
 * Compare two byte strings in time that depends only on their length.
 */
bool
pwu_bytes_equal(const void *a, const void *b, Size len)
{
	return sodium_memcmp(a, b, len) == 0;
}

/*
 * Compare two secrets without an early exit on the first differing byte.
 * Only the lengths, which an attacker can learn anyway, decide early.
 */
bool
pwu_secret_equal(const Secret *a, const Secret *b)
{
	if (a->too_long || b->too_long || a->len != b->len)
		return false;
	return pwu_bytes_equal(a->data, b->data, a->len);
}
