/*-------------------------------------------------------------------------
 *
 * pwupdate.h
 *	  Declarations shared by the pwupdate sources: the error classes of the
 *	  public contract, the settings, and the core entry points every API
 *	  function builds on.
 *
 *-------------------------------------------------------------------------
 */
#ifndef PWUPDATE_H
#define PWUPDATE_H

#include "fmgr.h"
#include "nodes/pg_list.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/jsonb.h"

/*
 * pwupdate's message domain: errors raised in its code carry it, which is
 * how the log hook tells them from the server's own (logmask.c).  There are
 * no translations; the messages stay as written.
 */
#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("pwupdate")

/*---- Error classes ----
 *
 * Each class of the contract has exactly one SQLSTATE, chosen so that
 * PostgREST's fixed SQLSTATE-to-HTTP mapping yields the documented status.
 * PTxyz codes map to HTTP status xyz; the others are standard codes whose
 * PostgREST mapping is the status in the comment.
 *
 * "Authenticated but not allowed" is PT403 rather than 42501: PostgREST
 * answers 42501 with 401 when the request runs as its anonymous role, which
 * is the case for a browser identified by a session cookie.  42501 is kept
 * for SQL roles that may not use a function at all, as PostgreSQL's own
 * privilege checks answer.
 */
#define PWU_ERRCODE_MALFORMED		ERRCODE_INVALID_PARAMETER_VALUE /* 400 */
#define PWU_ERRCODE_UNAUTHENTICATED MAKE_SQLSTATE('P','T','4','0','1')
#define PWU_ERRCODE_FORBIDDEN		MAKE_SQLSTATE('P','T','4','0','3')
#define PWU_ERRCODE_PERMISSION_DENIED ERRCODE_INSUFFICIENT_PRIVILEGE	/* 403, 401 for anon */
#define PWU_ERRCODE_WRONG_PASSWORD	ERRCODE_INVALID_PASSWORD	/* 403 */
#define PWU_ERRCODE_NOT_FOUND		MAKE_SQLSTATE('P','T','4','0','4')
#define PWU_ERRCODE_CONFLICT		ERRCODE_UNIQUE_VIOLATION	/* 409 */
#define PWU_ERRCODE_UNPROCESSABLE	MAKE_SQLSTATE('P','T','4','2','2')
#define PWU_ERRCODE_TOO_MANY		MAKE_SQLSTATE('P','T','4','2','9')

/* What is wrong with one field of a request body (errors.c) */
typedef enum BodyProblem
{
	BODY_NOT_OBJECT,			/* the value is not a JSON object */
	BODY_UNKNOWN_FIELD,			/* a member the resource does not have */
	BODY_MISSING_FIELD,			/* a required member is absent */
	BODY_NOT_NULLABLE,			/* JSON null where a value is required */
	BODY_WRONG_TYPE,			/* another JSON type than the one expected */
	BODY_WRONG_VALUE,			/* right type, but not the one value allowed */
	BODY_ID_MISMATCH			/* an id that differs from the path's id */
} BodyProblem;

extern void pwu_body_error(BodyProblem problem, const char *pointer,
						   const char *expected) pg_attribute_noreturn();
extern void pwu_missing_fields_error(List *pointers) pg_attribute_noreturn();
extern void pwu_not_found_error(const char *what) pg_attribute_noreturn();
extern Datum pwu_required_arg(FunctionCallInfo fcinfo, int n, const char *name);
extern char *pwu_required_text_arg(FunctionCallInfo fcinfo, int n,
								   const char *name);

/*---- Settings (pwupdate.c) ----*/
typedef enum HashAlgorithm
{
	HASH_ARGON2ID,
	HASH_BCRYPT
} HashAlgorithm;

extern int	pwu_algorithm;
extern int	pwu_argon2_memory_kib;
extern int	pwu_argon2_iterations;
extern int	pwu_bcrypt_cost;
extern int	pwu_min_length;
extern int	pwu_max_length;
extern char *pwu_base_url;
extern int	pwu_reset_token_ttl;
extern int	pwu_session_ttl;
extern int	pwu_member_token_ttl;
extern char *pwu_mode;
extern char *pwu_organization_id;

/*
 * Longest password, in bytes, that is ever hashed or verified.  A longer
 * one is kept as a Secret marked too_long, without its text: the policy
 * refuses it as too long, hashing refuses it, and verifying says it does not
 * match, all without feeding megabytes into the key derivation.
 */
#define PWU_MAX_PASSWORD_BYTES	4096

/*---- Plaintext secrets (secret.c) ----*/
typedef struct Secret
{
	char	   *data;			/* NUL-terminated UTF-8, wiped on reset */
	int			len;			/* bytes, without the terminator */
	int			nchars;			/* code points */
	bool		too_long;		/* over PWU_MAX_PASSWORD_BYTES: data is empty */
} Secret;

extern char *pwu_secret_alloc(Size size);
extern Secret *pwu_secret_from_text(text *t);
extern Secret *pwu_secret_from_cstring(const char *s, int len);
extern void pwu_secret_wipe(Secret *secret);
extern bool pwu_secret_equal(const Secret *a, const Secret *b);
extern bool pwu_bytes_equal(const void *a, const void *b, Size len);

/*---- Password hashing (hash.c) ----*/

/* The shapes of stored hashes that hash.c recognizes. */
typedef enum HashFormat
{
	FORMAT_UNKNOWN,
	FORMAT_ARGON2ID,
	FORMAT_ARGON2I,
	FORMAT_BCRYPT,
	FORMAT_MD5_CRYPT,
	FORMAT_EXTENDED_DES,
	FORMAT_DES,
	FORMAT_VOIDED				/* "!...": a voided password, never verifies */
} HashFormat;

/* What a forced reset stores in place of a hash (any "!..." is voided). */
#define PWU_VOIDED_HASH "!voided"

extern HashFormat pwu_hash_format(const char *hash);
extern char *pwu_hash(const Secret *password);
extern bool pwu_verify(const Secret *password, const char *hash);
extern bool pwu_needs_rehash(const char *hash);
extern void pwu_dummy_verify(const Secret *password);

/*---- Password policy (policy.c) ----*/
typedef struct ContextWord
{
	const char *label;			/* what the word is, e.g. "login" */
	const char *value;			/* NULL or empty: nothing to check */
} ContextWord;

extern void pwu_check_policy(const Secret *password, const ContextWord *words,
							 int nwords);
extern char *pwu_email_local_part(const char *email);
extern void pwu_check_email(const char *email);

/*---- Who is calling (caller.c) ----*/
typedef enum CallerKind
{
	CALLER_TRUSTED,				/* SQL caller in pwupdate_admin, no claims */
	CALLER_USER,				/* claims with a subject */
	CALLER_ANONYMOUS,			/* claims without a subject */
	CALLER_UNTRUSTED			/* no claims and not in pwupdate_admin */
} CallerKind;

typedef struct Caller
{
	CallerKind	kind;
	Oid			role;			/* role in effect outside SECURITY DEFINER */
	char	   *sub;			/* claims' subject, or NULL */
	char	   *partner_sid;	/* claims' partner tenant, or NULL */
	char	   *realm_id;		/* claims' realm tenant, or NULL */
	List	   *scopes;			/* char * from "scope" and "scopes" */
	Jsonb	   *headers;		/* request.headers, or NULL */
	Jsonb	   *cookies;		/* request.cookies, or NULL */
	bool		via_http;		/* request.method is set (PostgREST) */
} Caller;

extern Caller *pwu_current_caller(void);
extern void pwu_require_trusted(const Caller *caller);
extern void pwu_require_identity(const Caller *caller);
extern void pwu_respond_created(const Caller *caller);
extern bool pwu_caller_has_scope(const Caller *caller, const char *scope);
extern char *pwu_caller_header(const Caller *caller, const char *name);
extern char *pwu_caller_cookie(const Caller *caller, const char *name);

/*---- Failed-attempt lockout (lockout.c) ----*/
extern int	pwu_lockout_threshold;
extern int	pwu_lockout_window;
extern void pwu_lockout_init(void);
extern bool pwu_lockout_active(void);
extern void pwu_lockout_check(const char *resource, const char *id);
extern void pwu_lockout_failure(const char *resource, const char *id);
extern void pwu_lockout_success(const char *resource, const char *id);

/*---- Server log hygiene (logmask.c) ----*/
extern void pwu_logmask_init(void);

/*---- Audit trail (audit.c) ----*/
extern void pwu_audit(const Caller *caller, const char *resource,
					  const char *resource_id, const char *action);
extern void pwu_audit_many(const Caller *caller, const char *resource,
						   ArrayType *ids, const char *action);

/*---- Random tokens and their digests (token.c) ----*/
extern char *pwu_random_string(int length);
extern char *pwu_token_digest(const char *token, int len);
extern bool pwu_token_matches(const char *token, int len,
							  const char *stored_digest);

/*---- Small JSON helpers (jsonutil.c) ----*/
extern JsonbValue *pwu_jsonb_get(Jsonb *object, const char *key);
extern char *pwu_jsonb_get_string(Jsonb *object, const char *key);
extern char *pwu_json_pointer(const char *parent, const char *key);
extern void pwu_jsonb_push_key(JsonbParseState **state, const char *key);
extern void pwu_jsonb_push_string(JsonbParseState **state, const char *key,
								  const char *value);
extern void pwu_jsonb_push_bool(JsonbParseState **state, const char *key,
								bool value);
extern void pwu_jsonb_push_int64(JsonbParseState **state, const char *key,
								 int64 value);
extern char *pwu_iso_timestamp(TimestampTz ts);

#endif							/* PWUPDATE_H */
