/*-------------------------------------------------------------------------
 *
 * reset.h
 *	  Customer password resets (seed 002, Commerce Layer), shared by the
 *	  files that implement them: reset_store.c (the tables), reset_json.c
 *	  (the JSON:API request and response) and api_resets.c (the flows and
 *	  the SQL functions).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PWUPDATE_RESET_H
#define PWUPDATE_RESET_H

#include "datatype/timestamp.h"
#include "utils/jsonb.h"

#include "engine.h"

/* Letters and digits of a customer or reset id, like the seed's "xYZkjABcde" */
#define RESET_ID_CHARS		10

/*
 * Letters and digits of a reset token: 62^43 is about 2^256, as for session
 * and member tokens, where the contract asks for 20 characters and 112 bits.
 */
#define RESET_TOKEN_CHARS	43

/* Where failed token guesses are counted (lockout.c), one account per reset */
#define RESET_LOCKOUT_RESOURCE "customer_password_reset"

/* One reset, with its customer's email. */
typedef struct CustomerReset
{
	char	   *id;
	char	   *customer_id;
	char	   *customer_email;
	char	   *token_digest;	/* only from pwu_reset_lock() */
	char	   *reference;		/* NULL when unset */
	char	   *reference_origin;	/* NULL when unset */
	Jsonb	   *metadata;
	TimestampTz created_at;
	TimestampTz updated_at;
	TimestampTz expires_at;
	bool		used;			/* reset_password_at is set */
	TimestampTz reset_password_at;
	bool		voided;			/* another password change voided it */
} CustomerReset;

/* What a reset request asks for, once its body has been read. */
typedef struct ResetRequest
{
	ChangeSet  *changes;		/* the new password, still in plaintext */
	char	   *token;			/* _reset_password_token, in a buffer wiped
								 * with its memory context */
	int			token_len;
	bool		origin_sent;	/* reference_origin present */
	char	   *reference_origin;	/* its value; NULL for JSON null */
} ResetRequest;

/*---- The tables (reset_store.c) ----*/
extern char *pwu_customer_id_by_email(const char *email);
extern CustomerReset *pwu_reset_insert(const char *customer_id,
									   const char *token_digest,
									   const char *reference,
									   const char *reference_origin,
									   Jsonb *metadata);
extern CustomerReset *pwu_reset_fetch(const char *id, bool read_only);
extern CustomerReset *pwu_reset_lock(const char *id);
extern bool pwu_reset_is_open(const CustomerReset *reset, TimestampTz now);
extern CustomerReset *pwu_reset_consume(const CustomerReset *reset,
										TimestampTz now,
										const char *password_hash,
										const ResetRequest *request);
extern int64 pwu_reset_purge(void);

/*---- Requests and responses (reset_json.c) ----*/
extern ResetRequest *pwu_reset_read_request(const char *id, Jsonb *body);
extern const Resource *pwu_reset_attributes(void);
extern Jsonb *pwu_reset_response(const CustomerReset *reset,
								 const char *token, int token_len);

#endif							/* PWUPDATE_RESET_H */
