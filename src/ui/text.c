/*
 * text.c: UTF-8 decoding, display widths and ellipsis cutting (ui_text.h).
 * The decoder is our own so that the result does not depend on the locale;
 * only the width of wide characters comes from wcwidth().
 */
#include <string.h>
#include <wchar.h>

#include "opsdeck/ui_text.h"

#define REPLACEMENT 0xFFFDu

size_t text_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t need;
	uint32_t c, min;

	if (len == 0) {
		*cp = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xE0) == 0xC0) {
		need = 2, c = u[0] & 0x1F, min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		need = 3, c = u[0] & 0x0F, min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		need = 4, c = u[0] & 0x07, min = 0x10000;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	if (len < need) {
		*cp = REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = REPLACEMENT;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past Unicode are not text. */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = REPLACEMENT;
		return 1;
	}
	*cp = c;
	return need;
}

static bool cp_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

int text_cp_width(uint32_t cp, bool ascii)
{
	int w;

	if (cp_is_control(cp) || ascii)
		return 1;
	w = wcwidth((wchar_t)cp);
	/* Unknown to the locale's tables: assume one column rather than none. */
	if (w < 0)
		return 1;
	return w > 2 ? 2 : w;
}

int text_width(const char *s, bool ascii)
{
	size_t len = strlen(s), i = 0;
	int w = 0;

	while (i < len) {
		uint32_t cp;

		i += text_decode(s + i, len - i, &cp);
		w += text_cp_width(cp, ascii);
	}
	return w;
}

const char *text_ellipsis(bool ascii)
{
	return ascii ? "~" : "\xE2\x80\xA6";
}

/* Appends one code point as it will be shown; false when out has no room. */
static bool put_cp(char *out, size_t n, size_t *o, const char *src, size_t srclen, uint32_t cp,
		   bool ascii)
{
	if (cp_is_control(cp) || (ascii && cp >= 0x80) || cp == REPLACEMENT) {
		if (*o + 2 > n)
			return false;
		out[(*o)++] = '?';
		return true;
	}
	if (*o + srclen + 1 > n)
		return false;
	memcpy(out + *o, src, srclen);
	*o += srclen;
	return true;
}

int text_fit(char *out, size_t n, const char *s, int width, bool ascii)
{
	const char *ell = text_ellipsis(ascii);
	size_t len = strlen(s), i = 0, o = 0;
	int used = 0, total;

	if (n == 0)
		return 0;
	out[0] = '\0';
	if (width <= 0)
		return 0;
	total = text_width(s, ascii);
	/* When everything fits, copy it all; otherwise keep one column for the ellipsis. */
	int limit = total <= width ? width : width - 1;
	bool cut = total > width;

	while (i < len) {
		uint32_t cp;
		size_t k = text_decode(s + i, len - i, &cp);
		int w = text_cp_width(cp, ascii);

		if (used + w > limit)
			break;
		/* Room for this character plus a possible ellipsis and the NUL. */
		if (o + k + strlen(ell) + 1 > n) {
			cut = true;
			break;
		}
		if (!put_cp(out, n, &o, s + i, k, cp, ascii))
			break;
		used += w;
		i += k;
	}
	if (cut && o + strlen(ell) + 1 <= n && used < width) {
		memcpy(out + o, ell, strlen(ell));
		o += strlen(ell);
		used += 1;
	}
	out[o] = '\0';
	return used;
}
