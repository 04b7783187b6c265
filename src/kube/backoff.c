/*
 * backoff.c: client-go's retry decision and the informer backoff (backoff.h).
 * Kept free of libcurl and of clocks so the rules are unit-tested exactly.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/backoff.h"
#include "opsdeck/timeutil.h"

#define RETRY_AFTER_MAX_S 86400u

bool retry_after_parse(const char *value, uint64_t *seconds)
{
	bool neg = false;
	uint64_t v = 0;
	size_t ndigits = 0;

	if (!value)
		return false;
	while (*value == ' ' || *value == '\t')
		value++;
	if (*value == '+' || *value == '-')
		neg = *value++ == '-';
	for (; isdigit((unsigned char)*value); value++, ndigits++) {
		if (v < RETRY_AFTER_MAX_S)
			v = v * 10 + (uint64_t)(*value - '0');
	}
	while (*value == ' ' || *value == '\t')
		value++;
	if (ndigits == 0 || *value != '\0')
		return false;
	if (v > RETRY_AFTER_MAX_S)
		v = RETRY_AFTER_MAX_S;
	*seconds = neg ? 0 : v;
	return true;
}

static uint64_t step_delay(unsigned attempt, double jitter)
{
	uint64_t d = BACKOFF_BASE_MS;

	for (unsigned i = 0; i < attempt && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > BACKOFF_CAP_MS)
		d = BACKOFF_CAP_MS;
	if (jitter < 0 || jitter >= 1)
		jitter = 0;
	return d + (uint64_t)((double)d * jitter);
}

struct retry_decision retry_decide(const struct retry_input *in)
{
	struct retry_decision d = { false, 0 };
	uint64_t secs = 0;

	if (in->attempt >= RETRY_MAX_ATTEMPTS)
		return d;
	if (in->http_code == 0) {
		/* no response: only idempotent reads may be sent again */
		if (in->conn_error && in->method && strcmp(in->method, "GET") == 0) {
			d.retry = true;
			d.delay_ms = step_delay(in->attempt, in->jitter);
		}
		return d;
	}
	if (in->http_code != 429 && in->http_code < 500)
		return d;
	if (!retry_after_parse(in->retry_after, &secs))
		return d;
	d.retry = true;
	d.delay_ms = secs * 1000u;
	return d;
}

void backoff_init(struct backoff *b)
{
	b->base_ms = BACKOFF_BASE_MS;
	b->cap_ms = BACKOFF_CAP_MS;
	b->reset_ms = BACKOFF_RESET_MS;
	b->cur_ms = 0;
	b->last_ms = 0;
}

uint64_t backoff_next(struct backoff *b, uint64_t now_ms, double jitter)
{
	if (b->cur_ms == 0 || (b->last_ms && now_ms - b->last_ms > b->reset_ms))
		b->cur_ms = b->base_ms;
	uint64_t step = b->cur_ms;
	b->last_ms = now_ms ? now_ms : 1;
	b->cur_ms = step * 2 > b->cap_ms ? b->cap_ms : step * 2;
	if (jitter < 0 || jitter >= 1)
		jitter = 0;
	return step + (uint64_t)((double)step * jitter);
}

double backoff_jitter(void)
{
	static bool seeded;

	if (!seeded) {
		struct od_time t = time_now();
		srand48((long)(t.nsec ^ (t.sec << 16) ^ getpid()));
		seeded = true;
	}
	return drand48();
}
