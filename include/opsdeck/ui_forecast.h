/*
 * ui_forecast.h: a linear fit over a usage series and what it predicts
 * ("full in ~3d"), for the Trends pane's storage charts.
 */
#ifndef OPSDECK_UI_FORECAST_H
#define OPSDECK_UI_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct forecast {
	bool ok;           /* enough points (>= 2 distinct times) for a fit */
	double slope;      /* units per second */
	double intercept;  /* value at t = 0 (Unix seconds) */
	int64_t full_at;   /* when the fit reaches capacity; 0 when never (flat or shrinking) */
};

/* Least-squares fit of v over t (n points); capacity <= 0 skips full_at. */
void forecast_fit(const int64_t *t, const double *v, size_t n, double capacity,
		  struct forecast *out);

/*
 * A short sentence for the pane, relative to now: "full in ~3d", "full in
 * ~5h", "full now", "not filling", "no forecast (too few points)".
 */
void forecast_format(const struct forecast *f, int64_t now, char *out, size_t n);

#endif
