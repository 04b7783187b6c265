/*
 * stream.c: buffered streaming bodies, see sim_stream.h.
 */
#include <stdlib.h>

#include "opsdeck/sim_stream.h"

struct sim_stream *sim_stream_new(void *producer, sim_stream_close_fn close)
{
	struct sim_stream *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	buf_init(&st->out, SIM_STREAM_MAX);
	st->producer = producer;
	st->close = close;
	return st;
}

static void stream_wake(struct sim_stream *st)
{
	if (st->wake)
		st->wake(st->wake_arg);
}

void sim_stream_write(struct sim_stream *st, const char *data, size_t n)
{
	if (st->finished)
		return;
	if (buf_append(&st->out, data, n, NULL) != OD_OK) {
		st->overflow = true;
		st->finished = true;
	}
	stream_wake(st);
}

void sim_stream_finish(struct sim_stream *st)
{
	st->finished = true;
	stream_wake(st);
}

void sim_stream_free(struct sim_stream **pst)
{
	struct sim_stream *st = pst ? *pst : NULL;
	if (!st)
		return;
	if (st->close)
		st->close(st->producer);
	buf_free(&st->out);
	free(st);
	*pst = NULL;
}
