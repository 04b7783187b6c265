/*
 * apiclock.c: clock skew between opsdeck and the API server (apiclock.h).
 */
#include <stdlib.h>

#include "opsdeck/apiclock.h"

#define NS_PER_MS 1000000LL

void api_clock_observe(struct api_clock *c, struct od_time server_date, struct od_time local)
{
	/* the server's second began at server_date: assume we are half-way through it */
	struct od_time mid = { server_date.sec, 500000000 };
	int64_t skew = time_diff_ns(local, mid) / NS_PER_MS;

	if (c->known && llabs(skew - c->skew_ms) <= 1000)
		return;
	c->skew_ms = skew;
	c->known = true;
}

struct od_time api_clock_at(const struct api_clock *c, struct od_time local)
{
	if (!c || !c->known)
		return local;
	int64_t ns = (int64_t)local.nsec + (c->skew_ms % 1000) * NS_PER_MS;
	int64_t sec = local.sec + c->skew_ms / 1000;
	while (ns < 0) {
		ns += 1000000000LL;
		sec--;
	}
	while (ns >= 1000000000LL) {
		ns -= 1000000000LL;
		sec++;
	}
	return (struct od_time){ sec, (int32_t)ns };
}

struct od_time api_now(const struct api_clock *c)
{
	return api_clock_at(c, time_now());
}
