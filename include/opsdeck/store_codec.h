/*
 * store_codec.h: the packed sample blobs of the history store.
 *
 * Series are grouped in chunks of STORE_CHUNK_SERIES ids. A raw blob holds
 * one tick of one chunk: per series present, varint(id delta) then
 * zigzag-varint(value). A rollup blob holds one bucket of one chunk: per
 * series, varint(id delta), varint(count), zigzag(min), varint(max - min),
 * varint(sum - min * count). Ids ascend inside a blob. Small integers stay
 * small, so a raw sample costs 2 to 6 bytes.
 */
#ifndef OPSDECK_STORE_CODEC_H
#define OPSDECK_STORE_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_CHUNK_SERIES 64

/* Worst-case encoded bytes per record (raw: 2 varints; rollup: 5). */
#define STORE_CODEC_RAW_MAX 20
#define STORE_CODEC_AGG_MAX 50

struct store_raw_rec {
	int64_t series;
	int64_t value;
};

struct store_agg_rec {
	int64_t series;
	int64_t count;
	int64_t min;
	int64_t max;
	int64_t sum;
};

/* The chunk of a series id. */
static inline int64_t store_codec_chunk(int64_t series)
{
	return series / STORE_CHUNK_SERIES;
}

/*
 * Encodes n records (ids ascending, all in chunk) into out, which holds at
 * least n * STORE_CODEC_RAW_MAX (or _AGG_MAX) bytes. Returns the length.
 */
size_t store_codec_raw_encode(int64_t chunk, const struct store_raw_rec *r, size_t n, uint8_t *out);
size_t store_codec_agg_encode(int64_t chunk, const struct store_agg_rec *r, size_t n, uint8_t *out);

/*
 * Iterates a blob: *pos starts at 0; *prev at the chunk's first id minus 0
 * (set by the caller to chunk * STORE_CHUNK_SERIES). Returns false at the
 * end or on a malformed blob (which is treated as ending there).
 */
bool store_codec_raw_next(const uint8_t *blob, size_t len, size_t *pos, int64_t *prev,
			  struct store_raw_rec *out);
bool store_codec_agg_next(const uint8_t *blob, size_t len, size_t *pos, int64_t *prev,
			  struct store_agg_rec *out);

#endif
