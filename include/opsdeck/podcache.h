/*
 * podcache.h: the pods of a namespace (or all namespaces) kept up to date by
 * an informer (informer.h), each held as a compact struct pod (pod.h), never
 * as a cJSON tree. A relist replaces the contents: pods that did not come
 * back are dropped. A generation counter tells the UI when to recalculate.
 */
#ifndef OPSDECK_PODCACHE_H
#define OPSDECK_PODCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/http.h"
#include "opsdeck/informer.h"
#include "opsdeck/pod.h"

struct podcache;   /* opaque; owned by whoever called podcache_new */

struct podcache_config {
	const char *namespace_;       /* NULL or "": all namespaces */
	const char *label_selector;   /* may be NULL */
	const char *field_selector;   /* may be NULL */
	unsigned backoff_base_ms;     /* 0: the informer's default */
};

/* http is borrowed and must outlive the cache. */
enum od_status podcache_new(struct http_client *http, const struct podcache_config *cfg,
			    struct podcache **out, struct err *e);
enum od_status podcache_start(struct podcache *pc, struct err *e);
void podcache_free(struct podcache **pc);

size_t podcache_count(const struct podcache *pc);
/* Changes whenever a pod is added, changed or removed. */
uint64_t podcache_generation(const struct podcache *pc);
/* Borrowed; NULL when absent. Valid until the loop runs again. */
const struct pod *podcache_get(const struct podcache *pc, const char *ns, const char *name);

/*
 * All pods sorted by namespace, then name (kubectl's order). *out is an owned
 * array of borrowed pointers (free() it), valid until the loop runs again.
 */
enum od_status podcache_sorted(const struct podcache *pc, const struct pod ***out, size_t *n,
			       struct err *e);

const struct informer_stats *podcache_stats(const struct podcache *pc);

#endif
