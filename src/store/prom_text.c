/*
 * prom_text.c: a strict, bounded parser for one line of the Prometheus text
 * format. It never reads past len and never writes past its fixed fields.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store_prom_text.h"

struct cursor {
	const char *p;
	const char *end;
};

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

static bool name_start(char ch, bool colon)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (colon && ch == ':');
}

static bool name_char(char ch, bool colon)
{
	return name_start(ch, colon) || (ch >= '0' && ch <= '9');
}

static enum od_status read_name(struct cursor *c, char *out, size_t cap, bool colon,
				struct err *e, const char *what)
{
	size_t n = 0;
	if (c->p >= c->end || !name_start(*c->p, colon))
		return err_set(e, OD_EPARSE, "expected a %s name", what);
	while (c->p < c->end && name_char(*c->p, colon)) {
		if (n + 1 >= cap)
			return err_set(e, OD_ELIMIT, "%s name longer than %zu bytes", what, cap - 1);
		out[n++] = *c->p++;
	}
	out[n] = '\0';
	return OD_OK;
}

static enum od_status read_label_value(struct cursor *c, char *out, struct err *e)
{
	size_t n = 0;
	if (c->p >= c->end || *c->p != '"')
		return err_set(e, OD_EPARSE, "expected '\"' to start a label value");
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		if (ch == '\\') {
			if (c->p >= c->end)
				break;
			ch = *c->p++;
			if (ch == 'n')
				ch = '\n';
			else if (ch != '\\' && ch != '"')
				return err_set(e, OD_EPARSE, "unknown escape \\%c in a label value", ch);
		}
		if (n >= PROM_LABEL_VALUE_MAX)
			return err_set(e, OD_ELIMIT, "label value longer than %d bytes",
				       PROM_LABEL_VALUE_MAX);
		out[n++] = ch;
	}
	if (c->p >= c->end)
		return err_set(e, OD_EPARSE, "unterminated label value");
	c->p++;
	out[n] = '\0';
	return OD_OK;
}

static enum od_status read_labels(struct cursor *c, struct prom_sample *s, struct err *e)
{
	c->p++;   /* '{' */
	for (;;) {
		skip_ws(c);
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			return OD_OK;
		}
		if (s->nlabels >= PROM_LABELS_MAX)
			return err_set(e, OD_ELIMIT, "more than %d labels", PROM_LABELS_MAX);
		struct prom_label *l = &s->labels[s->nlabels];
		enum od_status rc = read_name(c, l->name, sizeof(l->name), false, e, "label");
		if (rc != OD_OK)
			return rc;
		skip_ws(c);
		if (c->p >= c->end || *c->p != '=')
			return err_set(e, OD_EPARSE, "expected '=' after label %s", l->name);
		c->p++;
		skip_ws(c);
		if ((rc = read_label_value(c, l->value, e)) != OD_OK)
			return rc;
		s->nlabels++;
		skip_ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			return OD_OK;
		}
		return err_set(e, OD_EPARSE, "expected ',' or '}' after label %s", l->name);
	}
}

/* Copies the next space-delimited token into buf (NUL-terminated). */
static size_t token(struct cursor *c, char *buf, size_t cap)
{
	size_t n = 0;
	while (c->p < c->end && *c->p != ' ' && *c->p != '\t') {
		if (n + 1 < cap)
			buf[n] = *c->p;
		n++;
		c->p++;
	}
	buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

static enum od_status parse_value(const char *tok, size_t n, double *v, struct err *e)
{
	char *endp;
	if (n == 0 || n >= 64)
		return err_set(e, OD_EPARSE, "bad sample value");
	if (strcmp(tok, "NaN") == 0) {
		*v = NAN;
		return OD_OK;
	}
	if (strcmp(tok, "+Inf") == 0 || strcmp(tok, "Inf") == 0) {
		*v = INFINITY;
		return OD_OK;
	}
	if (strcmp(tok, "-Inf") == 0) {
		*v = -INFINITY;
		return OD_OK;
	}
	/* strtod would also take "inf", "nan(...)" and hex; Prometheus writes plain decimals. */
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789+-.eE", tok[i]))
			return err_set(e, OD_EPARSE, "bad sample value \"%.32s\"", tok);
	errno = 0;
	*v = strtod(tok, &endp);
	if (*endp != '\0' || errno == ERANGE)
		return err_set(e, OD_EPARSE, "bad sample value \"%.32s\"", tok);
	return OD_OK;
}

static enum od_status parse_ts(const char *tok, size_t n, int64_t *ts, struct err *e)
{
	char *endp;
	if (n == 0 || n > 20)
		return err_set(e, OD_EPARSE, "bad timestamp");
	for (size_t i = (tok[0] == '-' ? 1 : 0); i < n; i++)
		if (tok[i] < '0' || tok[i] > '9')
			return err_set(e, OD_EPARSE, "bad timestamp \"%.32s\"", tok);
	errno = 0;
	long long v = strtoll(tok, &endp, 10);
	if (*endp != '\0' || errno == ERANGE)
		return err_set(e, OD_EPARSE, "bad timestamp \"%.32s\"", tok);
	*ts = v;
	return OD_OK;
}

enum od_status store_prom_parse_line(const char *line, size_t len, struct prom_sample *s,
				     struct err *e)
{
	struct cursor c = { line, line + len };
	char tok[72];
	enum od_status rc;

	if (len > PROM_LINE_MAX)
		return err_set(e, OD_ELIMIT, "line longer than %d bytes", PROM_LINE_MAX);
	while (c.end > c.p && (c.end[-1] == '\r' || c.end[-1] == ' ' || c.end[-1] == '\t'))
		c.end--;
	skip_ws(&c);
	if (c.p >= c.end || *c.p == '#')
		return OD_ENOENT;
	s->nlabels = 0;
	s->has_ts = false;
	s->ts_ms = 0;
	if ((rc = read_name(&c, s->name, sizeof(s->name), true, e, "metric")) != OD_OK)
		return rc;
	skip_ws(&c);
	if (c.p < c.end && *c.p == '{' && (rc = read_labels(&c, s, e)) != OD_OK)
		return rc;
	skip_ws(&c);
	size_t n = token(&c, tok, sizeof(tok));
	if ((rc = parse_value(tok, n, &s->value, e)) != OD_OK)
		return rc;
	skip_ws(&c);
	if (c.p < c.end) {
		n = token(&c, tok, sizeof(tok));
		if ((rc = parse_ts(tok, n, &s->ts_ms, e)) != OD_OK)
			return rc;
		s->has_ts = true;
		skip_ws(&c);
		if (c.p < c.end)
			return err_set(e, OD_EPARSE, "unexpected text after the timestamp");
	}
	return OD_OK;
}

const char *store_prom_label(const struct prom_sample *s, const char *name)
{
	for (size_t i = 0; i < s->nlabels; i++)
		if (strcmp(s->labels[i].name, name) == 0)
			return s->labels[i].value;
	return NULL;
}
