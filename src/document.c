/*-------------------------------------------------------------------------
 *
 * document.c
 *	  A request body against a resource's description and its current row:
 *	  the change set of a merge (PATCH), a replace (PUT) or an update (a
 *	  PUT that keeps absent optional fields), the secret's policy check and
 *	  hash, and the response object built back from a row.
 *
 * Checks run in a fixed order, so that one body always gives one error:
 * first the shape, member by member (not an object, unrecognized member,
 * null where none is allowed, wrong JSON type), then for a replace or an
 * update an id that differs from the path's and the required fields that
 * are missing (all of them at once), then read-only fields sent with
 * another value than their current one, and last the secret's policy.
 * Nothing here touches the table: the caller has read the row and will
 * store the changes.
 *
 * A body that asks for an action rather than describing the object (a
 * password reset: the new password and the token that proves the right to
 * set it) is read without the current row.  Its required fields must be
 * present as in a replace, and a read-only field is refused whatever its
 * value: comparing it with the row would tell a caller who has not yet
 * proved anything what the row holds.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "engine.h"

/* What a body says about one field. */
typedef struct SentField
{
	bool		present;
	bool		isnull;
	Datum		value;			/* canonical type; unused for the secret */
	JsonbValue	secret;			/* the secret's JSON string, not copied */
	char	   *pointer;		/* JSON pointer, for errors */
} SentField;

/*---- Change sets ----*/

ChangeSet *
pwu_changeset_new(const Resource *r)
{
	ChangeSet  *cs = palloc0(sizeof(ChangeSet));

	cs->fields = palloc(sizeof(int) * r->nfields);
	cs->values = palloc(sizeof(Datum) * r->nfields);
	cs->isnull = palloc(sizeof(bool) * r->nfields);
	return cs;
}

/* Set a field's new value, replacing an earlier one for that field. */
void
pwu_changeset_set(ChangeSet *cs, int field, Datum value, bool isnull)
{
	int			i;

	for (i = 0; i < cs->nchanges; i++)
		if (cs->fields[i] == field)
			break;
	cs->fields[i] = field;
	cs->values[i] = value;
	cs->isnull[i] = isnull;
	if (i == cs->nchanges)
		cs->nchanges++;
}

bool
pwu_changeset_is_empty(const ChangeSet *cs)
{
	return cs->nchanges == 0 && cs->secret == NULL && cs->secret_hash == NULL;
}

/* The change set's entry for a field, or -1. */
static int
change_of(const ChangeSet *cs, int field)
{
	for (int i = 0; i < cs->nchanges; i++)
		if (cs->fields[i] == field)
			return i;
	return -1;
}

/*---- Errors ----*/

/*
 * Raise the "invalid value" class for a read-only field sent with another
 * value than its current one.
 */
void
pwu_read_only_error(const char *pointer)
{
	ereport(ERROR,
			(errcode(PWU_ERRCODE_UNPROCESSABLE),
			 errmsg("cannot change read-only field"),
			 errdetail("Field \"%s\" is read-only.", pointer),
			 errhint("Send the field with its current value, or leave it out.")));
}

static void action_read_only_error(const char *pointer) pg_attribute_noreturn();

/* The same, in a body read without a current row (an action). */
static void
action_read_only_error(const char *pointer)
{
	ereport(ERROR,
			(errcode(PWU_ERRCODE_UNPROCESSABLE),
			 errmsg("cannot change read-only field"),
			 errdetail("Field \"%s\" is read-only.", pointer),
			 errhint("Leave the field out of this request.")));
}

/*---- Reading a body ----*/

static bool
is_consumed(const List *consumed, const char *key, int len)
{
	ListCell   *lc;

	foreach(lc, consumed)
	{
		const char *name = lfirst(lc);

		if (strlen(name) == (size_t) len && memcmp(name, key, len) == 0)
			return true;
	}
	return false;
}

/*
 * First pass: every member must be a field of the resource and have the
 * field's JSON type.
 */
static void
read_members(const Resource *r, const JsonbValue *body, const char *pointer,
			 const List *consumed, SentField *sent)
{
	JsonbIterator *it;
	JsonbValue	key;
	JsonbValue	value;
	JsonbIteratorToken token;

	if (body == NULL || body->type != jbvBinary ||
		!JsonContainerIsObject(body->val.binary.data))
		pwu_body_error(BODY_NOT_OBJECT, pointer, NULL);

	it = JsonbIteratorInit(body->val.binary.data);
	while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
	{
		char	   *name;
		int			index;
		const ResourceField *f;
		SentField  *s;

		if (token != WJB_KEY)
			continue;
		name = pnstrdup(key.val.string.val, key.val.string.len);
		JsonbIteratorNext(&it, &value, true);
		if (is_consumed(consumed, name, strlen(name)))
			continue;

		index = pwu_resource_field_index(r, name, strlen(name));
		if (index < 0)
			pwu_body_error(BODY_UNKNOWN_FIELD, pwu_json_pointer(pointer, name), NULL);
		f = &r->fields[index];
		s = &sent[index];
		s->present = true;
		s->pointer = pwu_json_pointer(pointer, name);

		if (value.type == jbvNull)
		{
			if (!f->nullable)
				pwu_body_error(BODY_NOT_NULLABLE, s->pointer, NULL);
			s->isnull = true;
		}
		else if (f->access == ACCESS_SECRET)
		{
			if (value.type != jbvString)
				pwu_body_error(BODY_WRONG_TYPE, s->pointer, "a string");
			s->secret = value;
		}
		else
			s->value = pwu_value_from_json(f, &value, s->pointer);
	}
}

/* A replace may repeat the key, but only with the path's id. */
static void
check_key(const Resource *r, const SentField *sent, const ResourceRow *current)
{
	const SentField *s = &sent[r->key];

	if (s->present &&
		!pwu_value_equal(r->fields[r->key].type, s->value, s->isnull,
						 current->values[r->key], current->isnull[r->key]))
		pwu_body_error(BODY_ID_MISMATCH, s->pointer, NULL);
}

static void
check_missing(const Resource *r, const SentField *sent, const char *pointer)
{
	List	   *missing = NIL;

	for (int i = 0; i < r->nfields; i++)
		if (r->fields[i].required && !sent[i].present)
			missing = lappend(missing, pwu_json_pointer(pointer, r->fields[i].name));
	if (missing != NIL)
		pwu_missing_fields_error(missing);
}

/* Without a current row (an action), no value of a read-only field fits. */
static void
check_read_only(const Resource *r, const SentField *sent,
				const ResourceRow *current)
{
	for (int i = 0; i < r->nfields; i++)
	{
		const SentField *s = &sent[i];

		if (r->fields[i].access != ACCESS_READ_ONLY || !s->present)
			continue;
		if (current == NULL)
			action_read_only_error(s->pointer);
		if (!pwu_value_equal(r->fields[i].type, s->value, s->isnull,
							 current->values[i], current->isnull[i]))
			pwu_read_only_error(s->pointer);
	}
}

/*
 * Last pass: the writable fields whose value changes, and the secret.  In
 * a replace a writable field that is absent (and so optional, hence
 * nullable) becomes null; in a merge or an update it keeps its value.  An
 * absent secret always keeps its value.  Without a current row (an action)
 * every writable field sent is a change.
 */
static ChangeSet *
collect_changes(const Resource *r, const SentField *sent,
				const ResourceRow *current, DocumentMode mode)
{
	ChangeSet  *cs = pwu_changeset_new(r);

	for (int i = 0; i < r->nfields; i++)
	{
		const ResourceField *f = &r->fields[i];
		const SentField *s = &sent[i];
		Datum		value = s->value;
		bool		isnull = s->isnull;

		if (f->access == ACCESS_SECRET && s->present)
			cs->secret = pwu_secret_from_cstring(s->secret.val.string.val,
												 s->secret.val.string.len);
		if (f->access != ACCESS_WRITABLE)
			continue;
		if (!s->present)
		{
			if (mode != DOCUMENT_REPLACE)
				continue;
			value = (Datum) 0;
			isnull = true;
		}
		if (current != NULL &&
			pwu_value_equal(f->type, value, isnull,
							current->values[i], current->isnull[i]))
			continue;
		pwu_changeset_set(cs, i, value, isnull);
	}
	return cs;
}

/*
 * Apply a body to a row's current values.
 *
 * body: the object holding the fields; a jbvBinary value, or anything else
 *		to have it reported as not an object
 * pointer: JSON pointer of that object in the request ("" for the whole
 *		body, "/data" or "/data/attributes" inside an envelope)
 * current: the row as it is now, read under a row lock; for a row yet to
 *		be inserted, every value null; NULL for an action
 * mode: DOCUMENT_MERGE, DOCUMENT_REPLACE, DOCUMENT_UPDATE, or
 *		DOCUMENT_ACTION for a body that asks for an action and is read
 *		without the current row
 * consumed: member names the caller has already dealt with (an envelope's
 *		"type" or "id"); they are skipped
 *
 * Raises the "malformed body" or "invalid value" class, or returns the
 * changes: possibly none, and the secret still in plaintext.
 */
ChangeSet *
pwu_document_read(const Resource *r, const JsonbValue *body,
				  const char *pointer, const ResourceRow *current,
				  DocumentMode mode, const List *consumed)
{
	SentField  *sent = palloc0(sizeof(SentField) * r->nfields);

	Assert((mode == DOCUMENT_ACTION) == (current == NULL));

	read_members(r, body, pointer, consumed, sent);
	if (mode == DOCUMENT_REPLACE || mode == DOCUMENT_UPDATE)
		check_key(r, sent, current);
	if (mode != DOCUMENT_MERGE)
		check_missing(r, sent, pointer);
	check_read_only(r, sent, current);
	return collect_changes(r, sent, current, mode);
}

/*---- The secret ----*/

static const char *
context_value(const Resource *r, const ChangeSet *cs,
			  const ResourceRow *current, int field)
{
	int			change = change_of(cs, field);

	if (change >= 0)
		return cs->isnull[change] ? NULL : TextDatumGetCString(cs->values[change]);
	if (current == NULL || current->isnull[field])
		return NULL;
	return TextDatumGetCString(current->values[field]);
}

/*
 * Check a change set's new secret against the policy, hash it and wipe the
 * plaintext.  The context words are the resource's context-word fields,
 * with their new value when the body changes them, plus any the caller
 * adds (an email held in another table, say).  Nothing to do when the
 * body does not set the secret.
 */
void
pwu_document_secure(const Resource *r, ChangeSet *cs,
					const ResourceRow *current,
					const ContextWord *extra, int nextra)
{
	ContextWord *words;
	int			n = 0;

	if (cs->secret == NULL)
		return;

	words = palloc(sizeof(ContextWord) * (r->nfields + nextra + 1));
	for (int i = 0; i < r->nfields; i++)
	{
		if (!r->fields[i].context_word)
			continue;
		words[n].label = r->fields[i].name;
		words[n].value = context_value(r, cs, current, i);
		n++;
	}
	for (int i = 0; i < nextra; i++)
		words[n++] = extra[i];

	pwu_check_policy(cs->secret, words, n);
	cs->secret_hash = pwu_hash(cs->secret);
	pwu_secret_wipe(cs->secret);
	cs->secret = NULL;
}

/*---- The response ----*/

/*
 * Push the readable fields of a row as members of the object being built,
 * so that an envelope can add members of its own around them.
 */
void
pwu_document_push_fields(JsonbParseState **state, const Resource *r,
						 const ResourceRow *row)
{
	for (int i = 0; i < r->nfields; i++)
	{
		const ResourceField *f = &r->fields[i];
		JsonbValue	key;

		if (f->access == ACCESS_SECRET)
			continue;
		key.type = jbvString;
		key.val.string.val = f->name;
		key.val.string.len = strlen(f->name);
		pushJsonbValue(state, WJB_KEY, &key);
		pwu_value_push(state, f->type, row->values[i], row->isnull[i]);
	}
}

/* The object of a row, as every response shows it: secrets left out. */
Jsonb *
pwu_document_object(const Resource *r, const ResourceRow *row)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	pwu_document_push_fields(&state, r, row);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(result);
}
