/*
 * helpers.h: shared by the store tests — a private temporary directory per
 * test and a store opened in it.
 */
#ifndef OPSDECK_TESTS_STORE_HELPERS_H
#define OPSDECK_TESTS_STORE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/store.h"

struct tmp_db {
	char dir[256];
	char path[512];
};

static inline void tmp_db_init(struct tmp_db *t, const char *name)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/opsdeck-store.XXXXXX");
	if (!mkdtemp(t->dir))
		abort();
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name ? name : "history.db");
}

static inline void tmp_db_cleanup(struct tmp_db *t)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", t->dir);
}

/* Opens t's database with default settings (quick_check on); aborts the test on failure. */
static inline struct store *tmp_db_open(struct tmp_db *t, const struct store_settings *set)
{
	struct store *st = NULL;
	struct err e = { 0 };
	if (store_open(t->path, set, &st, &e) != OD_OK) {
		fprintf(stderr, "# store_open: %s\n", e.msg);
		abort();
	}
	return st;
}

#endif
