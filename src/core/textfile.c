/*
 * textfile.c: capped whole-file reads and a line splitter for small text
 * formats. Lines are copied into a bounded stack buffer, so callers get
 * plain C strings and never see a line longer than they allow.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/textfile.h"

/* Longest line any caller may ask for; theme and keymap lines are far shorter. */
#define TEXTFILE_LINE_CAP 4096

enum od_status textfile_read(const char *path, size_t max, char **data, size_t *len,
			     struct err *e)
{
	FILE *f = fopen(path, "rb");
	enum od_status rc = OD_OK;

	*data = NULL;
	*len = 0;
	if (!f)
		return err_set(e, errno == ENOENT ? OD_ENOENT : OD_EIO, "%s: %s", path,
			       strerror(errno));
	char *buf = malloc(max + 1);
	if (!buf) {
		rc = err_set(e, OD_ENOMEM, "%s: out of memory", path);
		goto out;
	}
	size_t n = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		rc = err_set(e, OD_EIO, "%s: read error", path);
		goto out;
	}
	if (n > max) {
		rc = err_set(e, OD_ELIMIT, "%s: larger than %zu bytes", path, max);
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return rc;
}

enum od_status textfile_each_line(const char *text, size_t len, size_t max_line,
				  const char *fname, textfile_line_fn fn, void *arg,
				  struct err *e)
{
	char line[TEXTFILE_LINE_CAP];
	size_t pos = 0, lineno = 0;

	if (max_line == 0 || max_line > sizeof(line))
		max_line = sizeof(line);
	while (pos < len) {
		size_t end = pos;
		enum od_status rc;

		while (end < len && text[end] != '\n')
			end++;
		lineno++;
		if (end - pos >= max_line)
			return err_set(e, OD_EPARSE, "%s:%zu: line longer than %zu bytes", fname,
				       lineno, max_line - 1);
		memcpy(line, text + pos, end - pos);
		line[end - pos] = '\0';
		if (memchr(line, '\0', end - pos))
			return err_set(e, OD_EPARSE, "%s:%zu: NUL byte in line", fname, lineno);
		rc = fn(arg, line, lineno, e);
		if (rc != OD_OK)
			return rc;
		pos = end + 1;
	}
	return OD_OK;
}
