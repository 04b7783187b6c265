/*
 * printer.c: kubectl's output formats (printer.h): Go-style JSON, go-yaml v2
 * style YAML through libyaml's emitter, server-side Tables, and rows laid out
 * with remembered widths for get -w.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "opsdeck/kubeconfig.h"
#include "opsdeck/printer.h"
#include "opsdeck/tabwriter.h"

/* ---- JSON ---- */

static int key_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

/* Length of the valid UTF-8 sequence at s (0 if invalid). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Go's encoding/json string escaping, HTML-safe (what json.MarshalIndent does). */
static enum od_status json_string(const char *s, struct buf *out, struct err *e)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	enum od_status rc = buf_append(out, "\"", 1, e);

	for (size_t i = 0; i < n && rc == OD_OK;) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t l = utf8_len(p + i, n - i);
			if (l == 0) {
				rc = buf_append_str(out, "\\ufffd", e);
				i++;
			} else if (l == 3 && c == 0xe2 && p[i + 1] == 0x80 &&
				   (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
				rc = buf_printf(out, e, "\\u202%c", p[i + 2] == 0xa8 ? '8' : '9');
				i += 3;
			} else {
				rc = buf_append(out, p + i, l, e);
				i += l;
			}
			continue;
		}
		switch (c) {
		case '"': rc = buf_append_str(out, "\\\"", e); break;
		case '\\': rc = buf_append_str(out, "\\\\", e); break;
		case '\n': rc = buf_append_str(out, "\\n", e); break;
		case '\r': rc = buf_append_str(out, "\\r", e); break;
		case '\t': rc = buf_append_str(out, "\\t", e); break;
		case '\b': rc = buf_append_str(out, "\\b", e); break;
		case '\f': rc = buf_append_str(out, "\\f", e); break;
		case '<': case '>': case '&':
			rc = buf_printf(out, e, "\\u00%02x", c);
			break;
		default:
			if (c < 0x20)
				rc = buf_printf(out, e, "\\u00%02x", c);
			else
				rc = buf_append(out, &c, 1, e);
		}
		i++;
	}
	if (rc == OD_OK)
		rc = buf_append(out, "\"", 1, e);
	return rc;
}

/* Integers as integers (unstructured keeps int64); other numbers shortest, as Go does. */
static void number_text(double d, char *out, size_t n)
{
	if (d == floor(d) && fabs(d) < 9.2e18) {
		snprintf(out, n, "%lld", (long long)d);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
}

static enum od_status json_indent(struct buf *out, int depth, struct err *e)
{
	enum od_status rc = buf_append(out, "\n", 1, e);
	for (int i = 0; i < depth && rc == OD_OK; i++)
		rc = buf_append(out, "    ", 4, e);
	return rc;
}

static enum od_status json_value(const cJSON *v, int depth, struct buf *out, struct err *e)
{
	char num[64];
	enum od_status rc = OD_OK;

	if (cJSON_IsNull(v) || !v)
		return buf_append_str(out, "null", e);
	if (cJSON_IsTrue(v))
		return buf_append_str(out, "true", e);
	if (cJSON_IsFalse(v))
		return buf_append_str(out, "false", e);
	if (cJSON_IsNumber(v)) {
		number_text(v->valuedouble, num, sizeof(num));
		return buf_append_str(out, num, e);
	}
	if (cJSON_IsString(v))
		return json_string(v->valuestring, out, e);
	if (cJSON_IsArray(v)) {
		if (!v->child)
			return buf_append_str(out, "[]", e);
		rc = buf_append(out, "[", 1, e);
		for (const cJSON *c = v->child; c && rc == OD_OK; c = c->next) {
			if ((rc = json_indent(out, depth + 1, e)) == OD_OK)
				rc = json_value(c, depth + 1, out, e);
			if (rc == OD_OK && c->next)
				rc = buf_append(out, ",", 1, e);
		}
		if (rc == OD_OK && (rc = json_indent(out, depth, e)) == OD_OK)
			rc = buf_append(out, "]", 1, e);
		return rc;
	}
	/* object: keys sorted, as Go marshals a map */
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
	if (n == 0)
		return buf_append_str(out, "{}", e);
	const cJSON **keys = calloc(n, sizeof(*keys));
	if (!keys)
		return err_set(e, OD_ENOMEM, "out of memory");
	for (const cJSON *c = v->child; c && i < n; c = c->next)
		keys[i++] = c;
	qsort(keys, i, sizeof(*keys), key_cmp);
	rc = buf_append(out, "{", 1, e);
	for (size_t k = 0; k < i && rc == OD_OK; k++) {
		if ((rc = json_indent(out, depth + 1, e)) == OD_OK &&
		    (rc = json_string(keys[k]->string, out, e)) == OD_OK &&
		    (rc = buf_append(out, ": ", 2, e)) == OD_OK)
			rc = json_value(keys[k], depth + 1, out, e);
		if (rc == OD_OK && k + 1 < i)
			rc = buf_append(out, ",", 1, e);
	}
	if (rc == OD_OK && (rc = json_indent(out, depth, e)) == OD_OK)
		rc = buf_append(out, "}", 1, e);
	free(keys);
	return rc;
}

enum od_status printer_json(const cJSON *v, struct buf *out, struct err *e)
{
	enum od_status rc = json_value(v, 0, out, e);
	if (rc == OD_OK)
		rc = buf_append(out, "\n", 1, e);
	return rc;
}

cJSON *printer_list_wrap(const cJSON *list, const char *api_version, const char *item_kind)
{
	cJSON *w = cJSON_CreateObject();
	cJSON *items = cJSON_AddArrayToObject(w, "items");
	cJSON *md = cJSON_AddObjectToObject(w, "metadata");
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(list, "items");
	const cJSON *it;

	cJSON_AddStringToObject(w, "apiVersion", "v1");
	cJSON_AddStringToObject(w, "kind", "List");
	cJSON_AddStringToObject(md, "resourceVersion", "");
	cJSON_ArrayForEach(it, src) {
		cJSON *c = cJSON_Duplicate(it, 1);
		if (!c)
			continue;
		if (!cJSON_GetObjectItemCaseSensitive(c, "apiVersion"))
			cJSON_AddStringToObject(c, "apiVersion", api_version);
		if (!cJSON_GetObjectItemCaseSensitive(c, "kind"))
			cJSON_AddStringToObject(c, "kind", item_kind);
		cJSON_AddItemToArray(items, c);
	}
	return w;
}

/* ---- YAML ---- */

struct yaml_out {
	yaml_emitter_t em;
	struct buf *out;
	bool failed;
};

static int yaml_write_cb(void *data, unsigned char *p, size_t n)
{
	struct yaml_out *y = data;
	if (buf_append(y->out, p, n, NULL) != OD_OK) {
		y->failed = true;
		return 0;
	}
	return 1;
}

static bool yaml_emit(struct yaml_out *y, yaml_event_t *ev)
{
	if (y->failed || !yaml_emitter_emit(&y->em, ev)) {
		y->failed = true;
		return false;
	}
	return true;
}

static bool yaml_scalar(struct yaml_out *y, const char *s, bool is_string)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;

	/* go-yaml v2: a literal block for multi-line text, quotes when plain would read as another type */
	if (is_string) {
		if (strchr(s, '\n'))
			style = YAML_LITERAL_SCALAR_STYLE;
		else if (kubeconfig_scalar_is_typed(s))
			style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	}
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)s,
					  (int)strlen(s), 1, 1, style))
		return false;
	return yaml_emit(y, &ev);
}

static bool yaml_value(struct yaml_out *y, const cJSON *v)
{
	yaml_event_t ev;
	char num[64];

	if (!v || cJSON_IsNull(v))
		return yaml_scalar(y, "null", false);
	if (cJSON_IsTrue(v))
		return yaml_scalar(y, "true", false);
	if (cJSON_IsFalse(v))
		return yaml_scalar(y, "false", false);
	if (cJSON_IsNumber(v)) {
		number_text(v->valuedouble, num, sizeof(num));
		return yaml_scalar(y, num, false);
	}
	if (cJSON_IsString(v))
		return yaml_scalar(y, v->valuestring, true);
	if (cJSON_IsArray(v)) {
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
		if (!yaml_emit(y, &ev))
			return false;
		for (const cJSON *c = v->child; c; c = c->next)
			if (!yaml_value(y, c))
				return false;
		yaml_sequence_end_event_initialize(&ev);
		return yaml_emit(y, &ev);
	}
	size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
	const cJSON **keys = calloc(n ? n : 1, sizeof(*keys));
	bool ok = true;
	if (!keys)
		return false;
	for (const cJSON *c = v->child; c && i < n; c = c->next)
		keys[i++] = c;
	qsort(keys, i, sizeof(*keys), key_cmp);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	ok = yaml_emit(y, &ev);
	for (size_t k = 0; k < i && ok; k++)
		ok = yaml_scalar(y, keys[k]->string, true) && yaml_value(y, keys[k]);
	free(keys);
	if (!ok)
		return false;
	yaml_mapping_end_event_initialize(&ev);
	return yaml_emit(y, &ev);
}

enum od_status printer_yaml(const cJSON *v, struct buf *out, struct err *e)
{
	struct yaml_out y = { .out = out };
	yaml_event_t ev;
	bool ok;

	if (!yaml_emitter_initialize(&y.em))
		return err_set(e, OD_ENOMEM, "out of memory");
	yaml_emitter_set_output(&y.em, yaml_write_cb, &y);
	yaml_emitter_set_unicode(&y.em, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	ok = yaml_emit(&y, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	ok = ok && yaml_emit(&y, &ev) && yaml_value(&y, v);
	yaml_document_end_event_initialize(&ev, 1);
	ok = ok && yaml_emit(&y, &ev);
	yaml_stream_end_event_initialize(&ev);
	ok = ok && yaml_emit(&y, &ev);
	yaml_emitter_delete(&y.em);
	if (!ok)
		return err_set(e, OD_ELIMIT, "the YAML output could not be written");
	return OD_OK;
}

/* ---- tables ---- */

/* A cell as kubectl prints it: text cut at the first line break with "...". */
static enum od_status cell_text(const cJSON *c, struct buf *text, struct err *e)
{
	char num[64];

	if (cJSON_IsString(c)) {
		const char *s = c->valuestring;
		size_t cut = strcspn(s, "\f\n\r");
		enum od_status rc = buf_append(text, s, cut, e);
		if (rc == OD_OK && s[cut])
			rc = buf_append_str(text, "...", e);
		return rc;
	}
	if (cJSON_IsNumber(c)) {
		number_text(c->valuedouble, num, sizeof(num));
		return buf_append_str(text, num, e);
	}
	if (cJSON_IsBool(c))
		return buf_append_str(text, cJSON_IsTrue(c) ? "true" : "false", e);
	if (cJSON_IsNull(c) || !c)
		return OD_OK;
	char *s = cJSON_PrintUnformatted(c);
	enum od_status rc = buf_append_str(text, s ? s : "", e);
	free(s);
	return rc;
}

static enum od_status upper_append(const char *s, struct buf *text, struct err *e)
{
	enum od_status rc = OD_OK;
	for (; *s && rc == OD_OK; s++) {
		char c = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
		rc = buf_append(text, &c, 1, e);
	}
	return rc;
}

enum od_status printer_table_text(const cJSON *table, const struct printer_table_opts *o,
				  struct buf *text, size_t *nrows, struct err *e)
{
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(table, "columnDefinitions");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(table, "rows");
	bool show[PRINTER_MAX_COLUMNS] = { 0 };
	size_t ncols = 0;
	const cJSON *c, *r;
	enum od_status rc = OD_OK;

	*nrows = 0;
	if (cJSON_GetArraySize(cols) == 0 && o->columns)
		cols = o->columns;
	cJSON_ArrayForEach(c, cols) {
		const cJSON *pr = cJSON_GetObjectItemCaseSensitive(c, "priority");
		if (ncols >= PRINTER_MAX_COLUMNS)
			break;
		show[ncols++] = o->wide || !cJSON_IsNumber(pr) || pr->valuedouble == 0;
	}
	if (!o->no_headers) {
		bool first = true;
		if (o->with_namespace) {
			rc = buf_append_str(text, "NAMESPACE", e);
			first = false;
		}
		size_t i = 0;
		cJSON_ArrayForEach(c, cols) {
			if (i >= ncols || rc != OD_OK)
				break;
			if (show[i++]) {
				const cJSON *nm = cJSON_GetObjectItemCaseSensitive(c, "name");
				if (!first)
					rc = buf_append(text, "\t", 1, e);
				first = false;
				if (rc == OD_OK)
					rc = upper_append(cJSON_IsString(nm) ? nm->valuestring : "",
							  text, e);
			}
		}
		if (rc == OD_OK)
			rc = buf_append(text, "\n", 1, e);
	}
	cJSON_ArrayForEach(r, rows) {
		const cJSON *cells = cJSON_GetObjectItemCaseSensitive(r, "cells");
		size_t i = 0;
		if (rc != OD_OK)
			break;
		bool first = true;
		if (o->with_namespace) {
			const cJSON *obj = cJSON_GetObjectItemCaseSensitive(r, "object");
			const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
			const cJSON *ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");
			rc = buf_append_str(text, cJSON_IsString(ns) ? ns->valuestring : "", e);
			first = false;
		}
		cJSON_ArrayForEach(c, cells) {
			if (i >= ncols || rc != OD_OK)
				break;
			if (show[i]) {
				if (!first)
					rc = buf_append(text, "\t", 1, e);
				first = false;
				if (rc == OD_OK && i == 0 && o->name_prefix)
					rc = buf_append_str(text, o->name_prefix, e);
				if (rc == OD_OK)
					rc = cell_text(c, text, e);
			}
			i++;
		}
		if (rc == OD_OK)
			rc = buf_append(text, "\n", 1, e);
		(*nrows)++;
	}
	return rc;
}

enum od_status printer_row_text(const char *const *cells, size_t n, struct buf *text,
				struct err *e)
{
	enum od_status rc = OD_OK;
	for (size_t i = 0; i < n && rc == OD_OK; i++) {
		if (i > 0)
			rc = buf_append(text, "\t", 1, e);
		if (rc == OD_OK)
			rc = buf_append_str(text, cells[i], e);
	}
	if (rc == OD_OK)
		rc = buf_append(text, "\n", 1, e);
	return rc;
}

/*
 * The tabwriter's rule for rectangular tables: a column is as wide as its
 * widest cell plus padding (at least minwidth); the text after a line's last
 * tab is not part of any column and is not padded.
 */
enum od_status printer_layout(const char *text, size_t len, struct printer_widths *wd,
			      struct buf *out, struct err *e)
{
	const struct tabwriter_opts *o = &TABWRITER_KUBECTL;
	const char *p = text, *end = text + len;
	enum od_status rc = OD_OK;

	/* widths: every tab-terminated cell belongs to a column */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t col = 0;
		for (const char *q = p; q < le && col < PRINTER_MAX_COLUMNS;) {
			const char *t = memchr(q, '\t', (size_t)(le - q));
			if (!t)
				break;
			size_t w = tabwriter_rune_count(q, (size_t)(t - q)) + o->padding;
			if (w < o->minwidth)
				w = o->minwidth;
			if (w > wd->w[col])
				wd->w[col] = w;
			col++;
			q = t + 1;
		}
		p = nl ? nl + 1 : end;
	}
	for (p = text; p < end && rc == OD_OK;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *q = p;
		size_t col = 0;
		while (q < le && rc == OD_OK) {
			const char *t = memchr(q, '\t', (size_t)(le - q));
			if (!t || col >= PRINTER_MAX_COLUMNS)
				break;
			size_t w = tabwriter_rune_count(q, (size_t)(t - q));
			rc = buf_append(out, q, (size_t)(t - q), e);
			for (; w < wd->w[col] && rc == OD_OK; w++)
				rc = buf_append(out, " ", 1, e);
			col++;
			q = t + 1;
		}
		if (rc == OD_OK)
			rc = buf_append(out, q, (size_t)(le - q), e);
		if (rc == OD_OK && nl)
			rc = buf_append(out, "\n", 1, e);
		p = nl ? nl + 1 : end;
	}
	return rc;
}

void printer_no_resources(const char *ns)
{
	if (ns)
		fprintf(stderr, "No resources found in %s namespace.\n", ns);
	else
		fprintf(stderr, "No resources found\n");
}
