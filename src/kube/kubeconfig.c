/*
 * kubeconfig.c: reading kubeconfig files into struct kubeconfig and merging
 * them as kubectl does (first file wins per named entry). Serialising lives
 * in kubeconfig_write.c, choosing a context in kubeconfig_resolve.c.
 *
 * The YAML is loaded with libyaml's document API, which turns aliases into
 * shared nodes; every walk counts the nodes it visits against a budget so an
 * alias bomb costs a bounded amount of work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "opsdeck/kubeconfig.h"
#include "opsdeck/paths.h"

/* Nodes one file may make us visit (aliases included) and how deep extensions nest. */
#define WALK_BUDGET 1000000u
#define NODE_DEPTH_MAX 64

struct walk {
	yaml_document_t *doc;
	const char *path;        /* borrowed: names the file in errors */
	size_t file;             /* index of the file in kubeconfig.files */
	size_t budget;           /* nodes left to visit */
	struct err *e;
};

static enum od_status fail_at(struct walk *w, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Errors carry the line, like go-yaml's ("line 3: ..."), after kubectl's file prefix. */
static enum od_status fail_at(struct walk *w, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(w->e, OD_EPARSE, "error loading config file \"%s\": line %lu: %s", w->path,
		       n ? (unsigned long)n->start_mark.line + 1 : 0ul, msg);
}

static yaml_node_t *walk_node(struct walk *w, int id)
{
	yaml_node_t *n = yaml_document_get_node(w->doc, id);

	if (!n || w->budget == 0)
		return NULL;
	w->budget--;
	return n;
}

static enum od_status walk_budget_error(struct walk *w)
{
	return err_set(w->e, OD_ELIMIT,
		       "error loading config file \"%s\": too many nodes (aliases nested too deep?)",
		       w->path);
}

/*
 * Duplicate keys: the last one wins, as kubectl reads them (go-yaml into a
 * map, then JSON). Returns 1 if pair i of map is repeated later, 0 if not,
 * -1 when the walk budget is spent (each comparison costs one unit).
 */
static int key_shadowed(struct walk *w, const yaml_node_t *map, size_t i)
{
	const yaml_node_pair_t *pairs = map->data.mapping.pairs.start;
	size_t len = (size_t)(map->data.mapping.pairs.top - pairs);
	yaml_node_t *k = yaml_document_get_node(w->doc, pairs[i].key);

	if (!k || k->type != YAML_SCALAR_NODE)
		return 0;
	for (size_t j = i + 1; j < len; j++) {
		yaml_node_t *later = yaml_document_get_node(w->doc, pairs[j].key);

		if (w->budget == 0)
			return -1;
		w->budget--;
		if (later && later->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)later->data.scalar.value,
			   (const char *)k->data.scalar.value) == 0)
			return 1;
	}
	return 0;
}

/* YAML 1.1 null as go-yaml resolves it: "", "~", "null", "Null", "NULL". */
static bool scalar_is_null(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	       strcmp(s, "NULL") == 0;
}

static bool node_is_null(const yaml_node_t *n)
{
	return n == NULL || scalar_is_null(n);
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "a scalar";
	}
}

/* A string field: any scalar but null; sets *out (owned) or leaves it NULL. */
static enum od_status get_string(struct walk *w, const yaml_node_t *n, const char *key,
				 char **out)
{
	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(w, n, "%s: expected a string, got %s", key, kind_name(n));
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		/* kubectl refuses `token: 123` and `server: yes`: quote them */
		enum kc_scalar_type t = kubeconfig_scalar_type((const char *)n->data.scalar.value);

		if (t == KC_SCALAR_BOOL || t == KC_SCALAR_NUMBER)
			return fail_at(w, n, "%s: expected a string, got %s \"%s\" (quote it)", key,
				       t == KC_SCALAR_BOOL ? "a bool" : "a number",
				       (const char *)n->data.scalar.value);
	}
	free(*out);
	*out = strdup((const char *)n->data.scalar.value);
	if (!*out)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

/* go-yaml's YAML 1.1 booleans. */
static enum od_status get_bool(struct walk *w, const yaml_node_t *n, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on",
					   "On", "ON", "y", "Y", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off",
					  "Off", "OFF", "n", "N", NULL };
	const char *s;

	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return fail_at(w, n, "%s: expected true or false", key);
	s = (const char *)n->data.scalar.value;
	for (size_t i = 0; yes[i]; i++)
		if (strcmp(s, yes[i]) == 0)
			return (*out = true), OD_OK;
	for (size_t i = 0; no[i]; i++)
		if (strcmp(s, no[i]) == 0)
			return (*out = false), OD_OK;
	return fail_at(w, n, "%s: expected true or false, got \"%s\"", key, s);
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/*
 * Go's base64.StdEncoding as encoding/json uses it for []byte: padding
 * required, CR and LF ignored. *bad is the offset Go would report.
 */
static bool b64_decode(const char *s, unsigned char *out, size_t *outlen, size_t *bad)
{
	size_t n = 0, q = 0, qstart = 0, pad = 0;
	unsigned v = 0;

	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		int d;

		if (c == '\r' || c == '\n')
			continue;
		if (q == 0)
			qstart = i;
		if (pad) {
			if (c != '=' || q < 2) {
				*bad = i;
				return false;
			}
			pad++;
		} else if (c == '=') {
			if (q < 2) {
				*bad = i;
				return false;
			}
			pad = 1;
		} else if ((d = b64_value(c)) < 0) {
			*bad = i;
			return false;
		} else {
			v = (v << 6) | (unsigned)d;
		}
		if (++q == 4) {
			size_t bytes = 3 - pad;

			v <<= 6 * pad;
			if (bytes >= 1) out[n++] = (unsigned char)(v >> 16);
			if (bytes >= 2) out[n++] = (unsigned char)(v >> 8);
			if (bytes >= 3) out[n++] = (unsigned char)v;
			if (pad) {
				/* nothing may follow the padding */
				for (size_t j = i + 1; s[j]; j++)
					if (s[j] != '\r' && s[j] != '\n') {
						*bad = j;
						return false;
					}
				*outlen = n;
				return true;
			}
			q = 0;
			v = 0;
		}
	}
	if (q != 0) {
		*bad = qstart;
		return false;
	}
	*outlen = n;
	return true;
}

static enum od_status get_blob(struct walk *w, const yaml_node_t *n, const char *key,
			       struct kc_blob *out)
{
	const char *s;
	size_t bad = 0, len = 0;
	unsigned char *data;

	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SCALAR_NODE)
		return fail_at(w, n, "%s: expected base64 data, got %s", key, kind_name(n));
	s = (const char *)n->data.scalar.value;
	data = malloc(strlen(s) / 4 * 3 + 4);
	if (!data)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	if (!b64_decode(s, data, &len, &bad)) {
		free(data);
		return err_set(w->e, OD_EPARSE,
			       "error loading config file \"%s\": line %lu: %s: illegal base64 data at input byte %zu",
			       w->path, (unsigned long)n->start_mark.line + 1, key, bad);
	}
	free(out->data);
	out->data = data;
	out->len = len;
	out->set = true;
	return OD_OK;
}

static enum od_status get_string_list(struct walk *w, const yaml_node_t *n, const char *key,
				      char ***out, size_t *count, bool *set)
{
	size_t len;

	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(w, n, "%s: expected a list, got %s", key, kind_name(n));
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = calloc(len + 1, sizeof(char *));
	if (!*out)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	if (set)
		*set = true;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = walk_node(w, n->data.sequence.items.start[i]);
		enum od_status rc;

		if (!item)
			return walk_budget_error(w);
		if (node_is_null(item)) {
			(*out)[(*count)++] = strdup("");
			continue;
		}
		rc = get_string(w, item, key, &(*out)[*count]);
		if (rc != OD_OK)
			return rc;
		(*count)++;
	}
	return OD_OK;
}

static enum od_status node_copy(struct walk *w, const yaml_node_t *n, int depth,
				struct kc_node **out);

/*
 * The text kubectl ends up with for a plain scalar it read as a boolean
 * (go-yaml, then JSON): "yes", "On", "TRUE" all become "true".
 */
static const char *canonical_bool(const char *s)
{
	bool yes = strchr("yYtT", s[0]) || (strchr("oO", s[0]) && strchr("nN", s[1]));

	return yes ? "true" : "false";
}

/* A key as kubectl keeps it: booleans canonical, null keys refused (as kubectl does). */
static enum od_status copy_key(struct walk *w, const yaml_node_t *k, char **out)
{
	const char *s = (const char *)k->data.scalar.value;

	if (k->type != YAML_SCALAR_NODE || scalar_is_null(k))
		return fail_at(w, k, "extensions: keys must be strings");
	if (k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    kubeconfig_scalar_type(s) == KC_SCALAR_BOOL)
		s = canonical_bool(s);
	*out = strdup(s);
	return *out ? OD_OK : err_set(w->e, OD_ENOMEM, "out of memory");
}

void kubeconfig_node_free(struct kc_node **np)
{
	struct kc_node *n = *np;

	if (!n)
		return;
	free(n->scalar);
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			free(n->keys[i]);
		kubeconfig_node_free(&n->items[i]);
	}
	free(n->keys);
	free(n->items);
	free(n);
	*np = NULL;
}

static enum od_status node_copy_children(struct walk *w, const yaml_node_t *n, int depth,
					 struct kc_node *c)
{
	bool map = n->type == YAML_MAPPING_NODE;
	size_t len = map ? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start)
			 : (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);

	c->items = calloc(len + 1, sizeof(*c->items));
	if (map)
		c->keys = calloc(len + 1, sizeof(*c->keys));
	if (!c->items || (map && !c->keys))
		return err_set(w->e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		int vid = map ? n->data.mapping.pairs.start[i].value : n->data.sequence.items.start[i];
		int shadowed = map ? key_shadowed(w, n, i) : 0;
		yaml_node_t *v = walk_node(w, vid);
		enum od_status rc;

		if (!v || shadowed < 0)
			return walk_budget_error(w);
		if (shadowed)
			continue;
		if (map) {
			yaml_node_t *k = walk_node(w, n->data.mapping.pairs.start[i].key);

			if (!k)
				return walk_budget_error(w);
			rc = copy_key(w, k, &c->keys[c->n]);
			if (rc != OD_OK)
				return rc;
		}
		rc = node_copy(w, v, depth + 1, &c->items[c->n++]);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

/* Copies a YAML subtree that opsdeck only carries (extensions) into owned kc_nodes. */
static enum od_status node_copy(struct walk *w, const yaml_node_t *n, int depth,
				struct kc_node **out)
{
	struct kc_node *c;
	enum od_status rc = OD_OK;

	if (depth > NODE_DEPTH_MAX)
		return fail_at(w, n, "extensions nest too deep");
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	*out = c;
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)n->data.scalar.value;

		c->kind = KC_NODE_SCALAR;
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    kubeconfig_scalar_type(s) == KC_SCALAR_BOOL)
			s = canonical_bool(s);
		/* .inf and .nan have no JSON form: kubectl cannot load them either */
		if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    kubeconfig_scalar_type(s) == KC_SCALAR_NUMBER && strpbrk(s, "iInN"))
			return fail_at(w, n, "extensions: unsupported value: %s", s);
		c->scalar = strdup(s);
		if (!c->scalar)
			return err_set(w->e, OD_ENOMEM, "out of memory");
		c->is_string = n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
			       kubeconfig_scalar_type(s) == KC_SCALAR_STRING ||
			       kubeconfig_scalar_type(s) == KC_SCALAR_TIMESTAMP;
		if (scalar_is_null(n)) {
			free(c->scalar);
			c->scalar = strdup("null");
			c->is_string = false;
		}
		break;
	}
	case YAML_SEQUENCE_NODE:
		c->kind = KC_NODE_LIST;
		rc = node_copy_children(w, n, depth, c);
		break;
	case YAML_MAPPING_NODE:
		c->kind = KC_NODE_MAP;
		rc = node_copy_children(w, n, depth, c);
		break;
	default:
		return fail_at(w, n, "unexpected empty node");
	}
	return rc;
}

/* A NamedExtension's field, or NULL. */
static const struct kc_node *extension_field(const struct kc_node *item, const char *key)
{
	for (size_t k = 0; k < item->n; k++)
		if (strcmp(item->keys[k], key) == 0)
			return item->items[k];
	return NULL;
}

static const char *extension_name(const struct kc_node *item)
{
	const struct kc_node *name = extension_field(item, "name");

	return name && name->is_string ? name->scalar : "";
}

static bool extension_is_null(const struct kc_node *item)
{
	const struct kc_node *x = extension_field(item, "extension");

	return !x || (x->kind == KC_NODE_SCALAR && !x->is_string && strcmp(x->scalar, "null") == 0);
}

/*
 * client-go turns the list into a map by name: an entry replaces an earlier
 * one of the same name whose extension is null; two non-null ones clash.
 */
static enum od_status extensions_dedup(struct walk *w, const yaml_node_t *n, struct kc_node *list)
{
	size_t kept = 0;

	for (size_t i = 0; i < list->n; i++) {
		struct kc_node *item = list->items[i];
		const struct kc_node *name = item->kind == KC_NODE_MAP ? extension_field(item, "name")
									  : NULL;
		size_t j;

		if (item->kind != KC_NODE_MAP)
			return fail_at(w, n, "extensions: expected a list of mappings");
		if (name && !name->is_string && strcmp(name->scalar, "null") != 0)
			return fail_at(w, n, "extensions: name must be a string");
		for (j = 0; j < kept; j++)
			if (strcmp(extension_name(list->items[j]), extension_name(item)) == 0)
				break;
		if (j < kept && !extension_is_null(list->items[j]))
			return fail_at(w, n, "extensions: duplicate name \"%s\"", extension_name(item));
		if (j < kept) {
			kubeconfig_node_free(&list->items[j]);
			list->items[j] = item;
		} else {
			list->items[kept++] = item;
		}
		if (i >= kept)
			list->items[i] = NULL;   /* moved down */
	}
	list->n = kept;
	return OD_OK;
}

/* extensions: a list of {name, extension} mappings, as kubectl requires. */
static enum od_status get_extensions(struct walk *w, const yaml_node_t *n, struct kc_node **out)
{
	enum od_status rc;

	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(w, n, "extensions: expected a list, got %s", kind_name(n));
	kubeconfig_node_free(out);
	rc = node_copy(w, n, 0, out);
	return rc == OD_OK ? extensions_dedup(w, n, *out) : rc;
}

/* Calls fn for each key/value of mapping n; keys that are not scalars are an error. */
typedef enum od_status (*field_fn)(struct walk *w, const char *key, const yaml_node_t *v,
				   void *obj);

static enum od_status walk_mapping(struct walk *w, const yaml_node_t *n, const char *what,
				   field_fn fn, void *obj)
{
	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(w, n, "%s: expected a mapping, got %s", what, kind_name(n));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		int shadowed = key_shadowed(w, n, (size_t)(p - n->data.mapping.pairs.start));
		yaml_node_t *k = walk_node(w, p->key);
		yaml_node_t *v = walk_node(w, p->value);
		enum od_status rc;

		if (!k || !v || shadowed < 0)
			return walk_budget_error(w);
		if (shadowed)
			continue;
		if (k->type != YAML_SCALAR_NODE || scalar_is_null(k))
			return fail_at(w, k, "%s: keys must be strings", what);
		rc = fn(w, (const char *)k->data.scalar.value, v, obj);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static enum od_status cluster_field(struct walk *w, const char *key, const yaml_node_t *v,
				    void *obj)
{
	struct kc_cluster *c = obj;

	if (strcmp(key, "server") == 0)
		return get_string(w, v, key, &c->server);
	if (strcmp(key, "tls-server-name") == 0)
		return get_string(w, v, key, &c->tls_server_name);
	if (strcmp(key, "insecure-skip-tls-verify") == 0)
		return get_bool(w, v, key, &c->insecure_skip_tls_verify);
	if (strcmp(key, "certificate-authority") == 0)
		return get_string(w, v, key, &c->certificate_authority);
	if (strcmp(key, "certificate-authority-data") == 0)
		return get_blob(w, v, key, &c->certificate_authority_data);
	if (strcmp(key, "proxy-url") == 0)
		return get_string(w, v, key, &c->proxy_url);
	if (strcmp(key, "disable-compression") == 0)
		return get_bool(w, v, key, &c->disable_compression);
	if (strcmp(key, "extensions") == 0)
		return get_extensions(w, v, &c->extensions);
	return OD_OK;   /* unknown fields are dropped, as kubectl drops them */
}

static enum od_status pair_list(struct walk *w, const yaml_node_t *n, const char *key,
				const char *vkey, struct kc_pair **out, size_t *count)
{
	size_t len;

	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(w, n, "%s: expected a list, got %s", key, kind_name(n));
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	*out = calloc(len + 1, sizeof(**out));
	if (!*out)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = walk_node(w, n->data.sequence.items.start[i]);
		struct kc_pair *p = &(*out)[i];

		if (!item)
			return walk_budget_error(w);
		*count = i + 1;
		if (node_is_null(item))
			continue;
		if (item->type != YAML_MAPPING_NODE)
			return fail_at(w, item, "%s: expected a mapping, got %s", key, kind_name(item));
		for (yaml_node_pair_t *q = item->data.mapping.pairs.start;
		     q < item->data.mapping.pairs.top; q++) {
			int shadowed = key_shadowed(w, item,
						    (size_t)(q - item->data.mapping.pairs.start));
			yaml_node_t *k = walk_node(w, q->key), *v = walk_node(w, q->value);
			enum od_status rc = OD_OK;

			if (!k || !v || shadowed < 0)
				return walk_budget_error(w);
			if (shadowed)
				continue;
			if (k->type != YAML_SCALAR_NODE)
				continue;
			if (strcmp((const char *)k->data.scalar.value, "name") == 0)
				rc = get_string(w, v, key, &p->name);
			else if (strcmp((const char *)k->data.scalar.value, vkey) == 0)
				rc = get_string(w, v, key, &p->value);
			if (rc != OD_OK)
				return rc;
		}
	}
	return OD_OK;
}

static enum od_status exec_field(struct walk *w, const char *key, const yaml_node_t *v, void *obj)
{
	struct kc_exec *x = obj;

	if (strcmp(key, "command") == 0)
		return get_string(w, v, key, &x->command);
	if (strcmp(key, "args") == 0)
		return get_string_list(w, v, key, &x->args, &x->nargs, &x->args_set);
	if (strcmp(key, "env") == 0) {
		x->env_set = !node_is_null(v);
		return pair_list(w, v, key, "value", &x->env, &x->nenv);
	}
	if (strcmp(key, "apiVersion") == 0)
		return get_string(w, v, key, &x->api_version);
	if (strcmp(key, "installHint") == 0)
		return get_string(w, v, key, &x->install_hint);
	if (strcmp(key, "provideClusterInfo") == 0)
		return get_bool(w, v, key, &x->provide_cluster_info);
	if (strcmp(key, "interactiveMode") == 0)
		return get_string(w, v, key, &x->interactive_mode);
	return OD_OK;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct kc_pair *x = a, *y = b;

	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static enum od_status auth_provider_field(struct walk *w, const char *key, const yaml_node_t *v,
					  void *obj)
{
	struct kc_auth_provider *ap = obj;

	if (strcmp(key, "name") == 0)
		return get_string(w, v, key, &ap->name);
	if (strcmp(key, "config") != 0 || node_is_null(v))
		return OD_OK;
	if (v->type != YAML_MAPPING_NODE)
		return fail_at(w, v, "config: expected a mapping, got %s", kind_name(v));
	ap->config_set = true;
	size_t len = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);

	ap->config = calloc(len + 1, sizeof(*ap->config));
	if (!ap->config)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		int shadowed = key_shadowed(w, v, i);
		yaml_node_t *k = walk_node(w, v->data.mapping.pairs.start[i].key);
		yaml_node_t *val = walk_node(w, v->data.mapping.pairs.start[i].value);
		struct kc_pair *pair = &ap->config[ap->nconfig];
		enum od_status rc;

		if (!k || !val || shadowed < 0)
			return walk_budget_error(w);
		if (shadowed)
			continue;
		ap->nconfig++;
		rc = get_string(w, k, "config", &pair->name);
		if (rc == OD_OK)
			rc = get_string(w, val, "config", &pair->value);
		if (rc != OD_OK)
			return rc;
		if (!pair->name && !(pair->name = strdup("")))
			return err_set(w->e, OD_ENOMEM, "out of memory");
		if (!pair->value && !(pair->value = strdup("")))
			return err_set(w->e, OD_ENOMEM, "out of memory");
	}
	qsort(ap->config, ap->nconfig, sizeof(*ap->config), pair_cmp);
	return OD_OK;
}

/* client-go's SetDefaults_ExecConfig: the beta APIs default interactiveMode to IfAvailable. */
static enum od_status exec_set_defaults(struct walk *w, struct kc_exec *x)
{
	if (x->interactive_mode && *x->interactive_mode)
		return OD_OK;
	if (!x->api_version || (strcmp(x->api_version, "client.authentication.k8s.io/v1beta1") != 0 &&
				strcmp(x->api_version, "client.authentication.k8s.io/v1alpha1") != 0))
		return OD_OK;
	free(x->interactive_mode);
	x->interactive_mode = strdup("IfAvailable");
	return x->interactive_mode ? OD_OK : err_set(w->e, OD_ENOMEM, "out of memory");
}

static enum od_status user_field(struct walk *w, const char *key, const yaml_node_t *v, void *obj)
{
	struct kc_user *u = obj;

	if (strcmp(key, "client-certificate") == 0)
		return get_string(w, v, key, &u->client_certificate);
	if (strcmp(key, "client-certificate-data") == 0)
		return get_blob(w, v, key, &u->client_certificate_data);
	if (strcmp(key, "client-key") == 0)
		return get_string(w, v, key, &u->client_key);
	if (strcmp(key, "client-key-data") == 0)
		return get_blob(w, v, key, &u->client_key_data);
	if (strcmp(key, "token") == 0)
		return get_string(w, v, key, &u->token);
	if (strcmp(key, "tokenFile") == 0)
		return get_string(w, v, key, &u->token_file);
	if (strcmp(key, "as") == 0)
		return get_string(w, v, key, &u->as);
	if (strcmp(key, "as-uid") == 0)
		return get_string(w, v, key, &u->as_uid);
	if (strcmp(key, "as-groups") == 0)
		return get_string_list(w, v, key, &u->as_groups, &u->nas_groups, NULL);
	if (strcmp(key, "username") == 0)
		return get_string(w, v, key, &u->username);
	if (strcmp(key, "password") == 0)
		return get_string(w, v, key, &u->password);
	if (strcmp(key, "extensions") == 0)
		return get_extensions(w, v, &u->extensions);
	if (strcmp(key, "exec") == 0 && !node_is_null(v)) {
		enum od_status rc;

		if (!u->exec && !(u->exec = calloc(1, sizeof(*u->exec))))
			return err_set(w->e, OD_ENOMEM, "out of memory");
		rc = walk_mapping(w, v, key, exec_field, u->exec);
		return rc == OD_OK ? exec_set_defaults(w, u->exec) : rc;
	}
	if (strcmp(key, "auth-provider") == 0 && !node_is_null(v)) {
		if (!u->auth_provider && !(u->auth_provider = calloc(1, sizeof(*u->auth_provider))))
			return err_set(w->e, OD_ENOMEM, "out of memory");
		return walk_mapping(w, v, key, auth_provider_field, u->auth_provider);
	}
	return OD_OK;
}

static enum od_status context_field(struct walk *w, const char *key, const yaml_node_t *v,
				    void *obj)
{
	struct kc_context *c = obj;

	if (strcmp(key, "cluster") == 0)
		return get_string(w, v, key, &c->cluster);
	if (strcmp(key, "user") == 0)
		return get_string(w, v, key, &c->user);
	if (strcmp(key, "namespace") == 0)
		return get_string(w, v, key, &c->namespace_);
	if (strcmp(key, "extensions") == 0)
		return get_extensions(w, v, &c->extensions);
	return OD_OK;
}

/* One of the three named lists: its key, the key of the body, and how to store entries. */
struct named_list {
	const char *key;         /* "clusters" */
	const char *body_key;    /* "cluster" */
	size_t size;             /* sizeof(struct kc_cluster) */
	size_t origin_off;       /* offsetof(struct kc_cluster, origin) */
	field_fn field;
	void **items;            /* &kc->clusters */
	size_t *count;
};

#define NAMED_LISTS 3

/* Describes kc's i-th named list (clusters, users, contexts). */
static void named_lists(struct kubeconfig *kc, struct named_list *l, size_t i)
{
	static const struct named_list proto[NAMED_LISTS] = {
		{ .key = "clusters", .body_key = "cluster", .size = sizeof(struct kc_cluster),
		  .origin_off = offsetof(struct kc_cluster, origin), .field = cluster_field },
		{ .key = "users", .body_key = "user", .size = sizeof(struct kc_user),
		  .origin_off = offsetof(struct kc_user, origin), .field = user_field },
		{ .key = "contexts", .body_key = "context", .size = sizeof(struct kc_context),
		  .origin_off = offsetof(struct kc_context, origin), .field = context_field },
	};

	*l = proto[i];
	switch (i) {
	case 0: l->items = (void **)&kc->clusters; l->count = &kc->nclusters; break;
	case 1: l->items = (void **)&kc->users; l->count = &kc->nusers; break;
	default: l->items = (void **)&kc->contexts; l->count = &kc->ncontexts; break;
	}
}

/* name is the first member of kc_cluster, kc_user and kc_context. */
static char **entry_name(void *entry)
{
	return (char **)entry;
}

static enum od_status named_entry(struct walk *w, const struct named_list *l,
				  const yaml_node_t *item, void *entry)
{
	if (item->type != YAML_MAPPING_NODE)
		return fail_at(w, item, "%s: expected a mapping, got %s", l->key, kind_name(item));
	for (yaml_node_pair_t *p = item->data.mapping.pairs.start; p < item->data.mapping.pairs.top;
	     p++) {
		int shadowed = key_shadowed(w, item, (size_t)(p - item->data.mapping.pairs.start));
		yaml_node_t *k = walk_node(w, p->key), *v = walk_node(w, p->value);
		const char *ks;
		enum od_status rc = OD_OK;

		if (!k || !v || shadowed < 0)
			return walk_budget_error(w);
		if (shadowed)
			continue;
		if (k->type != YAML_SCALAR_NODE)
			return fail_at(w, k, "%s: keys must be strings", l->key);
		ks = (const char *)k->data.scalar.value;
		if (strcmp(ks, "name") == 0)
			rc = get_string(w, v, "name", entry_name(entry));
		else if (strcmp(ks, l->body_key) == 0)
			rc = walk_mapping(w, v, l->body_key, l->field, entry);
		if (rc != OD_OK)
			return rc;
	}
	if (!*entry_name(entry) && !(*entry_name(entry) = strdup("")))
		return err_set(w->e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

static struct kc_origin *entry_origin(const struct named_list *l, void *entry)
{
	return (struct kc_origin *)((char *)entry + l->origin_off);
}

static enum od_status walk_named_list(struct walk *w, const struct named_list *l,
				      const yaml_node_t *n)
{
	size_t len;
	char *base;

	if (node_is_null(n))
		return OD_OK;
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(w, n, "%s: expected a list, got %s", l->key, kind_name(n));
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	base = calloc(len + 1, l->size);
	if (!base)
		return err_set(w->e, OD_ENOMEM, "out of memory");
	*l->items = base;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = walk_node(w, n->data.sequence.items.start[i]);
		void *entry = base + i * l->size;
		enum od_status rc;

		if (!item)
			return walk_budget_error(w);
		*l->count = i + 1;
		entry_origin(l, entry)->file = w->file;
		entry_origin(l, entry)->line = (int)item->start_mark.line + 1;
		rc = named_entry(w, l, item, entry);
		if (rc != OD_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(*entry_name(base + j * l->size), *entry_name(entry)) == 0)
				return fail_at(w, item, "duplicate name \"%s\" in %s",
					       *entry_name(entry), l->key);
	}
	return OD_OK;
}

static enum od_status preferences_field(struct walk *w, const char *key, const yaml_node_t *v,
					void *obj)
{
	struct kubeconfig *kc = obj;

	if (strcmp(key, "colors") == 0)
		return get_bool(w, v, key, &kc->preferences_colors);
	if (strcmp(key, "extensions") == 0)
		return get_extensions(w, v, &kc->preferences_extensions);
	return OD_OK;
}

/* kind and apiVersion may be left out, but if set they must say "Config" and "v1". */
static enum od_status check_type_meta(struct walk *w, const char *key, const yaml_node_t *v)
{
	const char *want = strcmp(key, "kind") == 0 ? "Config" : "v1";
	char *s = NULL;
	enum od_status rc = get_string(w, v, key, &s);

	if (rc == OD_OK && s && *s && strcmp(s, want) != 0)
		rc = strcmp(key, "kind") == 0
			     ? fail_at(w, v, "no kind \"%s\" is registered for version \"v1\"", s)
			     : fail_at(w, v, "no kind \"Config\" is registered for version \"%s\"", s);
	free(s);
	return rc;
}

static enum od_status top_field(struct walk *w, const char *key, const yaml_node_t *v, void *obj)
{
	struct kubeconfig *kc = obj;
	for (size_t i = 0; i < NAMED_LISTS; i++) {
		struct named_list l;

		named_lists(kc, &l, i);
		if (strcmp(key, l.key) != 0)
			continue;
		return walk_named_list(w, &l, v);   /* a repeated key was skipped: last wins */
	}
	if (strcmp(key, "current-context") == 0)
		return get_string(w, v, key, &kc->current_context);
	if (strcmp(key, "kind") == 0 || strcmp(key, "apiVersion") == 0)
		return check_type_meta(w, key, v);
	if (strcmp(key, "preferences") == 0)
		return walk_mapping(w, v, key, preferences_field, kc);
	if (strcmp(key, "extensions") == 0)
		return get_extensions(w, v, &kc->extensions);
	return OD_OK;
}

/* go-yaml's error text: "yaml: line N: problem" with its line arithmetic. */
static enum od_status yaml_error(const yaml_parser_t *p, const char *path, struct err *e)
{
	size_t line = 0;

	if (p->error == YAML_MEMORY_ERROR)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (p->problem_mark.line != 0) {
		line = p->problem_mark.line;
		if (p->error == YAML_SCANNER_ERROR)
			line++;
	} else if (p->context_mark.line != 0) {
		line = p->context_mark.line;
	}
	if (line)
		return err_set(e, OD_EPARSE, "error loading config file \"%s\": yaml: line %zu: %s",
			       path, line, p->problem ? p->problem : "unknown problem parsing YAML content");
	return err_set(e, OD_EPARSE, "error loading config file \"%s\": yaml: %s", path,
		       p->problem ? p->problem : "unknown problem parsing YAML content");
}

static enum od_status file_dir(const char *path, char **out, struct err *e)
{
	char dir[PATHS_MAX], cwd[PATHS_MAX], abs[PATHS_MAX];

	paths_dirname(path, dir, sizeof(dir));
	if (dir[0] == '/') {
		*out = strdup(dir);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return err_set(e, OD_EIO, "getcwd: %s", strerror(errno));
		if (strcmp(dir, ".") == 0)
			snprintf(abs, sizeof(abs), "%s", cwd);
		else if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, dir) >= sizeof(abs))
			return err_set(e, OD_ELIMIT, "path too long: %s", path);
		*out = strdup(abs);
	}
	return *out ? OD_OK : err_set(e, OD_ENOMEM, "out of memory");
}

static enum od_status add_file(struct kubeconfig *kc, const char *path, struct err *e)
{
	struct kc_file *f = realloc(kc->files, (kc->nfiles + 1) * sizeof(*f));

	if (!f)
		return err_set(e, OD_ENOMEM, "out of memory");
	kc->files = f;
	f = &kc->files[kc->nfiles];
	memset(f, 0, sizeof(*f));
	kc->nfiles++;
	f->path = strdup(path);
	if (!f->path)
		return err_set(e, OD_ENOMEM, "out of memory");
	return file_dir(path, &f->dir, e);
}

/*
 * kubectl turns the whole document into JSON before reading it, so a null
 * or non-scalar mapping key anywhere, even under a field it ignores, makes
 * the file unreadable. Each node is looked at once (aliases are not followed).
 */
static enum od_status check_keys(struct walk *w)
{
	for (yaml_node_t *n = w->doc->nodes.start; n < w->doc->nodes.top; n++) {
		if (n->type != YAML_MAPPING_NODE)
			continue;
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
		     p++) {
			yaml_node_t *k = yaml_document_get_node(w->doc, p->key);

			if (k && (k->type != YAML_SCALAR_NODE || scalar_is_null(k)))
				return fail_at(w, k, "unsupported mapping key: keys must be strings");
		}
	}
	return OD_OK;
}

enum od_status kubeconfig_parse(const char *path, const char *data, size_t len,
				struct kubeconfig **out, struct err *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_doc = false;
	struct kubeconfig *kc = calloc(1, sizeof(*kc));
	struct walk w = { .doc = &doc, .path = path, .file = 0, .budget = WALK_BUDGET, .e = e };
	enum od_status rc = OD_OK;
	yaml_node_t *root;

	*out = NULL;
	if (!kc)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (len > KUBECONFIG_MAX_FILE_SIZE) {
		rc = err_set(e, OD_ELIMIT, "error loading config file \"%s\": larger than %u bytes",
			     path, KUBECONFIG_MAX_FILE_SIZE);
		goto out;
	}
	rc = add_file(kc, path, e);
	if (rc != OD_OK)
		goto out;
	if (!yaml_parser_initialize(&parser)) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = yaml_error(&parser, path, e);
		yaml_parser_delete(&parser);
		goto out;
	}
	have_doc = true;
	yaml_parser_delete(&parser);
	root = yaml_document_get_root_node(&doc);
	if (node_is_null(root))
		goto out;   /* an empty file is an empty config, as for kubectl */
	rc = check_keys(&w);
	if (rc != OD_OK)
		goto out;
	rc = walk_mapping(&w, root, "config", top_field, kc);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (rc != OD_OK)
		kubeconfig_free(&kc);
	*out = kc;
	return rc;
}

/* strerror as Go words it ("is a directory", "permission denied"), for kubectl's messages. */
static const char *go_strerror(int err, char *buf, size_t n)
{
	snprintf(buf, n, "%s", strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* Reads at most KUBECONFIG_MAX_FILE_SIZE bytes; OD_ENOENT for a missing file. */
static enum od_status read_file(const char *path, char **data, size_t *len, struct err *e)
{
	struct buf b;
	char chunk[65536], why[128];
	enum od_status rc = OD_OK;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf_init(&b, KUBECONFIG_MAX_FILE_SIZE);
	if (fd < 0) {
		if (errno == ENOENT)
			return err_set(e, OD_ENOENT, "stat %s: no such file or directory", path);
		return err_set(e, OD_EIO, "error loading config file \"%s\": open %s: %s", path, path,
			       go_strerror(errno, why, sizeof(why)));
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = err_set(e, OD_EIO, "error loading config file \"%s\": read %s: %s", path,
				     path, go_strerror(errno, why, sizeof(why)));
			goto out;
		}
		if (r == 0)
			break;
		if (buf_append(&b, chunk, (size_t)r, e) != OD_OK) {
			rc = err_set(e, OD_ELIMIT, "error loading config file \"%s\": larger than %u bytes",
				     path, KUBECONFIG_MAX_FILE_SIZE);
			goto out;
		}
	}
	*data = buf_detach(&b, len);
	if (!*data)
		rc = err_set(e, OD_ENOMEM, "out of memory");
out:
	close(fd);
	buf_free(&b);
	return rc;
}

enum od_status kubeconfig_load_file(const char *path, struct kubeconfig **out, struct err *e)
{
	char *data = NULL;
	size_t len = 0;
	enum od_status rc;

	*out = NULL;
	rc = read_file(path, &data, &len, e);
	if (rc != OD_OK)
		return rc;
	rc = kubeconfig_parse(path, data, len, out, e);
	free(data);
	return rc;
}

void kubeconfig_source_from_env(struct kubeconfig_source *src, const char *explicit_path)
{
	memset(src, 0, sizeof(*src));
	src->explicit_path = explicit_path;
	src->env = getenv("KUBECONFIG");
	src->home = getenv("HOME");
}

void kubeconfig_free_paths(char ***paths, size_t n)
{
	if (!*paths)
		return;
	for (size_t i = 0; i < n; i++)
		free((*paths)[i]);
	free(*paths);
	*paths = NULL;
}

static enum od_status push_path(char ***paths, size_t *n, const char *p, size_t len,
				struct err *e)
{
	char **np;

	for (size_t i = 0; i < *n; i++)
		if (strlen((*paths)[i]) == len && strncmp((*paths)[i], p, len) == 0)
			return OD_OK;   /* duplicates dropped, the first one kept */
	np = realloc(*paths, (*n + 1) * sizeof(*np));
	if (!np)
		return err_set(e, OD_ENOMEM, "out of memory");
	*paths = np;
	np[*n] = strndup(p, len);
	if (!np[*n])
		return err_set(e, OD_ENOMEM, "out of memory");
	(*n)++;
	return OD_OK;
}

enum od_status kubeconfig_precedence(const struct kubeconfig_source *src, char ***paths,
				     size_t *n, struct err *e)
{
	enum od_status rc = OD_OK;

	*paths = NULL;
	*n = 0;
	if (src->explicit_path && *src->explicit_path)
		return push_path(paths, n, src->explicit_path, strlen(src->explicit_path), e);
	if (src->env && *src->env) {
		const char *s = src->env;

		while (rc == OD_OK) {
			const char *c = strchr(s, ':');
			size_t len = c ? (size_t)(c - s) : strlen(s);

			if (len > 0)
				rc = push_path(paths, n, s, len, e);
			if (!c)
				break;
			s = c + 1;
		}
	} else if (src->home && *src->home) {
		char p[PATHS_MAX];

		if ((size_t)snprintf(p, sizeof(p), "%s/.kube/config", src->home) >= sizeof(p))
			return err_set(e, OD_ELIMIT, "HOME is too long");
		rc = push_path(paths, n, p, strlen(p), e);
	}
	if (rc != OD_OK)
		kubeconfig_free_paths(paths, *n);
	return rc;
}

/*
 * Moves the entries of add whose names dst lacks to the end of dst (the first
 * file wins) and zeroes them in add, so freeing add frees only the losers.
 */
static enum od_status merge_list(void **dst, size_t *dcount, void *add, size_t acount,
				 const struct named_list *l, size_t file, struct err *e)
{
	char *d = realloc(*dst, (*dcount + acount + 1) * l->size);

	if (!d)
		return err_set(e, OD_ENOMEM, "out of memory");
	*dst = d;
	for (size_t i = 0; i < acount; i++) {
		char *a = (char *)add + i * l->size;
		bool seen = false;

		for (size_t j = 0; j < *dcount && !seen; j++)
			seen = strcmp(*entry_name(d + j * l->size), *entry_name(a)) == 0;
		if (seen)
			continue;
		memcpy(d + *dcount * l->size, a, l->size);
		entry_origin(l, d + *dcount * l->size)->file = file;
		(*dcount)++;
		memset(a, 0, l->size);
	}
	return OD_OK;
}

static enum od_status merge_into(struct kubeconfig *kc, struct kubeconfig *add, struct err *e)
{
	size_t fi = kc->nfiles;
	struct kc_file *f = realloc(kc->files, (kc->nfiles + 1) * sizeof(*f));

	if (!f)
		return err_set(e, OD_ENOMEM, "out of memory");
	kc->files = f;
	kc->files[kc->nfiles++] = add->files[0];
	memset(&add->files[0], 0, sizeof(add->files[0]));
	for (size_t i = 0; i < NAMED_LISTS; i++) {
		struct named_list dl, al;
		enum od_status rc;

		named_lists(kc, &dl, i);
		named_lists(add, &al, i);
		rc = merge_list(dl.items, dl.count, *al.items, *al.count, &dl, fi, e);
		if (rc != OD_OK)
			return rc;
	}
	if (!kc->current_context && add->current_context && *add->current_context) {
		kc->current_context = add->current_context;
		add->current_context = NULL;
	}
	if (fi == 0) {
		kc->preferences_colors = add->preferences_colors;
		kc->preferences_extensions = add->preferences_extensions;
		add->preferences_extensions = NULL;
	}
	if (!kc->extensions) {
		kc->extensions = add->extensions;
		add->extensions = NULL;
	}
	return OD_OK;
}

enum od_status kubeconfig_load(const struct kubeconfig_source *src, struct kubeconfig **out,
			       struct err *e)
{
	char **paths = NULL;
	size_t n = 0;
	struct kubeconfig *kc = calloc(1, sizeof(*kc)), *one = NULL;
	enum od_status rc;
	bool explicit = src->explicit_path && *src->explicit_path;

	*out = NULL;
	if (!kc)
		return err_set(e, OD_ENOMEM, "out of memory");
	rc = kubeconfig_precedence(src, &paths, &n, e);
	for (size_t i = 0; rc == OD_OK && i < n; i++) {
		rc = kubeconfig_load_file(paths[i], &one, e);
		if (rc == OD_ENOENT && (!explicit || src->missing_explicit_is_empty)) {
			rc = OD_OK;   /* missing files are skipped */
			err_clear(e);
			continue;
		}
		if (rc == OD_OK)
			rc = merge_into(kc, one, e);
		kubeconfig_free(&one);
	}
	kubeconfig_free_paths(&paths, n);
	if (rc != OD_OK)
		kubeconfig_free(&kc);
	*out = kc;
	return rc;
}

static void blob_clear(struct kc_blob *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void pairs_free(struct kc_pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].value);
	}
	free(p);
}

static void cluster_clear(struct kc_cluster *c)
{
	free(c->name);
	free(c->server);
	free(c->tls_server_name);
	free(c->certificate_authority);
	blob_clear(&c->certificate_authority_data);
	free(c->proxy_url);
	kubeconfig_node_free(&c->extensions);
}

void kubeconfig_exec_free(struct kc_exec **xp)
{
	struct kc_exec *x = *xp;

	if (!x)
		return;
	free(x->command);
	strv_free(x->args, x->nargs);
	pairs_free(x->env, x->nenv);
	free(x->api_version);
	free(x->install_hint);
	free(x->interactive_mode);
	free(x);
	*xp = NULL;
}

static void user_clear(struct kc_user *u)
{
	free(u->name);
	free(u->client_certificate);
	blob_clear(&u->client_certificate_data);
	free(u->client_key);
	blob_clear(&u->client_key_data);
	free(u->token);
	free(u->token_file);
	free(u->as);
	free(u->as_uid);
	strv_free(u->as_groups, u->nas_groups);
	free(u->username);
	free(u->password);
	if (u->auth_provider) {
		free(u->auth_provider->name);
		pairs_free(u->auth_provider->config, u->auth_provider->nconfig);
		free(u->auth_provider);
	}
	kubeconfig_exec_free(&u->exec);
	kubeconfig_node_free(&u->extensions);
}

static void context_clear(struct kc_context *c)
{
	free(c->name);
	free(c->cluster);
	free(c->user);
	free(c->namespace_);
	kubeconfig_node_free(&c->extensions);
}

void kubeconfig_free(struct kubeconfig **kcp)
{
	struct kubeconfig *kc = *kcp;

	if (!kc)
		return;
	for (size_t i = 0; i < kc->nfiles; i++) {
		free(kc->files[i].path);
		free(kc->files[i].dir);
	}
	free(kc->files);
	for (size_t i = 0; i < kc->nclusters; i++)
		cluster_clear(&kc->clusters[i]);
	free(kc->clusters);
	for (size_t i = 0; i < kc->nusers; i++)
		user_clear(&kc->users[i]);
	free(kc->users);
	for (size_t i = 0; i < kc->ncontexts; i++)
		context_clear(&kc->contexts[i]);
	free(kc->contexts);
	free(kc->current_context);
	kubeconfig_node_free(&kc->preferences_extensions);
	kubeconfig_node_free(&kc->extensions);
	free(kc);
	*kcp = NULL;
}

const struct kc_cluster *kubeconfig_find_cluster(const struct kubeconfig *kc, const char *name)
{
	for (size_t i = 0; name && i < kc->nclusters; i++)
		if (strcmp(kc->clusters[i].name, name) == 0)
			return &kc->clusters[i];
	return NULL;
}

const struct kc_user *kubeconfig_find_user(const struct kubeconfig *kc, const char *name)
{
	for (size_t i = 0; name && i < kc->nusers; i++)
		if (strcmp(kc->users[i].name, name) == 0)
			return &kc->users[i];
	return NULL;
}

const struct kc_context *kubeconfig_find_context(const struct kubeconfig *kc, const char *name)
{
	for (size_t i = 0; name && i < kc->ncontexts; i++)
		if (strcmp(kc->contexts[i].name, name) == 0)
			return &kc->contexts[i];
	return NULL;
}
