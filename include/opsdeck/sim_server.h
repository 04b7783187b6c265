/*
 * sim_server.h: the HTTP(S) front end. libmicrohttpd runs in external mode
 * with its epoll fd registered in the core loop, so requests, watches and
 * log streams are all served from the one thread and the one event loop.
 */
#ifndef OPSDECK_SIM_SERVER_H
#define OPSDECK_SIM_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/sim_auth.h"
#include "opsdeck/sim_sim.h"

struct sim_server_opts {
	const char *listen;        /* "ADDR:PORT"; port 0 picks a free one */
	bool tls;
	const char *cert_pem;      /* borrowed: server certificate (tls) */
	const char *key_pem;       /* borrowed: server key (tls) */
	const char *ca_pem;        /* borrowed: CA that signs client certificates (tls) */
	const struct sim_auth *auth; /* borrowed */
};

/* Binds, starts serving from s->loop. */
enum od_status sim_server_start(struct sim *s, const struct sim_server_opts *o,
				struct sim_server **out, struct err *e);
void sim_server_stop(struct sim_server **srv);

/* "https://127.0.0.1:43211" */
const char *sim_server_url(const struct sim_server *srv);

#endif
