/*
 * sim_yaml.h: YAML (and JSON, which is YAML) to cJSON, one tree per
 * document, with Kubernetes' scalar rules: plain true/false/null and
 * numbers convert, quoted scalars stay strings, anchors and aliases work.
 */
#ifndef OPSDECK_SIM_YAML_H
#define OPSDECK_SIM_YAML_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "opsdeck/err.h"

/* Parses every document of text into a new array (owned by the caller). */
enum od_status sim_yaml_parse(const char *text, size_t len, cJSON **docs, struct err *e);

/* Reads and parses a file (capped at 64 MiB). */
enum od_status sim_yaml_parse_file(const char *path, cJSON **docs, struct err *e);

#endif
