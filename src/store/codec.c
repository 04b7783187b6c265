/*
 * codec.c: varint packing of raw and rollup records (layout in store_codec.h).
 * Arithmetic on deltas is done in uint64_t so wrapping is defined and exact.
 */
#include "opsdeck/store_codec.h"

static size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static bool varint_get(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;
	for (unsigned shift = 0; shift < 70 && *pos < len; shift += 7) {
		uint8_t b = p[(*pos)++];
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t u)
{
	return (int64_t)((u >> 1) ^ (~(u & 1) + 1));
}

size_t store_codec_raw_encode(int64_t chunk, const struct store_raw_rec *r, size_t n, uint8_t *out)
{
	int64_t prev = chunk * STORE_CHUNK_SERIES;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		len += varint_put(out + len, (uint64_t)(r[i].series - prev));
		len += varint_put(out + len, zigzag(r[i].value));
		prev = r[i].series;
	}
	return len;
}

size_t store_codec_agg_encode(int64_t chunk, const struct store_agg_rec *r, size_t n, uint8_t *out)
{
	int64_t prev = chunk * STORE_CHUNK_SERIES;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t c = (uint64_t)r[i].count, mn = (uint64_t)r[i].min;
		len += varint_put(out + len, (uint64_t)(r[i].series - prev));
		len += varint_put(out + len, c);
		len += varint_put(out + len, zigzag(r[i].min));
		len += varint_put(out + len, (uint64_t)r[i].max - mn);
		len += varint_put(out + len, (uint64_t)r[i].sum - mn * c);
		prev = r[i].series;
	}
	return len;
}

bool store_codec_raw_next(const uint8_t *blob, size_t len, size_t *pos, int64_t *prev,
			  struct store_raw_rec *out)
{
	uint64_t d, v;
	if (*pos >= len || !varint_get(blob, len, pos, &d) || !varint_get(blob, len, pos, &v))
		return false;
	*prev += (int64_t)d;
	out->series = *prev;
	out->value = unzigzag(v);
	return true;
}

bool store_codec_agg_next(const uint8_t *blob, size_t len, size_t *pos, int64_t *prev,
			  struct store_agg_rec *out)
{
	uint64_t d, c, mn, dmax, dsum;
	if (*pos >= len || !varint_get(blob, len, pos, &d) || !varint_get(blob, len, pos, &c) ||
	    !varint_get(blob, len, pos, &mn) || !varint_get(blob, len, pos, &dmax) ||
	    !varint_get(blob, len, pos, &dsum))
		return false;
	*prev += (int64_t)d;
	out->series = *prev;
	out->count = (int64_t)c;
	out->min = unzigzag(mn);
	out->max = (int64_t)((uint64_t)out->min + dmax);
	out->sum = (int64_t)((uint64_t)out->min * c + dsum);
	return true;
}
