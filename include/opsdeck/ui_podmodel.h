/*
 * ui_podmodel.h: what the Pods pane shows, and where it comes from.
 *
 * struct pod_view is a view model: one row of the Pods table with the values
 * already reduced to what is shown and sorted (kubectl's STATUS text, ready
 * counts, usage in millicores and bytes). It is filled from the Kubernetes
 * client's struct pod (live watch), from the store's last-known state, or
 * from a replayed dump; the pane reads rows only through struct pod_source,
 * so it does not care which.
 */
#ifndef OPSDECK_UI_PODMODEL_H
#define OPSDECK_UI_PODMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/pod.h"
#include "opsdeck/timeutil.h"

#define PODVIEW_NS_MAX 64
#define PODVIEW_NAME_MAX 254
#define PODVIEW_STATUS_MAX 128
#define PODVIEW_OWNER_MAX 128
#define PODVIEW_LABELS_MAX 512

/* Unknown numbers (no metrics, no request set) are PODVIEW_UNKNOWN. */
#define PODVIEW_UNKNOWN INT64_C(-1)

struct pod_view {
	char namespace_[PODVIEW_NS_MAX];
	char name[PODVIEW_NAME_MAX];
	int ready, containers;          /* READY as ready/containers */
	char status[PODVIEW_STATUS_MAX];    /* kubectl's STATUS column text */
	int restarts;
	int64_t created;                /* creation time, Unix seconds (0: unknown) */
	int64_t cpu_m, mem_b;           /* usage: millicores, bytes */
	int64_t cpu_req_m, cpu_lim_m;   /* sums over containers */
	int64_t mem_req_b, mem_lim_b;
	char owner[PODVIEW_OWNER_MAX];      /* "Deployment/web", "" for a bare pod */
	char labels[PODVIEW_LABELS_MAX];    /* "app=web,tier=front" */
};

/*
 * Fills v from the Kubernetes client's pod, with kubectl's READY and STATUS
 * rules (podstatus.h) at time now. Usage is left unknown: it comes from
 * metrics, which the caller adds.
 */
void podview_from_pod(struct pod_view *v, const struct pod *p, struct od_time now);

/* How worrying a STATUS is, for colours and "trouble first". Higher is worse. */
enum podview_trouble {
	PODVIEW_TROUBLE_NONE,       /* Running and all ready, Completed */
	PODVIEW_TROUBLE_NOT_READY,  /* Running but not all containers ready */
	PODVIEW_TROUBLE_PENDING,    /* Pending, ContainerCreating, PodInitializing, Init:N/M */
	PODVIEW_TROUBLE_TERMINATING,
	PODVIEW_TROUBLE_UNKNOWN,
	PODVIEW_TROUBLE_FAILED      /* CrashLoopBackOff, Error, OOMKilled, ImagePullBackOff, ... */
};

enum podview_trouble podview_trouble(const struct pod_view *r);

/* Usage as a percentage of request/limit; -1 when either is unknown or zero. */
int podview_pct(int64_t used, int64_t of);

/*
 * The model interface. count and row are called while drawing; generation
 * changes whenever the rows change, which is how the pane knows to
 * recalculate (sort and filter) rather than just repaint.
 */
struct pod_source_ops {
	const char *kind;                                    /* "live", "store", "replay" */
	size_t (*count)(void *self);
	const struct pod_view *(*row)(void *self, size_t i);  /* borrowed, valid until the next change */
	uint64_t (*generation)(void *self);
	/* The full pod behind row i, for describe; NULL when the source keeps rows only. */
	const struct pod *(*pod)(void *self, size_t i);      /* may be NULL */
	void (*free)(void *self);                            /* may be NULL */
};

struct pod_source {
	const struct pod_source_ops *ops;
	void *self;
};

/*
 * A source over rows held in memory: tests build them from literal data, and
 * the replay reader below fills one from a dump. Owns a copy of the rows.
 */
struct podview_array;
enum od_status podview_array_new(struct podview_array **out, struct err *e);
void podview_array_free(struct podview_array **pa);
enum od_status podview_array_add(struct podview_array *pa, const struct pod_view *r, struct err *e);
void podview_array_clear(struct podview_array *pa);
/* A pod_source reading pa (borrowed: pa must outlive it). */
struct pod_source podview_array_source(struct podview_array *pa);

/*
 * One row as a tab-separated line (the replay format below, no newline) and
 * back. This is also how rows are kept in the store's last-known state.
 * parse errors say what is wrong without a place; callers add "FILE:LINE: ".
 */
void podview_format_tsv(const struct pod_view *v, char *out, size_t n);
enum od_status podview_parse_tsv(struct pod_view *v, const char *line, struct err *e);

/* Longest line podview_format_tsv writes (with the NUL). */
#define PODVIEW_TSV_MAX 2048

/*
 * Reads a replayed dump: tab-separated lines with the fields NAMESPACE NAME
 * READY(n/m) STATUS RESTARTS CREATED(unix s) CPU(m) MEM(bytes) CPU_REQ CPU_LIM
 * MEM_REQ MEM_LIM OWNER LABELS ("-" for unknown); '#' lines are comments.
 * Errors read "FILE:LINE: problem". Format in docs/ui.md.
 */
enum od_status podview_array_load_tsv(struct podview_array *pa, const char *path, struct err *e);

#endif
