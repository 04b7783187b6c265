/*
 * fuzz/watch_stream.c: watch streams from the network never crash the
 * splitter or the event parser, and how the bytes are cut into writes never
 * changes what comes out (the first input byte picks the write size).
 * Also feeds the input to the Status parser and the Retry-After parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/backoff.h"
#include "opsdeck/status.h"
#include "opsdeck/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
	size_t objects;
	size_t bytes;
	size_t gone;
};

static enum od_status on_object(const char *text, size_t len, void *arg, struct err *e)
{
	struct tally *t = arg;
	struct watch_event ev;

	if (strlen(text) != len)
		abort(); /* objects are handed over NUL-terminated and whole */
	t->objects++;
	t->bytes += len;
	if (watch_event_parse(text, len, &ev, e) == OD_OK) {
		if (ev.type == WATCH_ERROR && ev.gone)
			t->gone++;
		watch_event_clear(&ev);
	}
	return OD_OK;
}

static enum od_status run(const char *p, size_t n, size_t step, struct tally *t)
{
	struct watch_splitter s;
	enum od_status rc = OD_OK;

	watch_splitter_init(&s, 4096);
	for (size_t off = 0; off < n && rc == OD_OK; off += step)
		rc = watch_splitter_feed(&s, p + off, n - off < step ? n - off : step, on_object, t,
					 NULL);
	if (rc == OD_OK)
		rc = watch_splitter_finish(&s, NULL);
	watch_splitter_free(&s);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally whole = { 0 }, pieces = { 0 };
	struct kube_status st;
	struct err e;
	uint64_t secs;

	if (size == 0)
		return 0;
	size_t step = (size_t)(data[0] % 17) + 1;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;

	enum od_status a = run(p, n, n ? n : 1, &whole);
	enum od_status b = run(p, n, step, &pieces);
	if (a != b || whole.objects != pieces.objects || whole.bytes != pieces.bytes ||
	    whole.gone != pieces.gone)
		abort();

	(void)status_parse(p, n, &st, NULL);
	(void)status_error_from_response(500, "text/plain", p, n, &st, &e);
	(void)status_error_bad_json("GET /x", p, n, &e);
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
		(void)retry_after_parse(s, &secs);
		free(s);
	}
	return 0;
}
