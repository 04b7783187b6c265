/*
 * ui_trends_prom.h: Prometheus as the Trends pane's history source
 * (struct trends_source_ops, ui_pane_trends.h): the context's `prometheus`
 * URL from config.yaml, the PromQL of promsource.h, and GET
 * /api/v1/query_range started through http.h in the app's loop, each answer
 * (capped) parsed and summed per timestamp when it arrives. Only the
 * dashboard refers to it, so UI-only programs do not pull in promsource.
 */
#ifndef OPSDECK_UI_TRENDS_PROM_H
#define OPSDECK_UI_TRENDS_PROM_H

#include "opsdeck/ui_pane_trends.h"

extern const struct trends_source_ops trends_prom_source;

#endif
