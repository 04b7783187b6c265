/*
 * clikube.h: what every headless command that talks to the cluster shares:
 * the kubeconfig resolved from the global flags, the event loop and the
 * connection, blocking GETs for one-shot commands, and the mapping from
 * od_status to opsdeck's exit codes (0 ok, 1 refused/failed, 2 usage/config).
 */
#ifndef OPSDECK_CLIKUBE_H
#define OPSDECK_CLIKUBE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "opsdeck/buf.h"
#include "opsdeck/commands.h"
#include "opsdeck/err.h"
#include "opsdeck/jsonarena.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"
#include "opsdeck/loop.h"
#include "opsdeck/timeutil.h"

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILED = 1, CLI_EXIT_USAGE = 2 };

/* Cap on a whole LIST assembled from its pages (kubectl holds it all too). */
#define CLIKUBE_LIST_MAX (512u * 1024u * 1024u)

struct clikube {
	struct kube_target *target;   /* owned */
	struct loop *loop;            /* owned */
	struct kube_conn *conn;       /* owned; borrows loop */
	const char *namespace_;       /* borrowed from target: the namespace in effect */
	bool all_namespaces;          /* -A */
};

/*
 * Resolves the kubeconfig from g and opens the connection. On failure prints
 * kubectl's message to stderr and returns the exit code (2); 0 on success.
 */
int clikube_open(struct clikube *k, const struct global_opts *g);
void clikube_close(struct clikube *k);

/* The namespace to request: NULL with -A (all namespaces). */
const char *clikube_request_namespace(const struct clikube *k);

/* The API server's "now" (Date header), for ages. */
struct od_time clikube_now(const struct clikube *k);

/* One GET; the body (capped at HTTP_BODY_MAX) into *body. Errors in kubectl's words. */
enum od_status clikube_get(struct clikube *k, const char *path, const char *accept,
			   struct buf *body, struct err *e);

/* GET and parse; *out is owned by the caller (cJSON_Delete). */
enum od_status clikube_get_json(struct clikube *k, const char *path, const char *accept,
				cJSON **out, struct err *e);

/*
 * A LIST fetched in pages of 500 as kubectl does (limit/continue) and merged
 * into one object whose "items" holds every page's items. path has no query;
 * q_label/q_field may be NULL. *out is owned by the caller.
 */
enum od_status clikube_list(struct clikube *k, const char *path, const char *label_selector,
			    const char *field_selector, const char *accept, cJSON **out,
			    struct err *e);

/*
 * The same paged LIST, each page handed to cb as it arrives, so a large list
 * never sits in memory whole. The page is freed after the call unless cb
 * takes it (sets *page = NULL). A non-OK return stops the listing.
 */
typedef enum od_status (*clikube_page_cb)(cJSON **page, void *arg, struct err *e);
enum od_status clikube_list_pages(struct clikube *k, const char *path,
				  const char *label_selector, const char *field_selector,
				  const char *accept, clikube_page_cb cb, void *arg,
				  struct err *e);

/*
 * The same paged LIST for large lists read once: each page is parsed into
 * an arena (jsonarena.h) that is reused from page to page, leaving out the
 * keys of skip (may be NULL). The page given to cb is borrowed and valid
 * only during the call; cb must not change it.
 */
typedef enum od_status (*clikube_arena_page_cb)(const cJSON *page, void *arg, struct err *e);
enum od_status clikube_list_pages_arena(struct clikube *k, const char *path,
					const char *label_selector, const char *field_selector,
					const struct json_arena_skip *skip,
					clikube_arena_page_cb cb, void *arg, struct err *e);

/* Prints e's message (already in kubectl's words) and returns the exit code for rc. */
int clikube_fail(enum od_status rc, const struct err *e);

/* The exit code for a status: 0, 1 (API/network/not found), 2 (usage/config). */
int clikube_exit_code(enum od_status rc);



/*
 * Flag parsing as pflag accepts it: "-o X", "-oX", "-o=X", "--output X",
 * "--output=X". Returns 1 and sets *out (borrowed from argv) when argv[*i] is
 * the flag (advancing *i past a separate value), 0 when it is not, -1 when
 * the value is missing (an error was printed). shortf may be NULL.
 */
int clikube_flag_value(int argc, char **argv, int *i, const char *shortf, const char *longf,
		       const char **out);

/* A boolean flag: "--x", "--x=true" set *out; "--x=false" clears it. Returns 1 when matched. */
int clikube_flag_bool(const char *arg, const char *shortf, const char *longf, bool *out);
/* True for -h/--help; prints the command's row of the command table to stdout. */
bool clikube_help(const char *arg, const char *command);

#endif
