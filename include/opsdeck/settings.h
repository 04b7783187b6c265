/*
 * settings.h: opsdeck's own configuration file,
 * $XDG_CONFIG_HOME/opsdeck/config.yaml (format: docs/config.md).
 *
 * It holds defaults and per-context settings: read-only, protected (actions
 * need the object's name typed), Prometheus and Alertmanager URLs, profiles
 * to load, the collector's intervals and the history's retention. A context
 * takes every value it does not set from `defaults`, and `defaults` takes
 * opsdeck's built-in values.
 */
#ifndef OPSDECK_SETTINGS_H
#define OPSDECK_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

/* A config file larger than this is refused; it is a hand-written file. */
#define SETTINGS_MAX_FILE_SIZE (1u << 20)
#define SETTINGS_MAX_PROFILES 16

/* The effective settings for one context; every string is owned by struct settings. */
struct context_settings {
	const char *name;             /* the context's name; NULL for the defaults */
	bool read_only;
	bool protected_;              /* actions need the object's name typed out */
	const char *prometheus_url;   /* NULL: no Prometheus */
	const char *alertmanager_url; /* NULL: no Alertmanager */
	const char *profiles[SETTINGS_MAX_PROFILES];
	size_t nprofiles;
	const char *theme;            /* NULL: the default theme */
	int64_t collect_interval_ns;  /* metrics and state; default 15 s */
	int64_t collect_pvc_interval_ns; /* PVC usage from the kubelet; default 60 s */
	int64_t retain_raw_ns;        /* raw samples; default 48 h */
	int64_t retain_5m_ns;         /* 5-minute rollups; default 90 d */
	int64_t retain_1h_ns;         /* 1-hour rollups; default 730 d */
	int64_t retain_events_ns;     /* the events archive; default 90 d */
};

struct settings;   /* opaque; owned by whoever loaded it */

/*
 * Loads path, or the default location when path is NULL. A missing file is
 * not an error: the result holds the built-in defaults. A malformed one is,
 * with "file:line: field: problem".
 */
enum od_status settings_load(const char *path, struct settings **out, struct err *e);

/* Parses settings from memory; name is used in messages. */
enum od_status settings_parse(const char *name, const char *text, size_t len,
			      struct settings **out, struct err *e);

/* Frees s and sets *s = NULL. */
void settings_free(struct settings **s);

/*
 * Fills out with the effective settings for context (NULL: the defaults).
 * The strings are borrowed from s and live as long as s.
 */
void settings_for_context(const struct settings *s, const char *context,
			  struct context_settings *out);

/* The path the settings were read from, or would be read from. Borrowed. */
const char *settings_path(const struct settings *s);

#endif
