/*
 * log.c: the debug log file. One process-wide log, opened on request only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/log.h"
#include "opsdeck/timeutil.h"

/* The log is process state, not UI state: it never steers what is drawn. */
static FILE *log_file;
static enum log_level log_min = LOG_LEVEL_INFO;

static const char *const level_names[] = { "DEBUG", "INFO", "WARN", "ERROR" };

enum od_status log_open(const char *path, enum log_level min, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, OD_EIO, "cannot open debug log %s: %s", path, strerror(errno));
	FILE *f = fdopen(fd, "a");
	if (!f) {
		close(fd);
		return err_set(e, OD_ENOMEM, "cannot open debug log %s", path);
	}
	log_close();
	setvbuf(f, NULL, _IOLBF, 0);
	log_file = f;
	log_min = min;
	return OD_OK;
}

void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

int log_fd(void)
{
	if (!log_file)
		return -1;
	fflush(log_file);
	return fileno(log_file);
}

int log_enabled(enum log_level level)
{
	return log_file && level >= log_min;
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
	char ts[TIME_RFC3339_MAX];
	va_list ap;

	if (!log_enabled(level))
		return;
	time_format_rfc3339_micro(time_now(), ts, sizeof(ts));
	fprintf(log_file, "%s %s %s: ", ts, level_names[level], module ? module : "-");
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
}

void log_redact_url(const char *url, char *out, size_t n)
{
	const char *scheme = strstr(url, "://");
	const char *host = scheme ? scheme + 3 : url;
	const char *end = host + strcspn(host, "/?#");
	const char *at = NULL;

	for (const char *p = host; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at) {
		snprintf(out, n, "%s", url);
		return;
	}
	snprintf(out, n, "%.*sREDACTED%s", (int)(host - url), url, at);
}
