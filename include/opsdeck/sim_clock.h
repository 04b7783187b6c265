/*
 * sim_clock.h: the simulated wall clock. It starts at --start-time and
 * advances with the monotonic clock, so ages and log timestamps derive from
 * one place. While a scenario is built the clock can be pinned to a fixed
 * instant, which makes the initial objects independent of how long start-up
 * took.
 */
#ifndef OPSDECK_SIM_CLOCK_H
#define OPSDECK_SIM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "opsdeck/timeutil.h"

struct sim_clock {
	struct od_time start;   /* sim time at mono0 */
	uint64_t mono0;         /* monotonic ms when the clock started */
	bool pinned;            /* when true, now() returns pinned_at */
	struct od_time pinned_at;
	double speed;           /* sim seconds per wall second (--speed), 1 by default */
};

void sim_clock_init(struct sim_clock *c, struct od_time start);
struct od_time sim_clock_now(const struct sim_clock *c);
/* Milliseconds of sim time since the epoch (handy for scheduling). */
int64_t sim_clock_now_ms(const struct sim_clock *c);
/* Runs the clock speed times faster; call right after init, before the clock is read. */
void sim_clock_set_speed(struct sim_clock *c, double speed);
void sim_clock_pin(struct sim_clock *c, struct od_time at);
void sim_clock_unpin(struct sim_clock *c);
/* t + ms */
struct od_time sim_clock_add_ms(struct od_time t, int64_t ms);
int64_t sim_clock_to_ms(struct od_time t);
/* Writes the current sim time as RFC 3339 (whole seconds). */
void sim_clock_rfc3339(const struct sim_clock *c, char *out, size_t n);

#endif
