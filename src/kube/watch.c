/*
 * watch.c: the incremental watch-stream splitter and event parser (watch.h).
 * The framer looks at each byte once and keeps only the current object, so a
 * watch that runs for days costs no more memory than its largest event.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/watch.h"

void watch_splitter_init(struct watch_splitter *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	buf_init(&s->cur, max ? max : WATCH_EVENT_MAX);
}

void watch_splitter_free(struct watch_splitter *s)
{
	buf_free(&s->cur);
	s->depth = 0;
	s->in_string = s->escape = false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Advances the nesting state over one byte inside an object. */
static void frame_step(struct watch_splitter *s, char c)
{
	if (s->in_string) {
		if (s->escape)
			s->escape = false;
		else if (c == '\\')
			s->escape = true;
		else if (c == '"')
			s->in_string = false;
		return;
	}
	if (c == '"')
		s->in_string = true;
	else if (c == '{' || c == '[')
		s->depth++;
	else if (c == '}' || c == ']')
		s->depth--;
}

static enum od_status fail(struct watch_splitter *s, struct err *e, enum od_status st,
			   const char *what)
{
	s->failed = true;
	return err_set(e, st, "watch stream: %s at byte %zu", what, s->offset);
}

enum od_status watch_splitter_feed(struct watch_splitter *s, const char *p, size_t n,
				   watch_object_cb cb, void *arg, struct err *e)
{
	size_t i = 0;

	if (s->failed)
		return err_set(e, OD_ESTATE, "watch stream: already failed");
	while (i < n) {
		if (s->depth == 0) {
			/* between objects: skip blank space, expect '{' */
			if (is_space(p[i])) {
				i++;
				s->offset++;
				continue;
			}
			if (p[i] != '{')
				return fail(s, e, OD_EPARSE, "expected a JSON object");
			buf_reset(&s->cur);
		}
		/* consume as much of the current object as this piece holds */
		size_t start = i;
		bool done = false;
		while (i < n) {
			/* the limit is checked byte by byte, so how the stream is cut
			 * into pieces never changes which error comes first */
			if (s->cur.len + (i - start) >= s->cur.max) {
				char what[96];

				s->offset += i - start;
				snprintf(what, sizeof(what), "event larger than the %zu-byte limit",
					 s->cur.max);
				return fail(s, e, OD_ELIMIT, what);
			}
			if (p[i] == '\0') {
				/* JSON has no raw NUL; readers of the C string would see less than we parsed */
				s->offset += i - start;
				return fail(s, e, OD_EPARSE, "NUL byte in an event");
			}
			frame_step(s, p[i]);
			i++;
			if (s->depth == 0) {
				done = true;
				break;
			}
		}
		s->offset += i - start;
		if (buf_append(&s->cur, p + start, i - start, NULL) != OD_OK) {
			char what[96];
			snprintf(what, sizeof(what), "event larger than the %zu-byte limit",
				 s->cur.max);
			return fail(s, e, OD_ELIMIT, what);
		}
		if (done) {
			enum od_status rc = cb(buf_cstr(&s->cur), s->cur.len, arg, e);
			buf_reset(&s->cur);
			if (rc != OD_OK) {
				s->failed = true;
				return rc;
			}
		}
	}
	return OD_OK;
}

enum od_status watch_splitter_finish(const struct watch_splitter *s, struct err *e)
{
	if (s->failed)
		return err_set(e, OD_ESTATE, "watch stream: already failed");
	if (s->depth != 0)
		return err_set(e, OD_EPARSE,
			       "watch stream: truncated event (stream ended mid-object after %zu bytes)",
			       s->offset);
	return OD_OK;
}

static const char *const type_names[] = {
	[WATCH_ADDED] = "ADDED",
	[WATCH_MODIFIED] = "MODIFIED",
	[WATCH_DELETED] = "DELETED",
	[WATCH_BOOKMARK] = "BOOKMARK",
	[WATCH_ERROR] = "ERROR",
};

const char *watch_type_name(enum watch_type t)
{
	if ((size_t)t < sizeof(type_names) / sizeof(type_names[0]))
		return type_names[t];
	return "?";
}

static void copy_json_str(char *dst, size_t n, const cJSON *v)
{
	snprintf(dst, n, "%s", cJSON_IsString(v) && v->valuestring ? v->valuestring : "");
}

static void parse_error_status(struct watch_event *ev)
{
	const cJSON *o = ev->object;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "code");

	if (cJSON_IsNumber(code) && code->valuedouble >= 0 && code->valuedouble < 1000)
		ev->code = (int)code->valuedouble;
	copy_json_str(ev->reason, sizeof(ev->reason),
		      cJSON_GetObjectItemCaseSensitive(o, "reason"));
	copy_json_str(ev->message, sizeof(ev->message),
		      cJSON_GetObjectItemCaseSensitive(o, "message"));
	/* client-go relists on 410 whether the reason says Expired or Gone */
	ev->gone = ev->code == 410 || strcmp(ev->reason, "Expired") == 0 ||
		   strcmp(ev->reason, "Gone") == 0;
}

enum od_status watch_event_parse(const char *text, size_t len, struct watch_event *ev,
				 struct err *e)
{
	size_t t;

	memset(ev, 0, sizeof(*ev));
	ev->root = cJSON_ParseWithLength(text, len);
	if (!ev->root || !cJSON_IsObject(ev->root)) {
		watch_event_clear(ev);
		return err_set(e, OD_EPARSE, "watch event: malformed JSON");
	}
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(ev->root, "type");
	if (!cJSON_IsString(type)) {
		watch_event_clear(ev);
		return err_set(e, OD_EPARSE, "watch event: no \"type\"");
	}
	for (t = 0; t < sizeof(type_names) / sizeof(type_names[0]); t++)
		if (strcmp(type->valuestring, type_names[t]) == 0)
			break;
	if (t == sizeof(type_names) / sizeof(type_names[0])) {
		char shown[40];
		snprintf(shown, sizeof(shown), "%s", type->valuestring);
		watch_event_clear(ev);
		return err_set(e, OD_EPARSE, "watch event: unknown type \"%s\"", shown);
	}
	ev->type = (enum watch_type)t;
	ev->object = cJSON_GetObjectItemCaseSensitive(ev->root, "object");
	if (!cJSON_IsObject(ev->object)) {
		watch_event_clear(ev);
		return err_set(e, OD_EPARSE, "watch event %s: no object", type_names[t]);
	}
	if (ev->type == WATCH_ERROR) {
		parse_error_status(ev);
		return OD_OK;
	}
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(ev->object, "metadata");
	copy_json_str(ev->resource_version, sizeof(ev->resource_version),
		      cJSON_GetObjectItemCaseSensitive(md, "resourceVersion"));
	return OD_OK;
}

void watch_event_clear(struct watch_event *ev)
{
	cJSON_Delete(ev->root);
	memset(ev, 0, sizeof(*ev));
}
