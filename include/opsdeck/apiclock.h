/*
 * apiclock.h: the API server's clock, as learnt from the Date header of its
 * responses. Ages ("5m", "3d") and time windows are computed against it, so
 * a laptop with a wrong clock, or opsdeck-sim's sped-up clock, still shows
 * the ages kubectl would show on a machine with a correct clock.
 */
#ifndef OPSDECK_APICLOCK_H
#define OPSDECK_APICLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/timeutil.h"

struct api_clock {
	bool known;        /* a Date header has been seen */
	int64_t skew_ms;   /* server time minus local time */
};

/*
 * Records a response whose Date header said server_date, received at local
 * time local. The Date has one-second resolution, so the estimate is the
 * middle of that second; changes under a second are ignored, so ages do not
 * flicker between two values.
 */
void api_clock_observe(struct api_clock *c, struct od_time server_date, struct od_time local);

/* local corrected by the skew (local itself while the skew is unknown). */
struct od_time api_clock_at(const struct api_clock *c, struct od_time local);

/* The API server's "now": api_clock_at(c, time_now()). c may be NULL (local clock). */
struct od_time api_now(const struct api_clock *c);

#endif
