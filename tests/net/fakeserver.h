/*
 * fakeserver.h: a scripted HTTP/1.1 server on 127.0.0.1 for transport tests.
 * It runs in a forked child, answers each request with the next scripted
 * response (raw bytes, so tests can send anything: bad JSON, cut-off bodies,
 * watch streams) and logs every request line and Authorization header.
 */
#ifndef OPSDECK_TEST_FAKESERVER_H
#define OPSDECK_TEST_FAKESERVER_H

#include <stddef.h>
#include <sys/types.h>

enum fake_after {
	FAKE_KEEP,      /* keep the connection for the next request */
	FAKE_CLOSE,     /* close after writing */
	FAKE_HANG       /* write, then never answer again on this connection */
};

struct fake_response {
	const char *raw;        /* status line, headers and body; NULL: close at once */
	enum fake_after after;
	int delay_ms;           /* wait before answering */
};

struct fake_server {
	pid_t pid;
	int port;
	char log[256];          /* one line per request: "METHOD TARGET auth=VALUE" */
};

/* Starts the server with n scripted responses (further requests get a 500). */
int fake_server_start(struct fake_server *s, const struct fake_response *script, size_t n);
void fake_server_stop(struct fake_server *s);

/* The request log (owned by the caller, free()). */
char *fake_server_log(const struct fake_server *s);
/* Number of requests logged. */
int fake_server_requests(const struct fake_server *s);

#endif
