/*
 * tabwriter.c: a port of the layout part of Go's text/tabwriter (with the
 * RememberWidths flag of the fork kubectl uses), for padchar ' ' and without
 * escapes, HTML filtering or right alignment, which kubectl does not use.
 *
 * A column block is a run of consecutive lines that all have a cell in that
 * column (not counting each line's last cell); its width is the widest cell
 * plus padding, at least minwidth. Blocks are found recursively, column by
 * column, as Go's Writer.format does, so the output matches it exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "opsdeck/tabwriter.h"

const struct tabwriter_opts TABWRITER_KUBECTL = {
	.minwidth = 6, .padding = 3, .remember_widths = true
};

struct tw_cell {
	size_t start;            /* offset of the text in the input */
	size_t size;             /* bytes */
	size_t width;            /* runes */
};

struct tw_line {
	struct tw_cell *cells;
	size_t n;
};

struct tw {
	const char *text;
	const struct tabwriter_opts *o;
	struct tw_line *lines;
	size_t nlines;
	size_t *widths;          /* the stack of widths of the columns left of the current one */
	size_t nwidths;
	size_t *maxwidths;       /* RememberWidths: widest seen per column */
	size_t nmax;
	struct buf *out;
	struct err *e;
	enum od_status rc;
};

static size_t utf8_seq_len(const unsigned char *p, size_t left)
{
	size_t n;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are invalid */
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

size_t tabwriter_rune_count(const char *s, size_t len)
{
	size_t count = 0;

	for (size_t i = 0; i < len; count++) {
		size_t n = utf8_seq_len((const unsigned char *)s + i, len - i);

		i += n ? n : 1;
	}
	return count;
}

static void tw_put(struct tw *t, const char *p, size_t n)
{
	if (t->rc == OD_OK)
		t->rc = buf_append(t->out, p, n, t->e);
}

static void tw_pad(struct tw *t, size_t textw, size_t cellw)
{
	static const char spaces[] = "                                ";

	for (size_t n = cellw > textw ? cellw - textw : 0; n > 0;) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		tw_put(t, spaces, k);
		n -= k;
	}
}

/* Writes lines [l0, l1) with the widths known so far. */
static void tw_write_lines(struct tw *t, size_t l0, size_t l1)
{
	for (size_t i = l0; i < l1; i++) {
		const struct tw_line *line = &t->lines[i];

		for (size_t j = 0; j < line->n; j++) {
			const struct tw_cell *c = &line->cells[j];

			tw_put(t, t->text + c->start, c->size);
			if (j < t->nwidths)
				tw_pad(t, c->width, t->widths[j]);
		}
		if (i + 1 < t->nlines)
			tw_put(t, "\n", 1);
	}
}

static bool tw_push_width(struct tw *t, size_t width)
{
	size_t col = t->nwidths;

	if (t->o->remember_widths) {
		if (t->nmax <= col) {
			size_t *m = realloc(t->maxwidths, (col + 1) * sizeof(*m));

			if (!m)
				return false;
			t->maxwidths = m;
			while (t->nmax <= col)
				t->maxwidths[t->nmax++] = 0;
		}
		if (t->maxwidths[col] > width)
			width = t->maxwidths[col];
		else
			t->maxwidths[col] = width;
	}
	t->widths[t->nwidths++] = width;
	return true;
}

/* Go's Writer.format: lays out column len(widths) for lines [l0, l1), then recurses right. */
static void tw_format(struct tw *t, size_t l0, size_t l1)
{
	size_t column = t->nwidths;

	for (size_t this = l0; this < l1 && t->rc == OD_OK; this++) {
		size_t width = t->o->minwidth;

		if (column + 1 >= t->lines[this].n)
			continue;
		tw_write_lines(t, l0, this);
		l0 = this;
		for (; this < l1 && column + 1 < t->lines[this].n; this++) {
			size_t w = t->lines[this].cells[column].width + t->o->padding;

			if (w > width)
				width = w;
		}
		if (!tw_push_width(t, width)) {
			t->rc = err_set(t->e, OD_ENOMEM, "out of memory");
			return;
		}
		tw_format(t, l0, this);
		t->nwidths--;
		l0 = this;
		this--;   /* the loop's this++ must look at the line that ended the block */
	}
	tw_write_lines(t, l0, l1);
}

static bool tw_add_cell(struct tw *t, size_t start, size_t end)
{
	struct tw_line *line = &t->lines[t->nlines - 1];
	struct tw_cell *c = realloc(line->cells, (line->n + 1) * sizeof(*c));

	if (!c)
		return false;
	line->cells = c;
	c[line->n].start = start;
	c[line->n].size = end - start;
	c[line->n].width = tabwriter_rune_count(t->text + start, end - start);
	line->n++;
	return true;
}

static bool tw_add_line(struct tw *t)
{
	struct tw_line *l = realloc(t->lines, (t->nlines + 1) * sizeof(*l));

	if (!l)
		return false;
	t->lines = l;
	memset(&l[t->nlines++], 0, sizeof(*l));
	return true;
}

static void tw_reset(struct tw *t)
{
	for (size_t i = 0; i < t->nlines; i++)
		free(t->lines[i].cells);
	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
}

/* Formats what is buffered and starts afresh (widths stay remembered). */
static void tw_flush(struct tw *t)
{
	t->nwidths = 0;
	tw_format(t, 0, t->nlines);
	tw_reset(t);
}

static bool tw_split(struct tw *t, size_t len)
{
	size_t cell = 0;

	if (!tw_add_line(t))
		return false;
	for (size_t i = 0; i < len && t->rc == OD_OK; i++) {
		char ch = t->text[i];

		if (ch != '\t' && ch != '\v' && ch != '\n' && ch != '\f')
			continue;
		if (!tw_add_cell(t, cell, i))
			return false;
		cell = i + 1;
		if (ch != '\n' && ch != '\f')
			continue;
		/* a line of one cell cannot affect later columns: Go flushes there */
		if (ch == '\f' || t->lines[t->nlines - 1].n == 1) {
			if (!tw_add_line(t))
				return false;
			tw_flush(t);
			if (!tw_add_line(t))
				return false;
		} else if (!tw_add_line(t)) {
			return false;
		}
	}
	if (cell < len && !tw_add_cell(t, cell, len))
		return false;
	return true;
}

enum od_status tabwriter_format(const char *text, size_t len, const struct tabwriter_opts *o,
				struct buf *out, struct err *e)
{
	struct tw t = { .text = text, .o = o, .out = out, .e = e, .rc = OD_OK };

	/* a line has at most len + 1 cells, so the width stack never outgrows this */
	t.widths = calloc(len + 2, sizeof(*t.widths));
	if (!t.widths)
		return err_set(e, OD_ENOMEM, "out of memory");
	if (!tw_split(&t, len) && t.rc == OD_OK)
		t.rc = err_set(e, OD_ENOMEM, "out of memory");
	if (t.rc == OD_OK)
		tw_flush(&t);
	tw_reset(&t);
	free(t.widths);
	free(t.maxwidths);
	return t.rc;
}
