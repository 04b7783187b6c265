/*
 * sim_rng.h: the seeded random generator (xoshiro256**) behind every name
 * suffix, uid, IP and log line, so a --seed reproduces a cluster exactly.
 */
#ifndef OPSDECK_SIM_RNG_H
#define OPSDECK_SIM_RNG_H

#include <stddef.h>
#include <stdint.h>

struct sim_rng {
	uint64_t s[4];
};

void sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
/* Uniform in [lo, hi] (inclusive). */
int64_t sim_rng_range(struct sim_rng *r, int64_t lo, int64_t hi);
/* Uniform in [0, 1). */
double sim_rng_unit(struct sim_rng *r);
/* A version-4 style UUID string (37 bytes with NUL). */
void sim_rng_uuid(struct sim_rng *r, char out[37]);
/* n characters of Kubernetes' name-suffix alphabet (bcdfghjklmnpqrstvwxz2456789) + NUL. */
void sim_rng_suffix(struct sim_rng *r, char *out, size_t n);

/* FNV-1a over a string, chained from h (use SIM_FNV_INIT to start). */
#define SIM_FNV_INIT UINT64_C(0xcbf29ce484222325)
uint64_t sim_rng_fnv(uint64_t h, const char *s);
/* Encodes h in the suffix alphabet, as rand.SafeEncodeString does for pod-template-hash. */
void sim_rng_hash_name(uint64_t h, char *out, size_t n);

#endif
