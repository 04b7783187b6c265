/*
 * cmd_events.c: `opsdeck events [--since 7d] [--type Warning] [-l SEL]
 * [-o table|json]` — events from the archive the collector keeps, long after
 * the API server dropped them (about an hour). Namespace: -n, else the
 * context's; -A for every namespace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/buf.h"
#include "opsdeck/clistore.h"
#include "opsdeck/duration.h"
#include "opsdeck/selector.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/timeutil.h"

enum { EVENTS_OK = 0, EVENTS_FAILED = 1, EVENTS_USAGE = 2 };

/* Cap on the table assembled before it is laid out. */
#define EVENTS_OUT_MAX (256u * 1024u * 1024u)

struct events_opts {
	const char *since;        /* borrowed from argv; default 7d */
	const char *type;
	const char *selector;
	const char *output;       /* "table" or "json" */
};

struct events_out {
	bool all_ns;
	bool json;
	struct buf text;          /* table cells */
	cJSON *items;             /* json: owned array */
	size_t n;
	enum od_status rc;
	struct err e;
};

static void events_usage(FILE *f)
{
	fprintf(f,
		"Usage: opsdeck events [--since 7d] [--type Warning] [-l SEL] [-o table|json]\n"
		"\n"
		"Events from the history archive (kept by `opsdeck collect` and the console),\n"
		"oldest first. Namespace: -n, else the context's; -A for all. -l matches the labels\n"
		"of the pod an event is about.\n");
}

static int take(int argc, char **argv, int *i, const char *s, const char *l, const char **out)
{
	const char *a = argv[*i];
	size_t ll = strlen(l);

	if ((s && strcmp(a, s) == 0) || strcmp(a, l) == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "error: flag needs an argument: %s\n", a);
			return -1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (strncmp(a, l, ll) == 0 && a[ll] == '=') {
		*out = a + ll + 1;
		return 1;
	}
	return 0;
}

static int events_parse(int argc, char **argv, struct events_opts *o)
{
	o->since = "7d";
	o->output = "table";
	for (int i = 1; i < argc; i++) {
		int r;

		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			events_usage(stdout);
			return -1;
		}
		if ((r = take(argc, argv, &i, NULL, "--since", &o->since)) ||
		    (r = take(argc, argv, &i, NULL, "--type", &o->type)) ||
		    (r = take(argc, argv, &i, "-l", "--selector", &o->selector)) ||
		    (r = take(argc, argv, &i, "-o", "--output", &o->output))) {
			if (r < 0)
				return EVENTS_USAGE;
			continue;
		}
		fprintf(stderr, "error: unknown argument \"%s\" for \"opsdeck events\"\n"
				"See 'opsdeck events --help'.\n", argv[i]);
		return EVENTS_USAGE;
	}
	if (strcmp(o->output, "table") != 0 && strcmp(o->output, "json") != 0) {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
				"\"%s\", allowed formats are: json,table\n", o->output);
		return EVENTS_USAGE;
	}
	return 0;
}

struct label_arg {
	const struct store_event *ev;
	char buf[1024];
};

static const char *label_lookup(void *arg, const char *key)
{
	struct label_arg *la = arg;

	return store_event_label(la->ev, key, la->buf, sizeof(la->buf));
}

static bool match_selector(void *arg, const struct store_event *ev)
{
	struct label_arg la = { .ev = ev };

	return selector_matches(arg, label_lookup, &la);
}

static void fmt_time(int64_t sec, char *out, size_t n)
{
	struct od_time t = { .sec = sec };

	time_format_rfc3339(t, out, n);
}

/* A message on one line, as kubectl prints it in tables. */
static void one_line(const char *s, char *out, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; s && s[i] && j + 1 < n; i++)
		out[j++] = (s[i] == '\n' || s[i] == '\t' || s[i] == '\r') ? ' ' : s[i];
	out[j] = '\0';
}

static int add_row(void *arg, const struct store_event *ev)
{
	struct events_out *o = arg;
	char last[40], first[40], msg[STORE_EVENT_MESSAGE_MAX + 1];
	enum od_status rc = OD_OK;

	fmt_time(ev->last_seen, last, sizeof(last));
	fmt_time(ev->first_seen, first, sizeof(first));
	o->n++;
	if (o->json) {
		cJSON *it = cJSON_CreateObject();

		if (!it || !cJSON_AddItemToArray(o->items, it)) {
			cJSON_Delete(it);
			o->rc = err_set(&o->e, OD_ENOMEM, "out of memory");
			return 1;
		}
		cJSON_AddStringToObject(it, "uid", ev->uid ? ev->uid : "");
		cJSON_AddStringToObject(it, "context", ev->context ? ev->context : "");
		cJSON_AddStringToObject(it, "namespace", ev->namespace ? ev->namespace : "");
		cJSON_AddStringToObject(it, "type", ev->type ? ev->type : "");
		cJSON_AddStringToObject(it, "reason", ev->reason ? ev->reason : "");
		cJSON_AddStringToObject(it, "kind", ev->obj_kind ? ev->obj_kind : "");
		cJSON_AddStringToObject(it, "name", ev->obj_name ? ev->obj_name : "");
		cJSON_AddStringToObject(it, "message", ev->message ? ev->message : "");
		cJSON_AddStringToObject(it, "source", ev->source ? ev->source : "");
		cJSON_AddNumberToObject(it, "count", (double)ev->count);
		cJSON_AddStringToObject(it, "firstSeen", first);
		cJSON_AddStringToObject(it, "lastSeen", last);
		return 0;
	}
	one_line(ev->message, msg, sizeof(msg));
	if (o->all_ns)
		rc = buf_printf(&o->text, &o->e, "%s\t", ev->namespace ? ev->namespace : "");
	if (rc == OD_OK)
		rc = buf_printf(&o->text, &o->e, "%s\t%s\t%s\t%s/%s\t%lld\t%s\t%s\n", last,
				ev->type ? ev->type : "", ev->reason ? ev->reason : "",
				ev->obj_kind ? ev->obj_kind : "", ev->obj_name ? ev->obj_name : "",
				(long long)ev->count, first, msg);
	if (rc != OD_OK) {
		o->rc = rc;
		return 1;
	}
	return 0;
}

static int events_print(struct events_out *o)
{
	struct buf out;
	struct err e = { 0 };

	if (o->json) {
		char *s = cJSON_Print(o->items);

		if (!s) {
			fprintf(stderr, "error: out of memory\n");
			return EVENTS_FAILED;
		}
		printf("%s\n", s);
		free(s);
		return EVENTS_OK;
	}
	if (o->n == 0) {
		fprintf(stderr, "No events found in the archive.\n");
		return EVENTS_OK;
	}
	buf_init(&out, EVENTS_OUT_MAX);
	if (tabwriter_format(o->text.data, o->text.len, &TABWRITER_KUBECTL, &out, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		buf_free(&out);
		return EVENTS_FAILED;
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return EVENTS_OK;
}

int cmd_events(const struct global_opts *g, int argc, char **argv);

int cmd_events(const struct global_opts *g, int argc, char **argv)
{
	struct events_opts opt = { 0 };
	struct events_out o = { 0 };
	struct clistore cs;
	struct selector *sel = NULL;
	struct store_event_filter f = { 0 };
	struct err e = { 0 };
	int64_t since_ns = 0;
	int code = events_parse(argc, argv, &opt);

	if (code != 0)
		return code < 0 ? EVENTS_OK : code;
	if (duration_parse(opt.since, &since_ns, &e) != OD_OK) {
		fprintf(stderr, "error: invalid argument \"%s\" for \"--since\" flag: %s\n",
			opt.since, e.msg);
		return EVENTS_USAGE;
	}
	if (opt.selector && selector_parse(opt.selector, &sel, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return EVENTS_USAGE;
	}
	code = clistore_open(&cs, g);
	if (code != 0) {
		selector_free(&sel);
		return code;
	}
	o.all_ns = g->all_namespaces;
	o.json = strcmp(opt.output, "json") == 0;
	buf_init(&o.text, EVENTS_OUT_MAX);
	if (o.json)
		o.items = cJSON_CreateArray();
	if (o.all_ns)
		buf_append_str(&o.text, "NAMESPACE\t", &e);
	buf_append_str(&o.text, "LAST SEEN\tTYPE\tREASON\tOBJECT\tCOUNT\tFIRST SEEN\tMESSAGE\n", &e);

	f.context = cs.context[0] ? cs.context : NULL;
	f.namespace = o.all_ns || !cs.namespace_[0] ? NULL : cs.namespace_;
	f.type = opt.type;
	/*
	 * The window ends at the newest sample the collector wrote (the API
	 * server's clock, which may differ from ours), else at the local time.
	 */
	int64_t oldest = 0, newest = 0;
	if (store_tick_range(cs.st, &oldest, &newest, &e) != OD_OK || newest <= 0)
		newest = time_now().sec;
	f.since = newest - since_ns / 1000000000;
	if (sel) {
		f.match = match_selector;
		f.match_arg = sel;
	}
	if (store_events_list(cs.st, &f, add_row, &o, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		code = EVENTS_FAILED;
	} else if (o.rc != OD_OK) {
		fprintf(stderr, "error: %s\n", o.e.msg);
		code = EVENTS_FAILED;
	} else {
		code = events_print(&o);
	}
	cJSON_Delete(o.items);
	buf_free(&o.text);
	selector_free(&sel);
	clistore_close(&cs);
	return code;
}
