/*
 * store_state.h: the last-known state per context — the newest pod and
 * workload rows, so the console can paint at once on start and whenever the
 * API server is unreachable ("stale since HH:MM"). The rows are opaque text
 * the model writes and reads back (the store does not interpret them).
 */
#ifndef OPSDECK_STORE_STATE_H
#define OPSDECK_STORE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/store.h"

/* Strings borrowed. */
struct store_state_row {
	const char *kind;        /* "pod", "workload", ... */
	const char *namespace;
	const char *name;
	const char *data;        /* the model's serialised row */
};

/* Caps: rows per context and bytes per row. */
#define STORE_STATE_MAX_ROWS 200000
#define STORE_STATE_MAX_DATA 65536

/* Replaces every row of context with rows[0..n) in one transaction. */
enum od_status store_state_save(struct store *st, const char *context, int64_t saved_at,
				const struct store_state_row *rows, size_t n, struct err *e);

typedef int (*store_state_fn)(void *arg, const struct store_state_row *row);

/* Calls fn per row (by kind, namespace, name); *saved_at is 0 when nothing was saved. */
enum od_status store_state_load(struct store *st, const char *context, int64_t *saved_at,
				store_state_fn fn, void *arg, struct err *e);

#endif
