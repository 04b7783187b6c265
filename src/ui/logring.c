/*
 * logring.c: the log buffer (ui_logring.h). In memory: a circular array of
 * lines, each text malloc'd. When it is full, the oldest line is written to
 * the spill file before its slot is reused. The spill file holds records
 * "u32 len, u16 src, u8 flags, text" back to back; a sparse index (one
 * offset per LOGRING_SPILL_STRIDE lines) finds a line by scanning at most a
 * stride, and the last stride read is cached, since scroll-back reads
 * neighbours.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/ui_logring.h"

#define SPILL_HDR 7
#define SPILL_WBUF (256 * 1024)

struct slot {
	char *text;          /* owned */
	uint32_t len;
	uint16_t src;
	uint8_t flags;
};

struct logring {
	struct slot *slots;  /* owned: capacity entries */
	size_t capacity;
	size_t head;         /* slot of the oldest in-memory line */
	size_t n;            /* in-memory lines */
	size_t mem_bytes;
	uint64_t spilled;    /* lines in the file; in-memory line i has seq spilled + i */
	char tmpdir[512];
	int fd;              /* spill file, -1 until the first spill */
	uint64_t file_size;  /* bytes written (including those still in wbuf) */
	uint64_t *index;     /* owned: offset of line k*STRIDE */
	size_t index_n, index_cap;
	char *wbuf;          /* owned: pending writes */
	size_t wlen;
	/* Cache of the last read from the file. */
	uint64_t cache_seq;  /* seq of the cached line, UINT64_MAX when none */
	uint64_t cache_next; /* file offset just after it */
	char *cache_text;    /* owned */
	size_t cache_cap;
	struct logline cache_line;
};

enum od_status logring_new(struct logring **out, size_t capacity, const char *tmpdir,
			   struct err *e)
{
	struct logring *r = calloc(1, sizeof(*r));
	const char *dir = tmpdir ? tmpdir : getenv("TMPDIR");

	*out = NULL;
	if (!r)
		return err_set(e, OD_ENOMEM, "out of memory");
	r->capacity = capacity ? capacity : LOGRING_DEFAULT_LINES;
	r->slots = calloc(r->capacity, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return err_set(e, OD_ENOMEM, "out of memory for %zu log lines", capacity);
	}
	snprintf(r->tmpdir, sizeof(r->tmpdir), "%s", dir && *dir ? dir : "/tmp");
	r->fd = -1;
	r->cache_seq = UINT64_MAX;
	*out = r;
	return OD_OK;
}

static void free_slots(struct logring *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct slot *s = &r->slots[(r->head + i) % r->capacity];

		free(s->text);
		s->text = NULL;
	}
	r->n = 0;
	r->head = 0;
	r->mem_bytes = 0;
}

void logring_free(struct logring **rp)
{
	struct logring *r = *rp;

	if (!r)
		return;
	free_slots(r);
	free(r->slots);
	if (r->fd >= 0)
		close(r->fd);
	free(r->index);
	free(r->wbuf);
	free(r->cache_text);
	free(r);
	*rp = NULL;
}

/* Creates the spill file, readable only by us, and unlinks it at once: it vanishes with us. */
static enum od_status spill_open(struct logring *r, struct err *e)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/opsdeck-logs-XXXXXX", r->tmpdir);
	r->fd = mkstemp(path);
	if (r->fd < 0)
		return err_set(e, OD_EIO, "log spill file in %s: %s", r->tmpdir, strerror(errno));
	unlink(path);
	if (fchmod(r->fd, 0600) != 0) {
		close(r->fd);
		r->fd = -1;
		return err_set(e, OD_EIO, "log spill file: %s", strerror(errno));
	}
	r->wbuf = malloc(SPILL_WBUF);
	if (!r->wbuf) {
		close(r->fd);
		r->fd = -1;
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	return OD_OK;
}

static enum od_status spill_flush(struct logring *r, struct err *e)
{
	size_t off = 0;
	off_t at = (off_t)(r->file_size - r->wlen);

	while (off < r->wlen) {
		ssize_t w = pwrite(r->fd, r->wbuf + off, r->wlen - off, at + (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return err_set(e, OD_EIO, "log spill file: %s", strerror(errno));
		off += (size_t)w;
	}
	r->wlen = 0;
	return OD_OK;
}

static enum od_status spill_write(struct logring *r, const void *p, size_t n, struct err *e)
{
	if (r->wlen + n > SPILL_WBUF) {
		enum od_status rc = spill_flush(r, e);

		if (rc != OD_OK)
			return rc;
	}
	if (n > SPILL_WBUF) {
		/* Cannot happen with LOGRING_LINE_MAX below the buffer; keep it honest anyway. */
		return err_set(e, OD_ELIMIT, "log line too long to spill");
	}
	memcpy(r->wbuf + r->wlen, p, n);
	r->wlen += n;
	r->file_size += n;
	return OD_OK;
}

static enum od_status spill_oldest(struct logring *r, struct err *e)
{
	struct slot *s = &r->slots[r->head];
	unsigned char hdr[SPILL_HDR];
	enum od_status rc;

	if (r->fd < 0 && (rc = spill_open(r, e)) != OD_OK)
		return rc;
	if (r->spilled % LOGRING_SPILL_STRIDE == 0) {
		if (r->index_n == r->index_cap) {
			size_t cap = r->index_cap ? 2 * r->index_cap : 256;
			uint64_t *ni = realloc(r->index, cap * sizeof(*ni));

			if (!ni)
				return err_set(e, OD_ENOMEM, "out of memory");
			r->index = ni;
			r->index_cap = cap;
		}
		r->index[r->index_n++] = r->file_size;
	}
	hdr[0] = (unsigned char)(s->len >> 24);
	hdr[1] = (unsigned char)(s->len >> 16);
	hdr[2] = (unsigned char)(s->len >> 8);
	hdr[3] = (unsigned char)s->len;
	hdr[4] = (unsigned char)(s->src >> 8);
	hdr[5] = (unsigned char)s->src;
	hdr[6] = s->flags;
	if ((rc = spill_write(r, hdr, sizeof(hdr), e)) != OD_OK ||
	    (rc = spill_write(r, s->text, s->len, e)) != OD_OK)
		return rc;
	r->mem_bytes -= s->len;
	free(s->text);
	s->text = NULL;
	r->head = (r->head + 1) % r->capacity;
	r->n--;
	r->spilled++;
	return OD_OK;
}

enum od_status logring_append(struct logring *r, uint16_t src, uint8_t flags, const char *text,
			      size_t len, struct err *e)
{
	struct slot *s;
	enum od_status rc;

	if (len > LOGRING_LINE_MAX) {
		len = LOGRING_LINE_MAX;
		flags |= LOGLINE_TRUNCATED;
	}
	if (r->n == r->capacity && (rc = spill_oldest(r, e)) != OD_OK)
		return rc;
	s = &r->slots[(r->head + r->n) % r->capacity];
	s->text = malloc(len + 1);
	if (!s->text)
		return err_set(e, OD_ENOMEM, "out of memory for a log line");
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	s->len = (uint32_t)len;
	s->src = src;
	s->flags = flags;
	r->n++;
	r->mem_bytes += len;
	return OD_OK;
}

uint64_t logring_count(const struct logring *r)
{
	return r->spilled + r->n;
}

uint64_t logring_spilled(const struct logring *r)
{
	return r->spilled;
}

size_t logring_in_memory(const struct logring *r)
{
	return r->n;
}

size_t logring_memory_bytes(const struct logring *r)
{
	return r->mem_bytes;
}

static enum od_status read_exact(int fd, void *p, size_t n, uint64_t off, struct err *e)
{
	size_t got = 0;

	while (got < n) {
		ssize_t rd = pread(fd, (char *)p + got, n - got, (off_t)(off + got));

		if (rd < 0 && errno == EINTR)
			continue;
		if (rd <= 0)
			return err_set(e, OD_EIO, "log spill file: short read");
		got += (size_t)rd;
	}
	return OD_OK;
}

/* Reads the record at off into the cache; *next is the offset after it. */
static enum od_status read_record(struct logring *r, uint64_t off, uint64_t *next, struct err *e)
{
	unsigned char hdr[SPILL_HDR];
	uint32_t len;
	enum od_status rc = read_exact(r->fd, hdr, sizeof(hdr), off, e);

	if (rc != OD_OK)
		return rc;
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	if (len > LOGRING_LINE_MAX)
		return err_set(e, OD_EIO, "log spill file: corrupt record");
	if (r->cache_cap < (size_t)len + 1) {
		char *nt = realloc(r->cache_text, (size_t)len + 1);

		if (!nt)
			return err_set(e, OD_ENOMEM, "out of memory");
		r->cache_text = nt;
		r->cache_cap = (size_t)len + 1;
	}
	rc = read_exact(r->fd, r->cache_text, len, off + SPILL_HDR, e);
	if (rc != OD_OK)
		return rc;
	r->cache_text[len] = '\0';
	r->cache_line.src = (uint16_t)(hdr[4] << 8 | hdr[5]);
	r->cache_line.flags = hdr[6];
	r->cache_line.text = r->cache_text;
	r->cache_line.len = len;
	*next = off + SPILL_HDR + len;
	return OD_OK;
}

static enum od_status get_spilled(struct logring *r, uint64_t seq, struct logline *out,
				  struct err *e)
{
	uint64_t at, off;
	enum od_status rc;

	if (r->wlen && (rc = spill_flush(r, e)) != OD_OK)
		return rc;
	if (r->cache_seq != UINT64_MAX && r->cache_seq == seq) {
		*out = r->cache_line;
		return OD_OK;
	}
	/* Reading forward from the cached line beats going back to the index entry. */
	if (r->cache_seq != UINT64_MAX && seq > r->cache_seq &&
	    seq / LOGRING_SPILL_STRIDE == r->cache_seq / LOGRING_SPILL_STRIDE) {
		at = r->cache_seq + 1;
		off = r->cache_next;
	} else {
		at = seq - seq % LOGRING_SPILL_STRIDE;
		off = r->index[at / LOGRING_SPILL_STRIDE];
	}
	for (;; at++) {
		uint64_t next = 0;

		rc = read_record(r, off, &next, e);
		if (rc != OD_OK) {
			r->cache_seq = UINT64_MAX;
			return rc;
		}
		r->cache_seq = at;
		r->cache_next = next;
		if (at == seq)
			break;
		off = next;
	}
	r->cache_line.seq = seq;
	*out = r->cache_line;
	return OD_OK;
}

enum od_status logring_get(struct logring *r, uint64_t seq, struct logline *out, struct err *e)
{
	const struct slot *s;

	if (seq >= logring_count(r))
		return err_set(e, OD_ERANGE, "no log line %llu", (unsigned long long)seq);
	if (seq < r->spilled)
		return get_spilled(r, seq, out, e);
	s = &r->slots[(r->head + (size_t)(seq - r->spilled)) % r->capacity];
	out->seq = seq;
	out->src = s->src;
	out->flags = s->flags;
	out->text = s->text;
	out->len = s->len;
	return OD_OK;
}

void logring_clear(struct logring *r)
{
	free_slots(r);
	r->spilled = 0;
	r->index_n = 0;
	r->wlen = 0;
	r->file_size = 0;
	r->cache_seq = UINT64_MAX;
	if (r->fd >= 0 && ftruncate(r->fd, 0) != 0) {
		/* A file that will not shrink is only wasted disk: it is rewritten from 0. */
	}
}
