/*-------------------------------------------------------------------------
 *
 * lockout.c
 *	  Counting failed attempts per account (wrong current password, wrong
 *	  reset token for an id, wrong sign-in) and refusing an account that has
 *	  too many within the window.
 *
 * A failed attempt ends in an error, which rolls back the transaction, so
 * the count cannot live in a table.  It lives in shared memory instead,
 * which needs pwupdate in shared_preload_libraries; without it nothing is
 * counted and the library says so when it is loaded.  Counts do not
 * survive a server restart.
 *
 * Accounts are keyed by a digest of (resource, id), so the table holds no
 * identifiers in clear and every key has the same size.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <sodium.h>

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/timestamp.h"

#include "pwupdate.h"

#define LOCKOUT_KEY_BYTES 16

typedef struct LockoutKey
{
	unsigned char digest[LOCKOUT_KEY_BYTES];
} LockoutKey;

typedef struct LockoutEntry
{
	LockoutKey	key;
	int			failures;		/* within the current window */
	TimestampTz window_start;	/* first failure of the window */
} LockoutEntry;

typedef struct LockoutShared
{
	LWLock	   *lock;
} LockoutShared;

/*---- GUC variables ----*/
int			pwu_lockout_threshold = 10;
int			pwu_lockout_window = 900;
static int	lockout_max_accounts = 10000;

static LockoutShared *shared = NULL;
static HTAB *accounts = NULL;
static bool preloaded = false;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static void
lockout_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(LockoutShared)) +
						   hash_estimate_size(lockout_max_accounts,
											  sizeof(LockoutEntry)));
	RequestNamedLWLockTranche("pwupdate_lockout", 1);
}

static void
lockout_shmem_startup(void)
{
	HASHCTL		info;
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	shared = ShmemInitStruct("pwupdate lockout", sizeof(LockoutShared), &found);
	if (!found)
		shared->lock = &(GetNamedLWLockTranche("pwupdate_lockout"))->lock;
	info.keysize = sizeof(LockoutKey);
	info.entrysize = sizeof(LockoutEntry);
	accounts = ShmemInitHash("pwupdate lockout accounts",
							 lockout_max_accounts, lockout_max_accounts,
							 &info, HASH_ELEM | HASH_BLOBS);
	LWLockRelease(AddinShmemInitLock);
}

void
pwu_lockout_init(void)
{
	DefineCustomIntVariable("pwupdate.lockout_threshold",
							"Sets how many failed attempts within the window lock an account.",
							"NIST SP 800-63B allows at most 100.",
							&pwu_lockout_threshold,
							10,
							1,
							100,
							PGC_SUSET,
							0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("pwupdate.lockout_window",
							"Sets the window in which failed attempts are counted, and how long a lockout lasts.",
							NULL,
							&pwu_lockout_window,
							900,
							1,
							86400,
							PGC_SUSET,
							GUC_UNIT_S,
							NULL, NULL, NULL);
	if (!process_shared_preload_libraries_in_progress)
	{
		ereport(LOG,
				(errmsg("pwupdate is not in shared_preload_libraries, so failed attempts are not counted"),
				 errhint("Add pwupdate to shared_preload_libraries to lock out accounts after repeated failures.")));
		return;
	}

	preloaded = true;
	/* A server-start setting can only be defined while preloading. */
	DefineCustomIntVariable("pwupdate.lockout_max_accounts",
							"Sets how many accounts with recent failures are tracked.",
							"The oldest window is dropped when the table is full.",
							&lockout_max_accounts,
							10000,
							100,
							10000000,
							PGC_POSTMASTER,
							0,
							NULL, NULL, NULL);
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = lockout_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = lockout_shmem_startup;
}

bool
pwu_lockout_active(void)
{
	return preloaded && accounts != NULL;
}

static void
account_key(const char *resource, const char *id, LockoutKey *key)
{
	crypto_generichash_state state;

	crypto_generichash_init(&state, NULL, 0, LOCKOUT_KEY_BYTES);
	crypto_generichash_update(&state, (const unsigned char *) resource,
							  strlen(resource) + 1);
	crypto_generichash_update(&state, (const unsigned char *) id, strlen(id));
	crypto_generichash_final(&state, key->digest, LOCKOUT_KEY_BYTES);
}

static bool
window_expired(const LockoutEntry *entry, TimestampTz now)
{
	return TimestampDifferenceExceeds(entry->window_start, now,
									  pwu_lockout_window * 1000);
}

/* Make room by dropping the entry whose window started first. */
static void
evict_oldest(void)
{
	HASH_SEQ_STATUS status;
	LockoutEntry *entry;
	LockoutEntry *oldest = NULL;

	hash_seq_init(&status, accounts);
	while ((entry = hash_seq_search(&status)) != NULL)
		if (oldest == NULL || entry->window_start < oldest->window_start)
			oldest = entry;
	if (oldest != NULL)
		hash_search(accounts, &oldest->key, HASH_REMOVE, NULL);
}

/*
 * Refuse an account that is locked out.  Called before any verification,
 * so a locked account does not even learn whether a password was right.
 */
void
pwu_lockout_check(const char *resource, const char *id)
{
	LockoutKey	key;
	LockoutEntry *entry;
	bool		locked = false;

	if (!pwu_lockout_active())
		return;
	account_key(resource, id, &key);
	LWLockAcquire(shared->lock, LW_SHARED);
	entry = hash_search(accounts, &key, HASH_FIND, NULL);
	if (entry != NULL && entry->failures >= pwu_lockout_threshold &&
		!window_expired(entry, GetCurrentTimestamp()))
		locked = true;
	LWLockRelease(shared->lock);

	if (locked)
		ereport(ERROR,
				(errcode(PWU_ERRCODE_TOO_MANY),
				 errmsg("too many failed attempts"),
				 errdetail("The account is locked for up to %d seconds after %d failed attempts.",
						   pwu_lockout_window, pwu_lockout_threshold)));
}

/*
 * Count one failed attempt.  Shared memory is not rolled back with the
 * transaction, which is the point.
 */
void
pwu_lockout_failure(const char *resource, const char *id)
{
	LockoutKey	key;
	LockoutEntry *entry;
	bool		found;
	TimestampTz now = GetCurrentTimestamp();

	if (!pwu_lockout_active())
		return;
	account_key(resource, id, &key);
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	entry = hash_search(accounts, &key, HASH_ENTER_NULL, &found);
	if (entry == NULL)
	{
		evict_oldest();
		entry = hash_search(accounts, &key, HASH_ENTER_NULL, &found);
	}
	if (entry != NULL)
	{
		if (!found || window_expired(entry, now))
		{
			entry->failures = 0;
			entry->window_start = now;
		}
		entry->failures++;
	}
	LWLockRelease(shared->lock);
}

/*
 * Forget the failures of an account after a successful attempt.
 */
void
pwu_lockout_success(const char *resource, const char *id)
{
	LockoutKey	key;

	if (!pwu_lockout_active())
		return;
	account_key(resource, id, &key);
	LWLockAcquire(shared->lock, LW_EXCLUSIVE);
	hash_search(accounts, &key, HASH_REMOVE, NULL);
	LWLockRelease(shared->lock);
}
