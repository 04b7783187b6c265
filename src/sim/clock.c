/*
 * clock.c: simulated wall time, see sim_clock.h.
 */
#include "opsdeck/sim_clock.h"

void sim_clock_init(struct sim_clock *c, struct od_time start)
{
	c->start = start;
	c->mono0 = time_mono_ms();
	c->pinned = false;
	c->pinned_at = start;
	c->speed = 1.0;
}

void sim_clock_set_speed(struct sim_clock *c, double speed)
{
	/* start stays the --start-time the scenarios and the timeline refer to */
	c->mono0 = time_mono_ms();
	c->speed = speed > 0 ? speed : 1.0;
}

struct od_time sim_clock_add_ms(struct od_time t, int64_t ms)
{
	int64_t ns = (int64_t)t.nsec + (ms % 1000) * 1000000;
	t.sec += ms / 1000;
	while (ns < 0) {
		ns += 1000000000;
		t.sec--;
	}
	while (ns >= 1000000000) {
		ns -= 1000000000;
		t.sec++;
	}
	t.nsec = (int32_t)ns;
	return t;
}

int64_t sim_clock_to_ms(struct od_time t)
{
	return t.sec * 1000 + t.nsec / 1000000;
}

struct od_time sim_clock_now(const struct sim_clock *c)
{
	if (c->pinned)
		return c->pinned_at;
	return sim_clock_add_ms(c->start, (int64_t)((double)(time_mono_ms() - c->mono0) * c->speed));
}

int64_t sim_clock_now_ms(const struct sim_clock *c)
{
	return sim_clock_to_ms(sim_clock_now(c));
}

void sim_clock_pin(struct sim_clock *c, struct od_time at)
{
	c->pinned = true;
	c->pinned_at = at;
}

void sim_clock_unpin(struct sim_clock *c)
{
	c->pinned = false;
}

void sim_clock_rfc3339(const struct sim_clock *c, char *out, size_t n)
{
	time_format_rfc3339(sim_clock_now(c), out, n);
}
