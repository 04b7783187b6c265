/*
 * log.h: the debug log. It goes to a file (never the terminal, which belongs
 * to curses) and only when asked for: --debug-log FILE or $OPSDECK_DEBUG_LOG.
 *
 * Never pass tokens, keys, exec-plugin arguments or Secret data to it; use
 * log_redact_url() for URLs that may carry credentials.
 */
#ifndef OPSDECK_LOG_H
#define OPSDECK_LOG_H

#include <stddef.h>

#include "opsdeck/err.h"

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Opens (appends to) path, created 0600, logging min and above. Replaces any open log. */
enum od_status log_open(const char *path, enum log_level min, struct err *e);

/* Closes the log; later calls to log_msg are dropped. */
void log_close(void);

/* The open log's file descriptor (its buffer flushed), or -1 without a log: a child
 * process of the console sends its stderr there. */
int log_fd(void);

/* True when a message at level would be written (skip costly formatting otherwise). */
int log_enabled(enum log_level level);

/* Writes one line: "2026-11-22T10:56:40.123Z LEVEL module: message". */
void log_msg(enum log_level level, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Copies url to out with any user:password@ part replaced by "REDACTED@". */
void log_redact_url(const char *url, char *out, size_t n);

#define LOG_DEBUG(mod, ...) log_msg(LOG_LEVEL_DEBUG, (mod), __VA_ARGS__)
#define LOG_INFO(mod, ...)  log_msg(LOG_LEVEL_INFO, (mod), __VA_ARGS__)
#define LOG_WARN(mod, ...)  log_msg(LOG_LEVEL_WARN, (mod), __VA_ARGS__)
#define LOG_ERROR(mod, ...) log_msg(LOG_LEVEL_ERROR, (mod), __VA_ARGS__)

#endif
