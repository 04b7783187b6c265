/*
 * ui_nodes.h: what the Nodes pane shows, and where it comes from: one row
 * per node, reduced to what is shown and sorted, read through struct
 * node_source (the live node watch, or a test).
 */
#ifndef OPSDECK_UI_NODES_H
#define OPSDECK_UI_NODES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"

struct node_view {
	char name[254];
	char status[64];        /* kubectl's STATUS: Ready, NotReady, Unknown (+ ",SchedulingDisabled") */
	char roles[128];        /* "control-plane,worker", "<none>" */
	char version[64];       /* kubelet version */
	char pressure[64];      /* "Memory,Disk,PID" for conditions that are True, "" when none */
	int64_t created;        /* Unix seconds */
	int64_t cpu_alloc_m;    /* allocatable, millicores; -1 unknown */
	int64_t mem_alloc_b;    /* allocatable, bytes; -1 unknown */
};

/* Fills v from a Node object (borrowed); OD_EPARSE without metadata.name. */
enum od_status nodeview_from_json(struct node_view *v, const cJSON *node, struct err *e);

struct node_source_ops {
	const char *kind;       /* "live", "test" */
	size_t (*count)(void *self);
	const struct node_view *(*row)(void *self, size_t i);
	uint64_t (*generation)(void *self);
};

struct node_source {
	const struct node_source_ops *ops;
	void *self;
};

#endif
