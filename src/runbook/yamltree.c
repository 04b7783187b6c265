/*
 * yamltree.c: libyaml events to a capped node tree (see yamltree.h).
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yamltree.h"

struct builder {
	const struct ytree_limits *lim;
	struct ynode *root;
	struct ynode *stack[64];   /* open collections; depth is also capped by lim */
	size_t depth;
	size_t nodes;
};

void ytree_free(struct ynode **np)
{
	struct ynode *n = np ? *np : NULL;
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ytree_free(&n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
	*np = NULL;
}

const struct ynode *ytree_get(const struct ynode *map, const char *key)
{
	if (!map || map->type != YN_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

static enum od_status add_kid(struct ynode *parent, struct ynode *kid, struct err *e)
{
	if (parent->n == parent->cap) {
		size_t cap = parent->cap ? parent->cap * 2 : 8;
		struct ynode **k = realloc(parent->kids, cap * sizeof(*k));
		if (!k)
			return err_set(e, OD_ENOMEM, "out of memory");
		parent->kids = k;
		parent->cap = cap;
	}
	parent->kids[parent->n++] = kid;
	return OD_OK;
}

/* Mapping keys must be scalars and unique; checked when the key is added. */
static enum od_status check_key(const struct ynode *map, const struct ynode *key, struct err *e)
{
	if (key->type != YN_SCALAR)
		return err_set(e, OD_EPARSE, "mapping keys must be plain strings");
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->kids[i]->str, key->str) == 0)
			return err_set(e, OD_EPARSE, "duplicate key \"%.64s\"", key->str);
	return OD_OK;
}

/* Attaches a finished node to the open collection (or makes it the root). */
static enum od_status attach(struct builder *b, struct ynode *n, struct err *e)
{
	if (b->depth == 0) {
		b->root = n;
		return OD_OK;
	}
	struct ynode *top = b->stack[b->depth - 1];
	if (top->type == YN_MAP && top->n % 2 == 0) {
		enum od_status rc = check_key(top, n, e);
		if (rc != OD_OK)
			return rc;
	}
	return add_kid(top, n, e);
}

static bool tag_ok(const yaml_char_t *tag)
{
	static const char *const ok[] = {
		"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
		"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:float",
		"tag:yaml.org,2002:null", "!"
	};
	if (!tag)
		return true;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp((const char *)tag, ok[i]) == 0)
			return true;
	return false;
}

static struct ynode *node_new(struct builder *b, enum ynode_type t, int line, struct err *e)
{
	if (++b->nodes > b->lim->max_nodes) {
		err_set(e, OD_ELIMIT, "too many YAML nodes (more than %zu)", b->lim->max_nodes);
		return NULL;
	}
	struct ynode *n = calloc(1, sizeof(*n));
	if (!n) {
		err_set(e, OD_ENOMEM, "out of memory");
		return NULL;
	}
	n->type = t;
	n->line = line;
	return n;
}

static enum od_status on_scalar(struct builder *b, const yaml_event_t *ev, int line, struct err *e)
{
	if (ev->data.scalar.length > b->lim->max_scalar)
		return err_set(e, OD_ELIMIT, "string longer than %zu bytes", b->lim->max_scalar);
	if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length))
		return err_set(e, OD_EPARSE, "string contains a NUL byte");
	struct ynode *n = node_new(b, YN_SCALAR, line, e);
	if (!n)
		return e->status;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->str = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
	if (!n->str) {
		free(n);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	enum od_status rc = attach(b, n, e);
	if (rc != OD_OK)
		ytree_free(&n);
	return rc;
}

static enum od_status on_open(struct builder *b, enum ynode_type t, int line, struct err *e)
{
	if (b->depth >= b->lim->max_depth || b->depth >= sizeof(b->stack) / sizeof(b->stack[0]))
		return err_set(e, OD_ELIMIT, "nested deeper than %zu levels", b->lim->max_depth);
	struct ynode *n = node_new(b, t, line, e);
	if (!n)
		return e->status;
	enum od_status rc = attach(b, n, e);
	if (rc != OD_OK) {
		ytree_free(&n);
		return rc;
	}
	b->stack[b->depth++] = n;
	return OD_OK;
}

/* Handles one event; *done is set at the end of the stream. */
static enum od_status on_event(struct builder *b, const yaml_event_t *ev, int *docs, bool *done,
			       struct err *e)
{
	int line = (int)ev->start_mark.line + 1;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		return OD_OK;
	case YAML_STREAM_END_EVENT:
		*done = true;
		return OD_OK;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return err_set(e, OD_EPARSE, "a profile is one YAML document; found a second");
		return OD_OK;
	case YAML_ALIAS_EVENT:
		return err_set(e, OD_EPARSE, "aliases (*%.32s) are not allowed in profiles",
			       (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return err_set(e, OD_EPARSE, "anchors (&%.32s) are not allowed in profiles",
				       (const char *)ev->data.scalar.anchor);
		if (!tag_ok(ev->data.scalar.tag))
			return err_set(e, OD_EPARSE, "unsupported tag %.64s", (const char *)ev->data.scalar.tag);
		return on_scalar(b, ev, line, e);
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor)
			return err_set(e, OD_EPARSE, "anchors (&%.32s) are not allowed in profiles",
				       (const char *)ev->data.sequence_start.anchor);
		if (!tag_ok(ev->data.sequence_start.tag))
			return err_set(e, OD_EPARSE, "unsupported tag %.64s",
				       (const char *)ev->data.sequence_start.tag);
		return on_open(b, YN_SEQ, line, e);
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor)
			return err_set(e, OD_EPARSE, "anchors (&%.32s) are not allowed in profiles",
				       (const char *)ev->data.mapping_start.anchor);
		if (!tag_ok(ev->data.mapping_start.tag))
			return err_set(e, OD_EPARSE, "unsupported tag %.64s",
				       (const char *)ev->data.mapping_start.tag);
		return on_open(b, YN_MAP, line, e);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return OD_OK;
	case YAML_NO_EVENT:
		break;
	}
	return OD_OK;
}

enum od_status ytree_parse(const char *data, size_t len, const struct ytree_limits *lim,
			   struct ynode **out, int *err_line, struct err *e)
{
	yaml_parser_t parser;
	struct builder b = { .lim = lim };
	enum od_status rc = OD_OK;
	int docs = 0;
	bool done = false;

	struct err local;

	*out = NULL;
	*err_line = 0;
	if (!e)
		e = &local;
	if (!yaml_parser_initialize(&parser))
		return err_set(e, OD_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			*err_line = (int)parser.problem_mark.line + 1;
			rc = err_set(e, OD_EPARSE, "invalid YAML: %s%s%s",
				     parser.problem ? parser.problem : "syntax error",
				     parser.context ? " " : "", parser.context ? parser.context : "");
			goto out;
		}
		*err_line = (int)ev.start_mark.line + 1;
		rc = on_event(&b, &ev, &docs, &done, e);
		yaml_event_delete(&ev);
		if (rc != OD_OK)
			goto out;
	}
	if (!b.root) {
		rc = err_set(e, OD_EPARSE, "the file is empty");
		goto out;
	}
	*out = b.root;
	b.root = NULL;
out:
	ytree_free(&b.root);
	yaml_parser_delete(&parser);
	return rc;
}
