/*
 * jsonarena.c: cJSON-compatible parsing into an arena (jsonarena.h).
 *
 * The grammar is that of the libcjson 1.7 in use, quirks included, so that a
 * page reads the same either way: bytes <= 0x20 are white space, a number is
 * the longest run of [0-9+-eE.] read by strtod (as far as strtod reads), a
 * bad hex digit in \u reads as 0, a UTF-8 BOM is skipped when the text is
 * longer than four bytes, and what follows the first value is ignored.
 */
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "opsdeck/jsonarena.h"

/*
 * Chunks come from mmap, so that json_arena_free gives them back to the
 * system at once (an informer's RSS drops after a LIST), whatever malloc's
 * thresholds are.
 */
#define CHUNK_SIZE (1024u * 1024u)

struct json_arena_chunk {
	struct json_arena_chunk *next;   /* owned */
	size_t size;                     /* bytes in data */
	size_t mapped;                   /* bytes mapped, header included */
	max_align_t data[];
};

void json_arena_init(struct json_arena *a)
{
	memset(a, 0, sizeof(*a));
}

void json_arena_reset(struct json_arena *a)
{
	a->cur = a->first;
	a->used = 0;
}

void json_arena_free(struct json_arena *a)
{
	struct json_arena_chunk *c = a->first;

	while (c) {
		struct json_arena_chunk *next = c->next;
		munmap(c, c->mapped);
		c = next;
	}
	json_arena_init(a);
}

/* n bytes, 8-aligned, or NULL when out of memory. */
static void *arena_alloc(struct json_arena *a, size_t n)
{
	n = (n + 7u) & ~(size_t)7u;
	if (a->cur && a->cur->size - a->used >= n) {
		void *p = (char *)a->cur->data + a->used;
		a->used += n;
		return p;
	}
	/* the next kept chunk, if big enough; else a new one after cur */
	if (a->cur && a->cur->next && a->cur->next->size >= n) {
		a->cur = a->cur->next;
		a->used = n;
		return a->cur->data;
	}
	size_t want = n > CHUNK_SIZE ? n : CHUNK_SIZE;
	if (want > SIZE_MAX - sizeof(struct json_arena_chunk) - 4096u)
		return NULL;
	size_t mapped = (sizeof(struct json_arena_chunk) + want + 4095u) & ~(size_t)4095u;
	struct json_arena_chunk *c = mmap(NULL, mapped, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c == MAP_FAILED)
		return NULL;
	c->mapped = mapped;
	c->size = mapped - sizeof(*c);
	if (a->cur) {
		c->next = a->cur->next;
		a->cur->next = c;
	} else {
		c->next = a->first;
		a->first = c;
	}
	a->cur = c;
	a->used = n;
	a->bytes += mapped;
	return c->data;
}

void json_arena_skip_init(struct json_arena_skip *s, const char *const *keys)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; keys && keys[i] && s->n < JSON_ARENA_SKIP_MAX; i++) {
		size_t n = strlen(keys[i]);
		if (n == 0 || n >= 64)
			continue;
		s->key[s->n] = keys[i];
		s->len[s->n++] = (unsigned char)n;
		s->first[n] |= 1ull << ((unsigned char)keys[i][0] & 63);
	}
}

struct parser {
	const unsigned char *s;
	size_t len;
	size_t off;
	size_t depth;
	unsigned char decimal_point;
	struct json_arena *a;
	const struct json_arena_skip *skip;
	enum od_status rc;        /* why parsing stopped: OD_EPARSE, OD_ELIMIT or OD_ENOMEM */
};

static bool fail(struct parser *p, enum od_status rc)
{
	p->rc = rc;
	return false;
}

static void skip_ws(struct parser *p)
{
	while (p->off < p->len && p->s[p->off] <= 32)
		p->off++;
}

static cJSON *new_node(struct parser *p)
{
	cJSON *n = arena_alloc(p->a, sizeof(*n));
	if (n)
		memset(n, 0, sizeof(*n));
	return n;
}

/* cJSON's parse_hex4: a bad digit makes the whole value 0. */
static unsigned hex4(const unsigned char *in)
{
	unsigned h = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c = in[i];
		if (c >= '0' && c <= '9')
			h = (h << 4) | (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			h = (h << 4) | (unsigned)(10 + c - 'A');
		else if (c >= 'a' && c <= 'f')
			h = (h << 4) | (unsigned)(10 + c - 'a');
		else
			return 0;
	}
	return h;
}

/*
 * A \u escape at in (in[0] == '\\', in[1] == 'u') before end: writes its
 * UTF-8 to *out (when out is not NULL) and returns the escape's length, or
 * 0 when invalid.
 */
static size_t utf16_escape(const unsigned char *in, const unsigned char *end, unsigned char **out)
{
	unsigned long cp;
	size_t seq;
	unsigned first;

	if (end - in < 6)
		return 0;
	first = hex4(in + 2);
	if (first >= 0xDC00 && first <= 0xDFFF)
		return 0;
	if (first >= 0xD800 && first <= 0xDBFF) {
		const unsigned char *second = in + 6;
		if (end - second < 6 || second[0] != '\\' || second[1] != 'u')
			return 0;
		unsigned sc = hex4(second + 2);
		if (sc < 0xDC00 || sc > 0xDFFF)
			return 0;
		cp = 0x10000 + (((unsigned long)(first & 0x3FF) << 10) | (sc & 0x3FF));
		seq = 12;
	} else {
		cp = first;
		seq = 6;
	}
	if (!out)
		return seq;
	unsigned char *o = *out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		*out += 1;
	} else if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		*out += 2;
	} else if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		*out += 3;
	} else {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		*out += 4;
	}
	return seq;
}

/*
 * The string at p->off (which is '"'). keep: *out gets the decoded copy in
 * the arena and *outlen its length as a C string (up to a NUL that \u0000 or
 * a raw NUL byte put inside: what strcmp and cJSON's lookups see); otherwise
 * it is only checked.
 */
static bool parse_string(struct parser *p, bool keep, char **out, size_t *outlen)
{
	const unsigned char *start = p->s + p->off + 1;
	const unsigned char *lim = p->s + p->len;
	const unsigned char *end;
	size_t escapes = 0;

	if (p->off >= p->len || p->s[p->off] != '"')
		return fail(p, OD_EPARSE);
	/* the closing quote; most strings have no backslash before it */
	end = start < lim ? memchr(start, '"', (size_t)(lim - start)) : NULL;
	if (!end)
		return fail(p, OD_EPARSE);
	if (memchr(start, '\\', (size_t)(end - start))) {
		end = start;
		while (end < lim && *end != '"') {
			if (*end == '\\') {
				if (end + 1 >= lim)
					return fail(p, OD_EPARSE);
				escapes++;
				end++;
			}
			end++;
		}
		if (end >= lim)
			return fail(p, OD_EPARSE);
	}
	size_t raw = (size_t)(end - start);
	unsigned char *o = NULL, *w = NULL;
	if (keep) {
		o = arena_alloc(p->a, raw - escapes + 1);
		if (!o)
			return fail(p, OD_ENOMEM);
		w = o;
	}
	if (escapes == 0) {
		if (keep) {
			memcpy(o, start, raw);
			w = o + raw;
		}
	} else {
		const unsigned char *in = start;
		while (in < end) {
			if (*in != '\\') {
				if (keep)
					*w++ = *in;
				in++;
				continue;
			}
			size_t seq = 2;
			unsigned char c = 0;
			switch (in[1]) {
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case '"': case '\\': case '/': c = in[1]; break;
			case 'u':
				seq = utf16_escape(in, end, keep ? &w : NULL);
				if (seq == 0) {
					p->off = (size_t)(in - p->s);
					return fail(p, OD_EPARSE);
				}
				break;
			default:
				p->off = (size_t)(in - p->s);
				return fail(p, OD_EPARSE);
			}
			if (in[1] != 'u' && keep)
				*w++ = c;
			in += seq;
		}
	}
	if (keep) {
		*w = '\0';
		*out = (char *)o;
		if (outlen)
			*outlen = strnlen((const char *)o, (size_t)(w - o));
	}
	p->off = (size_t)(end - p->s) + 1;
	return true;
}

static bool parse_number(struct parser *p, cJSON *node)
{
	char small[64], *num = small;
	size_t i, n, digits = 0;
	bool simple = true;   /* -?[0-9]+ */

	/* the whole run, however long (the libcjson in use copies it all for strtod) */
	for (n = 0; p->off + n < p->len; n++) {
		unsigned char c = p->s[p->off + n];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c == '-' && n == 0)
			;
		else if (c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.')
			simple = false;
		else
			break;
	}
	double d;
	size_t used;
	if (simple && digits > 0 && digits <= 15) {
		/* exact in a double: what strtod would give, without its cost */
		const unsigned char *q = p->s + p->off;
		int64_t v = 0;
		bool neg = q[0] == '-';
		for (size_t k = neg ? 1 : 0; k < n; k++)
			v = v * 10 + (q[k] - '0');
		d = neg ? -(double)v : (double)v;
		used = n;
	} else {
		if (n >= sizeof(small) && !(num = malloc(n + 1)))
			return fail(p, OD_ENOMEM);
		for (i = 0; i < n; i++) {
			unsigned char c = p->s[p->off + i];
			num[i] = (char)(c == '.' ? p->decimal_point : c);
		}
		num[n] = '\0';
		char *after = NULL;
		d = strtod(num, &after);
		used = (size_t)(after - num);
		if (num != small)
			free(num);
		if (used == 0)
			return fail(p, OD_EPARSE);
	}
	if (node) {
		node->type = cJSON_Number;
		node->valuedouble = d;
		if (d >= INT_MAX)
			node->valueint = INT_MAX;
		else if (d <= (double)INT_MIN)
			node->valueint = INT_MIN;
		else
			node->valueint = (int)d;
	}
	p->off += used;
	return true;
}

static bool parse_value(struct parser *p, bool keep, cJSON **out);

static bool skipped_key(const struct parser *p, const char *key, size_t n)
{
	const struct json_arena_skip *s = p->skip;

	if (!s || n == 0 || n >= 64 || !(s->first[n] & (1ull << ((unsigned char)key[0] & 63))))
		return false;
	for (size_t i = 0; i < s->n; i++) {
		if (s->len[i] == n && memcmp(s->key[i], key, n) == 0)
			return true;
	}
	return false;
}

/* An array or object at p->off ('[' or '{'). */
static bool parse_container(struct parser *p, bool keep, bool object, cJSON *node)
{
	cJSON *head = NULL, *last = NULL;
	char close = object ? '}' : ']';

	if (p->depth >= JSON_ARENA_DEPTH_MAX)
		return fail(p, OD_ELIMIT);
	p->depth++;
	p->off++;
	skip_ws(p);
	if (p->off < p->len && p->s[p->off] == close)
		goto done;
	if (p->off >= p->len)
		return fail(p, OD_EPARSE);
	for (;;) {
		char *key = NULL;
		size_t keylen = 0;
		bool keep_item = keep;
		cJSON *item = NULL;

		if (object) {
			if (!parse_string(p, keep, &key, &keylen))
				return false;
			if (keep && skipped_key(p, key, keylen))
				keep_item = false;
			skip_ws(p);
			if (p->off >= p->len || p->s[p->off] != ':')
				return fail(p, OD_EPARSE);
			p->off++;
			skip_ws(p);
		}
		if (!parse_value(p, keep_item, keep_item ? &item : NULL))
			return false;
		if (keep_item) {
			item->string = key;
			if (last) {
				last->next = item;
				item->prev = last;
			} else {
				head = item;
			}
			last = item;
		}
		skip_ws(p);
		if (p->off < p->len && p->s[p->off] == ',') {
			p->off++;
			skip_ws(p);
			continue;
		}
		break;
	}
	if (p->off >= p->len || p->s[p->off] != close)
		return fail(p, OD_EPARSE);
done:
	p->depth--;
	p->off++;
	if (node) {
		node->type = object ? cJSON_Object : cJSON_Array;
		node->child = head;
		if (head)
			head->prev = last;
	}
	return true;
}

static bool literal(struct parser *p, const char *word, size_t n)
{
	if (p->len - p->off < n || memcmp(p->s + p->off, word, n) != 0)
		return false;
	p->off += n;
	return true;
}

static bool parse_value(struct parser *p, bool keep, cJSON **out)
{
	cJSON *node = NULL;

	if (p->off >= p->len)
		return fail(p, OD_EPARSE);
	if (keep) {
		node = new_node(p);
		if (!node)
			return fail(p, OD_ENOMEM);
		*out = node;
	}
	unsigned char c = p->s[p->off];
	if (c == '"') {
		if (!parse_string(p, keep, keep ? &node->valuestring : NULL, NULL))
			return false;
		if (node)
			node->type = cJSON_String;
		return true;
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(p, node);
	if (c == '[' || c == '{')
		return parse_container(p, keep, c == '{', node);
	if (literal(p, "null", 4)) {
		if (node)
			node->type = cJSON_NULL;
		return true;
	}
	if (literal(p, "false", 5)) {
		if (node)
			node->type = cJSON_False;
		return true;
	}
	if (literal(p, "true", 4)) {
		if (node) {
			node->type = cJSON_True;
			node->valueint = 1;
		}
		return true;
	}
	return fail(p, OD_EPARSE);
}

enum od_status json_arena_parse(struct json_arena *a, const char *text, size_t len,
				const struct json_arena_skip *skip, cJSON **out, struct err *e)
{
	const struct lconv *lc = localeconv();
	struct parser p = { .s = (const unsigned char *)text, .len = len, .a = a, .skip = skip,
			    .decimal_point = (unsigned char)(lc && lc->decimal_point
							     ? lc->decimal_point[0] : '.'),
			    .rc = OD_EPARSE };

	*out = NULL;
	if (!text || len == 0)
		return err_set(e, OD_EPARSE, "JSON: empty input");
	if (len > 4 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p.off = 3;
	skip_ws(&p);
	if (parse_value(&p, true, out))
		return OD_OK;
	*out = NULL;
	if (p.rc == OD_ENOMEM)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (p.rc == OD_ELIMIT)
		return err_set(e, OD_ELIMIT, "JSON: nested deeper than %d at byte %zu",
			       JSON_ARENA_DEPTH_MAX, p.off);
	return err_set(e, OD_EPARSE, "JSON: malformed at byte %zu of %zu", p.off, len);
}
