/*
 * kubeconfig_write.c: kubeconfig serialised byte for byte as kubectl does it
 * (kubectl config view, and the file kubectl config use-context writes).
 *
 * kubectl marshals the v1 Config to JSON in struct field order, and for YAML
 * converts that JSON with go-yaml v2, which sorts mapping keys and picks each
 * string's style by how it would read back. So the config is first turned
 * into a tree of kc_nodes in struct order; the JSON printer walks it as is
 * and the YAML printer sorts keys and drives libyaml's emitter, which go-yaml
 * is a port of (same line folding at 80 columns, same quoting analysis).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "opsdeck/kubeconfig.h"
#include "opsdeck/paths.h"

#define REDACTED "REDACTED"
/* base64 of the bytes kubectl puts in place of secret data: prints as itself. */
#define DATA_OMITTED "DATA+OMITTED"

/* Builds nodes; the first allocation failure sets oom and later calls do nothing. */
struct tree {
	bool oom;
};

static struct kc_node *node_new(struct tree *t, enum kc_node_kind kind)
{
	struct kc_node *n;

	if (t->oom)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n)
		t->oom = true;
	else
		n->kind = kind;
	return n;
}

static struct kc_node *node_scalar(struct tree *t, const char *s, bool is_string)
{
	struct kc_node *n = node_new(t, KC_NODE_SCALAR);

	if (!n)
		return NULL;
	n->scalar = strdup(s);
	n->is_string = is_string;
	if (!n->scalar) {
		t->oom = true;
		kubeconfig_node_free(&n);
	}
	return n;
}

static struct kc_node *node_str(struct tree *t, const char *s)
{
	return node_scalar(t, s ? s : "", true);
}

/* Appends child under key (maps) or at the end (lists, key NULL); frees child on failure. */
static void node_add(struct tree *t, struct kc_node *parent, const char *key,
		     struct kc_node *child)
{
	struct kc_node **items;
	char **keys;

	if (!parent || !child) {
		kubeconfig_node_free(&child);
		return;
	}
	items = realloc(parent->items, (parent->n + 1) * sizeof(*items));
	if (!items)
		goto oom;
	parent->items = items;
	if (parent->kind == KC_NODE_MAP) {
		keys = realloc(parent->keys, (parent->n + 1) * sizeof(*keys));
		if (!keys)
			goto oom;
		parent->keys = keys;
		keys[parent->n] = strdup(key);
		if (!keys[parent->n])
			goto oom;
	}
	items[parent->n++] = child;
	return;
oom:
	t->oom = true;
	kubeconfig_node_free(&child);
}

static void put_str(struct tree *t, struct kc_node *m, const char *key, const char *s)
{
	node_add(t, m, key, node_str(t, s));
}

/* omitempty: nothing for NULL or "". */
static void put_opt(struct tree *t, struct kc_node *m, const char *key, const char *s)
{
	if (s && *s)
		put_str(t, m, key, s);
}

static void put_bool(struct tree *t, struct kc_node *m, const char *key, bool b)
{
	node_add(t, m, key, node_scalar(t, b ? "true" : "false", false));
}

static void put_null(struct tree *t, struct kc_node *m, const char *key)
{
	node_add(t, m, key, node_scalar(t, "null", false));
}

static void b64_encode(const unsigned char *in, size_t n, char *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n) v |= in[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

/* []byte fields: omitted when empty, else base64 (or the redaction marker). */
static void put_blob(struct tree *t, struct kc_node *m, const char *key, const struct kc_blob *b,
		     bool redact)
{
	char *s;

	if (!b->len)
		return;
	if (redact) {
		put_str(t, m, key, DATA_OMITTED);
		return;
	}
	s = malloc((b->len + 2) / 3 * 4 + 1);
	if (!s) {
		t->oom = true;
		return;
	}
	b64_encode(b->data, b->len, s);
	put_str(t, m, key, s);
	free(s);
}

/* A deep copy of an extension node; map keys sorted as encoding/json sorts them. */
static struct kc_node *node_clone(struct tree *t, const struct kc_node *src)
{
	struct kc_node *n;
	size_t *order;

	if (src->kind == KC_NODE_SCALAR)
		return node_scalar(t, src->scalar, src->is_string);
	n = node_new(t, src->kind);
	if (!n)
		return NULL;
	order = malloc((src->n + 1) * sizeof(*order));
	if (!order) {
		t->oom = true;
		return n;
	}
	for (size_t i = 0; i < src->n; i++)
		order[i] = i;
	for (size_t i = 1; src->kind == KC_NODE_MAP && i < src->n; i++)
		for (size_t j = i; j > 0 && strcmp(src->keys[order[j - 1]], src->keys[order[j]]) > 0; j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (size_t i = 0; i < src->n; i++)
		node_add(t, n, src->keys ? src->keys[order[i]] : NULL,
			 node_clone(t, src->items[order[i]]));
	free(order);
	return n;
}

static const char *extension_name(const struct kc_node *item)
{
	for (size_t k = 0; item->kind == KC_NODE_MAP && k < item->n; k++)
		if (strcmp(item->keys[k], "name") == 0 && item->items[k]->is_string)
			return item->items[k]->scalar;
	return "";
}

static const struct kc_node *extension_payload(const struct kc_node *item)
{
	for (size_t k = 0; item->kind == KC_NODE_MAP && k < item->n; k++)
		if (strcmp(item->keys[k], "extension") == 0)
			return item->items[k];
	return NULL;
}

/*
 * A NamedExtension list as client-go writes it back from its map: sorted by
 * name, {"name", "extension"} in that order, the payload's keys sorted.
 */
static void put_extensions(struct tree *t, struct kc_node *m, const struct kc_node *ext)
{
	struct kc_node *l;
	size_t *order;

	if (!ext || !ext->n)
		return;
	order = malloc(ext->n * sizeof(*order));
	if (!order) {
		t->oom = true;
		return;
	}
	for (size_t i = 0; i < ext->n; i++)
		order[i] = i;
	for (size_t i = 1; i < ext->n; i++)
		for (size_t j = i; j > 0 && strcmp(extension_name(ext->items[order[j - 1]]),
						    extension_name(ext->items[order[j]])) > 0; j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	l = node_new(t, KC_NODE_LIST);
	for (size_t i = 0; i < ext->n; i++) {
		const struct kc_node *item = ext->items[order[i]], *payload = extension_payload(item);
		struct kc_node *named = node_new(t, KC_NODE_MAP);

		put_str(t, named, "name", extension_name(item));
		if (payload)
			node_add(t, named, "extension", node_clone(t, payload));
		else
			put_null(t, named, "extension");
		node_add(t, l, NULL, named);
	}
	free(order);
	node_add(t, m, "extensions", l);
}

static struct kc_node *cluster_node(struct tree *t, const struct kc_cluster *c, bool redact)
{
	struct kc_node *m = node_new(t, KC_NODE_MAP);

	put_str(t, m, "server", c->server);
	put_opt(t, m, "tls-server-name", c->tls_server_name);
	if (c->insecure_skip_tls_verify)
		put_bool(t, m, "insecure-skip-tls-verify", true);
	put_opt(t, m, "certificate-authority", c->certificate_authority);
	put_blob(t, m, "certificate-authority-data", &c->certificate_authority_data, redact);
	put_opt(t, m, "proxy-url", c->proxy_url);
	if (c->disable_compression)
		put_bool(t, m, "disable-compression", true);
	put_extensions(t, m, c->extensions);
	/* an empty server is dropped by omitempty only in the fields above; server is not omitempty */
	return m;
}

static struct kc_node *strv_node(struct tree *t, char **v, size_t n)
{
	struct kc_node *l = node_new(t, KC_NODE_LIST);

	for (size_t i = 0; i < n; i++)
		node_add(t, l, NULL, node_str(t, v[i]));
	return l;
}

/*
 * Exec plugin args and env often carry credentials; opsdeck redacts them
 * where kubectl does not (docs/kubeconfig.md). --raw shows them.
 */
static struct kc_node *exec_node(struct tree *t, const struct kc_exec *x, bool redact)
{
	struct kc_node *m = node_new(t, KC_NODE_MAP);

	put_str(t, m, "command", x->command);
	if (x->args_set) {
		struct kc_node *l = node_new(t, KC_NODE_LIST);

		for (size_t i = 0; i < x->nargs; i++)
			node_add(t, l, NULL,
				 node_str(t, redact && x->args[i] && *x->args[i] ? REDACTED : x->args[i]));
		node_add(t, m, "args", l);
	} else
		put_null(t, m, "args");
	if (x->env_set) {
		struct kc_node *l = node_new(t, KC_NODE_LIST);

		for (size_t i = 0; i < x->nenv; i++) {
			struct kc_node *ev = node_new(t, KC_NODE_MAP);

			put_str(t, ev, "name", x->env[i].name);
			put_str(t, ev, "value",
				redact && x->env[i].value && *x->env[i].value ? REDACTED : x->env[i].value);
			node_add(t, l, NULL, ev);
		}
		node_add(t, m, "env", l);
	} else {
		put_null(t, m, "env");
	}
	put_opt(t, m, "apiVersion", x->api_version);
	put_opt(t, m, "installHint", x->install_hint);
	put_bool(t, m, "provideClusterInfo", x->provide_cluster_info);
	put_opt(t, m, "interactiveMode", x->interactive_mode);
	return m;
}

static struct kc_node *auth_provider_node(struct tree *t, const struct kc_auth_provider *ap)
{
	struct kc_node *m = node_new(t, KC_NODE_MAP);

	put_str(t, m, "name", ap->name);
	if (ap->config_set) {
		struct kc_node *c = node_new(t, KC_NODE_MAP);

		for (size_t i = 0; i < ap->nconfig; i++)
			put_str(t, c, ap->config[i].name, ap->config[i].value);
		node_add(t, m, "config", c);
	} else {
		put_null(t, m, "config");   /* map[string]string without omitempty */
	}
	return m;
}

static struct kc_node *user_node(struct tree *t, const struct kc_user *u, bool redact)
{
	struct kc_node *m = node_new(t, KC_NODE_MAP);

	put_opt(t, m, "client-certificate", u->client_certificate);
	put_blob(t, m, "client-certificate-data", &u->client_certificate_data, redact);
	put_opt(t, m, "client-key", u->client_key);
	put_blob(t, m, "client-key-data", &u->client_key_data, redact);
	put_opt(t, m, "token", u->token && *u->token && redact ? REDACTED : u->token);
	put_opt(t, m, "tokenFile", u->token_file);
	put_opt(t, m, "as", u->as);
	put_opt(t, m, "as-uid", u->as_uid);
	if (u->nas_groups)
		node_add(t, m, "as-groups", strv_node(t, u->as_groups, u->nas_groups));
	put_opt(t, m, "username", u->username);
	put_opt(t, m, "password", u->password && *u->password && redact ? REDACTED : u->password);
	if (u->auth_provider)
		node_add(t, m, "auth-provider", auth_provider_node(t, u->auth_provider));
	if (u->exec)
		node_add(t, m, "exec", exec_node(t, u->exec, redact));
	put_extensions(t, m, u->extensions);
	return m;
}

static struct kc_node *context_node(struct tree *t, const struct kc_context *c)
{
	struct kc_node *m = node_new(t, KC_NODE_MAP);

	put_str(t, m, "cluster", c->cluster);
	put_str(t, m, "user", c->user);
	put_opt(t, m, "namespace", c->namespace_);
	put_extensions(t, m, c->extensions);
	return m;
}

/* Entry names in byte order, as Go's sorted map keys come out. */
static int name_cmp(const void *a, const void *b)
{
	return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

/* Indices into an entry array sorted by name; keep is NULL or the one name to keep. */
static size_t *sorted_entries(struct tree *t, const void *base, size_t n, size_t size,
			      const char *keep, size_t *count)
{
	char ***names = malloc((n + 1) * sizeof(*names));
	size_t *idx = malloc((n + 1) * sizeof(*idx));
	size_t k = 0;

	*count = 0;
	if (!names || !idx) {
		free(names);
		free(idx);
		t->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		char **name = (char **)((const char *)base + i * size);

		if (!keep || strcmp(*name, keep) == 0)
			names[k++] = name;
	}
	qsort(names, k, sizeof(*names), name_cmp);
	for (size_t i = 0; i < k; i++)
		idx[i] = (size_t)((const char *)names[i] - (const char *)base) / size;
	free(names);
	*count = k;
	return idx;
}

/* NamedCluster/NamedAuthInfo/NamedContext: {"name": ..., "<body>": {...}}. */
static void put_named(struct tree *t, struct kc_node *list, const char *name, const char *body,
		      struct kc_node *m)
{
	struct kc_node *e = node_new(t, KC_NODE_MAP);

	put_str(t, e, "name", name);
	node_add(t, e, body, m);
	node_add(t, list, NULL, e);
}

struct selection {
	const char *context;     /* minify: keep only these, else NULL */
	const char *cluster;
	const char *user;
	const char *current;     /* current-context to print */
};

static enum od_status select_minified(const struct kubeconfig *kc, const char *minify,
				      struct selection *s, struct err *e)
{
	const struct kc_context *c;

	s->current = minify;
	if (!minify || !*minify)
		return err_set(e, OD_EINVAL, "current-context must exist in order to minify");
	c = kubeconfig_find_context(kc, minify);
	if (!c)
		return err_set(e, OD_ENOENT, "cannot locate context %s", minify);
	s->context = minify;
	/* "" matches nothing: a context without a cluster keeps no cluster. */
	s->cluster = c->cluster ? c->cluster : "";
	s->user = c->user ? c->user : "";
	if (*s->cluster && !kubeconfig_find_cluster(kc, s->cluster))
		return err_set(e, OD_ENOENT, "cannot locate cluster %s", s->cluster);
	if (*s->user && !kubeconfig_find_user(kc, s->user))
		return err_set(e, OD_ENOENT, "cannot locate user %s", s->user);
	return OD_OK;
}

static struct kc_node *list_or_null(struct tree *t, struct kc_node *l)
{
	if (l && l->n == 0) {
		kubeconfig_node_free(&l);
		return node_scalar(t, "null", false);
	}
	return l;
}

static void put_clusters(struct tree *t, struct kc_node *root, const struct kubeconfig *kc,
			 const struct selection *s, bool redact)
{
	struct kc_node *l = node_new(t, KC_NODE_LIST);
	size_t n = 0, *idx = sorted_entries(t, kc->clusters, kc->nclusters, sizeof(*kc->clusters),
					     s->cluster, &n);

	for (size_t i = 0; idx && i < n; i++)
		put_named(t, l, kc->clusters[idx[i]].name, "cluster",
			  cluster_node(t, &kc->clusters[idx[i]], redact));
	free(idx);
	node_add(t, root, "clusters", list_or_null(t, l));
}

static void put_users(struct tree *t, struct kc_node *root, const struct kubeconfig *kc,
		      const struct selection *s, bool redact)
{
	struct kc_node *l = node_new(t, KC_NODE_LIST);
	size_t n = 0, *idx = sorted_entries(t, kc->users, kc->nusers, sizeof(*kc->users), s->user,
					     &n);

	for (size_t i = 0; idx && i < n; i++)
		put_named(t, l, kc->users[idx[i]].name, "user",
			  user_node(t, &kc->users[idx[i]], redact));
	free(idx);
	node_add(t, root, "users", list_or_null(t, l));
}

static void put_contexts(struct tree *t, struct kc_node *root, const struct kubeconfig *kc,
			 const struct selection *s)
{
	struct kc_node *l = node_new(t, KC_NODE_LIST);
	size_t n = 0, *idx = sorted_entries(t, kc->contexts, kc->ncontexts, sizeof(*kc->contexts),
					     s->context, &n);

	for (size_t i = 0; idx && i < n; i++)
		put_named(t, l, kc->contexts[idx[i]].name, "context",
			  context_node(t, &kc->contexts[idx[i]]));
	free(idx);
	node_add(t, root, "contexts", list_or_null(t, l));
}

/* The v1 Config in its JSON field order. *out is owned by the caller. */
static enum od_status config_tree(const struct kubeconfig *kc,
				  const struct kubeconfig_write_opts *o, struct kc_node **out,
				  struct err *e)
{
	struct tree t = { .oom = false };
	struct selection s = { .current = kc->current_context };
	struct kc_node *root, *prefs;
	enum od_status rc;

	*out = NULL;
	if (o->minify) {
		rc = select_minified(kc, o->minify, &s, e);
		if (rc != OD_OK)
			return rc;
	}
	root = node_new(&t, KC_NODE_MAP);
	put_str(&t, root, "kind", "Config");
	put_str(&t, root, "apiVersion", "v1");
	prefs = node_new(&t, KC_NODE_MAP);
	if (kc->preferences_colors)
		put_bool(&t, prefs, "colors", true);
	put_extensions(&t, prefs, kc->preferences_extensions);
	node_add(&t, root, "preferences", prefs);
	put_clusters(&t, root, kc, &s, o->redact);
	put_users(&t, root, kc, &s, o->redact);
	put_contexts(&t, root, kc, &s);
	put_str(&t, root, "current-context", s.current);
	put_extensions(&t, root, kc->extensions);
	if (t.oom) {
		kubeconfig_node_free(&root);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	*out = root;
	return OD_OK;
}

/* ---- JSON, as Go's json.MarshalIndent(v, "", "    ") writes it ---- */

static void json_string(struct buf *b, const char *s, struct err *e)
{
	buf_append_str(b, "\"", e);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': buf_append_str(b, "\\\"", e); break;
		case '\\': buf_append_str(b, "\\\\", e); break;
		case '\n': buf_append_str(b, "\\n", e); break;
		case '\r': buf_append_str(b, "\\r", e); break;
		case '\t': buf_append_str(b, "\\t", e); break;
		case '\b': buf_append_str(b, "\\b", e); break;
		case '\f': buf_append_str(b, "\\f", e); break;
		/* encoding/json escapes HTML characters by default */
		case '<': case '>': case '&':
			buf_printf(b, e, "\\u%04x", *p);
			break;
		default:
			if (*p < 0x20)
				buf_printf(b, e, "\\u%04x", *p);
			else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
				buf_printf(b, e, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029), p += 2;
			else
				buf_append(b, p, 1, e);
		}
	}
	buf_append_str(b, "\"", e);
}

static void json_indent(struct buf *b, int depth, struct err *e)
{
	buf_append_str(b, "\n", e);
	for (int i = 0; i < depth; i++)
		buf_append_str(b, "    ", e);
}

static void json_node(struct buf *b, const struct kc_node *n, int depth, struct err *e)
{
	if (n->kind == KC_NODE_SCALAR) {
		if (n->is_string)
			json_string(b, n->scalar, e);
		else
			buf_append_str(b, n->scalar, e);
		return;
	}
	if (n->n == 0) {
		buf_append_str(b, n->kind == KC_NODE_MAP ? "{}" : "[]", e);
		return;
	}
	buf_append_str(b, n->kind == KC_NODE_MAP ? "{" : "[", e);
	for (size_t i = 0; i < n->n; i++) {
		json_indent(b, depth + 1, e);
		if (n->kind == KC_NODE_MAP) {
			json_string(b, n->keys[i], e);
			buf_append_str(b, ": ", e);
		}
		json_node(b, n->items[i], depth + 1, e);
		if (i + 1 < n->n)
			buf_append_str(b, ",", e);
	}
	json_indent(b, depth, e);
	buf_append_str(b, n->kind == KC_NODE_MAP ? "}" : "]", e);
}

enum od_status kubeconfig_write_json(const struct kubeconfig *kc,
				     const struct kubeconfig_write_opts *o, struct buf *out,
				     struct err *e)
{
	struct kc_node *root = NULL;
	struct err we = { 0 };
	enum od_status rc = config_tree(kc, o, &root, e);

	if (rc != OD_OK)
		return rc;
	json_node(out, root, 0, &we);
	buf_append_str(out, "\n", &we);
	kubeconfig_node_free(&root);
	if (we.status != OD_OK)
		return err_set(e, we.status, "%s", we.msg);
	return OD_OK;
}

/* ---- YAML, as go-yaml v2 writes it ---- */

static bool all_digits(const char *s, const char *set)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr(set, *s))
			return false;
	return true;
}

/* strconv.ParseInt(s, 0, 64) after go-yaml removed underscores (range not checked). */
static bool looks_int(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return all_digits(s + 2, "0123456789abcdefABCDEF");
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		return all_digits(s + 2, "01234567");
	if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return all_digits(s + 2, "01");
	if (s[0] == '0' && s[1])
		return all_digits(s + 1, "01234567");
	return all_digits(s, "0123456789");
}

/* go-yaml's float pattern: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool looks_float(const char *s)
{
	size_t digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s))
			s++, digits++;
		if (!digits)
			return false;
	} else {
		while (isdigit((unsigned char)*s))
			s++, digits++;
		if (!digits)
			return false;
		if (*s == '.')
			for (s++; isdigit((unsigned char)*s); s++)
				;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

/* go-yaml keeps "22e401" a string: strconv.ParseFloat refuses what overflows. */
static bool float_in_range(const char *s)
{
	double v;

	if (!looks_float(s))
		return false;
	errno = 0;
	v = strtod(s, NULL);
	return !(errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL));
}

/*
 * go-yaml's base-60 float, quoted on output for YAML 1.1 readers:
 * ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$  ("1:20", "190:20:30.15").
 * Timestamps ("2024-01-01") also read back as non-strings.
 */
static bool looks_sexagesimal(const char *s)
{
	int groups = 0;

	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s) || *s == '_')
		s++;
	while (*s == ':') {
		s++;
		if (!isdigit((unsigned char)s[0]))
			return false;
		if (isdigit((unsigned char)s[1]) && s[0] <= '5')
			s += 2;
		else if (!isdigit((unsigned char)s[1]))
			s += 1;
		else
			return false;
		groups++;
	}
	if (groups == 0)
		return false;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s) || *s == '_'; s++)
			;
	return *s == '\0';
}

static bool looks_timestamp(const char *s)
{
	int n = 0;

	for (int part = 0; part < 3; part++) {
		int d = 0;

		while (isdigit((unsigned char)s[n]))
			n++, d++;
		if ((part == 0 && d != 4) || (part > 0 && (d < 1 || d > 2)))
			return false;
		if (part < 2 && s[n++] != '-')
			return false;
	}
	return s[n] == '\0' || s[n] == 'T' || s[n] == 't' || s[n] == ' ';
}

enum kc_scalar_type kubeconfig_scalar_type(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const bools[] = {
		"y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE", "n", "N",
		"no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE", NULL
	};
	static const char *const specials[] = {
		".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
		"-.Inf", "-.INF", NULL
	};
	char plain[64];
	size_t n = 0;

	for (size_t i = 0; nulls[i]; i++)
		if (strcmp(s, nulls[i]) == 0)
			return KC_SCALAR_NULL;
	for (size_t i = 0; bools[i]; i++)
		if (strcmp(s, bools[i]) == 0)
			return KC_SCALAR_BOOL;
	for (size_t i = 0; specials[i]; i++)
		if (strcmp(s, specials[i]) == 0)
			return KC_SCALAR_NUMBER;
	if (!strchr("0123456789+-.", s[0]))
		return KC_SCALAR_STRING;
	/* go-yaml drops underscores before trying a number */
	for (const char *p = s; *p && n + 1 < sizeof(plain); p++)
		if (*p != '_')
			plain[n++] = *p;
	plain[n] = '\0';
	if (strlen(s) < sizeof(plain) && (looks_int(plain) || float_in_range(plain)))
		return KC_SCALAR_NUMBER;
	return looks_timestamp(s) ? KC_SCALAR_TIMESTAMP : KC_SCALAR_STRING;
}

bool kubeconfig_scalar_is_typed(const char *s)
{
	return kubeconfig_scalar_type(s) != KC_SCALAR_STRING || strcmp(s, "<<") == 0 ||
	       looks_sexagesimal(s);
}

/*
 * go-yaml v2's keyList.Less for string keys: at the first difference, two
 * letters compare as runes, a non-letter sorts before a letter, and two
 * non-letters compare as the numbers their digit runs spell.
 */
static int yaml_key_cmp(const char *a, const char *b)
{
	size_t i = 0;

	for (; a[i] && b[i]; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		bool xl, yl;
		long long xn = 0, yn = 0;
		size_t xi, yi;

		if (x == y)
			continue;
		/* ASCII letters only: multi-byte UTF-8 runes compare bytewise */
		xl = isalpha(x) || x >= 0x80;
		yl = isalpha(y) || y >= 0x80;
		if (xl && yl)
			return x < y ? -1 : 1;
		if (xl || yl)
			return xl ? 1 : -1;
		if (x == '0' || y == '0')
			for (size_t j = i; j-- > 0 && isdigit((unsigned char)a[j]);)
				if (a[j] != '0') {
					xn = yn = 1;
					break;
				}
		for (xi = i; isdigit((unsigned char)a[xi]) && xn < (1LL << 56); xi++)
			xn = xn * 10 + (a[xi] - '0');
		for (yi = i; isdigit((unsigned char)b[yi]) && yn < (1LL << 56); yi++)
			yn = yn * 10 + (b[yi] - '0');
		if (xn != yn)
			return xn < yn ? -1 : 1;
		if (xi != yi)
			return xi < yi ? -1 : 1;
		return x < y ? -1 : 1;
	}
	return a[i] ? 1 : b[i] ? -1 : 0;
}

struct yaml_out {
	yaml_emitter_t em;
	struct buf *b;
	struct err *e;
	bool failed;
};

static int yaml_write_cb(void *data, unsigned char *buffer, size_t size)
{
	struct yaml_out *y = data;

	if (buf_append(y->b, buffer, size, y->e) != OD_OK) {
		y->failed = true;
		return 0;
	}
	return 1;
}

static bool emit(struct yaml_out *y, yaml_event_t *ev)
{
	if (y->failed || !yaml_emitter_emit(&y->em, ev)) {
		y->failed = true;
		return false;
	}
	return true;
}

static bool emit_string(struct yaml_out *y, const char *s, bool is_string)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

	if (is_string) {
		if (strchr(s, '\n'))
			style = YAML_LITERAL_SCALAR_STYLE;
		else if (kubeconfig_scalar_is_typed(s))
			style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	}
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					  style))
		return (y->failed = true), false;
	return emit(y, &ev);
}

static bool emit_node(struct yaml_out *y, const struct kc_node *n)
{
	yaml_event_t ev;
	size_t *order;
	bool ok = true;

	if (n->kind == KC_NODE_SCALAR)
		return emit_string(y, n->scalar, n->is_string);
	if (n->kind == KC_NODE_LIST)
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	else
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	if (!emit(y, &ev))
		return false;
	order = malloc((n->n + 1) * sizeof(*order));
	if (!order)
		return (y->failed = true), false;
	for (size_t i = 0; i < n->n; i++)
		order[i] = i;
	for (size_t i = 1; n->kind == KC_NODE_MAP && i < n->n; i++)
		for (size_t j = i; j > 0 && yaml_key_cmp(n->keys[order[j - 1]], n->keys[order[j]]) > 0;
		     j--) {
			size_t x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	for (size_t i = 0; ok && i < n->n; i++) {
		if (n->kind == KC_NODE_MAP)
			ok = emit_string(y, n->keys[order[i]], true);
		ok = ok && emit_node(y, n->items[order[i]]);
	}
	free(order);
	if (!ok)
		return false;
	if (n->kind == KC_NODE_LIST)
		yaml_sequence_end_event_initialize(&ev);
	else
		yaml_mapping_end_event_initialize(&ev);
	return emit(y, &ev);
}

static bool emit_document(struct yaml_out *y, const struct kc_node *root)
{
	yaml_event_t ev;

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (!emit(y, &ev))
		return false;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (!emit(y, &ev) || !emit_node(y, root))
		return false;
	yaml_document_end_event_initialize(&ev, 1);
	if (!emit(y, &ev))
		return false;
	yaml_stream_end_event_initialize(&ev);
	return emit(y, &ev);
}

/*
 * libyaml 0.2 ends a document with "..." after an open-ended scalar (one
 * kept with "|+"); go-yaml, a port of the older emitter, never does.
 */
static void drop_document_end(struct buf *b)
{
	if (b->len >= 5 && memcmp(b->data + b->len - 5, "\n...\n", 5) == 0) {
		b->len -= 4;
		b->data[b->len] = '\0';
	}
}

enum od_status kubeconfig_write_yaml(const struct kubeconfig *kc,
				     const struct kubeconfig_write_opts *o, struct buf *out,
				     struct err *e)
{
	struct kc_node *root = NULL;
	struct yaml_out y = { .b = out, .e = e, .failed = false };
	enum od_status rc = config_tree(kc, o, &root, e);

	if (rc != OD_OK)
		return rc;
	if (!yaml_emitter_initialize(&y.em)) {
		kubeconfig_node_free(&root);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	yaml_emitter_set_output(&y.em, yaml_write_cb, &y);
	yaml_emitter_set_unicode(&y.em, 1);
	yaml_emitter_set_width(&y.em, 80);
	yaml_emitter_set_indent(&y.em, 2);
	if (!emit_document(&y, root) || !yaml_emitter_flush(&y.em))
		y.failed = true;
	yaml_emitter_delete(&y.em);
	drop_document_end(out);
	kubeconfig_node_free(&root);
	if (y.failed)
		return e && e->status != OD_OK ? e->status
					       : err_set(e, OD_EIO, "cannot write YAML");
	return OD_OK;
}

static enum od_status write_all(const char *path, const char *data, size_t len, struct err *e)
{
	/* In place, as kubectl's os.WriteFile: a symlinked kubeconfig stays a symlink. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	enum od_status rc = OD_OK;

	if (fd < 0)
		return err_set(e, OD_EIO, "open %s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = err_set(e, OD_EIO, "write %s: %s", path, strerror(errno));
			break;
		}
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0 && rc == OD_OK)
		rc = err_set(e, OD_EIO, "close %s: %s", path, strerror(errno));
	return rc;
}

enum od_status kubeconfig_file_set_current_context(const char *path, const char *name,
						   struct err *e)
{
	char lock[PATHS_MAX], dir[PATHS_MAX];
	struct kubeconfig *kc = NULL;
	struct kubeconfig_write_opts o = { .redact = false, .minify = NULL };
	struct buf b;
	enum od_status rc;
	int fd;

	if ((size_t)snprintf(lock, sizeof(lock), "%s.lock", path) >= sizeof(lock))
		return err_set(e, OD_ELIMIT, "path too long: %s", path);
	paths_dirname(path, dir, sizeof(dir));
	rc = paths_mkdir_p(dir, 0755, e);
	if (rc != OD_OK)
		return rc;
	/* kubectl's lock: a "<file>.lock" created exclusively, removed when done. */
	fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, OD_EIO, "open %s: %s", lock, strerror(errno));
	close(fd);
	buf_init(&b, KUBECONFIG_MAX_FILE_SIZE + 1024 * 1024);
	rc = kubeconfig_load_file(path, &kc, e);
	if (rc == OD_ENOENT) {
		err_clear(e);
		rc = kubeconfig_parse(path, "", 0, &kc, e);
	}
	if (rc != OD_OK)
		goto out;
	free(kc->current_context);
	kc->current_context = strdup(name);
	if (!kc->current_context) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	rc = kubeconfig_write_yaml(kc, &o, &b, e);
	if (rc == OD_OK)
		rc = write_all(path, buf_cstr(&b), b.len, e);
out:
	unlink(lock);
	buf_free(&b);
	kubeconfig_free(&kc);
	return rc;
}
