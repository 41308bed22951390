/*-------------------------------------------------------------------------
 *
 * policy.c
 *	  The password policy applied to every new password: length in
 *	  characters, no trivially repetitive or sequential strings, no context
 *	  words (login, username, email), and no commonly used password from the
 *	  blocklist table.  There are no composition rules (NIST SP 800-63B).
 *	  Also the email addresses the context words come from: their shape,
 *	  and their local part.
 *
 * Each failure raises the "invalid value" class with a message that names
 * the rule, and for a context word its label ("login", "email"), never its
 * value; the password itself never appears in a message.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/formatting.h"

#include "pwupdate.h"

/* Context words shorter than this are too common to refuse. */
#define MIN_CONTEXT_WORD_CHARS	3

PG_FUNCTION_INFO_V1(pwupdate_validate_password);

/*
 * Lower-case a password into a wiped buffer, for case-insensitive rules.
 */
static Secret *
lower_secret(const Secret *password)
{
	char	   *lowered = str_tolower(password->data, password->len,
									  DEFAULT_COLLATION_OID);
	Secret	   *result = palloc0(sizeof(Secret));

	result->len = strlen(lowered);
	result->data = pwu_secret_alloc(result->len + 1);
	memcpy(result->data, lowered, result->len);
	result->nchars = pg_mbstrlen_with_len(result->data, result->len);
	explicit_bzero(lowered, result->len);
	pfree(lowered);
	return result;
}

static pg_wchar *
code_points(const Secret *password)
{
	pg_wchar   *wide = (pg_wchar *)
		pwu_secret_alloc((password->len + 1) * sizeof(pg_wchar));

	pg_mb2wchar_with_len(password->data, wide, password->len);
	return wide;
}

/*
 * True when the whole string is one shorter unit said again and again:
 * "aaaaaaaa", "abababab", "abcabcabc".
 */
static bool
is_repetitive(const pg_wchar *chars, int n)
{
	for (int unit = 1; unit <= n / 2; unit++)
	{
		int			i;

		if (n % unit != 0)
			continue;
		for (i = unit; i < n; i++)
			if (chars[i] != chars[i - unit])
				break;
		if (i == n)
			return true;
	}
	return false;
}

/*
 * True when every character is the one before it plus one, or minus one:
 * "abcdefgh", "12345678", "87654321".
 */
static bool
is_sequential(const pg_wchar *chars, int n)
{
	int			step;

	if (n < 3)
		return false;
	step = (int) chars[1] - (int) chars[0];
	if (step != 1 && step != -1)
		return false;
	for (int i = 2; i < n; i++)
		if ((int) chars[i] - (int) chars[i - 1] != step)
			return false;
	return true;
}

static void
check_context_words(const Secret *lowered, const ContextWord *words, int nwords)
{
	for (int i = 0; i < nwords; i++)
	{
		char	   *word;

		if (words[i].value == NULL ||
			pg_mbstrlen(words[i].value) < MIN_CONTEXT_WORD_CHARS)
			continue;
		word = str_tolower(words[i].value, strlen(words[i].value),
						   DEFAULT_COLLATION_OID);
		if (strstr(lowered->data, word) != NULL)
			ereport(ERROR,
					(errcode(PWU_ERRCODE_UNPROCESSABLE),
					 errmsg("password must not contain the %s", words[i].label)));
		pfree(word);
	}
}

/*
 * Look the lower-cased password up in pwupdate.blocklist.  The password is
 * a bound parameter, never part of the statement text.
 */
static bool
is_blocklisted(const Secret *lowered)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	text	   *param;
	bool		found;

	param = (text *) pwu_secret_alloc(VARHDRSZ + lowered->len);
	SET_VARSIZE(param, VARHDRSZ + lowered->len);
	memcpy(VARDATA(param), lowered->data, lowered->len);
	values[0] = PointerGetDatum(param);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT 1 FROM pwupdate.blocklist WHERE word = $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read pwupdate.blocklist");
	found = SPI_processed > 0;
	SPI_finish();

	explicit_bzero(VARDATA(param), lowered->len);
	return found;
}

/*
 * Check a new password against the policy.
 *
 * password: the NFKC-normalized password
 * words: facts about the account the password must not contain
 *
 * Raises the "invalid value" error class for the first rule that fails;
 * returns normally when the password is acceptable.
 */
void
pwu_check_policy(const Secret *password, const ContextWord *words, int nwords)
{
	Secret	   *lowered;
	pg_wchar   *chars;

	if (password->nchars < pwu_min_length)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is too short"),
				 errdetail("A password must be at least %d characters long.",
						   pwu_min_length)));
	if (password->nchars > pwu_max_length)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is too long"),
				 errdetail("A password can be at most %d characters long.",
						   pwu_max_length)));

	lowered = lower_secret(password);
	chars = code_points(lowered);
	if (is_repetitive(chars, lowered->nchars))
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is too repetitive"),
				 errdetail("A password must not be one character or group of characters repeated.")));
	if (is_sequential(chars, lowered->nchars))
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is a simple sequence"),
				 errdetail("A password must not be a run of consecutive characters such as \"abcdefgh\" or \"87654321\".")));
	explicit_bzero(chars, (lowered->len + 1) * sizeof(pg_wchar));

	check_context_words(lowered, words, nwords);

	if (is_blocklisted(lowered))
		ereport(ERROR,
				(errcode(PWU_ERRCODE_UNPROCESSABLE),
				 errmsg("password is too common"),
				 errdetail("The password is on the list of commonly used passwords.")));
	pwu_secret_wipe(lowered);
}

/*
 * The shape the tables check too, reported before anything is stored: one
 * "@" with text on both sides, no white space.
 */
void
pwu_check_email(const char *email)
{
	const char *at = strchr(email, '@');

	if (at == NULL || at == email || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
		strpbrk(email, " \t\r\n\f\v") != NULL)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_MALFORMED),
				 errmsg("invalid email address \"%s\"", email),
				 errdetail("An email address has one \"@\" with text on both sides and no white space.")));
}

/*
 * The part of an email address before the last "@", as a context word.
 */
char *
pwu_email_local_part(const char *email)
{
	const char *at;

	if (email == NULL)
		return NULL;
	at = strrchr(email, '@');
	return at == NULL ? pstrdup(email) : pnstrdup(email, at - email);
}

/*
 * validate_password(password text, context jsonb DEFAULT '{}') returns void
 *
 * Applies the policy without storing anything.  Each member of the context
 * object is a context word; its key names it in the error message, so
 * {"login": "carrierx_partner"} refuses a password containing that login.
 */
Datum
pwupdate_validate_password(PG_FUNCTION_ARGS)
{
	Secret	   *password = pwu_secret_from_text(PG_GETARG_TEXT_PP(0));
	Jsonb	   *context = PG_GETARG_JSONB_P(1);
	ContextWord *words = NULL;
	int			nwords = 0;

	if (!JB_ROOT_IS_OBJECT(context))
		pwu_body_error(BODY_NOT_OBJECT, "", NULL);

	if (!JB_ROOT_IS_SCALAR(context) && JB_ROOT_COUNT(context) > 0)
	{
		JsonbIterator *it = JsonbIteratorInit(&context->root);
		JsonbValue	key;
		JsonbValue	value;
		JsonbIteratorToken token;

		words = palloc0(sizeof(ContextWord) * JB_ROOT_COUNT(context));
		while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
		{
			char	   *label;

			if (token != WJB_KEY)
				continue;
			label = pnstrdup(key.val.string.val, key.val.string.len);
			token = JsonbIteratorNext(&it, &value, true);
			if (value.type == jbvNull)
				continue;
			if (value.type != jbvString)
				pwu_body_error(BODY_WRONG_TYPE, pwu_json_pointer("", label),
							   "a string");
			words[nwords].label = label;
			words[nwords].value = pnstrdup(value.val.string.val,
										   value.val.string.len);
			nwords++;
		}
	}

	pwu_check_policy(password, words, nwords);
	pwu_secret_wipe(password);
	PG_RETURN_VOID();
}
