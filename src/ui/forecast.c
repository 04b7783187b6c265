/*
 * forecast.c: least-squares line through usage points (ui_forecast.h). Times
 * are centred on their mean before squaring, so Unix seconds do not lose
 * precision in the sums.
 */
#include <math.h>
#include <stdio.h>

#include "opsdeck/ui_forecast.h"

void forecast_fit(const int64_t *t, const double *v, size_t n, double capacity,
		  struct forecast *out)
{
	double tm = 0, vm = 0, sxy = 0, sxx = 0;

	*out = (struct forecast){ 0 };
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		tm += (double)(t[i] - t[0]);
		vm += v[i];
	}
	tm /= (double)n;
	vm /= (double)n;
	for (size_t i = 0; i < n; i++) {
		double dx = (double)(t[i] - t[0]) - tm;

		sxy += dx * (v[i] - vm);
		sxx += dx * dx;
	}
	if (sxx <= 0)
		return;
	out->ok = true;
	out->slope = sxy / sxx;
	/* v = vm + slope * (t - t0 - tm) */
	out->intercept = vm - out->slope * ((double)t[0] + tm);
	if (capacity > 0 && out->slope > 0) {
		double when = (capacity - out->intercept) / out->slope;

		out->full_at = when > 9e15 ? 0 : (int64_t)ceil(when);
	}
}

void forecast_format(const struct forecast *f, int64_t now, char *out, size_t n)
{
	int64_t left;

	if (!f->ok) {
		snprintf(out, n, "no forecast (too few points)");
		return;
	}
	if (!f->full_at) {
		snprintf(out, n, "not filling");
		return;
	}
	left = f->full_at - now;
	if (left <= 0)
		snprintf(out, n, "full now");
	else if (left < 3600)
		snprintf(out, n, "full in ~%lldm", (long long)((left + 59) / 60));
	else if (left < 2 * 86400)
		snprintf(out, n, "full in ~%lldh", (long long)((left + 1800) / 3600));
	else if (left < 365LL * 86400)
		snprintf(out, n, "full in ~%lldd", (long long)((left + 43200) / 86400));
	else
		snprintf(out, n, "not full within a year");
}
