/*
 * textfile.h: reading small line-oriented text files (themes, the keymap)
 * with hard caps, so a huge or binary file gets a message, not a crash.
 */
#ifndef OPSDECK_TEXTFILE_H
#define OPSDECK_TEXTFILE_H

#include <stddef.h>

#include "opsdeck/err.h"

/*
 * Reads the whole of path into *data (owned by the caller, NUL-terminated)
 * and its length into *len. More than max bytes is OD_ELIMIT ("PATH: larger
 * than MAX bytes"); a missing file is OD_ENOENT ("PATH: No such file...").
 */
enum od_status textfile_read(const char *path, size_t max, char **data, size_t *len,
			     struct err *e);

/*
 * Called with each line (NUL-terminated, without its newline) and its 1-based
 * number. The line is the splitter's own buffer: fn may cut it up in place.
 */
typedef enum od_status (*textfile_line_fn)(void *arg, char *line, size_t lineno,
					   struct err *e);

/*
 * Splits text into lines and calls fn for each, stopping at the first error.
 * A line of max_line bytes or more, or one holding a NUL byte, is OD_EPARSE
 * with "FNAME:LINE: ..." in e.
 */
enum od_status textfile_each_line(const char *text, size_t len, size_t max_line,
				  const char *fname, textfile_line_fn fn, void *arg,
				  struct err *e);

#endif
