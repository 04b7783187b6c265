/*
 * status.h: the API server's Status objects and kubectl's wording for errors.
 *
 * Every failed request reaches the user as the exact line kubectl would
 * print, so an on-call engineer can paste it into a search or a runbook:
 *   401               -> error: You must be logged in to the server (<msg>)
 *   other API Status  -> Error from server (<Reason>): <message>
 *   refused           -> The connection to the server <host> was refused - did you ...
 *   transport errors  -> Unable to connect to the server: <what happened>
 * The functions below write that line into a struct err (callers print
 * e.msg as it is, without adding "error: ").
 */
#ifndef OPSDECK_STATUS_H
#define OPSDECK_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/err.h"

/* A meta/v1 Status, as far as opsdeck uses it. Fixed-size: nothing to free. */
struct kube_status {
	int code;               /* .code, else the HTTP status */
	char status[16];        /* "Failure" / "Success" */
	char reason[64];        /* "NotFound", "Forbidden", "Expired"...; "" if none */
	char message[ERR_MSG_MAX];
};

/*
 * Parses body as a Status object. OD_EPARSE when it is not JSON or not
 * kind=Status (st is then zeroed); long messages are cut.
 */
enum od_status status_parse(const char *body, size_t len, struct kube_status *st,
			    struct err *e);

/*
 * What client-go makes of a response without a Status body: the reason and
 * message apimachinery's NewGenericServerResponse gives http_code. body (may
 * be NULL) is the text the server sent, used for 5xx and unknown codes.
 */
void status_from_http(int http_code, const char *body, size_t len, bool body_is_text,
		      struct kube_status *st);

/*
 * Fills e with kubectl's line for a failed response (Status body or not) and
 * returns the od_status for it: OD_EPERM for 401/403, OD_ENOENT for 404,
 * OD_EHTTP otherwise. st (may be NULL) receives the Status used.
 */
enum od_status status_error_from_response(int http_code, const char *content_type,
					  const char *body, size_t len,
					  struct kube_status *st, struct err *e);

/* kubectl's wording for a Status (the 401 and Reason rules). */
enum od_status status_error_from_status(const struct kube_status *st, struct err *e);

/* "The connection to the server <hostport> was refused - did you ...?" */
enum od_status status_error_refused(const char *hostport, struct err *e);

/* "Unable to connect to the server: <detail>" with status s (OD_ENET, OD_ETIMEDOUT...). */
enum od_status status_error_unreachable(enum od_status s, const char *detail, struct err *e);

/* "<what>: invalid JSON from the server (<detail>)": truncated or malformed bodies. */
enum od_status status_error_bad_json(const char *what, const char *body, size_t len,
				     struct err *e);

#endif
