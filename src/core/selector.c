/*
 * selector.c: label and field selector parsing and matching, after
 * apimachinery's labels.Parse and fields.ParseSelector.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/selector.h"

enum tok_kind {
	TOK_END,
	TOK_IDENT,
	TOK_NOT,        /* ! */
	TOK_EQ,         /* = */
	TOK_DEQ,        /* == */
	TOK_NEQ,        /* != */
	TOK_IN,
	TOK_NOTIN,
	TOK_OPEN,
	TOK_CLOSE,
	TOK_COMMA,
	TOK_BAD         /* < or >: gt/lt exist only for node affinity, not here */
};

struct lexer {
	const char *s;     /* borrowed input */
	size_t pos;
	enum tok_kind kind;
	const char *tok;   /* points into s */
	size_t toklen;
};

static int lex_is_special(char c)
{
	return c == '!' || c == '=' || c == ',' || c == '(' || c == ')' || c == '<' || c == '>';
}

/* Reads the next token into lx->kind/tok/toklen. */
static void lex_next(struct lexer *lx)
{
	const char *s = lx->s;

	while (s[lx->pos] && isspace((unsigned char)s[lx->pos]))
		lx->pos++;
	lx->tok = s + lx->pos;
	lx->toklen = 1;
	switch (s[lx->pos]) {
	case '\0': lx->kind = TOK_END; lx->toklen = 0; return;
	case '(': lx->kind = TOK_OPEN; lx->pos++; return;
	case ')': lx->kind = TOK_CLOSE; lx->pos++; return;
	case ',': lx->kind = TOK_COMMA; lx->pos++; return;
	case '<': case '>': lx->kind = TOK_BAD; lx->pos++; return;
	case '=':
		if (s[lx->pos + 1] == '=') {
			lx->kind = TOK_DEQ; lx->toklen = 2; lx->pos += 2;
		} else {
			lx->kind = TOK_EQ; lx->pos++;
		}
		return;
	case '!':
		if (s[lx->pos + 1] == '=') {
			lx->kind = TOK_NEQ; lx->toklen = 2; lx->pos += 2;
		} else {
			lx->kind = TOK_NOT; lx->pos++;
		}
		return;
	default:
		break;
	}
	size_t start = lx->pos;
	while (s[lx->pos] && !isspace((unsigned char)s[lx->pos]) && !lex_is_special(s[lx->pos]))
		lx->pos++;
	lx->toklen = lx->pos - start;
	lx->kind = TOK_IDENT;
	if (lx->toklen == 2 && memcmp(lx->tok, "in", 2) == 0)
		lx->kind = TOK_IN;
	else if (lx->toklen == 5 && memcmp(lx->tok, "notin", 5) == 0)
		lx->kind = TOK_NOTIN;
}

static int is_alnum(char c)
{
	return isalnum((unsigned char)c) != 0;
}

/* A label name or value: at most 63 of [A-Za-z0-9_.-], starting and ending alphanumeric. */
static int valid_label_part(const char *s, size_t n, int allow_empty)
{
	if (n == 0)
		return allow_empty;
	if (n > 63 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

/* A DNS-1123 subdomain, as a key's prefix must be. */
static int valid_dns_subdomain(const char *s, size_t n)
{
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-' || c == '.'))
			return 0;
	}
	return is_alnum(s[0]) && is_alnum(s[n - 1]);
}

static int valid_label_key(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);
	if (!slash)
		return valid_label_part(s, n, 0);
	size_t plen = (size_t)(slash - s);
	return valid_dns_subdomain(s, plen) && valid_label_part(slash + 1, n - plen - 1, 0);
}

static enum od_status req_add(struct selector *sel, struct selector_req **out, struct err *e)
{
	struct selector_req *r = realloc(sel->reqs, (sel->n + 1) * sizeof(*r));
	if (!r)
		return err_set(e, OD_ENOMEM, "out of memory");
	sel->reqs = r;
	*out = &r[sel->n++];
	memset(*out, 0, sizeof(**out));
	return OD_OK;
}

static enum od_status req_add_value(struct selector_req *r, const char *v, size_t n,
				    struct err *e)
{
	char **vals = realloc(r->values, (r->nvalues + 1) * sizeof(*vals));
	if (!vals)
		return err_set(e, OD_ENOMEM, "out of memory");
	r->values = vals;
	vals[r->nvalues] = strndup(v, n);
	if (!vals[r->nvalues])
		return err_set(e, OD_ENOMEM, "out of memory");
	r->nvalues++;
	return OD_OK;
}

/* Parses "(a, b, c)" after in/notin. */
static enum od_status parse_value_set(struct lexer *lx, struct selector_req *r, struct err *e)
{
	lex_next(lx);
	if (lx->kind != TOK_OPEN)
		return err_set(e, OD_EPARSE, "unable to parse requirement: found '%.*s', expected: '('",
			       (int)lx->toklen, lx->tok);
	for (;;) {
		lex_next(lx);
		if (lx->kind == TOK_CLOSE && r->nvalues == 0)
			return err_set(e, OD_EPARSE,
				       "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty");
		if (lx->kind == TOK_IDENT) {
			if (!valid_label_part(lx->tok, lx->toklen, 1))
				return err_set(e, OD_EPARSE, "invalid label value: \"%.*s\"",
					       (int)lx->toklen, lx->tok);
			enum od_status rc = req_add_value(r, lx->tok, lx->toklen, e);
			if (rc != OD_OK)
				return rc;
			lex_next(lx);
		} else if (lx->kind == TOK_COMMA || lx->kind == TOK_CLOSE) {
			/* an empty value between commas, as "in (,a)" allows */
			enum od_status rc = req_add_value(r, "", 0, e);
			if (rc != OD_OK)
				return rc;
		} else {
			return err_set(e, OD_EPARSE,
				       "unable to parse requirement: found '%.*s', expected: ',', ')' or identifier",
				       (int)lx->toklen, lx->tok);
		}
		if (lx->kind == TOK_CLOSE)
			return OD_OK;
		if (lx->kind != TOK_COMMA)
			return err_set(e, OD_EPARSE,
				       "unable to parse requirement: found '%.*s', expected: ',' or ')'",
				       (int)lx->toklen, lx->tok);
	}
}

/* Parses one requirement; leaves the lexer on the token after it. */
static enum od_status parse_requirement(struct lexer *lx, struct selector *sel, struct err *e)
{
	struct selector_req *r = NULL;
	int negate = 0;
	enum od_status rc;

	if (lx->kind == TOK_NOT) {
		negate = 1;
		lex_next(lx);
	}
	if (lx->kind != TOK_IDENT)
		return err_set(e, OD_EPARSE, "unable to parse requirement: found '%.*s', expected: identifier",
			       (int)lx->toklen, lx->tok);
	if (!valid_label_key(lx->tok, lx->toklen))
		return err_set(e, OD_EPARSE, "unable to parse requirement: invalid label key \"%.*s\"",
			       (int)lx->toklen, lx->tok);
	rc = req_add(sel, &r, e);
	if (rc != OD_OK)
		return rc;
	r->key = strndup(lx->tok, lx->toklen);
	if (!r->key)
		return err_set(e, OD_ENOMEM, "out of memory");
	lex_next(lx);
	if (negate) {
		r->op = SELECTOR_OP_NOT_EXISTS;
		return OD_OK;
	}
	switch (lx->kind) {
	case TOK_END:
	case TOK_COMMA:
		r->op = SELECTOR_OP_EXISTS;
		return OD_OK;
	case TOK_EQ:
	case TOK_DEQ:
	case TOK_NEQ:
		r->op = lx->kind == TOK_NEQ ? SELECTOR_OP_NEQ : SELECTOR_OP_EQ;
		lex_next(lx);
		if (lx->kind == TOK_END || lx->kind == TOK_COMMA)
			return req_add_value(r, "", 0, e);
		if (lx->kind != TOK_IDENT)
			return err_set(e, OD_EPARSE,
				       "unable to parse requirement: found '%.*s', expected: identifier",
				       (int)lx->toklen, lx->tok);
		if (!valid_label_part(lx->tok, lx->toklen, 1))
			return err_set(e, OD_EPARSE, "invalid label value: \"%.*s\"",
				       (int)lx->toklen, lx->tok);
		rc = req_add_value(r, lx->tok, lx->toklen, e);
		lex_next(lx);
		return rc;
	case TOK_IN:
	case TOK_NOTIN:
		r->op = lx->kind == TOK_IN ? SELECTOR_OP_IN : SELECTOR_OP_NOTIN;
		rc = parse_value_set(lx, r, e);
		if (rc == OD_OK)
			lex_next(lx);
		return rc;
	default:
		return err_set(e, OD_EPARSE,
			       "unable to parse requirement: found '%.*s', expected: in, notin, =, ==, !=, gt, lt",
			       (int)lx->toklen, lx->tok);
	}
}

static enum od_status selector_new(struct selector **out, struct err *e)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

enum od_status selector_parse(const char *s, struct selector **out, struct err *e)
{
	struct lexer lx = { .s = s ? s : "" };
	struct selector *sel = NULL;
	enum od_status rc = selector_new(&sel, e);

	if (rc != OD_OK)
		goto out;
	lex_next(&lx);
	while (lx.kind != TOK_END) {
		rc = parse_requirement(&lx, sel, e);
		if (rc != OD_OK)
			goto out;
		if (lx.kind == TOK_END)
			break;
		if (lx.kind != TOK_COMMA) {
			rc = err_set(e, OD_EPARSE, "found '%.*s', expected: ',' or 'end of string'",
				     (int)lx.toklen, lx.tok);
			goto out;
		}
		lex_next(&lx);
		if (lx.kind == TOK_END) {
			rc = err_set(e, OD_EPARSE, "found '', expected: identifier after ','");
			goto out;
		}
	}
out:
	if (rc != OD_OK)
		selector_free(&sel);
	*out = sel;
	return rc;
}

/* Parses one "key<op>value" term of a field selector. */
static enum od_status parse_field_term(struct selector *sel, const char *t, size_t n,
				       struct err *e)
{
	struct selector_req *r = NULL;
	const char *op = NULL;
	size_t oplen = 0;
	enum od_status rc;

	for (size_t i = 0; i < n; i++) {
		if (t[i] == '!' && i + 1 < n && t[i + 1] == '=') {
			op = t + i; oplen = 2; break;
		}
		if (t[i] == '=') {
			op = t + i; oplen = (i + 1 < n && t[i + 1] == '=') ? 2 : 1; break;
		}
	}
	if (!op)
		return err_set(e, OD_EPARSE, "invalid selector: '%.*s'; can't understand '%.*s'",
			       (int)n, t, (int)n, t);
	size_t klen = (size_t)(op - t);
	while (klen > 0 && isspace((unsigned char)t[klen - 1]))
		klen--;
	size_t skip = 0;
	while (skip < klen && isspace((unsigned char)t[skip]))
		skip++;
	if (klen == skip)
		return err_set(e, OD_EPARSE, "invalid selector: '%.*s'; empty field name", (int)n, t);
	rc = req_add(sel, &r, e);
	if (rc != OD_OK)
		return rc;
	r->op = op[0] == '!' ? SELECTOR_OP_NEQ : SELECTOR_OP_EQ;
	r->key = strndup(t + skip, klen - skip);
	if (!r->key)
		return err_set(e, OD_ENOMEM, "out of memory");
	const char *v = op + oplen;
	size_t vlen = n - (size_t)(v - t);
	return req_add_value(r, v, vlen, e);
}

enum od_status selector_parse_fields(const char *s, struct selector **out, struct err *e)
{
	struct selector *sel = NULL;
	enum od_status rc = selector_new(&sel, e);
	const char *p = s ? s : "";

	if (rc != OD_OK)
		goto out;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > 0) {
			rc = parse_field_term(sel, p, n, e);
			if (rc != OD_OK)
				goto out;
		}
		if (!end)
			break;
		p = end + 1;
	}
out:
	if (rc != OD_OK)
		selector_free(&sel);
	*out = sel;
	return rc;
}

static int value_in(const struct selector_req *r, const char *v)
{
	for (size_t i = 0; i < r->nvalues; i++)
		if (strcmp(r->values[i], v) == 0)
			return 1;
	return 0;
}

bool selector_matches(const struct selector *sel, selector_lookup_fn lookup, void *arg)
{
	if (!sel)
		return true;
	for (size_t i = 0; i < sel->n; i++) {
		const struct selector_req *r = &sel->reqs[i];
		const char *v = lookup(arg, r->key);
		int ok = 0;
		switch (r->op) {
		case SELECTOR_OP_EQ: ok = v && value_in(r, v); break;
		case SELECTOR_OP_NEQ: ok = !v || !value_in(r, v); break;
		case SELECTOR_OP_IN: ok = v && value_in(r, v); break;
		case SELECTOR_OP_NOTIN: ok = !v || !value_in(r, v); break;
		case SELECTOR_OP_EXISTS: ok = v != NULL; break;
		case SELECTOR_OP_NOT_EXISTS: ok = v == NULL; break;
		}
		if (!ok)
			return false;
	}
	return true;
}

bool selector_is_empty(const struct selector *sel)
{
	return !sel || sel->n == 0;
}

const char *selector_find_eq(const struct selector *sel, const char *key)
{
	if (!sel)
		return NULL;
	for (size_t i = 0; i < sel->n; i++)
		if (sel->reqs[i].op == SELECTOR_OP_EQ && strcmp(sel->reqs[i].key, key) == 0)
			return sel->reqs[i].values[0];
	return NULL;
}

void selector_free(struct selector **sel)
{
	if (!sel || !*sel)
		return;
	for (size_t i = 0; i < (*sel)->n; i++) {
		struct selector_req *r = &(*sel)->reqs[i];
		free(r->key);
		for (size_t j = 0; j < r->nvalues; j++)
			free(r->values[j]);
		free(r->values);
	}
	free((*sel)->reqs);
	free(*sel);
	*sel = NULL;
}
