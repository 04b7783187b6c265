/*
 * settings.c: parsing and resolving config.yaml. The YAML is loaded with
 * libyaml's document API (nodes keep their line numbers for messages), walked
 * once into flat per-context overrides, and resolved on demand against the
 * defaults. Anchors and aliases resolve to shared nodes, and the walk never
 * goes deeper than the format does, so a hostile file cannot make it loop.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "opsdeck/duration.h"
#include "opsdeck/paths.h"
#include "opsdeck/settings.h"

#define NS_HOUR (3600 * NS_PER_SEC)
#define NS_DAY (24 * NS_HOUR)

enum field {
	F_READ_ONLY, F_PROTECTED, F_PROMETHEUS, F_ALERTMANAGER, F_PROFILES, F_THEME,
	F_INTERVAL, F_PVC_INTERVAL, F_RAW, F_5M, F_1H, F_EVENTS, F_COUNT
};

struct overrides {
	unsigned set;                 /* bit (1 << enum field) when the file sets it */
	struct context_settings v;
};

struct settings {
	char *path;                   /* owned */
	struct overrides defaults;
	struct overrides *contexts;   /* ncontexts owned entries; names in v.name */
	size_t ncontexts;
	char **strings;               /* every string the values point to; owned */
	size_t nstrings;
};

struct walk {
	struct settings *s;
	yaml_document_t *doc;
	const char *file;
	struct err *e;
};

static const struct context_settings builtin = {
	.collect_interval_ns = 15 * NS_PER_SEC,
	.collect_pvc_interval_ns = 60 * NS_PER_SEC,
	.retain_raw_ns = 48 * NS_HOUR,
	.retain_5m_ns = 90 * NS_DAY,
	.retain_1h_ns = 730 * NS_DAY,
	.retain_events_ns = 90 * NS_DAY,
};

static int line_of(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 1;
}

static enum od_status fail(struct walk *w, const yaml_node_t *n, const char *field,
			   const char *problem)
{
	return err_set(w->e, OD_ECONFIG, "%s:%d: %s: %s", w->file, n ? line_of(n) : 0, field,
		       problem);
}

static const char *keep(struct walk *w, const char *text)
{
	char **p = realloc(w->s->strings, (w->s->nstrings + 1) * sizeof(*p));
	if (!p)
		return NULL;
	w->s->strings = p;
	p[w->s->nstrings] = strdup(text);
	if (!p[w->s->nstrings])
		return NULL;
	return p[w->s->nstrings++];
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static enum od_status want_scalar(struct walk *w, const yaml_node_t *n, const char *field,
				  const char **out)
{
	if (!(*out = scalar(n)))
		return fail(w, n, field, "must be a single value, not a list or a map");
	return OD_OK;
}

static enum od_status get_bool(struct walk *w, const yaml_node_t *n, const char *field,
			       bool *out)
{
	const char *v;
	enum od_status rc = want_scalar(w, n, field, &v);
	if (rc != OD_OK)
		return rc;
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0)
		*out = true;
	else if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0)
		*out = false;
	else
		return fail(w, n, field, "must be true or false");
	return OD_OK;
}

static enum od_status get_url(struct walk *w, const yaml_node_t *n, const char *field,
			      const char **out)
{
	const char *v;
	enum od_status rc = want_scalar(w, n, field, &v);
	if (rc != OD_OK)
		return rc;
	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
		return fail(w, n, field, "must be an http:// or https:// URL");
	if (!(*out = keep(w, v)))
		return err_set(w->e, OD_ENOMEM, "out of memory reading %s", w->file);
	return OD_OK;
}

static enum od_status get_duration(struct walk *w, const yaml_node_t *n, const char *field,
				   int64_t min_ns, int64_t *out)
{
	const char *v;
	struct err de = { 0 };
	enum od_status rc = want_scalar(w, n, field, &v);
	if (rc != OD_OK)
		return rc;
	if (duration_parse(v, out, &de) != OD_OK)
		return fail(w, n, field, de.msg);
	if (*out < min_ns) {
		char want[64];
		snprintf(want, sizeof(want), "must be at least %llds",
			 (long long)(min_ns / NS_PER_SEC));
		return fail(w, n, field, want);
	}
	return OD_OK;
}

static enum od_status get_name(struct walk *w, const yaml_node_t *n, const char *field,
			       const char **out)
{
	const char *v;
	enum od_status rc = want_scalar(w, n, field, &v);
	if (rc != OD_OK)
		return rc;
	if (!*v || strlen(v) > 253 || strpbrk(v, "/ \t"))
		return fail(w, n, field, "must be a non-empty name without '/' or spaces");
	if (!(*out = keep(w, v)))
		return err_set(w->e, OD_ENOMEM, "out of memory reading %s", w->file);
	return OD_OK;
}

static enum od_status get_profiles(struct walk *w, const yaml_node_t *n,
				   struct context_settings *c)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(w, n, "profiles", "must be a list of profile names");
	c->nprofiles = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(w->doc, *it);
		if (c->nprofiles == SETTINGS_MAX_PROFILES)
			return fail(w, item, "profiles", "too many profiles (at most 16)");
		enum od_status rc = get_name(w, item, "profiles", &c->profiles[c->nprofiles]);
		if (rc != OD_OK)
			return rc;
		c->nprofiles++;
	}
	return OD_OK;
}

typedef enum od_status (*pair_fn)(struct walk *w, const char *key, yaml_node_t *val,
				  void *arg);

/* Calls fn for each key of a map node; keys must be plain scalars. */
static enum od_status each_pair(struct walk *w, yaml_node_t *map, const char *field,
				pair_fn fn, void *arg)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return fail(w, map, field, "must be a map of keys to values");
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
		const char *key = scalar(k);
		if (!key)
			return fail(w, k, field, "keys must be plain names");
		enum od_status rc = fn(w, key, v, arg);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static enum od_status collector_pair(struct walk *w, const char *key, yaml_node_t *v,
				     void *arg)
{
	struct overrides *o = arg;
	if (strcmp(key, "interval") == 0) {
		o->set |= 1u << F_INTERVAL;
		return get_duration(w, v, "collector.interval", NS_PER_SEC,
				    &o->v.collect_interval_ns);
	}
	if (strcmp(key, "pvcInterval") == 0) {
		o->set |= 1u << F_PVC_INTERVAL;
		return get_duration(w, v, "collector.pvcInterval", NS_PER_SEC,
				    &o->v.collect_pvc_interval_ns);
	}
	return fail(w, v, key, "unknown key in collector (known: interval, pvcInterval)");
}

static enum od_status retention_pair(struct walk *w, const char *key, yaml_node_t *v,
				     void *arg)
{
	static const struct {
		const char *key;
		enum field f;
		size_t off;
	} keys[] = {
		{ "raw", F_RAW, offsetof(struct context_settings, retain_raw_ns) },
		{ "fiveMinute", F_5M, offsetof(struct context_settings, retain_5m_ns) },
		{ "hourly", F_1H, offsetof(struct context_settings, retain_1h_ns) },
		{ "events", F_EVENTS, offsetof(struct context_settings, retain_events_ns) },
	};
	struct overrides *o = arg;
	char field[64];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i].key) != 0)
			continue;
		o->set |= 1u << keys[i].f;
		snprintf(field, sizeof(field), "retention.%s", key);
		return get_duration(w, v, field, 3600 * NS_PER_SEC,
				    (int64_t *)((char *)&o->v + keys[i].off));
	}
	return fail(w, v, key,
		    "unknown key in retention (known: raw, fiveMinute, hourly, events)");
}

static enum od_status context_pair(struct walk *w, const char *key, yaml_node_t *v, void *arg)
{
	struct overrides *o = arg;
	struct context_settings *c = &o->v;

	if (strcmp(key, "readOnly") == 0) {
		o->set |= 1u << F_READ_ONLY;
		return get_bool(w, v, key, &c->read_only);
	}
	if (strcmp(key, "protected") == 0) {
		o->set |= 1u << F_PROTECTED;
		return get_bool(w, v, key, &c->protected_);
	}
	if (strcmp(key, "prometheus") == 0) {
		o->set |= 1u << F_PROMETHEUS;
		return get_url(w, v, key, &c->prometheus_url);
	}
	if (strcmp(key, "alertmanager") == 0) {
		o->set |= 1u << F_ALERTMANAGER;
		return get_url(w, v, key, &c->alertmanager_url);
	}
	if (strcmp(key, "profiles") == 0) {
		o->set |= 1u << F_PROFILES;
		return get_profiles(w, v, c);
	}
	if (strcmp(key, "theme") == 0) {
		o->set |= 1u << F_THEME;
		return get_name(w, v, key, &c->theme);
	}
	if (strcmp(key, "collector") == 0)
		return each_pair(w, v, key, collector_pair, o);
	if (strcmp(key, "retention") == 0)
		return each_pair(w, v, key, retention_pair, o);
	return fail(w, v, key, "unknown key (known: readOnly, protected, prometheus, "
			       "alertmanager, profiles, theme, collector, retention)");
}

static enum od_status contexts_pair(struct walk *w, const char *key, yaml_node_t *v, void *arg)
{
	struct settings *s = w->s;
	struct overrides *p;
	(void)arg;

	for (size_t i = 0; i < s->ncontexts; i++)
		if (strcmp(s->contexts[i].v.name, key) == 0)
			return fail(w, v, key, "context is listed twice");
	p = realloc(s->contexts, (s->ncontexts + 1) * sizeof(*p));
	if (!p)
		return err_set(w->e, OD_ENOMEM, "out of memory reading %s", w->file);
	s->contexts = p;
	p = &s->contexts[s->ncontexts++];
	memset(p, 0, sizeof(*p));
	if (!(p->v.name = keep(w, key)))
		return err_set(w->e, OD_ENOMEM, "out of memory reading %s", w->file);
	return each_pair(w, v, key, context_pair, p);
}

static enum od_status top_pair(struct walk *w, const char *key, yaml_node_t *v, void *arg)
{
	(void)arg;
	if (strcmp(key, "defaults") == 0)
		return each_pair(w, v, key, context_pair, &w->s->defaults);
	if (strcmp(key, "contexts") == 0)
		return each_pair(w, v, key, contexts_pair, NULL);
	return fail(w, v, key, "unknown key (known: defaults, contexts)");
}

/* Copies the fields o sets onto c. */
static void apply(struct context_settings *c, const struct overrides *o)
{
	const struct context_settings *v = &o->v;
#define TAKE(f, member) do { if (o->set & (1u << (f))) c->member = v->member; } while (0)
	TAKE(F_READ_ONLY, read_only);
	TAKE(F_PROTECTED, protected_);
	TAKE(F_PROMETHEUS, prometheus_url);
	TAKE(F_ALERTMANAGER, alertmanager_url);
	TAKE(F_THEME, theme);
	TAKE(F_INTERVAL, collect_interval_ns);
	TAKE(F_PVC_INTERVAL, collect_pvc_interval_ns);
	TAKE(F_RAW, retain_raw_ns);
	TAKE(F_5M, retain_5m_ns);
	TAKE(F_1H, retain_1h_ns);
	TAKE(F_EVENTS, retain_events_ns);
#undef TAKE
	if (o->set & (1u << F_PROFILES)) {
		memcpy(c->profiles, v->profiles, sizeof(c->profiles));
		c->nprofiles = v->nprofiles;
	}
}

void settings_for_context(const struct settings *s, const char *context,
			  struct context_settings *out)
{
	*out = builtin;
	apply(out, &s->defaults);
	out->name = NULL;
	if (!context)
		return;
	for (size_t i = 0; i < s->ncontexts; i++) {
		if (strcmp(s->contexts[i].v.name, context) == 0) {
			apply(out, &s->contexts[i]);
			out->name = s->contexts[i].v.name;
			return;
		}
	}
}

/* Rollups must outlive the tier they summarise, or history gets holes. */
static enum od_status check_retention(struct walk *w, const struct context_settings *c,
				      const char *who)
{
	if (c->retain_raw_ns > c->retain_5m_ns || c->retain_5m_ns > c->retain_1h_ns)
		return err_set(w->e, OD_ECONFIG,
			       "%s: %s: retention: raw must not outlast fiveMinute, nor fiveMinute "
			       "outlast hourly", w->file, who);
	return OD_OK;
}

static struct settings *settings_new(const char *path)
{
	struct settings *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->path = strdup(path ? path : "");
	if (!s->path) {
		free(s);
		return NULL;
	}
	return s;
}

enum od_status settings_parse(const char *name, const char *text, size_t len,
			      struct settings **out, struct err *e)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct walk w = { .file = name, .e = e, .doc = &doc };
	enum od_status rc = OD_OK;
	bool have_doc = false;

	*out = NULL;
	if (!(w.s = settings_new(name)))
		return err_set(e, OD_ENOMEM, "out of memory reading %s", name);
	if (!yaml_parser_initialize(&parser)) {
		rc = err_set(e, OD_ENOMEM, "out of memory reading %s", name);
		goto out_free;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = err_set(e, OD_ECONFIG, "%s:%d: %s", name, (int)parser.problem_mark.line + 1,
			     parser.problem ? parser.problem : "not valid YAML");
		goto out;
	}
	have_doc = true;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0))
		rc = each_pair(&w, root, "config", top_pair, NULL);
	if (rc == OD_OK) {
		struct context_settings c;
		settings_for_context(w.s, NULL, &c);
		rc = check_retention(&w, &c, "defaults");
		for (size_t i = 0; rc == OD_OK && i < w.s->ncontexts; i++) {
			settings_for_context(w.s, w.s->contexts[i].v.name, &c);
			rc = check_retention(&w, &c, w.s->contexts[i].v.name);
		}
	}
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
out_free:
	if (rc == OD_OK)
		*out = w.s;
	else
		settings_free(&w.s);
	return rc;
}

static enum od_status read_file(const char *path, char **text, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	*text = NULL;
	if (!f)
		return errno == ENOENT ? OD_ENOENT
				       : err_set(e, OD_EIO, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || st.st_size > (off_t)SETTINGS_MAX_FILE_SIZE) {
		fclose(f);
		return err_set(e, OD_ELIMIT, "%s is larger than %u bytes", path,
			       SETTINGS_MAX_FILE_SIZE);
	}
	*text = malloc((size_t)st.st_size + 1);
	if (!*text) {
		fclose(f);
		return err_set(e, OD_ENOMEM, "out of memory reading %s", path);
	}
	*len = fread(*text, 1, (size_t)st.st_size, f);
	(*text)[*len] = '\0';
	fclose(f);
	return OD_OK;
}

enum od_status settings_load(const char *path, struct settings **out, struct err *e)
{
	char def[PATHS_MAX];
	char *text = NULL;
	size_t len = 0;
	enum od_status rc;

	*out = NULL;
	if (!path) {
		/* Without a HOME there is simply no user config: use the built-ins. */
		if (paths_xdg(XDG_CONFIG, "config.yaml", def, sizeof(def), NULL) != OD_OK)
			def[0] = '\0';
		path = def;
	}
	rc = *path ? read_file(path, &text, &len, e) : OD_ENOENT;
	if (rc == OD_ENOENT) {
		if (!(*out = settings_new(path)))
			return err_set(e, OD_ENOMEM, "out of memory");
		return OD_OK;
	}
	if (rc == OD_OK)
		rc = settings_parse(path, text, len, out, e);
	free(text);
	return rc;
}

void settings_free(struct settings **sp)
{
	struct settings *s = sp ? *sp : NULL;

	if (!s)
		return;
	for (size_t i = 0; i < s->nstrings; i++)
		free(s->strings[i]);
	free(s->strings);
	free(s->contexts);
	free(s->path);
	free(s);
	*sp = NULL;
}

const char *settings_path(const struct settings *s)
{
	return s->path;
}
