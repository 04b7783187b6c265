/*
 * backoff.h: client-go's retry rules and backoff, as pure functions.
 *
 * A request is retried only when client-go would retry it:
 *   - 429 or any 5xx that carries an integer Retry-After header, after that
 *     many seconds (no Retry-After, or an HTTP-date one: no retry);
 *   - a connection error (refused, reset, unexpected EOF) for GET only,
 *     because writes are not idempotent;
 *   - at most RETRY_MAX_ATTEMPTS retries (client-go's maxRetries).
 * Informers back off between relists and failed watches: 800 ms, doubling,
 * jittered, capped at 30 s, reset after 2 minutes without a failure.
 */
#ifndef OPSDECK_BACKOFF_H
#define OPSDECK_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

#define RETRY_MAX_ATTEMPTS 10
#define BACKOFF_BASE_MS 800u
#define BACKOFF_CAP_MS 30000u
#define BACKOFF_RESET_MS 120000u

/* What happened to one attempt of a request. */
struct retry_input {
	const char *method;        /* "GET", "POST"... */
	int http_code;             /* 0 when no response arrived */
	const char *retry_after;   /* the Retry-After header value, or NULL */
	bool conn_error;           /* failed to connect, reset or cut before a response */
	unsigned attempt;          /* retries already made (0 for the first try) */
	double jitter;             /* uniform in [0, 1): the caller's randomness */
};

struct retry_decision {
	bool retry;
	uint64_t delay_ms;
};

/* client-go's decision (see the file comment). Pure: same input, same answer. */
struct retry_decision retry_decide(const struct retry_input *in);

/*
 * Parses Retry-After as client-go does (strconv.Atoi of the trimmed value):
 * true and *seconds for a decimal integer (a negative one counts as 0),
 * false for anything else, including HTTP dates. Values are capped at 1 day.
 */
bool retry_after_parse(const char *value, uint64_t *seconds);

/* Exponential backoff state for one informer (or anything that retries forever). */
struct backoff {
	uint64_t base_ms, cap_ms, reset_ms;
	uint64_t cur_ms;           /* the next delay before jitter; 0 = base */
	uint64_t last_ms;          /* monotonic time of the last failure; 0 = none */
};

void backoff_init(struct backoff *b);

/*
 * Records a failure at now_ms and returns how long to wait: the current step
 * plus up to 100% jitter (jitter in [0, 1)), then doubles the step up to the
 * cap. A failure more than reset_ms after the previous one starts over.
 */
uint64_t backoff_next(struct backoff *b, uint64_t now_ms, double jitter);

/* A jitter value from the process's PRNG, seeded once from the clock and pid. */
double backoff_jitter(void);

#endif
