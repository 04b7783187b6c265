/*
 * yamltree.h (private to src/runbook): a small YAML node tree with line
 * numbers, built from libyaml events under hard caps.
 *
 * libyaml's own document loader resolves aliases silently and has no depth
 * or size limits; profiles want neither aliases nor unbounded input, and
 * every message needs the line of the node it is about.
 */
#ifndef OPSDECK_RUNBOOK_YAMLTREE_H
#define OPSDECK_RUNBOOK_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"

enum ynode_type { YN_SCALAR, YN_MAP, YN_SEQ };

struct ynode {
	enum ynode_type type;
	int line;              /* 1-based */
	bool plain;            /* scalar written without quotes */
	char *str;             /* owned; scalars only */
	struct ynode **kids;   /* owned; seq items, or map keys and values alternating */
	size_t n;              /* entries in kids */
	size_t cap;
};

struct ytree_limits {
	size_t max_depth;
	size_t max_nodes;
	size_t max_scalar;
};

/*
 * Parses one YAML document. Anchors, aliases, tags other than the standard
 * ones, duplicate map keys, non-scalar keys and a second document are errors.
 * Messages are "line: problem" (the caller adds the file). *out is owned.
 */
enum od_status ytree_parse(const char *data, size_t len, const struct ytree_limits *lim,
			   struct ynode **out, int *err_line, struct err *e);

void ytree_free(struct ynode **n);

/* The value of key in map n, or NULL. Borrowed. */
const struct ynode *ytree_get(const struct ynode *map, const char *key);

#endif
