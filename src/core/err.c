/*
 * err.c: status names and texts, and filling struct err.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/err.h"

#define OD_STATUS_NAME_(name, text) #name,
#define OD_STATUS_TEXT_(name, text) text,
static const char *const status_names[] = { OD_STATUS_LIST(OD_STATUS_NAME_) };
static const char *const status_texts[] = { OD_STATUS_LIST(OD_STATUS_TEXT_) };
#undef OD_STATUS_NAME_
#undef OD_STATUS_TEXT_

const char *od_status_name(enum od_status s)
{
	if ((unsigned)s >= OD_STATUS_COUNT)
		return "OD_UNKNOWN";
	return status_names[s];
}

const char *od_status_text(enum od_status s)
{
	if ((unsigned)s >= OD_STATUS_COUNT)
		return "unknown error";
	return status_texts[s];
}

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->status = OD_OK;
	e->msg[0] = '\0';
}

/* Marks a cut message so nobody mistakes it for the whole story. */
static void mark_truncated(char *msg, size_t cap, int wanted)
{
	if (wanted >= 0 && (size_t)wanted >= cap && cap > 4)
		memcpy(msg + cap - 4, "...", 4);
}

enum od_status err_vset(struct err *e, enum od_status s, const char *fmt, va_list ap)
{
	if (!e)
		return s;
	e->status = s;
	int n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (n < 0)
		snprintf(e->msg, sizeof(e->msg), "%s", od_status_text(s));
	mark_truncated(e->msg, sizeof(e->msg), n);
	return s;
}

enum od_status err_set(struct err *e, enum od_status s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, s, fmt, ap);
	va_end(ap);
	return s;
}

enum od_status err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX], old[ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return OD_OK;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	int n = snprintf(e->msg, sizeof(e->msg), "%s%s", prefix, old);
	mark_truncated(e->msg, sizeof(e->msg), n);
	return e->status;
}
