/*
 * sim_json.h: small helpers over cJSON for reading and writing Kubernetes
 * objects by dotted paths ("metadata.name", "spec.template.spec").
 * Keys that contain dots (labels, annotations) are reached with the
 * sim_json_label/annotation helpers instead.
 */
#ifndef OPSDECK_SIM_JSON_H
#define OPSDECK_SIM_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Returns the item at path, or NULL. Borrowed. */
cJSON *sim_json_get(const cJSON *o, const char *path);
/* The string at path, or NULL when missing or not a string. Borrowed. */
const char *sim_json_str(const cJSON *o, const char *path);
/* The string at path, or dflt. */
const char *sim_json_str_or(const cJSON *o, const char *path, const char *dflt);
/* The number at path, or dflt. */
double sim_json_num(const cJSON *o, const char *path, double dflt);
int64_t sim_json_int(const cJSON *o, const char *path, int64_t dflt);
/* The boolean at path, or dflt. */
bool sim_json_bool(const cJSON *o, const char *path, bool dflt);

/* Returns the object at path, creating (or replacing non-objects) on the way. NULL on OOM. */
cJSON *sim_json_ensure(cJSON *o, const char *path);
/* Sets path to item (ownership taken). Returns false on OOM (item freed). */
bool sim_json_set(cJSON *o, const char *path, cJSON *item);
bool sim_json_set_str(cJSON *o, const char *path, const char *v);
bool sim_json_set_num(cJSON *o, const char *path, double v);
bool sim_json_set_bool(cJSON *o, const char *path, bool v);
/* Removes the item at path if present. */
void sim_json_remove(cJSON *o, const char *path);
/* Sets key in the object o (replacing). Ownership of item taken. */
void sim_json_put(cJSON *o, const char *key, cJSON *item);

/* metadata.labels[key] / metadata.annotations[key], or NULL. Borrowed. */
const char *sim_json_label(const cJSON *obj, const char *key);
const char *sim_json_annotation(const cJSON *obj, const char *key);
void sim_json_set_annotation(cJSON *obj, const char *key, const char *v);
void sim_json_set_label(cJSON *obj, const char *key, const char *v);

/* Deep equality of two JSON values (object key order ignored). */
bool sim_json_equal(const cJSON *a, const cJSON *b);

/* Prints compactly; the caller frees with free(). NULL on OOM. */
char *sim_json_print(const cJSON *o);

#endif
