/*
 * rng.c: xoshiro256** seeded by splitmix64, plus the hash helpers used for
 * pod-template-hash and controller-revision-hash.
 */
#include <stdio.h>

#include "opsdeck/sim_rng.h"

static const char suffix_alphabet[] = "bcdfghjklmnpqrstvwxz2456789";

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

int64_t sim_rng_range(struct sim_rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)(hi - lo) + 1;
	return lo + (int64_t)(sim_rng_next(r) % span);
}

double sim_rng_unit(struct sim_rng *r)
{
	return (double)(sim_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

void sim_rng_uuid(struct sim_rng *r, char out[37])
{
	uint64_t a = sim_rng_next(r), b = sim_rng_next(r);
	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xfff),
		 (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
		 (unsigned long long)(b & UINT64_C(0xffffffffffff)));
}

void sim_rng_suffix(struct sim_rng *r, char *out, size_t n)
{
	if (n == 0)
		return;
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = suffix_alphabet[sim_rng_next(r) % (sizeof(suffix_alphabet) - 1)];
	out[n - 1] = '\0';
}

uint64_t sim_rng_fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void sim_rng_hash_name(uint64_t h, char *out, size_t n)
{
	/* pod-template-hash is 8-10 characters; take 10 at most. */
	size_t len = n - 1 < 10 ? n - 1 : 10;
	for (size_t i = 0; i < len; i++) {
		out[i] = suffix_alphabet[h % (sizeof(suffix_alphabet) - 1)];
		h /= (sizeof(suffix_alphabet) - 1);
		if (h == 0)
			h = UINT64_C(0x9e3779b97f4a7c15) + i;
	}
	out[len] = '\0';
}
