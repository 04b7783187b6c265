/*
 * selector.h: Kubernetes label and field selectors.
 *
 * Label selectors follow apimachinery's labels.Parse: comma-separated
 * requirements with =, ==, !=, in (...), notin (...), KEY (exists) and !KEY
 * (does not exist). Field selectors (fields.ParseSelector) allow only =, ==
 * and !=. Matching asks a caller-supplied lookup for each key, so the same
 * code serves labels, fields and any other key/value source.
 */
#ifndef OPSDECK_SELECTOR_H
#define OPSDECK_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"

enum selector_op {
	SELECTOR_OP_EQ,          /* key=value, key==value */
	SELECTOR_OP_NEQ,         /* key!=value */
	SELECTOR_OP_IN,          /* key in (a,b) */
	SELECTOR_OP_NOTIN,       /* key notin (a,b) */
	SELECTOR_OP_EXISTS,      /* key */
	SELECTOR_OP_NOT_EXISTS   /* !key */
};

struct selector_req {
	char *key;         /* owned */
	enum selector_op op;
	char **values;     /* owned array of owned strings; one for EQ/NEQ */
	size_t nvalues;
};

struct selector {
	struct selector_req *reqs;  /* owned */
	size_t n;
};

/*
 * Returns the value of key, or NULL when the key is absent. The string is
 * borrowed by the matcher for the duration of the call only.
 */
typedef const char *(*selector_lookup_fn)(void *arg, const char *key);

/* Parses a label selector; "" gives an empty selector that matches everything. */
enum od_status selector_parse(const char *s, struct selector **out, struct err *e);

/* Parses a field selector (only =, == and !=; values are not validated as labels). */
enum od_status selector_parse_fields(const char *s, struct selector **out, struct err *e);

/* True when every requirement holds. A NULL or empty selector matches everything. */
bool selector_matches(const struct selector *sel, selector_lookup_fn lookup, void *arg);

/* True for NULL or a selector without requirements. */
bool selector_is_empty(const struct selector *sel);

/* The value required by an `=` requirement on key, or NULL (for fast paths). Borrowed. */
const char *selector_find_eq(const struct selector *sel, const char *key);

/* Frees *sel and sets it to NULL. */
void selector_free(struct selector **sel);

#endif
