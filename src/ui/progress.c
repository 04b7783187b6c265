/*
 * progress.c: the action progress bar (ui_progress.h): the fraction read
 * from the engine's progress lines, and the bar itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/ui_progress.h"
#include "opsdeck/ui_text.h"

/* The first "A<sep>B" in s with A and B numbers; true when found. */
static bool pair_after(const char *s, const char *sep, long *a, long *b)
{
	const char *p = strstr(s, sep);

	while (p) {
		const char *q = p;
		char *end;

		while (q > s && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (q < p) {
			*a = strtol(q, NULL, 10);
			*b = strtol(p + strlen(sep), &end, 10);
			if (end != p + strlen(sep))
				return true;
		}
		p = strstr(p + 1, sep);
	}
	return false;
}

static double ratio(long a, long b)
{
	if (b <= 0)
		return 0;
	return a >= b ? 1.0 : a <= 0 ? 0.0 : (double)a / (double)b;
}

double progress_fraction(const char *line, bool done)
{
	long a, b, ready, total, want;

	if (done)
		return 1.0;
	if (!line || !*line)
		return 0.0;
	/* the engine's replica follow: "replicas: R ready, T in total, want W" */
	if (sscanf(line, "replicas: %ld ready, %ld in total, want %ld", &ready, &total, &want) == 3) {
		if (want == 0)
			return total <= 0 ? 1.0 : 0.5;
		return ratio(ready < total ? ready : total, want) * 0.99;
	}
	/* rollout status: updated first (first half), then available (second half) */
	if (pair_after(line, " out of ", &a, &b))
		return 0.5 * ratio(a, b);
	if (strstr(line, "old replicas are pending termination"))
		return 0.6;
	if (pair_after(line, " of ", &a, &b))
		return 0.5 + 0.49 * ratio(a, b);
	if (strstr(line, "readyToUse: false") || strstr(line, "phase: ") ||
	    strstr(line, "is terminating") || strstr(line, "Waiting for "))
		return 0.5;
	return 0.0;
}

void progress_draw(const struct canvas *c, int y, int x, int w, double frac, int attr)
{
	char bar[512];
	int inner = w - 7, fill, len = 0;

	if (inner < 4)
		return;
	if (inner > 120)
		inner = 120;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * inner + 0.5);
	bar[len++] = '[';
	for (int i = 0; i < inner; i++) {
		const char *cell = i < fill ? (c->ascii ? "#" : "\xe2\x96\x88")
					    : (c->ascii ? "-" : "\xe2\x96\x91");

		memcpy(bar + len, cell, strlen(cell));
		len += (int)strlen(cell);
	}
	len += snprintf(bar + len, sizeof bar - (size_t)len, "] %3d%%", (int)(frac * 100 + 0.5));
	draw_text(c, y, x, bar, w, attr);
}
