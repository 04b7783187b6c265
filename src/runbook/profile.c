/*
 * profile.c: parsing and validating runbook profiles (format: docs/profiles.md).
 *
 * The YAML is first read into a capped node tree (yamltree.c), then walked in
 * a fixed order: the parts other parts refer to (workloads, PVCs, log
 * patterns, probes, certificates, schedules) before the checklists, so every
 * reference is checked with the line of the node that makes it. Every error
 * reads "file:line: field: problem".
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/duration.h"
#include "opsdeck/profile.h"
#include "opsdeck/quantity.h"
#include "yamltree.h"

#define FIELD_MAX 160

/* Parse context: the file name for messages and the profile being filled. */
struct pctx {
	const char *path;
	struct profile *p;
	struct err *e;
};

/* Records "path:line: field: problem" in c->e and returns status s. */
__attribute__((format(printf, 5, 6)))
static enum od_status fail(struct pctx *c, enum od_status s, const struct ynode *n,
			   const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(c->e, s, fmt, ap);
	va_end(ap);
	return err_prefix(c->e, "%s:%d: %s: ", c->path, n ? n->line : 0, field);
}

/* ---- strings and names ------------------------------------------------- */

static void strv_free(struct strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

static enum od_status strv_push(struct strv *v, const char *s, struct err *e)
{
	char **nv = realloc(v->v, (v->n + 1) * sizeof(*nv));
	if (!nv)
		return err_set(e, OD_ENOMEM, "out of memory");
	v->v = nv;
	if (!(v->v[v->n] = strdup(s)))
		return err_set(e, OD_ENOMEM, "out of memory");
	v->n++;
	return OD_OK;
}

static bool strv_has(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

static enum od_status dup_str(struct pctx *c, const char *s, char **out)
{
	free(*out);
	if (!(*out = strdup(s)))
		return err_set(c->e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

/* An RFC 1123 label (namespaces, names of checklists and items). */
static bool is_dns_label(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-'))
			return false;
	return true;
}

/* An RFC 1123 subdomain (object names). */
static bool is_dns_subdomain(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '-' ||
		      s[i] == '.'))
			return false;
	return isalnum((unsigned char)s[0]) && isalnum((unsigned char)s[n - 1]);
}

/* A label name part or value: up to 63 of [A-Za-z0-9_.-], alphanumeric at both ends. */
static bool is_label_token(const char *s, size_t n, bool allow_empty)
{
	if (n == 0)
		return allow_empty;
	if (n > 63 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static bool is_label_key(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);
	if (!slash)
		return is_label_token(s, n, false);
	char prefix[254];
	size_t pl = (size_t)(slash - s);
	if (pl == 0 || pl >= sizeof(prefix))
		return false;
	memcpy(prefix, s, pl);
	prefix[pl] = '\0';
	return is_dns_subdomain(prefix) && is_label_token(slash + 1, n - pl - 1, false);
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

/* One requirement of a label selector; *s advances past it. NULL = ok, else the problem. */
static const char *selector_check_req(const char **sp)
{
	const char *s = skip_ws(*sp);
	bool neg = *s == '!';
	if (neg)
		s = skip_ws(s + 1);
	const char *k = s;
	while (*s && !strchr(" ,=!()", *s))
		s++;
	if (!is_label_key(k, (size_t)(s - k)))
		return "invalid label key";
	s = skip_ws(s);
	if (neg || *s == ',' || *s == '\0') {
		*sp = s;
		return NULL;
	}
	if (strncmp(s, "in ", 3) == 0 || strncmp(s, "notin ", 6) == 0 ||
	    strncmp(s, "in(", 3) == 0 || strncmp(s, "notin(", 6) == 0) {
		s = skip_ws(s + (s[0] == 'i' ? 2 : 5));
		if (*s++ != '(')
			return "expected \"(\" after in/notin";
		for (;;) {
			s = skip_ws(s);
			const char *v = s;
			while (*s && !strchr(" ,()", *s))
				s++;
			if (!is_label_token(v, (size_t)(s - v), true))
				return "invalid label value";
			s = skip_ws(s);
			if (*s == ')')
				break;
			if (*s++ != ',')
				return "expected \",\" or \")\" in a value list";
		}
		*sp = s + 1;
		return NULL;
	}
	if (s[0] == '=' && s[1] == '=')
		s += 2;
	else if (s[0] == '!' && s[1] == '=')
		s += 2;
	else if (s[0] == '=')
		s += 1;
	else
		return "expected =, ==, !=, in or notin";
	s = skip_ws(s);
	const char *v = s;
	while (*s && !strchr(" ,", *s))
		s++;
	if (!is_label_token(v, (size_t)(s - v), true))
		return "invalid label value";
	*sp = s;
	return NULL;
}

/* Checks label selector syntax as labels.Parse does; NULL when valid. */
static const char *selector_check(const char *s)
{
	if (*skip_ws(s) == '\0')
		return "empty selector (it would match every pod)";
	for (;;) {
		const char *problem = selector_check_req(&s);
		if (problem)
			return problem;
		s = skip_ws(s);
		if (*s == '\0')
			return NULL;
		if (*s++ != ',')
			return "expected \",\" between requirements";
	}
}

/* ---- typed scalar readers ----------------------------------------------- */

static enum od_status want_scalar(struct pctx *c, const struct ynode *n, const char *field,
				  const char *what)
{
	if (n->type != YN_SCALAR)
		return fail(c, OD_EPARSE, n, field, "expected %s, found a %s", what,
			    n->type == YN_MAP ? "mapping" : "list");
	return OD_OK;
}

static enum od_status read_str(struct pctx *c, const struct ynode *n, const char *field, char **out)
{
	enum od_status rc = want_scalar(c, n, field, "a string");
	if (rc != OD_OK)
		return rc;
	if (n->plain && (strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0))
		return fail(c, OD_EPARSE, n, field, "expected a string, found null");
	return dup_str(c, n->str, out);
}

static enum od_status read_name(struct pctx *c, const struct ynode *n, const char *field, char **out)
{
	enum od_status rc = read_str(c, n, field, out);
	if (rc == OD_OK && !is_dns_label(*out, 63))
		return fail(c, OD_EPARSE, n, field,
			    "invalid name \"%.64s\": use lower-case letters, digits and '-' (at most 63)", *out);
	return rc;
}

static enum od_status read_int(struct pctx *c, const struct ynode *n, const char *field,
			       int64_t lo, int64_t hi, int64_t *out)
{
	enum od_status rc = want_scalar(c, n, field, "a whole number");
	if (rc != OD_OK)
		return rc;
	char *end;
	errno = 0;
	long long v = strtoll(n->str, &end, 10);
	if (!n->plain || end == n->str || *end || errno)
		return fail(c, OD_EPARSE, n, field, "expected a whole number, found \"%.64s\"", n->str);
	if (v < lo || v > hi)
		return fail(c, OD_ERANGE, n, field, "%lld is out of range (%lld-%lld)", v,
			    (long long)lo, (long long)hi);
	*out = v;
	return OD_OK;
}

static enum od_status read_bool(struct pctx *c, const struct ynode *n, const char *field, bool *out)
{
	enum od_status rc = want_scalar(c, n, field, "true or false");
	if (rc != OD_OK)
		return rc;
	if (n->plain && strcmp(n->str, "true") == 0)
		*out = true;
	else if (n->plain && strcmp(n->str, "false") == 0)
		*out = false;
	else
		return fail(c, OD_EPARSE, n, field, "expected true or false, found \"%.64s\"", n->str);
	return OD_OK;
}

static enum od_status read_duration(struct pctx *c, const struct ynode *n, const char *field,
				    int64_t *out)
{
	enum od_status rc = want_scalar(c, n, field, "a duration");
	if (rc != OD_OK)
		return rc;
	struct err qe;
	if (duration_parse(n->str, out, &qe) != OD_OK)
		return fail(c, OD_EPARSE, n, field, "%s", qe.msg);
	if (*out <= 0)
		return fail(c, OD_ERANGE, n, field, "duration \"%.64s\" must be positive", n->str);
	return OD_OK;
}

enum unit { UNIT_CPU, UNIT_BYTES, UNIT_PERCENT, UNIT_NUMBER };

/* A quantity threshold in the unit's storage form (see struct threshold). */
static enum od_status read_threshold(struct pctx *c, const struct ynode *n, const char *field,
				     enum unit u, struct threshold *out)
{
	enum od_status rc = want_scalar(c, n, field, "a quantity");
	if (rc != OD_OK)
		return rc;
	struct quantity q;
	struct err qe;
	char num[64];
	const char *s = n->str;

	if (u == UNIT_PERCENT) {
		size_t len = strlen(s);
		if (len == 0 || len >= sizeof(num) || s[len - 1] != '%')
			return fail(c, OD_EPARSE, n, field, "expected a percentage like \"80%%\", found \"%.64s\"", s);
		memcpy(num, s, len - 1);
		num[len - 1] = '\0';
		s = num;
	}
	if (quantity_parse(s, &q, &qe) != OD_OK)
		return fail(c, OD_EPARSE, n, field, "%s", qe.msg);
	if (q.negative && u != UNIT_NUMBER)
		return fail(c, OD_ERANGE, n, field, "\"%.64s\" must not be negative", n->str);
	switch (u) {
	case UNIT_CPU:
	case UNIT_NUMBER:
		out->value = quantity_milli(&q);
		break;
	case UNIT_BYTES:
		out->value = quantity_value(&q);
		break;
	case UNIT_PERCENT:
		out->value = quantity_milli(&q) / 10;   /* hundredths of a percent */
		if (out->value > 10000)
			return fail(c, OD_ERANGE, n, field, "%.64s is more than 100%%", n->str);
		break;
	}
	out->set = true;
	return OD_OK;
}

/* A string or a list of strings. */
static enum od_status read_strv(struct pctx *c, const struct ynode *n, const char *field,
				struct strv *out)
{
	char f[FIELD_MAX];
	if (n->type == YN_MAP)
		return fail(c, OD_EPARSE, n, field, "expected a list of strings, found a mapping");
	if (n->type == YN_SCALAR)
		return strv_push(out, n->str, c->e);
	if (n->n == 0)
		return fail(c, OD_EPARSE, n, field, "the list is empty");
	for (size_t i = 0; i < n->n; i++) {
		snprintf(f, sizeof(f), "%.130s[%zu]", field, i);
		char *s = NULL;
		enum od_status rc = read_str(c, n->kids[i], f, &s);
		if (rc == OD_OK)
			rc = strv_push(out, s, c->e);
		free(s);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

static enum od_status read_selector(struct pctx *c, const struct ynode *n, const char *field,
				    char **out)
{
	enum od_status rc = read_str(c, n, field, out);
	if (rc != OD_OK)
		return rc;
	const char *problem = selector_check(*out);
	if (problem)
		return fail(c, OD_EPARSE, n, field, "invalid label selector \"%.64s\": %s", *out, problem);
	return OD_OK;
}

/* ---- mappings: known keys only ----------------------------------------- */

/* Fails on a key not in keys (NULL-terminated); field is the map's path. */
static enum od_status check_keys(struct pctx *c, const struct ynode *map, const char *field,
				 const char *what, const char *const *keys,
				 const char *const *more)
{
	if (map->type != YN_MAP)
		return fail(c, OD_EPARSE, map, field, "expected a mapping (%s), found a %s", what,
			    map->type == YN_SEQ ? "list" : "string");
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const char *k = map->kids[i]->str;
		bool known = false;
		for (size_t j = 0; keys[j] && !known; j++)
			known = strcmp(k, keys[j]) == 0;
		for (size_t j = 0; more && more[j] && !known; j++)
			known = strcmp(k, more[j]) == 0;
		if (!known)
			return fail(c, OD_EPARSE, map->kids[i], field, "unknown key \"%.64s\" in %s", k, what);
	}
	return OD_OK;
}

static void subfield(char *out, const char *base, const char *key)
{
	if (base && *base)
		snprintf(out, FIELD_MAX, "%.100s.%.50s", base, key);
	else
		snprintf(out, FIELD_MAX, "%.100s", key);
}

static enum od_status missing(struct pctx *c, const struct ynode *map, const char *base,
			      const char *key)
{
	char f[FIELD_MAX];
	subfield(f, base, key);
	return fail(c, OD_EINVAL, map, f, "required");
}

/* Typed getters: absent keys leave *out alone unless required. */
static enum od_status get_str(struct pctx *c, const struct ynode *map, const char *base,
			      const char *key, bool required, char **out)
{
	char f[FIELD_MAX];
	const struct ynode *n = ytree_get(map, key);
	if (!n)
		return required ? missing(c, map, base, key) : OD_OK;
	subfield(f, base, key);
	return read_str(c, n, f, out);
}

static enum od_status get_name(struct pctx *c, const struct ynode *map, const char *base,
			       const char *key, bool required, char **out)
{
	char f[FIELD_MAX];
	const struct ynode *n = ytree_get(map, key);
	if (!n)
		return required ? missing(c, map, base, key) : OD_OK;
	subfield(f, base, key);
	return read_name(c, n, f, out);
}

static enum od_status get_namespace(struct pctx *c, const struct ynode *map, const char *base,
				    char **out)
{
	return get_name(c, map, base, "namespace", false, out);
}

static enum od_status get_threshold(struct pctx *c, const struct ynode *map, const char *base,
				    const char *key, enum unit u, struct threshold *out)
{
	char f[FIELD_MAX];
	const struct ynode *n = ytree_get(map, key);
	if (!n)
		return OD_OK;
	subfield(f, base, key);
	return read_threshold(c, n, f, u, out);
}

/* A sequence of mappings, each handed to fn with its field name "key[i]". */
typedef enum od_status (*each_fn)(struct pctx *c, const struct ynode *n, const char *field,
				  size_t i, void *arg);

static enum od_status each(struct pctx *c, const struct ynode *map, const char *base,
			   const char *key, bool required, each_fn fn, void *arg, size_t *count,
			   size_t elem, void **array)
{
	char f[FIELD_MAX], fi[FIELD_MAX];
	const struct ynode *n = ytree_get(map, key);
	if (!n)
		return required ? missing(c, map, base, key) : OD_OK;
	subfield(f, base, key);
	if (n->type != YN_SEQ)
		return fail(c, OD_EPARSE, n, f, "expected a list, found a %s",
			    n->type == YN_MAP ? "mapping" : "string");
	if (n->n == 0 && required)
		return fail(c, OD_EINVAL, n, f, "the list is empty");
	if (n->n > 0) {
		*array = calloc(n->n, elem);
		if (!*array)
			return err_set(c->e, OD_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n->n; i++) {
		snprintf(fi, sizeof(fi), "%.130s[%zu]", f, i);
		*count = i + 1;
		enum od_status rc = fn(c, n->kids[i], fi, i, arg);
		if (rc != OD_OK)
			return rc;
	}
	return OD_OK;
}

/* ---- check kinds --------------------------------------------------------- */

enum ptype {
	P_WORKLOAD, P_SELECTOR, P_NAMESPACE, P_STRING, P_PVC, P_PROBE, P_CERT, P_JOB,
	P_PATTERNS, P_STRV, P_STAT, P_THRESHOLD, P_COUNT, P_DURATION
};

struct param_def {
	const char *key;
	enum ptype type;
	size_t off;           /* in struct check_spec */
	bool required;
};

/* What a kind needs beyond its required keys. */
enum need { NEED_NONE = 0, NEED_TARGET = 1, NEED_PVC_OR_WORKLOAD = 2, NEED_THRESHOLD = 4 };

struct kind_def {
	const char *name;
	enum unit unit;       /* of its thresholds */
	unsigned needs;
	struct param_def params[12];
};

#define OFF(f) offsetof(struct check_spec, f)
#define TARGET_PARAMS                                   \
	{ "workload", P_WORKLOAD, OFF(workload), false }, \
	{ "selector", P_SELECTOR, OFF(selector), false }, \
	{ "namespace", P_NAMESPACE, OFF(namespace), false }
#define THRESHOLDS_ABOVE                                          \
	{ "warn_above", P_THRESHOLD, OFF(warn_above), false },     \
	{ "fail_above", P_THRESHOLD, OFF(fail_above), false }

static const struct kind_def kinds[CHECK_KIND_COUNT] = {
	[CHECK_PODS_READY] = { "pods_ready", UNIT_NUMBER, NEED_TARGET, { TARGET_PARAMS } },
	[CHECK_RESTARTS] = { "restarts", UNIT_NUMBER, NEED_TARGET, {
		TARGET_PARAMS,
		{ "container", P_STRING, OFF(container), false },
		{ "max", P_COUNT, OFF(max), false },
		{ "window", P_DURATION, OFF(window_ns), false } } },
	[CHECK_CPU] = { "cpu", UNIT_CPU, NEED_TARGET | NEED_THRESHOLD, {
		TARGET_PARAMS,
		{ "container", P_STRING, OFF(container), false },
		{ "stat", P_STAT, OFF(stat), false },
		THRESHOLDS_ABOVE } },
	[CHECK_MEMORY] = { "memory", UNIT_BYTES, NEED_TARGET | NEED_THRESHOLD, {
		TARGET_PARAMS,
		{ "container", P_STRING, OFF(container), false },
		{ "stat", P_STAT, OFF(stat), false },
		THRESHOLDS_ABOVE } },
	[CHECK_PVC_USAGE] = { "pvc_usage", UNIT_PERCENT, NEED_PVC_OR_WORKLOAD | NEED_THRESHOLD, {
		{ "pvc", P_PVC, OFF(pvc), false },
		{ "workload", P_WORKLOAD, OFF(workload), false },
		THRESHOLDS_ABOVE } },
	[CHECK_PVC_BOUND] = { "pvc_bound", UNIT_NUMBER, NEED_PVC_OR_WORKLOAD, {
		{ "pvc", P_PVC, OFF(pvc), false },
		{ "workload", P_WORKLOAD, OFF(workload), false } } },
	[CHECK_STORAGE_GROWTH] = { "storage_growth", UNIT_BYTES, NEED_PVC_OR_WORKLOAD, {
		{ "pvc", P_PVC, OFF(pvc), false },
		{ "workload", P_WORKLOAD, OFF(workload), false },
		{ "window", P_DURATION, OFF(window_ns), false },
		{ "min_days_to_full", P_COUNT, OFF(min_days_to_full), false },
		{ "warn_above", P_THRESHOLD, OFF(warn_above), false },
		{ "fail_above", P_THRESHOLD, OFF(fail_above), false } } },
	[CHECK_NO_WARNING_EVENTS] = { "no_warning_events", UNIT_NUMBER, NEED_NONE, {
		TARGET_PARAMS,
		{ "window", P_DURATION, OFF(window_ns), false },
		{ "max", P_COUNT, OFF(max), false },
		{ "reasons", P_STRV, OFF(reasons), false } } },
	[CHECK_LOG_PATTERNS] = { "log_patterns", UNIT_NUMBER, NEED_TARGET, {
		TARGET_PARAMS,
		{ "container", P_STRING, OFF(container), false },
		{ "patterns", P_PATTERNS, OFF(patterns), true },
		{ "tail", P_COUNT, OFF(tail), false },
		{ "window", P_DURATION, OFF(window_ns), false },
		{ "max", P_COUNT, OFF(max), false },
		{ "min", P_COUNT, OFF(min), false },
		{ "top", P_COUNT, OFF(top), false } } },
	[CHECK_SNAPSHOT_RECENT] = { "snapshot_recent", UNIT_NUMBER, NEED_NONE, {
		{ "pvc", P_PVC, OFF(pvc), true },
		{ "max_age", P_DURATION, OFF(max_age_ns), true } } },
	[CHECK_BACKUP_JOB] = { "backup_job", UNIT_NUMBER, NEED_NONE, {
		{ "job", P_JOB, OFF(job), true },
		{ "namespace", P_NAMESPACE, OFF(namespace), false },
		{ "max_age", P_DURATION, OFF(max_age_ns), true } } },
	[CHECK_ROLLOUT_COMPLETE] = { "rollout_complete", UNIT_NUMBER, NEED_NONE, {
		{ "workload", P_WORKLOAD, OFF(workload), true } } },
	[CHECK_HTTP_PROBE] = { "http_probe", UNIT_NUMBER, NEED_NONE, {
		{ "probe", P_PROBE, OFF(probe), true } } },
	[CHECK_TLS_CERT] = { "tls_cert", UNIT_NUMBER, NEED_NONE, {
		{ "certificate", P_CERT, OFF(certificate), true },
		{ "warn_within", P_DURATION, OFF(warn_within_ns), false },
		{ "fail_within", P_DURATION, OFF(fail_within_ns), false } } },
	[CHECK_PROMETHEUS_QUERY] = { "prometheus_query", UNIT_NUMBER, NEED_THRESHOLD, {
		{ "query", P_STRING, OFF(query), true },
		THRESHOLDS_ABOVE,
		{ "warn_below", P_THRESHOLD, OFF(warn_below), false },
		{ "fail_below", P_THRESHOLD, OFF(fail_below), false } } },
	[CHECK_NO_FIRING_ALERTS] = { "no_firing_alerts", UNIT_NUMBER, NEED_NONE, {
		{ "matchers", P_STRV, OFF(matchers), true } } },
	[CHECK_NODES_READY] = { "nodes_ready", UNIT_NUMBER, NEED_NONE, {
		{ "selector", P_SELECTOR, OFF(selector), false } } },
	[CHECK_MANUAL] = { "manual", UNIT_NUMBER, NEED_NONE, {
		{ "prompt", P_STRING, OFF(prompt), false },
		{ "choices", P_STRV, OFF(choices), false } } },
};

const char *check_kind_name(enum check_kind k)
{
	return (unsigned)k < CHECK_KIND_COUNT ? kinds[k].name : "?";
}

bool check_kind_from_name(const char *s, enum check_kind *k)
{
	for (int i = 0; i < CHECK_KIND_COUNT; i++) {
		if (strcmp(s, kinds[i].name) == 0) {
			*k = (enum check_kind)i;
			return true;
		}
	}
	return false;
}

const struct profile_workload *profile_find_workload(const struct profile *p, const char *ref)
{
	for (size_t i = 0; i < p->nworkloads; i++)
		if (strcmp(p->workloads[i].ref, ref) == 0)
			return &p->workloads[i];
	return NULL;
}

static const struct profile_pvc *find_pvc(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->npvcs; i++)
		if (strcmp(p->pvcs[i].name, name) == 0)
			return &p->pvcs[i];
	return NULL;
}

static bool has_pattern(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->npatterns; i++)
		if (strcmp(p->patterns[i].name, name) == 0)
			return true;
	return false;
}

static bool has_probe(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nprobes; i++)
		if (strcmp(p->probes[i].name, name) == 0)
			return true;
	return false;
}

static bool has_cert(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->ncerts; i++)
		if (strcmp(p->certs[i].name, name) == 0)
			return true;
	return false;
}

static const char *const workload_kinds[] = {
	"deployment", "statefulset", "daemonset", "cronjob", "job", NULL
};

/* "kind/name" with a known lower-case kind and a valid object name. */
static bool ref_ok(const char *ref, const char *const *allowed)
{
	const char *slash = strchr(ref, '/');
	if (!slash)
		return false;
	bool known = false;
	for (size_t i = 0; allowed[i] && !known; i++)
		known = strlen(allowed[i]) == (size_t)(slash - ref) &&
			strncmp(ref, allowed[i], (size_t)(slash - ref)) == 0;
	return known && is_dns_subdomain(slash + 1);
}

static enum od_status read_param(struct pctx *c, const struct kind_def *kd,
				 const struct param_def *pd, const struct ynode *n,
				 const char *field, struct check_spec *cs)
{
	char *base = (char *)cs + pd->off;
	char **sp = (char **)(void *)base;
	enum od_status rc;

	switch (pd->type) {
	case P_WORKLOAD:
		if ((rc = read_str(c, n, field, sp)) != OD_OK)
			return rc;
		if (!profile_find_workload(c->p, *sp))
			return fail(c, OD_ENOENT, n, field, "no workload \"%.64s\" in this profile's workloads", *sp);
		return OD_OK;
	case P_SELECTOR:
		return read_selector(c, n, field, sp);
	case P_NAMESPACE:
		return read_name(c, n, field, sp);
	case P_STRING:
		return read_str(c, n, field, sp);
	case P_PVC:
		if ((rc = read_str(c, n, field, sp)) != OD_OK)
			return rc;
		if (!find_pvc(c->p, *sp))
			return fail(c, OD_ENOENT, n, field, "no PVC \"%.64s\" in this profile's pvcs", *sp);
		return OD_OK;
	case P_PROBE:
		if ((rc = read_str(c, n, field, sp)) != OD_OK)
			return rc;
		if (!has_probe(c->p, *sp))
			return fail(c, OD_ENOENT, n, field, "no probe \"%.64s\" in this profile's probes", *sp);
		return OD_OK;
	case P_CERT:
		if ((rc = read_str(c, n, field, sp)) != OD_OK)
			return rc;
		if (!has_cert(c->p, *sp))
			return fail(c, OD_ENOENT, n, field,
				    "no certificate \"%.64s\" in this profile's certificates", *sp);
		return OD_OK;
	case P_JOB: {
		static const char *const job_kinds[] = { "cronjob", "job", NULL };
		if ((rc = read_str(c, n, field, sp)) != OD_OK)
			return rc;
		if (!ref_ok(*sp, job_kinds))
			return fail(c, OD_EPARSE, n, field, "expected cronjob/NAME or job/NAME, found \"%.64s\"", *sp);
		return OD_OK;
	}
	case P_PATTERNS: {
		struct strv *v = (struct strv *)(void *)base;
		if ((rc = read_strv(c, n, field, v)) != OD_OK)
			return rc;
		for (size_t i = 0; i < v->n; i++)
			if (!has_pattern(c->p, v->v[i]))
				return fail(c, OD_ENOENT, n, field,
					    "no log pattern \"%.64s\" in this profile's log_patterns", v->v[i]);
		return OD_OK;
	}
	case P_STRV:
		return read_strv(c, n, field, (struct strv *)(void *)base);
	case P_STAT: {
		enum check_stat *st = (enum check_stat *)(void *)base;
		if ((rc = want_scalar(c, n, field, "now or weekly_avg")) != OD_OK)
			return rc;
		if (strcmp(n->str, "now") == 0)
			*st = CHECK_STAT_NOW;
		else if (strcmp(n->str, "weekly_avg") == 0)
			*st = CHECK_STAT_WEEKLY_AVG;
		else
			return fail(c, OD_EPARSE, n, field, "expected now or weekly_avg, found \"%.64s\"", n->str);
		return OD_OK;
	}
	case P_THRESHOLD:
		return read_threshold(c, n, field, kd->unit, (struct threshold *)(void *)base);
	case P_COUNT:
		return read_int(c, n, field, 0, 1000000000, (int64_t *)(void *)base);
	case P_DURATION:
		return read_duration(c, n, field, (int64_t *)(void *)base);
	}
	return OD_OK;
}

static const char *const item_keys[] = {
	"id", "text", "runbook", "section", "runbook_text", "check", NULL
};

/* Fills the workload's selector and namespace into a check that names only the workload. */
static enum od_status resolve_target(struct pctx *c, struct check_spec *cs)
{
	const struct profile_workload *w = cs->workload ? profile_find_workload(c->p, cs->workload) : NULL;
	enum od_status rc = OD_OK;
	if (w && !cs->selector && w->selector)
		rc = dup_str(c, w->selector, &cs->selector);
	if (rc == OD_OK && !cs->namespace && w && w->namespace)
		rc = dup_str(c, w->namespace, &cs->namespace);
	/* A claim may live outside the first namespace (redis-synapse's). */
	const struct profile_pvc *v = cs->pvc ? find_pvc(c->p, cs->pvc) : NULL;
	if (rc == OD_OK && !cs->namespace && v && v->namespace)
		rc = dup_str(c, v->namespace, &cs->namespace);
	if (rc == OD_OK && !cs->namespace && c->p->namespaces.n > 0)
		rc = dup_str(c, c->p->namespaces.v[0], &cs->namespace);
	return rc;
}

/* Appends " (a KIND check takes: k1, k2, ...)" to the message in e. */
static void append_params_hint(struct err *e, const struct kind_def *kd, size_t np)
{
	size_t len = strlen(e->msg);
	int w = snprintf(e->msg + len, ERR_MSG_MAX - len, " (a %s check takes: %s", kd->name,
			 np ? kd->params[0].key : "no parameters");
	for (size_t i = 1; i < np && w > 0 && (len += (size_t)w) < ERR_MSG_MAX; i++)
		w = snprintf(e->msg + len, ERR_MSG_MAX - len, ", %s", kd->params[i].key);
	len = strlen(e->msg);
	if (len + 1 < ERR_MSG_MAX)
		snprintf(e->msg + len, ERR_MSG_MAX - len, ")");
}

/* Rules between a check's parameters that no single parameter can check. */
static enum od_status check_constraints(struct pctx *c, const struct ynode *item, const char *field,
					const struct kind_def *kd, const struct check_spec *cs)
{
	if ((kd->needs & NEED_TARGET) && !cs->workload && !cs->selector)
		return fail(c, OD_EINVAL, item, field, "a %s check needs workload or selector", kd->name);
	if ((kd->needs & NEED_PVC_OR_WORKLOAD) && !cs->workload && !cs->pvc)
		return fail(c, OD_EINVAL, item, field, "a %s check needs pvc or workload", kd->name);
	if ((kd->needs & NEED_THRESHOLD) && !cs->warn_above.set && !cs->fail_above.set &&
	    !cs->warn_below.set && !cs->fail_below.set)
		return fail(c, OD_EINVAL, item, field, "a %s check needs warn_above or fail_above", kd->name);
	if (cs->warn_above.set && cs->fail_above.set && cs->warn_above.value > cs->fail_above.value)
		return fail(c, OD_ERANGE, ytree_get(item, "warn_above"), field,
			    "warn_above is greater than fail_above");
	if (cs->warn_below.set && cs->fail_below.set && cs->warn_below.value < cs->fail_below.value)
		return fail(c, OD_ERANGE, ytree_get(item, "warn_below"), field,
			    "warn_below is less than fail_below");
	if (cs->kind == CHECK_TLS_CERT && cs->warn_within_ns && cs->fail_within_ns &&
	    cs->fail_within_ns > cs->warn_within_ns)
		return fail(c, OD_ERANGE, ytree_get(item, "fail_within"), field,
			    "fail_within is longer than warn_within");
	if (cs->kind == CHECK_LOG_PATTERNS && cs->tail >= 0 && cs->window_ns > 0)
		return fail(c, OD_EINVAL, ytree_get(item, "window"), field, "give tail or window, not both");
	if (cs->kind == CHECK_LOG_PATTERNS && cs->min >= 0 && cs->max >= 0 && cs->min > cs->max)
		return fail(c, OD_ERANGE, ytree_get(item, "min"), field, "min is greater than max");
	return OD_OK;
}

static enum od_status parse_check(struct pctx *c, const struct ynode *item, const char *field,
				  struct check_spec *cs)
{
	char f[FIELD_MAX];
	const struct ynode *kn = ytree_get(item, "check");
	enum od_status rc;

	cs->max = cs->min = cs->tail = cs->top = cs->min_days_to_full = -1;
	cs->kind = CHECK_MANUAL;
	if (kn) {
		subfield(f, field, "check");
		if ((rc = want_scalar(c, kn, f, "a check kind")) != OD_OK)
			return rc;
		if (!check_kind_from_name(kn->str, &cs->kind))
			return fail(c, OD_EPARSE, kn, f, "unknown check kind \"%.64s\" (see docs/profiles.md)",
				    kn->str);
	}
	const struct kind_def *kd = &kinds[cs->kind];
	const char *pkeys[16];
	size_t np = 0;
	for (; np < 12 && kd->params[np].key; np++)
		pkeys[np] = kd->params[np].key;
	pkeys[np] = NULL;
	if ((rc = check_keys(c, item, field, "a checklist item", item_keys, pkeys)) != OD_OK) {
		/* Say what the kind does take: a key of another kind is the usual mistake. */
		if (kn)
			append_params_hint(c->e, kd, np);
		return rc;
	}
	for (size_t i = 0; i < np; i++) {
		const struct param_def *pd = &kd->params[i];
		const struct ynode *n = ytree_get(item, pd->key);
		if (!n) {
			if (pd->required)
				return missing(c, item, field, pd->key);
			continue;
		}
		subfield(f, field, pd->key);
		if ((rc = read_param(c, kd, pd, n, f, cs)) != OD_OK)
			return rc;
	}
	if ((rc = check_constraints(c, item, field, kd, cs)) != OD_OK)
		return rc;
	if (kd->needs & (NEED_TARGET | NEED_PVC_OR_WORKLOAD) || cs->kind == CHECK_NO_WARNING_EVENTS ||
	    cs->kind == CHECK_BACKUP_JOB || cs->kind == CHECK_ROLLOUT_COMPLETE ||
	    cs->kind == CHECK_SNAPSHOT_RECENT)
		return resolve_target(c, cs);
	return OD_OK;
}

/* Normalises a runbook checklist text: markdown escapes and ** dropped, blanks squeezed. */
static void normalise_text(char *s)
{
	char *w = s;
	bool space = true;
	for (const char *r = s; *r; r++) {
		if (*r == '\\' && r[1] && strchr("_*[]`", r[1]))
			continue;
		if (r[0] == '*' && r[1] == '*') {
			r++;
			continue;
		}
		if (isspace((unsigned char)*r)) {
			if (!space)
				*w++ = ' ';
			space = true;
			continue;
		}
		*w++ = *r;
		space = false;
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

static enum od_status parse_source(struct pctx *c, const struct ynode *n, const char *field,
				   const struct checklist *cl, struct item_source *src)
{
	enum od_status rc;
	char f[FIELD_MAX];

	if ((rc = get_str(c, n, field, "runbook", false, &src->runbook)) != OD_OK ||
	    (rc = get_str(c, n, field, "section", false, &src->section)) != OD_OK)
		return rc;
	const struct ynode *tn = ytree_get(n, "runbook_text");
	if (tn) {
		subfield(f, field, "runbook_text");
		if ((rc = read_strv(c, tn, f, &src->texts)) != OD_OK)
			return rc;
		for (size_t i = 0; i < src->texts.n; i++)
			normalise_text(src->texts.v[i]);
	}
	if (!src->runbook && cl->runbook && (rc = dup_str(c, cl->runbook, &src->runbook)) != OD_OK)
		return rc;
	if (!src->section && cl->section && (rc = dup_str(c, cl->section, &src->section)) != OD_OK)
		return rc;
	if (!src->runbook)
		return missing(c, n, field, "runbook");
	if (!src->section)
		return missing(c, n, field, "section");
	if (!strv_has(&c->p->runbooks, src->runbook))
		return fail(c, OD_ENOENT, ytree_get(n, "runbook") ? ytree_get(n, "runbook") : n, field,
			    "runbook \"%.64s\" is not in this profile's runbooks", src->runbook);
	return OD_OK;
}

static enum od_status parse_item(struct pctx *c, const struct ynode *n, const char *field,
				 size_t i, void *arg)
{
	struct checklist *cl = arg;
	struct checklist_item *it = &cl->items[i];
	enum od_status rc;

	it->line = n->line;
	if (n->type != YN_MAP)
		return fail(c, OD_EPARSE, n, field, "expected a mapping (a checklist item), found a %s",
			    n->type == YN_SEQ ? "list" : "string");
	if ((rc = parse_check(c, n, field, &it->check)) != OD_OK)
		return rc;
	if ((rc = get_name(c, n, field, "id", false, &it->id)) != OD_OK ||
	    (rc = get_str(c, n, field, "text", false, &it->text)) != OD_OK ||
	    (rc = parse_source(c, n, field, cl, &it->source)) != OD_OK)
		return rc;
	if (!it->id) {
		char id[32];
		snprintf(id, sizeof(id), "item-%zu", i + 1);
		if ((rc = dup_str(c, id, &it->id)) != OD_OK)
			return rc;
	}
	for (size_t j = 0; j < i; j++)
		if (strcmp(cl->items[j].id, it->id) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "id"), field,
				    "duplicate item id \"%.64s\" in checklist \"%.64s\"", it->id, cl->name);
	if (!it->text && it->source.texts.n > 0)
		rc = dup_str(c, it->source.texts.v[0], &it->text);
	if (rc == OD_OK && !it->text)
		return missing(c, n, field, "text");
	return rc;
}

static enum od_status parse_free(struct pctx *c, const struct ynode *n, const char *field,
				 size_t i, void *arg)
{
	static const char *const keys[] = { "title", "runbook", "section", "runbook_text", NULL };
	struct checklist *cl = arg;
	struct free_section *fs = &cl->free[i];
	enum od_status rc;

	if ((rc = check_keys(c, n, field, "a free-text section", keys, NULL)) != OD_OK ||
	    (rc = get_str(c, n, field, "title", true, &fs->title)) != OD_OK)
		return rc;
	return parse_source(c, n, field, cl, &fs->source);
}

static enum od_status parse_checklist(struct pctx *c, const struct ynode *n, const char *field,
				      size_t i, void *arg)
{
	static const char *const keys[] = {
		"name", "title", "schedule", "runbook", "section", "items", "free_text", NULL
	};
	struct checklist *cl = &c->p->checklists[i];
	enum od_status rc;
	(void)arg;

	if ((rc = check_keys(c, n, field, "a checklist", keys, NULL)) != OD_OK ||
	    (rc = get_name(c, n, field, "name", true, &cl->name)) != OD_OK ||
	    (rc = get_str(c, n, field, "title", false, &cl->title)) != OD_OK ||
	    (rc = get_str(c, n, field, "schedule", false, &cl->schedule)) != OD_OK ||
	    (rc = get_str(c, n, field, "runbook", false, &cl->runbook)) != OD_OK ||
	    (rc = get_str(c, n, field, "section", false, &cl->section)) != OD_OK)
		return rc;
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->p->checklists[j].name, cl->name) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "name"), field,
				    "duplicate checklist name \"%.64s\"", cl->name);
	if (cl->schedule && strcmp(cl->schedule, "on-demand") == 0) {
		free(cl->schedule);
		cl->schedule = NULL;
	}
	if (cl->schedule && !profile_find_schedule(c->p, cl->schedule)) {
		char f[FIELD_MAX];
		subfield(f, field, "schedule");
		return fail(c, OD_ENOENT, ytree_get(n, "schedule"), f,
			    "no schedule \"%.64s\" in this profile's schedules (or use on-demand)", cl->schedule);
	}
	if (cl->runbook && !strv_has(&c->p->runbooks, cl->runbook)) {
		char f[FIELD_MAX];
		subfield(f, field, "runbook");
		return fail(c, OD_ENOENT, ytree_get(n, "runbook"), f,
			    "runbook \"%.64s\" is not in this profile's runbooks", cl->runbook);
	}
	if ((rc = each(c, n, field, "items", true, parse_item, cl, &cl->nitems,
		       sizeof(*cl->items), (void **)&cl->items)) != OD_OK)
		return rc;
	return each(c, n, field, "free_text", false, parse_free, cl, &cl->nfree,
		    sizeof(*cl->free), (void **)&cl->free);
}

/* ---- the parts checklists refer to -------------------------------------- */

static enum od_status parse_range(struct pctx *c, const struct ynode *w, const char *field,
				  const char *key, enum unit u, struct resource_range *r)
{
	static const char *const keys[] = { "min", "max", NULL };
	char f[FIELD_MAX];
	const struct ynode *n = ytree_get(w, key);
	enum od_status rc;
	if (!n)
		return OD_OK;
	subfield(f, field, key);
	if ((rc = check_keys(c, n, f, "a resource range", keys, NULL)) != OD_OK ||
	    (rc = get_threshold(c, n, f, "min", u, &r->min)) != OD_OK ||
	    (rc = get_threshold(c, n, f, "max", u, &r->max)) != OD_OK)
		return rc;
	if (r->min.set && r->max.set && r->min.value > r->max.value)
		return fail(c, OD_ERANGE, n, f, "min is greater than max");
	return OD_OK;
}

static enum od_status parse_workload(struct pctx *c, const struct ynode *n, const char *field,
				     size_t i, void *arg)
{
	static const char *const keys[] = {
		"ref", "namespace", "selector", "container", "stateful", "pvcs", "cpu", "memory",
		"scaling", NULL
	};
	static const char *const scaling_keys[] = { "cpu_above", "memory_above", NULL };
	struct profile_workload *w = &c->p->workloads[i];
	char f[FIELD_MAX];
	enum od_status rc;
	(void)arg;

	if ((rc = check_keys(c, n, field, "a workload", keys, NULL)) != OD_OK ||
	    (rc = get_str(c, n, field, "ref", true, &w->ref)) != OD_OK)
		return rc;
	if (!ref_ok(w->ref, workload_kinds)) {
		subfield(f, field, "ref");
		return fail(c, OD_EPARSE, ytree_get(n, "ref"), f,
			    "expected KIND/NAME with KIND deployment, statefulset, daemonset, cronjob or job, "
			    "found \"%.64s\"", w->ref);
	}
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->p->workloads[j].ref, w->ref) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "ref"), field, "duplicate workload \"%.64s\"", w->ref);
	if ((rc = get_namespace(c, n, field, &w->namespace)) != OD_OK ||
	    (rc = get_str(c, n, field, "container", false, &w->container)) != OD_OK)
		return rc;
	const struct ynode *sn = ytree_get(n, "selector");
	if (!sn)
		return missing(c, n, field, "selector");
	subfield(f, field, "selector");
	if ((rc = read_selector(c, sn, f, &w->selector)) != OD_OK)
		return rc;
	const struct ynode *bn = ytree_get(n, "stateful");
	if (bn) {
		subfield(f, field, "stateful");
		if ((rc = read_bool(c, bn, f, &w->stateful)) != OD_OK)
			return rc;
	}
	const struct ynode *pn = ytree_get(n, "pvcs");
	if (pn) {
		subfield(f, field, "pvcs");
		if ((rc = read_strv(c, pn, f, &w->pvcs)) != OD_OK)
			return rc;
		for (size_t j = 0; j < w->pvcs.n; j++)
			if (!find_pvc(c->p, w->pvcs.v[j]))
				return fail(c, OD_ENOENT, pn, f, "no PVC \"%.64s\" in this profile's pvcs", w->pvcs.v[j]);
	}
	if ((rc = parse_range(c, n, field, "cpu", UNIT_CPU, &w->cpu)) != OD_OK ||
	    (rc = parse_range(c, n, field, "memory", UNIT_BYTES, &w->memory)) != OD_OK)
		return rc;
	const struct ynode *scn = ytree_get(n, "scaling");
	if (scn) {
		subfield(f, field, "scaling");
		if ((rc = check_keys(c, scn, f, "scaling thresholds", scaling_keys, NULL)) != OD_OK ||
		    (rc = get_threshold(c, scn, f, "cpu_above", UNIT_CPU, &w->scale_cpu_above)) != OD_OK ||
		    (rc = get_threshold(c, scn, f, "memory_above", UNIT_BYTES, &w->scale_memory_above)) != OD_OK)
			return rc;
	}
	if (w->stateful && w->pvcs.n == 0)
		return fail(c, OD_EINVAL, bn, field, "a stateful workload names the pvcs to snapshot");
	return OD_OK;
}

static enum od_status parse_pvc(struct pctx *c, const struct ynode *n, const char *field,
				size_t i, void *arg)
{
	static const char *const keys[] = {
		"name", "namespace", "snapshot_class", "warn_above", "fail_above", NULL
	};
	struct profile_pvc *v = &c->p->pvcs[i];
	enum od_status rc;
	(void)arg;

	if ((rc = check_keys(c, n, field, "a PVC", keys, NULL)) != OD_OK ||
	    (rc = get_str(c, n, field, "name", true, &v->name)) != OD_OK)
		return rc;
	if (!is_dns_subdomain(v->name))
		return fail(c, OD_EPARSE, ytree_get(n, "name"), field, "invalid PVC name \"%.64s\"", v->name);
	if ((rc = get_namespace(c, n, field, &v->namespace)) != OD_OK)
		return rc;
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->p->pvcs[j].name, v->name) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "name"), field, "duplicate PVC \"%.64s\"", v->name);
	if ((rc = get_str(c, n, field, "snapshot_class", false, &v->snapshot_class)) != OD_OK ||
	    (rc = get_threshold(c, n, field, "warn_above", UNIT_PERCENT, &v->warn_above)) != OD_OK ||
	    (rc = get_threshold(c, n, field, "fail_above", UNIT_PERCENT, &v->fail_above)) != OD_OK)
		return rc;
	if (!v->snapshot_class && c->p->snapshot_class)
		return dup_str(c, c->p->snapshot_class, &v->snapshot_class);
	return OD_OK;
}

static enum od_status parse_pattern(struct pctx *c, const struct ynode *n, const char *field,
				    size_t i, void *arg)
{
	static const char *const keys[] = { "name", "regex", "ignore_case", "severity", NULL };
	static const char *const severities[] = { "error", "warning", "info", NULL };
	struct log_pattern *lp = &c->p->patterns[i];
	char f[FIELD_MAX];
	enum od_status rc;
	(void)arg;

	if ((rc = check_keys(c, n, field, "a log pattern", keys, NULL)) != OD_OK ||
	    (rc = get_name(c, n, field, "name", true, &lp->name)) != OD_OK ||
	    (rc = get_str(c, n, field, "regex", true, &lp->regex)) != OD_OK ||
	    (rc = get_str(c, n, field, "severity", false, &lp->severity)) != OD_OK)
		return rc;
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->p->patterns[j].name, lp->name) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "name"), field,
				    "duplicate log pattern \"%.64s\"", lp->name);
	const struct ynode *bn = ytree_get(n, "ignore_case");
	if (bn) {
		subfield(f, field, "ignore_case");
		if ((rc = read_bool(c, bn, f, &lp->ignore_case)) != OD_OK)
			return rc;
	}
	if (lp->severity) {
		bool ok = false;
		for (size_t j = 0; severities[j]; j++)
			ok = ok || strcmp(lp->severity, severities[j]) == 0;
		subfield(f, field, "severity");
		if (!ok)
			return fail(c, OD_EPARSE, ytree_get(n, "severity"), f,
				    "expected error, warning or info, found \"%.64s\"", lp->severity);
	}
	regex_t re;
	int rerr = regcomp(&re, lp->regex, REG_EXTENDED | REG_NOSUB | (lp->ignore_case ? REG_ICASE : 0));
	if (rerr != 0) {
		char msg[128];
		regerror(rerr, &re, msg, sizeof(msg));
		subfield(f, field, "regex");
		return fail(c, OD_EPARSE, ytree_get(n, "regex"), f, "invalid regular expression \"%.64s\": %s",
			    lp->regex, msg);
	}
	regfree(&re);
	return OD_OK;
}

static enum od_status parse_probe(struct pctx *c, const struct ynode *n, const char *field,
				  size_t i, void *arg)
{
	static const char *const keys[] = {
		"name", "namespace", "service", "port", "path", "status", "body_contains", NULL
	};
	struct http_probe *hp = &c->p->probes[i];
	char f[FIELD_MAX];
	int64_t v;
	enum od_status rc;
	(void)arg;

	if ((rc = check_keys(c, n, field, "an HTTP probe", keys, NULL)) != OD_OK ||
	    (rc = get_name(c, n, field, "name", true, &hp->name)) != OD_OK ||
	    (rc = get_namespace(c, n, field, &hp->namespace)) != OD_OK ||
	    (rc = get_name(c, n, field, "service", true, &hp->service)) != OD_OK ||
	    (rc = get_str(c, n, field, "path", true, &hp->path)) != OD_OK ||
	    (rc = get_str(c, n, field, "body_contains", false, &hp->body_contains)) != OD_OK)
		return rc;
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->p->probes[j].name, hp->name) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "name"), field, "duplicate probe \"%.64s\"", hp->name);
	if (hp->path[0] != '/') {
		subfield(f, field, "path");
		return fail(c, OD_EPARSE, ytree_get(n, "path"), f, "the path must start with '/'");
	}
	if (!ytree_get(n, "port"))
		return missing(c, n, field, "port");
	subfield(f, field, "port");
	if ((rc = read_int(c, ytree_get(n, "port"), f, 1, 65535, &v)) != OD_OK)
		return rc;
	hp->port = (int)v;
	hp->status = 200;
	if (ytree_get(n, "status")) {
		subfield(f, field, "status");
		if ((rc = read_int(c, ytree_get(n, "status"), f, 100, 599, &v)) != OD_OK)
			return rc;
		hp->status = (int)v;
	}
	if (!hp->namespace && c->p->namespaces.n > 0)
		return dup_str(c, c->p->namespaces.v[0], &hp->namespace);
	return OD_OK;
}

static enum od_status parse_cert(struct pctx *c, const struct ynode *n, const char *field,
				 size_t i, void *arg)
{
	static const char *const keys[] = { "name", "namespace", "secret", "warn_within", NULL };
	struct cert_secret *cs = &c->p->certs[i];
	char f[FIELD_MAX];
	enum od_status rc;
	(void)arg;

	if ((rc = check_keys(c, n, field, "a certificate", keys, NULL)) != OD_OK ||
	    (rc = get_name(c, n, field, "name", true, &cs->name)) != OD_OK ||
	    (rc = get_namespace(c, n, field, &cs->namespace)) != OD_OK ||
	    (rc = get_str(c, n, field, "secret", true, &cs->secret)) != OD_OK)
		return rc;
	for (size_t j = 0; j < i; j++)
		if (strcmp(c->p->certs[j].name, cs->name) == 0)
			return fail(c, OD_EEXIST, ytree_get(n, "name"), field,
				    "duplicate certificate \"%.64s\"", cs->name);
	if (!is_dns_subdomain(cs->secret)) {
		subfield(f, field, "secret");
		return fail(c, OD_EPARSE, ytree_get(n, "secret"), f, "invalid Secret name \"%.64s\"", cs->secret);
	}
	if (ytree_get(n, "warn_within")) {
		subfield(f, field, "warn_within");
		if ((rc = read_duration(c, ytree_get(n, "warn_within"), f, &cs->warn_within_ns)) != OD_OK)
			return rc;
	}
	if (!cs->namespace && c->p->namespaces.n > 0)
		return dup_str(c, c->p->namespaces.v[0], &cs->namespace);
	return OD_OK;
}

/* schedules: {name: "weekly sunday 02:00"} or {name: {at: "...", grace: 6h}}. */
static enum od_status parse_schedules(struct pctx *c, const struct ynode *root)
{
	static const char *const keys[] = { "at", "grace", NULL };
	const struct ynode *m = ytree_get(root, "schedules");
	char f[FIELD_MAX];
	enum od_status rc;

	if (!m)
		return OD_OK;
	if (m->type != YN_MAP)
		return fail(c, OD_EPARSE, m, "schedules", "expected a mapping of name: schedule");
	c->p->schedules = calloc(m->n / 2 + 1, sizeof(*c->p->schedules));
	if (!c->p->schedules)
		return err_set(c->e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kids[i], *v = m->kids[i + 1];
		struct named_schedule *ns = &c->p->schedules[c->p->nschedules++];
		snprintf(f, sizeof(f), "schedules.%.64s", k->str);
		if ((rc = read_name(c, k, f, &ns->name)) != OD_OK)
			return rc;
		if (strcmp(ns->name, "on-demand") == 0)
			return fail(c, OD_EINVAL, k, f, "\"on-demand\" is reserved for checklists without a schedule");
		const struct ynode *at = v;
		if (v->type == YN_MAP) {
			if ((rc = check_keys(c, v, f, "a schedule", keys, NULL)) != OD_OK)
				return rc;
			if (!(at = ytree_get(v, "at")))
				return missing(c, v, f, "at");
		}
		if ((rc = want_scalar(c, at, f, "a schedule such as \"weekly sunday 02:00\"")) != OD_OK)
			return rc;
		struct err se;
		if (schedule_parse(at->str, &ns->sched, &se) != OD_OK)
			return fail(c, OD_EPARSE, at, f, "%s", se.msg);
		const struct ynode *g = v->type == YN_MAP ? ytree_get(v, "grace") : NULL;
		if (g) {
			int64_t ns_grace;
			char fg[FIELD_MAX];
			subfield(fg, f, "grace");
			if ((rc = read_duration(c, g, fg, &ns_grace)) != OD_OK)
				return rc;
			ns->sched.grace_s = ns_grace / NS_PER_SEC;
		}
	}
	return OD_OK;
}

/* ---- the profile -------------------------------------------------------- */

static const char *const top_keys[] = {
	"apiVersion", "kind", "name", "title", "description", "context", "namespaces", "runbooks",
	"snapshot_class", "workloads", "pvcs", "log_patterns", "probes", "certificates",
	"schedules", "checklists", NULL
};

static enum od_status parse_header(struct pctx *c, const struct ynode *root)
{
	struct profile *p = c->p;
	char *api = NULL, *kind = NULL;
	enum od_status rc;

	if ((rc = check_keys(c, root, "profile", "a profile", top_keys, NULL)) != OD_OK)
		return rc;
	if ((rc = get_str(c, root, "", "apiVersion", true, &api)) != OD_OK)
		goto out;
	if (strcmp(api, "opsdeck.io/v1") != 0) {
		rc = fail(c, OD_EPARSE, ytree_get(root, "apiVersion"), "apiVersion",
			  "expected opsdeck.io/v1, found \"%.64s\"", api);
		goto out;
	}
	if ((rc = get_str(c, root, "", "kind", true, &kind)) != OD_OK)
		goto out;
	if (strcmp(kind, "Profile") != 0) {
		rc = fail(c, OD_EPARSE, ytree_get(root, "kind"), "kind", "expected Profile, found \"%.64s\"", kind);
		goto out;
	}
	if ((rc = get_name(c, root, "", "name", true, &p->name)) != OD_OK ||
	    (rc = get_str(c, root, "", "title", false, &p->title)) != OD_OK ||
	    (rc = get_str(c, root, "", "description", false, &p->description)) != OD_OK ||
	    (rc = get_str(c, root, "", "context", false, &p->context)) != OD_OK ||
	    (rc = get_str(c, root, "", "snapshot_class", false, &p->snapshot_class)) != OD_OK)
		goto out;
	if (p->context && !*p->context) {
		free(p->context);
		p->context = NULL;
	}
	const struct ynode *nn = ytree_get(root, "namespaces");
	if (!nn) {
		rc = missing(c, root, "", "namespaces");
		goto out;
	}
	if ((rc = read_strv(c, nn, "namespaces", &p->namespaces)) != OD_OK)
		goto out;
	for (size_t i = 0; i < p->namespaces.n; i++) {
		if (!is_dns_label(p->namespaces.v[i], 63)) {
			rc = fail(c, OD_EPARSE, nn, "namespaces", "invalid namespace \"%.64s\"", p->namespaces.v[i]);
			goto out;
		}
	}
	const struct ynode *rn = ytree_get(root, "runbooks");
	if (!rn) {
		rc = missing(c, root, "", "runbooks");
		goto out;
	}
	rc = read_strv(c, rn, "runbooks", &p->runbooks);
out:
	free(api);
	free(kind);
	return rc;
}

static enum od_status parse_root(struct pctx *c, const struct ynode *root)
{
	struct profile *p = c->p;
	enum od_status rc;

	if ((rc = parse_header(c, root)) != OD_OK ||
	    (rc = each(c, root, "", "pvcs", false, parse_pvc, NULL, &p->npvcs, sizeof(*p->pvcs),
		       (void **)&p->pvcs)) != OD_OK ||
	    (rc = each(c, root, "", "workloads", true, parse_workload, NULL, &p->nworkloads,
		       sizeof(*p->workloads), (void **)&p->workloads)) != OD_OK ||
	    (rc = each(c, root, "", "log_patterns", false, parse_pattern, NULL, &p->npatterns,
		       sizeof(*p->patterns), (void **)&p->patterns)) != OD_OK ||
	    (rc = each(c, root, "", "probes", false, parse_probe, NULL, &p->nprobes,
		       sizeof(*p->probes), (void **)&p->probes)) != OD_OK ||
	    (rc = each(c, root, "", "certificates", false, parse_cert, NULL, &p->ncerts,
		       sizeof(*p->certs), (void **)&p->certs)) != OD_OK ||
	    (rc = parse_schedules(c, root)) != OD_OK)
		return rc;
	return each(c, root, "", "checklists", true, parse_checklist, NULL, &p->nchecklists,
		    sizeof(*p->checklists), (void **)&p->checklists);
}

enum od_status profile_parse(const char *data, size_t len, const char *path,
			     struct profile **out, struct err *e)
{
	static const struct ytree_limits lim = {
		.max_depth = PROFILE_MAX_DEPTH,
		.max_nodes = PROFILE_MAX_NODES,
		.max_scalar = PROFILE_MAX_SCALAR,
	};
	struct ynode *root = NULL;
	struct profile *p = NULL;
	enum od_status rc;
	struct err local;
	int line;

	*out = NULL;
	if (!e)
		e = &local;   /* messages are built in place, so there is always somewhere to put them */
	if (!path)
		path = "<profile>";
	if (len > PROFILE_MAX_BYTES) {
		rc = err_set(e, OD_ELIMIT, "%s:1: profile: larger than %d bytes", path, PROFILE_MAX_BYTES);
		goto out;
	}
	if ((rc = ytree_parse(data, len, &lim, &root, &line, e)) != OD_OK) {
		err_prefix(e, "%s:%d: yaml: ", path, line);
		goto out;
	}
	if (!(p = calloc(1, sizeof(*p))) || !(p->path = strdup(path))) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	struct pctx c = { .path = path, .p = p, .e = e };
	if ((rc = parse_root(&c, root)) != OD_OK)
		goto out;
	*out = p;
	p = NULL;
out:
	profile_free(&p);
	ytree_free(&root);
	return rc;
}

enum od_status profile_load_file(const char *path, struct profile **out, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0;
	enum od_status rc;

	*out = NULL;
	if (!f)
		return err_set(e, OD_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (!(data = malloc(PROFILE_MAX_BYTES + 1))) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	len = fread(data, 1, PROFILE_MAX_BYTES + 1, f);
	if (ferror(f)) {
		rc = err_set(e, OD_EIO, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	rc = profile_parse(data, len, path, out, e);
out:
	free(data);
	fclose(f);
	return rc;
}

/* ---- lookups and freeing ------------------------------------------------- */

const struct checklist *profile_find_checklist(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nchecklists; i++)
		if (strcmp(p->checklists[i].name, name) == 0)
			return &p->checklists[i];
	return NULL;
}

const struct named_schedule *profile_find_schedule(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->nschedules; i++)
		if (p->schedules[i].name && strcmp(p->schedules[i].name, name) == 0)
			return &p->schedules[i];
	return NULL;
}

bool profile_has_namespace(const struct profile *p, const char *ns)
{
	return ns && strv_has(&p->namespaces, ns);
}

static void source_free(struct item_source *s)
{
	free(s->runbook);
	free(s->section);
	strv_free(&s->texts);
}

static void check_free(struct check_spec *cs)
{
	free(cs->workload);
	free(cs->selector);
	free(cs->namespace);
	free(cs->container);
	free(cs->pvc);
	free(cs->probe);
	free(cs->certificate);
	free(cs->job);
	free(cs->query);
	free(cs->prompt);
	strv_free(&cs->patterns);
	strv_free(&cs->matchers);
	strv_free(&cs->reasons);
	strv_free(&cs->choices);
}

static void checklist_free(struct checklist *cl)
{
	for (size_t i = 0; i < cl->nitems; i++) {
		free(cl->items[i].id);
		free(cl->items[i].text);
		source_free(&cl->items[i].source);
		check_free(&cl->items[i].check);
	}
	free(cl->items);
	for (size_t i = 0; i < cl->nfree; i++) {
		free(cl->free[i].title);
		source_free(&cl->free[i].source);
	}
	free(cl->free);
	free(cl->name);
	free(cl->title);
	free(cl->schedule);
	free(cl->runbook);
	free(cl->section);
}

void profile_free(struct profile **pp)
{
	struct profile *p = pp ? *pp : NULL;
	if (!p)
		return;
	for (size_t i = 0; i < p->nworkloads; i++) {
		struct profile_workload *w = &p->workloads[i];
		free(w->ref);
		free(w->namespace);
		free(w->selector);
		free(w->container);
		strv_free(&w->pvcs);
	}
	free(p->workloads);
	for (size_t i = 0; i < p->npvcs; i++) {
		free(p->pvcs[i].name);
		free(p->pvcs[i].namespace);
		free(p->pvcs[i].snapshot_class);
	}
	free(p->pvcs);
	for (size_t i = 0; i < p->npatterns; i++) {
		free(p->patterns[i].name);
		free(p->patterns[i].regex);
		free(p->patterns[i].severity);
	}
	free(p->patterns);
	for (size_t i = 0; i < p->nprobes; i++) {
		free(p->probes[i].name);
		free(p->probes[i].namespace);
		free(p->probes[i].service);
		free(p->probes[i].path);
		free(p->probes[i].body_contains);
	}
	free(p->probes);
	for (size_t i = 0; i < p->ncerts; i++) {
		free(p->certs[i].name);
		free(p->certs[i].namespace);
		free(p->certs[i].secret);
	}
	free(p->certs);
	for (size_t i = 0; i < p->nschedules; i++)
		free(p->schedules[i].name);
	free(p->schedules);
	for (size_t i = 0; i < p->nchecklists; i++)
		checklist_free(&p->checklists[i]);
	free(p->checklists);
	strv_free(&p->namespaces);
	strv_free(&p->runbooks);
	free(p->path);
	free(p->name);
	free(p->title);
	free(p->description);
	free(p->context);
	free(p->snapshot_class);
	free(p);
	*pp = NULL;
}
