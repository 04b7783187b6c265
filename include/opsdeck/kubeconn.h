/*
 * kubeconn.h: a connection to the cluster a resolved kubeconfig names: the
 * credentials (auth.h) and the HTTP client (http.h) built from a
 * struct kube_target (kubeconfig.h). Files the kubeconfig references (CA,
 * client certificate and key) are read here, once.
 */
#ifndef OPSDECK_KUBECONN_H
#define OPSDECK_KUBECONN_H

#include "opsdeck/auth.h"
#include "opsdeck/err.h"
#include "opsdeck/http.h"
#include "opsdeck/loop.h"

struct kube_target;

struct kube_conn {
	struct auth *auth;          /* owned */
	struct http_client *http;   /* owned; borrows auth and the loop */
};

/* Options that do not come from the kubeconfig. */
struct kube_conn_opts {
	long request_timeout_ms;    /* --request-timeout; 0: none */
	long exec_timeout_ms;       /* exec plugin timeout; 0: EXEC_DEFAULT_TIMEOUT_MS */
	void (*warn)(const char *msg, void *arg);   /* NULL: stderr */
	void *warn_arg;
};

/*
 * Builds the connection for t (borrowed). Unreadable files are OD_ECONFIG
 * with kubectl's message. *out is owned by the caller (kube_conn_free).
 */
enum od_status kube_conn_open(struct loop *lp, const struct kube_target *t,
			      const struct kube_conn_opts *o, struct kube_conn **out,
			      struct err *e);

/* Frees the HTTP client, then the credentials; sets *c = NULL. */
void kube_conn_free(struct kube_conn **c);

#endif
