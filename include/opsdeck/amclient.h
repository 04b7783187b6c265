/*
 * amclient.h: an Alertmanager API v2 client. GET /api/v2/alerts (active,
 * silenced and inhibited included, so the list can show what covers them)
 * then GET /api/v2/silences, through the libcurl multi handle in the event
 * loop (http.h: no threads, nothing blocks the UI), each body capped at
 * AM_BODY_MAX, parsed into a struct am_alerts (alerts.h).
 *
 * Ownership: the client borrows the loop, which must outlive it. One fetch
 * at a time; am_client_free cancels it without calling back.
 */
#ifndef OPSDECK_AMCLIENT_H
#define OPSDECK_AMCLIENT_H

#include "opsdeck/alerts.h"
#include "opsdeck/err.h"
#include "opsdeck/loop.h"

struct am_client;   /* opaque */

/* url: the Alertmanager's base URL ("http://host:9093" or with a path prefix). */
enum od_status am_client_new(struct loop *lp, const char *url, long timeout_ms,
			     struct am_client **out, struct err *e);
void am_client_free(struct am_client **c);

/* The base URL without any user:password@ (borrowed). */
const char *am_client_url(const struct am_client *c);

/*
 * Completion of a fetch. On OD_OK *alerts holds both lists and the callee
 * may take them (memcpy and zero *alerts); otherwise e says why. Called from
 * the loop; may start the next fetch.
 */
typedef void (*am_done_cb)(enum od_status st, struct am_alerts *alerts, const struct err *e,
			   void *arg);

/* Starts a fetch; OD_ESTATE if one is in flight. arg is borrowed. */
enum od_status am_fetch_start(struct am_client *c, am_done_cb done, void *arg, struct err *e);

/* Whether a fetch is in flight. */
bool am_fetch_busy(const struct am_client *c);

/* Runs the loop until one fetch completes (headless commands). *out is
 * replaced on success (caller frees with am_alerts_clear). */
enum od_status am_fetch(struct am_client *c, struct am_alerts *out, struct err *e);

#endif
