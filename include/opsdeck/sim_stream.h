/*
 * sim_stream.h: a streaming response body (watch events, followed logs).
 * A producer appends bytes and marks the end; the server drains it and
 * suspends the HTTP connection while it is empty, to be woken on new data.
 */
#ifndef OPSDECK_SIM_STREAM_H
#define OPSDECK_SIM_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/buf.h"

/* Pending output is capped: a client that stops reading is cut off. */
#define SIM_STREAM_MAX (8u * 1024 * 1024)

struct sim_stream;

typedef void (*sim_stream_wake_fn)(void *arg);
/* Frees the producer's state; called once when the stream is freed. */
typedef void (*sim_stream_close_fn)(void *producer);

struct sim_stream {
	struct buf out;               /* pending bytes */
	bool finished;                /* no more bytes will come */
	bool overflow;                /* the client fell too far behind */
	void *producer;               /* owned through close */
	sim_stream_close_fn close;
	sim_stream_wake_fn wake;      /* set by the server; may be NULL */
	void *wake_arg;
};

struct sim_stream *sim_stream_new(void *producer, sim_stream_close_fn close);
/* Appends and wakes the reader. On overflow the stream finishes. */
void sim_stream_write(struct sim_stream *st, const char *data, size_t n);
void sim_stream_finish(struct sim_stream *st);
void sim_stream_free(struct sim_stream **st);

#endif
