/*
 * duration.h: durations as kubectl prints them and as users type them.
 */
#ifndef OPSDECK_DURATION_H
#define OPSDECK_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

#define NS_PER_SEC INT64_C(1000000000)

/* Size of a buffer that fits any output of duration_format_human. */
#define DURATION_HUMAN_MAX 24

/*
 * Kubernetes' HumanDuration (apimachinery duration.HumanDuration), as used
 * for AGE and "(Xm ago)": "<invalid>", "0s", "45s", "5m", "5m3s", "2h10m",
 * "3d4h", "400d", "2y30d", "9y".
 */
void duration_format_human(int64_t ns, char *out, size_t n);

/*
 * Parses a Go-style duration ("300ms", "1.5h", "2h45m", "-1m") extended with
 * "d" (24h) and "w" (7d), as --since 7d takes them. The result is in ns.
 */
enum od_status duration_parse(const char *s, int64_t *ns, struct err *e);

#endif
