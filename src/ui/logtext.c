/*
 * logtext.c: masking, grouping and JSON pretty-printing of log lines
 * (ui_logtext.h). The masks are hand-written scanners rather than regexes:
 * they run over every line of a 100k-line summary and must stay linear.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/ui_logtext.h"

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c) != 0;
}

static bool is_dig(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of n digits at s (exactly), else 0. */
static size_t digits(const char *s, size_t avail, size_t n)
{
	if (avail < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_dig(s[i]))
			return 0;
	return n;
}

/* 8-4-4-4-12 hex digits. */
static size_t match_uuid(const char *s, size_t avail)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	size_t i = 0;

	for (size_t g = 0; g < 5; g++) {
		for (int k = 0; k < groups[g]; k++, i++)
			if (i >= avail || !is_hex(s[i]))
				return 0;
		if (g < 4) {
			if (i >= avail || s[i] != '-')
				return 0;
			i++;
		}
	}
	return i < avail && is_word(s[i]) ? 0 : i;
}

/* HH:MM:SS with optional fraction. */
static size_t match_clock(const char *s, size_t avail)
{
	size_t i;

	if (!digits(s, avail, 2) || avail < 8 || s[2] != ':' || !digits(s + 3, avail - 3, 2) ||
	    s[5] != ':' || !digits(s + 6, avail - 6, 2))
		return 0;
	i = 8;
	if (i < avail && (s[i] == '.' || s[i] == ',')) {
		size_t j = i + 1;

		while (j < avail && is_dig(s[j]))
			j++;
		if (j > i + 1)
			i = j;
	}
	return i;
}

/* YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+hh:mm], or a date alone, or a clock alone. */
static size_t match_time(const char *s, size_t avail)
{
	size_t i;

	if (digits(s, avail, 4) && avail >= 10 && s[4] == '-' && digits(s + 5, avail - 5, 2) &&
	    s[7] == '-' && digits(s + 8, avail - 8, 2)) {
		i = 10;
		if (i < avail && (s[i] == 'T' || s[i] == ' ')) {
			size_t c = match_clock(s + i + 1, avail - i - 1);

			if (c)
				i += 1 + c;
		}
		if (i < avail && s[i] == 'Z')
			i++;
		else if (i + 5 < avail + 0 && (s[i] == '+' || s[i] == '-') &&
			 digits(s + i + 1, avail - i - 1, 2)) {
			size_t j = i + 3;

			if (j < avail && s[j] == ':')
				j++;
			if (digits(s + j, avail - j, 2))
				i = j + 2;
		}
		return i;
	}
	return match_clock(s, avail);
}

/* a.b.c.d with optional :port. */
static size_t match_ip(const char *s, size_t avail)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t d = 0;

		while (i + d < avail && is_dig(s[i + d]) && d < 3)
			d++;
		if (!d)
			return 0;
		i += d;
		if (part < 3) {
			if (i >= avail || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < avail && is_dig(s[i]))
		return 0;
	if (i + 1 < avail && s[i] == ':' && is_dig(s[i + 1])) {
		i++;
		while (i < avail && is_dig(s[i]))
			i++;
	}
	return i;
}

/* A run of 8+ hex digits holding at least one digit, standing alone as a word. */
static size_t match_hexid(const char *s, size_t avail)
{
	size_t i = 0;
	bool digit = false;

	while (i < avail && is_hex(s[i])) {
		digit |= is_dig(s[i]);
		i++;
	}
	if (i < 8 || !digit || (i < avail && is_word(s[i])))
		return 0;
	return i;
}

static size_t put(char *out, size_t o, size_t n, const char *s)
{
	for (; *s && o + 1 < n; s++)
		out[o++] = *s;
	return o;
}

void logtext_mask(const char *line, size_t len, char *out, size_t n)
{
	size_t o = 0, i = 0;

	if (!n)
		return;
	while (i < len && o + 1 < n) {
		bool boundary = i == 0 || !is_word(line[i - 1]);
		const char *s = line + i;
		size_t avail = len - i, m;

		if (boundary && (m = match_uuid(s, avail))) {
			o = put(out, o, n, "<uuid>");
		} else if (boundary && (m = match_time(s, avail))) {
			o = put(out, o, n, "<ts>");
		} else if (boundary && (m = match_ip(s, avail))) {
			o = put(out, o, n, "<ip>");
		} else if (boundary && (m = match_hexid(s, avail))) {
			o = put(out, o, n, "<id>");
		} else if (is_dig(*s)) {
			m = 0;
			while (m < avail && (is_dig(s[m]) || (s[m] == '.' && m + 1 < avail &&
							       is_dig(s[m + 1]))))
				m++;
			o = put(out, o, n, "<n>");
		} else {
			out[o++] = *s;
			m = 1;
		}
		i += m;
	}
	out[o] = '\0';
}

void logtext_groups_init(struct loggroups *gs)
{
	memset(gs, 0, sizeof(*gs));
}

void logtext_groups_fini(struct loggroups *gs)
{
	for (size_t i = 0; i < gs->n; i++) {
		free(gs->g[i].key);
		free(gs->g[i].example);
	}
	free(gs->g);
	free(gs->slots);
	memset(gs, 0, sizeof(*gs));
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Open addressing at most half full: LOGTEXT_GROUPS_MAX groups in 2x slots. */
static enum od_status groups_ensure(struct loggroups *gs, struct err *e)
{
	if (!gs->slots) {
		gs->nslots = 2 * LOGTEXT_GROUPS_MAX;
		gs->slots = calloc(gs->nslots, sizeof(*gs->slots));
		if (!gs->slots)
			return err_set(e, OD_ENOMEM, "out of memory");
	}
	if (gs->n == gs->cap) {
		size_t cap = gs->cap ? 2 * gs->cap : 64;
		struct loggroup *ng = realloc(gs->g, cap * sizeof(*ng));

		if (!ng)
			return err_set(e, OD_ENOMEM, "out of memory");
		gs->g = ng;
		gs->cap = cap;
	}
	return OD_OK;
}

enum od_status logtext_groups_add(struct loggroups *gs, const char *line, size_t len,
				  struct err *e)
{
	char key[LOGTEXT_MASK_MAX];
	size_t h;
	enum od_status rc = groups_ensure(gs, e);

	if (rc != OD_OK)
		return rc;
	logtext_mask(line, len, key, sizeof(key));
	gs->total++;
	h = hash_str(key) % gs->nslots;
	for (;; h = (h + 1) % gs->nslots) {
		size_t idx = gs->slots[h];

		if (!idx)
			break;
		if (strcmp(gs->g[idx - 1].key, key) == 0) {
			gs->g[idx - 1].count++;
			return OD_OK;
		}
	}
	if (gs->n >= LOGTEXT_GROUPS_MAX) {
		gs->other++;
		return OD_OK;
	}
	struct loggroup *g = &gs->g[gs->n];

	g->key = strdup(key);
	g->example = strndup(line, len < LOGTEXT_MASK_MAX ? len : LOGTEXT_MASK_MAX);
	if (!g->key || !g->example) {
		free(g->key);
		free(g->example);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	g->count = 1;
	gs->n++;
	gs->slots[h] = gs->n;
	return OD_OK;
}

static int group_cmp(const void *a, const void *b)
{
	const struct loggroup *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

void logtext_groups_sort(struct loggroups *gs)
{
	if (gs->n > 1)
		qsort(gs->g, gs->n, sizeof(*gs->g), group_cmp);
	/* The slots point at the old order: lookups after sorting would be wrong. */
	if (gs->slots)
		memset(gs->slots, 0, gs->nslots * sizeof(*gs->slots));
	for (size_t i = 0; i < gs->n; i++) {
		size_t h = hash_str(gs->g[i].key) % gs->nslots;

		while (gs->slots[h])
			h = (h + 1) % gs->nslots;
		gs->slots[h] = i + 1;
	}
}

enum od_status logtext_json_pretty(const char *line, size_t len, char **out, struct err *e)
{
	size_t i = 0;
	cJSON *j;

	*out = NULL;
	while (i < len && isspace((unsigned char)line[i]))
		i++;
	if (i >= len || line[i] != '{')
		return err_set(e, OD_EPARSE, "not a JSON object");
	j = cJSON_ParseWithLength(line + i, len - i);
	if (!j || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return err_set(e, OD_EPARSE, "not a JSON object");
	}
	*out = cJSON_Print(j);
	cJSON_Delete(j);
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	return OD_OK;
}
