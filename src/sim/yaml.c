/*
 * yaml.c: libyaml events to cJSON trees.
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "opsdeck/buf.h"
#include "opsdeck/sim_yaml.h"

#define YAML_DEPTH_MAX 200
#define YAML_FILE_MAX (64u * 1024 * 1024)

struct frame {
	cJSON *node;       /* borrowed: owned by its parent or by the builder's root */
	char *key;         /* owned: a mapping's pending key */
	char *anchor;      /* owned: anchor to record when the node completes */
};

struct builder {
	struct frame stack[YAML_DEPTH_MAX];
	int depth;
	cJSON *root;       /* owned until the document ends */
	cJSON *anchors;    /* owned: anchor name -> copy of the node */
};

static bool is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool is_float(const char *s)
{
	char *end = NULL;
	bool digit = false, dot_or_exp = false;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digit = true;
		else if (*p == '.' || *p == 'e' || *p == 'E')
			dot_or_exp = true;
		else if (*p != '-' && *p != '+')
			return false;
	}
	if (!digit || !dot_or_exp)
		return false;
	errno = 0;
	strtod(s, &end);
	return errno == 0 && *end == '\0';
}

static cJSON *scalar_value(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	if (tag && (strcmp(tag, "tag:yaml.org,2002:str") == 0 || strcmp(tag, "!!str") == 0))
		return cJSON_CreateString(v);
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return cJSON_CreateString(v);
	if (!*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0)
		return cJSON_CreateNull();
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0)
		return cJSON_CreateTrue();
	if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0)
		return cJSON_CreateFalse();
	if (is_int(v) && strlen(v) < 19)
		return cJSON_CreateNumber((double)strtoll(v, NULL, 10));
	if (is_float(v))
		return cJSON_CreateNumber(strtod(v, NULL));
	return cJSON_CreateString(v);
}

static void remember_anchor(struct builder *b, const char *anchor, const cJSON *node)
{
	if (!anchor || !node)
		return;
	cJSON *copy = cJSON_Duplicate(node, 1);
	if (!copy)
		return;
	if (cJSON_GetObjectItemCaseSensitive(b->anchors, anchor))
		cJSON_ReplaceItemInObjectCaseSensitive(b->anchors, anchor, copy);
	else
		cJSON_AddItemToObject(b->anchors, anchor, copy);
}

/* Attaches node (ownership taken) to the current container or makes it the root. */
static enum od_status attach(struct builder *b, cJSON *node, bool is_scalar_key_candidate,
			     const yaml_event_t *ev, struct err *e)
{
	if (!node)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (b->depth == 0) {
		cJSON_Delete(b->root);
		b->root = node;
		return OD_OK;
	}
	struct frame *f = &b->stack[b->depth - 1];
	if (cJSON_IsArray(f->node)) {
		cJSON_AddItemToArray(f->node, node);
		return OD_OK;
	}
	if (!f->key) {
		if (!is_scalar_key_candidate) {
			cJSON_Delete(node);
			return err_set(e, OD_EPARSE, "line %zu: mapping keys must be scalars",
				       ev->start_mark.line + 1);
		}
		const char *k = cJSON_IsString(node) ? node->valuestring : NULL;
		char num[64];
		if (!k) {
			char *p = cJSON_PrintUnformatted(node);
			snprintf(num, sizeof(num), "%s", p ? p : "");
			free(p);
			k = num;
		}
		f->key = strdup(k);
		cJSON_Delete(node);
		return f->key ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
	}
	if (strcmp(f->key, "<<") == 0 && cJSON_IsObject(node)) {
		/* merge key: copy entries the mapping does not define itself */
		for (cJSON *c = node->child; c; c = c->next)
			if (!cJSON_GetObjectItemCaseSensitive(f->node, c->string))
				cJSON_AddItemToObject(f->node, c->string, cJSON_Duplicate(c, 1));
		cJSON_Delete(node);
	} else if (cJSON_GetObjectItemCaseSensitive(f->node, f->key)) {
		cJSON_ReplaceItemInObjectCaseSensitive(f->node, f->key, node);
	} else {
		cJSON_AddItemToObject(f->node, f->key, node);
	}
	free(f->key);
	f->key = NULL;
	return OD_OK;
}

static enum od_status push(struct builder *b, cJSON *node, const char *anchor,
			   const yaml_event_t *ev, struct err *e)
{
	if (!node)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (b->depth >= YAML_DEPTH_MAX) {
		cJSON_Delete(node);
		return err_set(e, OD_ELIMIT, "line %zu: nesting too deep", ev->start_mark.line + 1);
	}
	if (b->depth > 0) {
		struct frame *f = &b->stack[b->depth - 1];
		if (cJSON_IsObject(f->node) && !f->key) {
			cJSON_Delete(node);
			return err_set(e, OD_EPARSE, "line %zu: mapping keys must be scalars",
				       ev->start_mark.line + 1);
		}
	}
	/* Attach first so that the tree owns the node; keep a borrowed pointer. */
	cJSON *borrowed = node;
	enum od_status rc = attach(b, node, false, ev, e);
	if (rc != OD_OK)
		return rc;
	struct frame *nf = &b->stack[b->depth++];
	nf->node = borrowed;
	nf->key = NULL;
	nf->anchor = anchor ? strdup(anchor) : NULL;
	return OD_OK;
}

static void pop(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];
	if (f->anchor)
		remember_anchor(b, f->anchor, f->node);
	free(f->anchor);
	free(f->key);
	f->anchor = NULL;
	f->key = NULL;
}

static void builder_reset(struct builder *b)
{
	while (b->depth > 0)
		pop(b);
	cJSON_Delete(b->root);
	b->root = NULL;
}

static enum od_status handle_event(struct builder *b, const yaml_event_t *ev, cJSON *docs,
				   struct err *e)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		builder_reset(b);
		return OD_OK;
	case YAML_DOCUMENT_END_EVENT:
		if (b->root && !cJSON_IsNull(b->root)) {
			cJSON_AddItemToArray(docs, b->root);
			b->root = NULL;
		}
		builder_reset(b);
		return OD_OK;
	case YAML_MAPPING_START_EVENT:
		return push(b, cJSON_CreateObject(), (const char *)ev->data.mapping_start.anchor, ev, e);
	case YAML_SEQUENCE_START_EVENT:
		return push(b, cJSON_CreateArray(), (const char *)ev->data.sequence_start.anchor, ev, e);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		if (b->depth > 0)
			pop(b);
		return OD_OK;
	case YAML_SCALAR_EVENT: {
		cJSON *v = scalar_value(ev);
		if (ev->data.scalar.anchor)
			remember_anchor(b, (const char *)ev->data.scalar.anchor, v);
		return attach(b, v, true, ev, e);
	}
	case YAML_ALIAS_EVENT: {
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(b->anchors,
								  (const char *)ev->data.alias.anchor);
		if (!a)
			return err_set(e, OD_EPARSE, "line %zu: unknown alias *%s",
				       ev->start_mark.line + 1, (const char *)ev->data.alias.anchor);
		return attach(b, cJSON_Duplicate(a, 1), true, ev, e);
	}
	default:
		return OD_OK;
	}
}

enum od_status sim_yaml_parse(const char *text, size_t len, cJSON **out, struct err *e)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct builder b;
	enum od_status rc = OD_OK;
	cJSON *docs = cJSON_CreateArray();

	*out = NULL;
	memset(&b, 0, sizeof(b));
	b.anchors = cJSON_CreateObject();
	if (!docs || !b.anchors || !yaml_parser_initialize(&parser)) {
		cJSON_Delete(docs);
		cJSON_Delete(b.anchors);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = err_set(e, OD_EPARSE, "line %zu: %s", parser.problem_mark.line + 1,
				     parser.problem ? parser.problem : "malformed YAML");
			break;
		}
		bool end = ev.type == YAML_STREAM_END_EVENT;
		rc = handle_event(&b, &ev, docs, e);
		yaml_event_delete(&ev);
		if (rc != OD_OK || end)
			break;
	}
	yaml_parser_delete(&parser);
	builder_reset(&b);
	cJSON_Delete(b.anchors);
	if (rc != OD_OK) {
		cJSON_Delete(docs);
		return rc;
	}
	*out = docs;
	return OD_OK;
}

enum od_status sim_yaml_parse_file(const char *path, cJSON **docs, struct err *e)
{
	struct buf b;
	char chunk[65536];
	size_t n;
	enum od_status rc = OD_OK;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, OD_EIO, "%s: %s", path, strerror(errno));
	buf_init(&b, YAML_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rc = buf_append(&b, chunk, n, e);
		if (rc != OD_OK)
			break;
	}
	if (ferror(f) && rc == OD_OK)
		rc = err_set(e, OD_EIO, "%s: read error", path);
	fclose(f);
	if (rc == OD_OK)
		rc = sim_yaml_parse(buf_cstr(&b), b.len, docs, e);
	if (rc != OD_OK)
		err_prefix(e, "%s: ", path);
	buf_free(&b);
	return rc;
}
