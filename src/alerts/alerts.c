/*
 * alerts.c: Alertmanager API v2 alerts and silences (see alerts.h).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/alerts.h"
#include "opsdeck/duration.h"
#include "opsdeck/timeutil.h"

void am_url_display(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	const char *at, *slash;

	host = host ? host + 3 : url;
	slash = strchr(host, '/');
	at = strchr(host, '@');
	if (at && (!slash || at < slash))
		snprintf(out, n, "%.*s%s", (int)(host - url), url, at + 1);
	else
		snprintf(out, n, "%s", url);
}

static char *dup_or_empty(const cJSON *v)
{
	return strdup(cJSON_IsString(v) && v->valuestring ? v->valuestring : "");
}

static int64_t time_or_zero(const cJSON *v)
{
	struct od_time t;

	if (!cJSON_IsString(v) || time_parse_rfc3339(v->valuestring, &t, NULL) != OD_OK)
		return 0;
	return t.sec;
}

static void alert_free(struct am_alert *al)
{
	free(al->name);
	free(al->severity);
	free(al->state);
	free(al->summary);
	free(al->description);
	free(al->fingerprint);
	for (size_t i = 0; i < al->nlabels; i++) {
		free(al->labels[i].name);
		free(al->labels[i].value);
	}
	free(al->labels);
	for (size_t i = 0; i < al->nsilenced_by; i++)
		free(al->silenced_by[i]);
	free(al->silenced_by);
	memset(al, 0, sizeof(*al));
}

static void silence_free(struct am_silence *s)
{
	free(s->id);
	free(s->state);
	free(s->created_by);
	free(s->comment);
	for (size_t i = 0; i < s->nmatchers; i++) {
		free(s->matchers[i].name);
		free(s->matchers[i].value);
	}
	free(s->matchers);
	memset(s, 0, sizeof(*s));
}

static void free_alerts(struct am_alert *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		alert_free(&v[i]);
	free(v);
}

static void free_silences(struct am_silence *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		silence_free(&v[i]);
	free(v);
}

void am_alerts_clear(struct am_alerts *a)
{
	free_alerts(a->alerts, a->nalerts);
	free_silences(a->silences, a->nsilences);
	memset(a, 0, sizeof(*a));
}

static int label_cmp(const void *x, const void *y)
{
	return strcmp(((const struct am_label *)x)->name, ((const struct am_label *)y)->name);
}

static int severity_rank(const char *s)
{
	if (strcmp(s, "critical") == 0)
		return 0;
	if (strcmp(s, "warning") == 0)
		return 1;
	return 2;
}

static int alert_cmp(const void *x, const void *y)
{
	const struct am_alert *a = x, *b = y;
	int r = severity_rank(a->severity) - severity_rank(b->severity);

	if (r)
		return r;
	if (a->starts_at != b->starts_at)
		return a->starts_at < b->starts_at ? -1 : 1;
	r = strcmp(a->name, b->name);
	return r ? r : strcmp(a->fingerprint, b->fingerprint);
}

static enum od_status parse_alert(const cJSON *j, struct am_alert *al, struct err *e)
{
	const cJSON *labels = cJSON_GetObjectItemCaseSensitive(j, "labels");
	const cJSON *ann = cJSON_GetObjectItemCaseSensitive(j, "annotations");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(j, "status");
	const cJSON *sb = cJSON_GetObjectItemCaseSensitive(status, "silencedBy");
	const cJSON *l;
	size_t n;

	if (!cJSON_IsObject(j) || !cJSON_IsObject(labels))
		return err_set(e, OD_EPARSE, "an alert without labels");
	n = (size_t)cJSON_GetArraySize(labels);
	if (n > AM_MAX_LABELS)
		return err_set(e, OD_ELIMIT, "an alert with %zu labels (at most %u)", n,
			       AM_MAX_LABELS);
	al->labels = calloc(n ? n : 1, sizeof(*al->labels));
	if (!al->labels)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(l, labels) {
		if (!cJSON_IsString(l) || !l->string)
			return err_set(e, OD_EPARSE, "label %s is not a string",
				       l->string ? l->string : "?");
		al->labels[al->nlabels].name = strdup(l->string);
		al->labels[al->nlabels].value = strdup(l->valuestring);
		al->nlabels++;
		if (!al->labels[al->nlabels - 1].name || !al->labels[al->nlabels - 1].value)
			return err_set(e, OD_ENOMEM, "out of memory");
	}
	qsort(al->labels, al->nlabels, sizeof(*al->labels), label_cmp);
	al->name = dup_or_empty(cJSON_GetObjectItemCaseSensitive(labels, "alertname"));
	al->severity = dup_or_empty(cJSON_GetObjectItemCaseSensitive(labels, "severity"));
	al->state = dup_or_empty(cJSON_GetObjectItemCaseSensitive(status, "state"));
	al->summary = dup_or_empty(cJSON_GetObjectItemCaseSensitive(ann, "summary"));
	al->description = dup_or_empty(cJSON_GetObjectItemCaseSensitive(ann, "description"));
	al->fingerprint = dup_or_empty(cJSON_GetObjectItemCaseSensitive(j, "fingerprint"));
	al->starts_at = time_or_zero(cJSON_GetObjectItemCaseSensitive(j, "startsAt"));
	if (!al->name || !al->severity || !al->state || !al->summary || !al->description ||
	    !al->fingerprint)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (cJSON_IsArray(sb) && cJSON_GetArraySize(sb) > 0) {
		n = (size_t)cJSON_GetArraySize(sb);
		if (n > AM_MAX_LABELS)
			n = AM_MAX_LABELS;
		al->silenced_by = calloc(n, sizeof(*al->silenced_by));
		if (!al->silenced_by)
			return err_set(e, OD_ENOMEM, "out of memory");
		cJSON_ArrayForEach(l, sb) {
			if (al->nsilenced_by == n)
				break;
			if (!cJSON_IsString(l))
				continue;
			if (!(al->silenced_by[al->nsilenced_by++] = strdup(l->valuestring)))
				return err_set(e, OD_ENOMEM, "out of memory");
		}
	}
	return OD_OK;
}

enum od_status am_alerts_parse(const char *json, size_t len, struct am_alerts *a, struct err *e)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *it;
	struct am_alert *v = NULL;
	size_t n = 0, cap;
	enum od_status rc = OD_OK;

	if (!root || !cJSON_IsArray(root)) {
		rc = err_set(e, OD_EPARSE, "Alertmanager's alerts: %s",
			     root ? "not a JSON array" : "malformed JSON");
		goto out;
	}
	cap = (size_t)cJSON_GetArraySize(root);
	if (cap > AM_MAX_ALERTS) {
		rc = err_set(e, OD_ELIMIT, "Alertmanager's alerts: %zu alerts (at most %u)", cap,
			     AM_MAX_ALERTS);
		goto out;
	}
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(it, root) {
		rc = parse_alert(it, &v[n++], e);
		if (rc != OD_OK) {
			err_prefix(e, "Alertmanager's alerts: alert %zu: ", n);
			goto out;
		}
	}
	qsort(v, n, sizeof(*v), alert_cmp);
	free_alerts(a->alerts, a->nalerts);
	a->alerts = v;
	a->nalerts = n;
	v = NULL;
	n = 0;
out:
	free_alerts(v, n);
	cJSON_Delete(root);
	return rc;
}

static enum od_status parse_silence(const cJSON *j, struct am_silence *s, struct err *e)
{
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(j, "matchers");
	const cJSON *m;
	size_t n;

	if (!cJSON_IsObject(j) || !cJSON_IsArray(ms))
		return err_set(e, OD_EPARSE, "a silence without matchers");
	n = (size_t)cJSON_GetArraySize(ms);
	if (n > AM_MAX_LABELS)
		return err_set(e, OD_ELIMIT, "a silence with %zu matchers (at most %u)", n,
			       AM_MAX_LABELS);
	s->id = dup_or_empty(cJSON_GetObjectItemCaseSensitive(j, "id"));
	s->state = dup_or_empty(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "status"), "state"));
	s->created_by = dup_or_empty(cJSON_GetObjectItemCaseSensitive(j, "createdBy"));
	s->comment = dup_or_empty(cJSON_GetObjectItemCaseSensitive(j, "comment"));
	s->starts_at = time_or_zero(cJSON_GetObjectItemCaseSensitive(j, "startsAt"));
	s->ends_at = time_or_zero(cJSON_GetObjectItemCaseSensitive(j, "endsAt"));
	s->matchers = calloc(n ? n : 1, sizeof(*s->matchers));
	if (!s->id || !s->state || !s->created_by || !s->comment || !s->matchers)
		return err_set(e, OD_ENOMEM, "out of memory");
	cJSON_ArrayForEach(m, ms) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
		const cJSON *value = cJSON_GetObjectItemCaseSensitive(m, "value");
		const cJSON *eq = cJSON_GetObjectItemCaseSensitive(m, "isEqual");
		struct am_matcher *mm = &s->matchers[s->nmatchers];

		if (!cJSON_IsString(name) || !cJSON_IsString(value))
			return err_set(e, OD_EPARSE, "a matcher without name or value");
		mm->name = strdup(name->valuestring);
		mm->value = strdup(value->valuestring);
		s->nmatchers++;
		if (!mm->name || !mm->value)
			return err_set(e, OD_ENOMEM, "out of memory");
		mm->is_regex = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "isRegex"));
		mm->is_equal = !cJSON_IsFalse(eq);
	}
	return OD_OK;
}

enum od_status am_silences_parse(const char *json, size_t len, struct am_alerts *a,
				 struct err *e)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *it;
	struct am_silence *v = NULL;
	size_t n = 0, cap;
	enum od_status rc = OD_OK;

	if (!root || !cJSON_IsArray(root)) {
		rc = err_set(e, OD_EPARSE, "Alertmanager's silences: %s",
			     root ? "not a JSON array" : "malformed JSON");
		goto out;
	}
	cap = (size_t)cJSON_GetArraySize(root);
	if (cap > AM_MAX_ALERTS) {
		rc = err_set(e, OD_ELIMIT, "Alertmanager's silences: %zu silences (at most %u)",
			     cap, AM_MAX_ALERTS);
		goto out;
	}
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(it, root) {
		rc = parse_silence(it, &v[n++], e);
		if (rc != OD_OK) {
			err_prefix(e, "Alertmanager's silences: silence %zu: ", n);
			goto out;
		}
	}
	free_silences(a->silences, a->nsilences);
	a->silences = v;
	a->nsilences = n;
	v = NULL;
	n = 0;
out:
	free_silences(v, n);
	cJSON_Delete(root);
	return rc;
}

const char *am_alert_label(const struct am_alert *al, const char *name)
{
	for (size_t i = 0; i < al->nlabels; i++)
		if (strcmp(al->labels[i].name, name) == 0)
			return al->labels[i].value;
	return NULL;
}

/* Alertmanager's regex matchers are anchored at both ends. */
static bool regex_full_match(const char *re, const char *s)
{
	regex_t rx;
	char *pat;
	size_t n = strlen(re) + 5;
	bool ok;

	pat = malloc(n);
	if (!pat)
		return false;
	snprintf(pat, n, "^(%s)$", re);
	ok = regcomp(&rx, pat, REG_EXTENDED | REG_NOSUB) == 0;
	free(pat);
	if (!ok)
		return false;
	ok = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return ok;
}

bool am_silence_covers(const struct am_silence *s, const struct am_alert *al)
{
	for (size_t i = 0; i < al->nsilenced_by; i++)
		if (strcmp(al->silenced_by[i], s->id) == 0)
			return true;
	if (strcmp(s->state, "active") != 0 || s->nmatchers == 0)
		return false;
	for (size_t i = 0; i < s->nmatchers; i++) {
		const struct am_matcher *m = &s->matchers[i];
		const char *v = am_alert_label(al, m->name);
		bool hit;

		if (!v)
			v = "";
		hit = m->is_regex ? regex_full_match(m->value, v) : strcmp(m->value, v) == 0;
		if (hit != m->is_equal)
			return false;
	}
	return true;
}

void am_alert_labels_text(const struct am_alert *al, char *out, size_t n)
{
	size_t len = 0;

	if (!n)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < al->nlabels && len < n; i++) {
		int w;

		if (strcmp(al->labels[i].name, "alertname") == 0)
			continue;
		w = snprintf(out + len, n - len, "%s%s=%s", len ? ", " : "", al->labels[i].name,
			     al->labels[i].value);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

static void format_time(int64_t sec, char *out, size_t n)
{
	struct od_time t = { .sec = sec, .nsec = 0 };

	time_format_rfc3339(t, out, n);
}

void am_alert_silences_text(const struct am_alerts *a, const struct am_alert *al, char *out,
			    size_t n)
{
	size_t len = 0;
	char until[40];

	if (!n)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < a->nsilences && len < n; i++) {
		const struct am_silence *s = &a->silences[i];
		int w;

		if (!am_silence_covers(s, al))
			continue;
		format_time(s->ends_at, until, sizeof(until));
		w = snprintf(out + len, n - len, "%s%s (by %s, until %s: %s)", len ? "; " : "",
			     s->id, s->created_by[0] ? s->created_by : "?", until, s->comment);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

static void age_text(int64_t now, int64_t since, char *out, size_t n)
{
	if (!since || now < since) {
		snprintf(out, n, "<unknown>");
		return;
	}
	duration_format_human((now - since) * 1000000000LL, out, n);
}

enum od_status am_alerts_table(const struct am_alerts *a, int64_t now, struct buf *out,
			       struct err *e)
{
	size_t wn = 4, ws = 8;
	char age[DURATION_HUMAN_MAX + 16], labels[2048], sil[2048];
	enum od_status rc;

	if (!a->nalerts)
		return buf_append_str(out, "No firing alerts.\n", e);
	for (size_t i = 0; i < a->nalerts; i++) {
		if (strlen(a->alerts[i].name) > wn)
			wn = strlen(a->alerts[i].name);
		if (strlen(a->alerts[i].severity) > ws)
			ws = strlen(a->alerts[i].severity);
	}
	rc = buf_printf(out, e, "%-*s   %-*s   %-10s   %-6s   %s\n", (int)wn, "NAME", (int)ws,
			"SEVERITY", "STATE", "AGE", "SUMMARY");
	for (size_t i = 0; rc == OD_OK && i < a->nalerts; i++) {
		const struct am_alert *al = &a->alerts[i];

		age_text(now, al->starts_at, age, sizeof(age));
		am_alert_labels_text(al, labels, sizeof(labels));
		am_alert_silences_text(a, al, sil, sizeof(sil));
		rc = buf_printf(out, e, "%-*s   %-*s   %-10s   %-6s   %s\n", (int)wn, al->name,
				(int)ws, al->severity[0] ? al->severity : "-",
				al->state[0] ? al->state : "-", age,
				al->summary[0] ? al->summary : "-");
		if (rc == OD_OK)
			rc = buf_printf(out, e, "    labels: %s\n", labels[0] ? labels : "-");
		if (rc == OD_OK && al->description[0])
			rc = buf_printf(out, e, "    description: %s\n", al->description);
		if (rc == OD_OK && sil[0])
			rc = buf_printf(out, e, "    silenced by: %s\n", sil);
	}
	return rc;
}

enum od_status am_alerts_json(const struct am_alerts *a, int64_t now, struct buf *out,
			      struct err *e)
{
	cJSON *root = cJSON_CreateArray();
	char when[40], age[DURATION_HUMAN_MAX + 16];
	char *text = NULL;
	enum od_status rc = OD_OK;

	if (!root)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (size_t i = 0; i < a->nalerts; i++) {
		const struct am_alert *al = &a->alerts[i];
		cJSON *o = cJSON_CreateObject(), *labels = cJSON_CreateObject();
		cJSON *sils = cJSON_CreateArray();

		cJSON_AddItemToArray(root, o);
		cJSON_AddStringToObject(o, "name", al->name);
		cJSON_AddStringToObject(o, "severity", al->severity);
		cJSON_AddStringToObject(o, "state", al->state);
		format_time(al->starts_at, when, sizeof(when));
		cJSON_AddStringToObject(o, "startsAt", when);
		age_text(now, al->starts_at, age, sizeof(age));
		cJSON_AddStringToObject(o, "age", age);
		for (size_t k = 0; k < al->nlabels; k++)
			cJSON_AddStringToObject(labels, al->labels[k].name, al->labels[k].value);
		cJSON_AddItemToObject(o, "labels", labels);
		cJSON_AddStringToObject(o, "summary", al->summary);
		cJSON_AddStringToObject(o, "description", al->description);
		cJSON_AddStringToObject(o, "fingerprint", al->fingerprint);
		for (size_t k = 0; k < a->nsilences; k++) {
			const struct am_silence *s = &a->silences[k];
			cJSON *so;

			if (!am_silence_covers(s, al))
				continue;
			so = cJSON_CreateObject();
			cJSON_AddItemToArray(sils, so);
			cJSON_AddStringToObject(so, "id", s->id);
			cJSON_AddStringToObject(so, "createdBy", s->created_by);
			cJSON_AddStringToObject(so, "comment", s->comment);
			format_time(s->ends_at, when, sizeof(when));
			cJSON_AddStringToObject(so, "endsAt", when);
		}
		cJSON_AddItemToObject(o, "silences", sils);
	}
	text = cJSON_Print(root);
	if (!text)
		rc = err_set(e, OD_ENOMEM, "out of memory");
	else
		rc = buf_printf(out, e, "%s\n", text);
	free(text);
	cJSON_Delete(root);
	return rc;
}
