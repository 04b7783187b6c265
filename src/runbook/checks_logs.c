/*
 * checks_logs.c: log_patterns — counts of lines matching the profile's
 * patterns over a tail or a window of each pod's log (pods/log), with the
 * most repeated matching lines grouped after masking what varies (numbers,
 * hex ids, UUIDs, timestamps, addresses), as `grep | sort | uniq -c | sort
 * -nr` does in the runbooks.
 */
#include <ctype.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/duration.h"
#include "opsdeck/runbook_checks.h"

#define LOG_GROUPS_MAX 4096
#define LOG_LINE_MAX 1024
#define LOG_TOP_DEFAULT 5

struct log_group {
	char *text;       /* masked line, owned */
	int64_t count;
};

/* Open-addressing index of groups by masked text: twice LOG_GROUPS_MAX slots. */
#define LOG_INDEX_SLOTS (2 * LOG_GROUPS_MAX)

struct log_scan {
	regex_t *re;      /* compiled patterns, owned */
	size_t nre;
	struct log_group *groups;   /* owned */
	size_t ngroups;
	int32_t *index;   /* owned; group number + 1 per slot, 0 empty */
	int64_t matches;
	int64_t lines;
	int64_t dropped;  /* matching lines not grouped (LOG_GROUPS_MAX reached) */
};

static bool is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* Length of a UUID at p (8-4-4-4-12 hex), 0 if none. */
static size_t uuid_len(const char *p, const char *end)
{
	static const int seg[] = { 8, 4, 4, 4, 12 };
	const char *q = p;

	for (int s = 0; s < 5; s++) {
		for (int i = 0; i < seg[s]; i++, q++)
			if (q >= end || !is_hex(*q))
				return 0;
		if (s < 4) {
			if (q >= end || *q != '-')
				return 0;
			q++;
		}
	}
	return (size_t)(q - p);
}

/* Length of an ISO date/time run at p ("2026-11-22T10:56:40.123Z", "10:56:40"), 0 if none. */
static size_t ts_len(const char *p, const char *end)
{
	const char *q = p;
	int digits = 0, seps = 0;

	while (q < end && (isdigit((unsigned char)*q) || *q == '-' || *q == ':' || *q == 'T' ||
			   *q == '.' || *q == 'Z' || *q == '+' || *q == ',')) {
		if (isdigit((unsigned char)*q))
			digits++;
		else if (*q == ':' || *q == '-' || *q == 'T')
			seps++;
		q++;
	}
	return digits >= 6 && seps >= 2 ? (size_t)(q - p) : 0;
}

/* Appends s to out[*j], keeping room for the NUL. */
static void put_str(char *out, size_t n, size_t *j, const char *s)
{
	while (*s && *j + 1 < n)
		out[(*j)++] = *s++;
}

void check_log_mask(const char *line, size_t len, char *out, size_t n)
{
	const char *p = line, *end = line + len;
	size_t j = 0;

	if (n == 0)
		return;
	while (p < end && j + 1 < n) {
		bool word_start = p == line || !isalnum((unsigned char)p[-1]);
		size_t k;

		if (word_start && (k = uuid_len(p, end)) > 0) {
			put_str(out, n, &j, "<uuid>");
			p += k;
		} else if (word_start && isdigit((unsigned char)*p) && (k = ts_len(p, end)) > 0) {
			put_str(out, n, &j, "<ts>");
			p += k;
		} else if (word_start && p + 2 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
			   is_hex(p[2])) {
			for (p += 2; p < end && is_hex(*p); p++)
				;
			put_str(out, n, &j, "<hex>");
		} else if (word_start && is_hex(*p)) {
			const char *q = p;
			bool digit = false;

			while (q < end && is_hex(*q)) {
				digit |= isdigit((unsigned char)*q) != 0;
				q++;
			}
			if (q - p >= 8 && digit && (q == end || !isalnum((unsigned char)*q))) {
				put_str(out, n, &j, "<hex>");
				p = q;
			} else if (isdigit((unsigned char)*p)) {
				int dots = 0;

				q = p;
				while (q < end && (isdigit((unsigned char)*q) || *q == '.'))
					dots += *q++ == '.';
				put_str(out, n, &j, dots == 3 ? "<ip>" : "<n>");
				p = q;
			} else {
				out[j++] = *p++;
			}
		} else if (isdigit((unsigned char)*p)) {
			/* digits inside a word: node12 -> node<n> */
			while (p < end && isdigit((unsigned char)*p))
				p++;
			put_str(out, n, &j, "<n>");
		} else {
			out[j++] = *p++;
		}
	}
	out[j] = '\0';
}

static void scan_free(struct log_scan *s)
{
	for (size_t i = 0; i < s->nre; i++)
		regfree(&s->re[i]);
	free(s->re);
	for (size_t i = 0; i < s->ngroups; i++)
		free(s->groups[i].text);
	free(s->groups);
	free(s->index);
}

/* FNV-1a: a week of logs makes many lookups, so no linear search. */
static uint32_t text_hash(const char *t)
{
	uint32_t h = 2166136261u;

	for (; *t; t++)
		h = (h ^ (unsigned char)*t) * 16777619u;
	return h;
}

static enum od_status scan_group(struct log_scan *s, const char *line, size_t len,
				 struct err *e)
{
	char masked[LOG_LINE_MAX];
	size_t slot;

	check_log_mask(line, len, masked, sizeof(masked));
	if (!s->groups) {
		s->groups = calloc(LOG_GROUPS_MAX, sizeof(*s->groups));
		s->index = calloc(LOG_INDEX_SLOTS, sizeof(*s->index));
		if (!s->groups || !s->index)
			return err_set(e, OD_ENOMEM, "out of memory");
	}
	for (slot = text_hash(masked) % LOG_INDEX_SLOTS; s->index[slot];
	     slot = (slot + 1) % LOG_INDEX_SLOTS) {
		struct log_group *g = &s->groups[s->index[slot] - 1];

		if (strcmp(g->text, masked) == 0) {
			g->count++;
			return OD_OK;
		}
	}
	if (s->ngroups >= LOG_GROUPS_MAX) {
		s->dropped++;
		return OD_OK;
	}
	s->groups[s->ngroups].text = strdup(masked);
	if (!s->groups[s->ngroups].text)
		return err_set(e, OD_ENOMEM, "out of memory");
	s->groups[s->ngroups++].count = 1;
	s->index[slot] = (int32_t)s->ngroups;
	return OD_OK;
}

/* Counts and groups the matching lines of one log body. */
static enum od_status scan_body(struct log_scan *s, const char *p, size_t n, struct err *e)
{
	const char *end = p + n;
	char line[LOG_LINE_MAX];

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		size_t cut = len < sizeof(line) - 1 ? len : sizeof(line) - 1;
		bool hit = false;

		memcpy(line, p, cut);
		line[cut] = '\0';
		s->lines++;
		for (size_t i = 0; i < s->nre && !hit; i++)
			hit = regexec(&s->re[i], line, 0, NULL, 0) == 0;
		if (hit) {
			s->matches++;
			if (scan_group(s, line, cut, e) != OD_OK)
				return OD_ENOMEM;
		}
		p = nl ? nl + 1 : end;
	}
	return OD_OK;
}

static int group_cmp(const void *a, const void *b)
{
	const struct log_group *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->text, y->text);
}

static enum od_status scan_compile(const struct check_env *env, const struct check_spec *cs,
				   struct log_scan *s, struct check_result *r)
{
	const struct profile *p = env->profile;

	s->re = calloc(cs->patterns.n ? cs->patterns.n : 1, sizeof(*s->re));
	if (!s->re)
		return OD_ENOMEM;
	for (size_t i = 0; i < cs->patterns.n; i++) {
		const struct log_pattern *lp = NULL;

		for (size_t j = 0; j < p->npatterns; j++)
			if (strcmp(p->patterns[j].name, cs->patterns.v[i]) == 0)
				lp = &p->patterns[j];
		if (!lp)
			continue;
		if (regcomp(&s->re[s->nre], lp->regex,
			    REG_EXTENDED | REG_NOSUB | (lp->ignore_case ? REG_ICASE : 0)) != 0) {
			check_result_unknown(r, "pattern %s does not compile", lp->name);
			return OD_EINVAL;
		}
		s->nre++;
	}
	return OD_OK;
}

/* The container to read: the spec's, else the pod's first. */
static const char *pod_container(const cJSON *pod, const char *want)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(pod, "spec");
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(spec, "containers"),
						0);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(first, "name");

	if (want)
		return want;
	return cJSON_IsString(name) ? name->valuestring : NULL;
}

static void scan_report(const struct check_spec *cs, struct log_scan *s, struct check_result *r)
{
	int64_t top = cs->top > 0 ? cs->top : LOG_TOP_DEFAULT;

	if (s->ngroups)
		qsort(s->groups, s->ngroups, sizeof(*s->groups), group_cmp);
	check_field_set(r->value, sizeof(r->value), "%lld", (long long)s->matches);
	check_result_judge(r, cs, s->matches);
	check_field_append(r->evidence, sizeof(r->evidence), "%lld matching of %lld lines",
			   (long long)s->matches, (long long)s->lines);
	if (s->dropped)
		check_field_append(r->evidence, sizeof(r->evidence),
				   " (%lld of them past the first %d distinct lines, not grouped)",
				   (long long)s->dropped, LOG_GROUPS_MAX);
	for (int64_t i = 0; i < top && (size_t)i < s->ngroups; i++)
		check_field_append(r->evidence, sizeof(r->evidence), "\n%7lld %.300s",
				   (long long)s->groups[i].count, s->groups[i].text);
}

enum od_status check_log_patterns(const struct check_env *env, const struct check_spec *cs,
				  struct check_result *r, struct err *e)
{
	struct check_target t;
	struct log_scan s = { 0 };
	struct err ge = { 0 };
	cJSON *pods = NULL;
	const cJSON *pod;
	char path[1024], sel[512] = "", what[64];
	long code;
	enum od_status rc = OD_OK;
	size_t npods = 0;

	check_target_resolve(env, cs, &t);
	if (cs->window_ns > 0) {
		char d[DURATION_HUMAN_MAX];

		duration_format_human(cs->window_ns, d, sizeof(d));
		snprintf(what, sizeof(what), "--since=%s", d);
	} else {
		snprintf(what, sizeof(what), "--tail=%lld",
			 (long long)(cs->tail > 0 ? cs->tail : 100));
	}
	check_field_set(r->source, sizeof(r->source), "logs %s%s%s in %s, %s", t.selector ? "-l " : "",
			t.selector ? t.selector : "all pods", t.container ? "" : "", t.namespace, what);
	if (scan_compile(env, cs, &s, r) != OD_OK) {
		if (!r->evidence[0])
			rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	if (t.selector) {
		static const char hex[] = "0123456789ABCDEF";
		size_t j = 0;

		for (const char *q = t.selector; *q && j + 4 < sizeof(sel); q++) {
			unsigned char c = (unsigned char)*q;

			if (isalnum(c) || c == '-' || c == '_' || c == '.') {
				sel[j++] = (char)c;
			} else {
				sel[j++] = '%';
				sel[j++] = hex[c >> 4];
				sel[j++] = hex[c & 15];
			}
		}
		sel[j] = '\0';
	}
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/pods%s%s", t.namespace,
		 sel[0] ? "?labelSelector=" : "", sel);
	if (check_get_json(env, path, &pods, &code, &ge) != OD_OK) {
		check_result_unknown(r, "list pods: %s", ge.msg);
		goto out;
	}
	cJSON_ArrayForEach(pod, cJSON_GetObjectItemCaseSensitive(pods, "items")) {
		const cJSON *md = cJSON_GetObjectItemCaseSensitive(pod, "metadata");
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(md, "name");
		const char *c = pod_container(pod, t.container);
		struct buf body;

		if (!cJSON_IsString(name) || !c)
			continue;
		if (cs->window_ns > 0)
			snprintf(path, sizeof(path),
				 "/api/v1/namespaces/%s/pods/%s/log?container=%s&sinceSeconds=%lld",
				 t.namespace, name->valuestring, c,
				 (long long)(cs->window_ns / NS_PER_SEC));
		else
			snprintf(path, sizeof(path),
				 "/api/v1/namespaces/%s/pods/%s/log?container=%s&tailLines=%lld",
				 t.namespace, name->valuestring, c,
				 (long long)(cs->tail > 0 ? cs->tail : 100));
		buf_init(&body, CHECK_BODY_MAX);
		if (env->api_get(env->api_arg, path, &body, &code, &ge) != OD_OK ||
		    code < 200 || code > 299) {
			check_field_append(r->evidence, sizeof(r->evidence), "%s: no log (%s); ",
					   name->valuestring, code ? "HTTP error" : ge.msg);
			buf_free(&body);
			continue;
		}
		npods++;
		rc = scan_body(&s, buf_cstr(&body), body.len, e);
		buf_free(&body);
		if (rc != OD_OK)
			goto out;
	}
	if (npods == 0) {
		char why[256];

		snprintf(why, sizeof(why), "%.200s", r->evidence);
		check_result_unknown(r, "no pod log could be read%s%s", why[0] ? ": " : "", why);
	} else
		scan_report(cs, &s, r);
out:
	cJSON_Delete(pods);
	scan_free(&s);
	return rc;
}
