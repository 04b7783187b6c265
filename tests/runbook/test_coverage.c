/*
 * test_coverage.c: every checklist item of the reference runbooks
 * ($OPSDECK_SRCDIR/../shared/runbooks/NAME.md: "- [ ] X", "□ X" and
 * "N. ✅ X" lines) is carried by some profile item or free-text
 * section that names the same runbook. Run through coverage.sh, which skips
 * it when the runbooks are not beside the source tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/profile.h"

static const char *srcdir(void)
{
	const char *s = getenv("OPSDECK_SRCDIR");
	return s && *s ? s : OPSDECK_SRCDIR;
}

static struct profile_catalog *load_shipped(void)
{
	char dir[4096];
	struct profile_catalog *c = NULL;
	struct err e;
	snprintf(dir, sizeof(dir), "%s/data/profiles", srcdir());
	assert_int_equal(profile_catalog_load_dirs(dir, NULL, &c, &e), OD_OK);
	return c;
}

/* Same normalisation as the parser: markdown escapes and ** dropped, blanks squeezed. */
static void normalise(char *s)
{
	char *w = s;
	bool space = true;
	for (const char *r = s; *r; r++) {
		if (*r == '\\' && r[1] && strchr("_*[]`", r[1]))
			continue;
		if (r[0] == '*' && r[1] == '*') {
			r++;
			continue;
		}
		if (isspace((unsigned char)*r)) {
			if (!space)
				*w++ = ' ';
			space = true;
			continue;
		}
		*w++ = *r;
		space = false;
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

/* The checklist text of a runbook line, or NULL: "- [ ] X", "□ X", "N. ✅ X". */
static char *template_item(char *line)
{
	char *s = line;
	while (*s == ' ')
		s++;
	if (strncmp(s, "- [ ] ", 6) == 0)
		return s + 6;
	if (strncmp(s, "\xe2\x96\xa1 ", 4) == 0)         /* □ */
		return s + 4;
	if (isdigit((unsigned char)*s)) {
		while (isdigit((unsigned char)*s))
			s++;
		if (strncmp(s, ". \xe2\x9c\x85 ", 6) == 0)   /* ✅ */
			return s + 6;
	}
	return NULL;
}

static bool covered(const struct profile_catalog *c, const char *runbook, const char *text)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct profile *p = c->profiles[i];
		for (size_t j = 0; j < p->nchecklists; j++) {
			const struct checklist *cl = &p->checklists[j];
			for (size_t k = 0; k < cl->nitems + cl->nfree; k++) {
				const struct item_source *src = k < cl->nitems ? &cl->items[k].source
									   : &cl->free[k - cl->nitems].source;
				if (strcmp(src->runbook, runbook) != 0)
					continue;
				for (size_t t = 0; t < src->texts.n; t++)
					if (strcmp(src->texts.v[t], text) == 0)
						return true;
			}
		}
	}
	return false;
}

static void test_runbook_items_covered(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/../shared/runbooks", srcdir());
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("%s not found (coverage.sh skips this test then)", dir);
	struct profile_catalog *c = load_shipped();
	size_t items = 0, missing = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0)
			continue;
		char path[4600], line[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\r\n")] = '\0';
			char *text = template_item(line);
			if (!text)
				continue;
			normalise(text);
			items++;
			if (!covered(c, de->d_name, text)) {
				print_message("# not in any profile: %s: \"%s\"\n", de->d_name, text);
				missing++;
			}
		}
		fclose(f);
	}
	closedir(d);
	profile_catalog_free(&c);
	print_message("# %zu runbook checklist items, %zu not covered\n", items, missing);
	assert_true(items >= 100);
	assert_int_equal(missing, 0);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runbook_items_covered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
