/*
 * cmd_audit.c: `opsdeck audit [--since D] [-o table|json] [--verify]`: the
 * action audit log, and a check of its hash chain and head file (an edited,
 * deleted or truncated row shows; exit code 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "opsdeck/actcli.h"
#include "opsdeck/duration.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/timeutil.h"

int cmd_audit(const struct global_opts *g, int argc, char **argv);

struct audit_out {
	bool json;
	struct buf table;
	cJSON *rows;       /* owned */
	size_t n;
};

static const char *s_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

static void hex(const unsigned char *h, char *out)
{
	for (size_t i = 0; i < STORE_AUDIT_HASH_LEN; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

static int add_row(void *arg, const struct store_audit_entry *r)
{
	struct audit_out *o = arg;
	struct od_time t = { .sec = r->ts_ms / 1000, .nsec = (r->ts_ms % 1000) * 1000000 };
	char ts[64], h[2 * STORE_AUDIT_HASH_LEN + 1];

	time_format_rfc3339(t, ts, sizeof ts);
	o->n++;
	if (o->json) {
		cJSON *j = cJSON_CreateObject();

		hex(r->hash, h);
		cJSON_AddNumberToObject(j, "seq", (double)r->seq);
		cJSON_AddStringToObject(j, "time", ts);
		cJSON_AddStringToObject(j, "action", s_or(r->action, ""));
		cJSON_AddStringToObject(j, "step", s_or(r->step, ""));
		cJSON_AddStringToObject(j, "osUser", s_or(r->os_user, ""));
		cJSON_AddStringToObject(j, "kubeUser", s_or(r->kube_user, ""));
		cJSON_AddStringToObject(j, "context", s_or(r->context, ""));
		cJSON_AddStringToObject(j, "namespace", s_or(r->namespace, ""));
		cJSON_AddStringToObject(j, "object", s_or(r->object, ""));
		cJSON_AddStringToObject(j, "before", s_or(r->before, ""));
		cJSON_AddStringToObject(j, "after", s_or(r->after, ""));
		cJSON_AddNumberToObject(j, "httpStatus", r->http_status);
		cJSON_AddNumberToObject(j, "durationMs", (double)r->duration_ms);
		cJSON_AddStringToObject(j, "outcome", s_or(r->outcome, ""));
		cJSON_AddStringToObject(j, "message", s_or(r->message, ""));
		cJSON_AddStringToObject(j, "hash", h);
		cJSON_AddItemToArray(o->rows, j);
		return 0;
	}
	buf_printf(&o->table, NULL, "%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s -> %s\t%d\t%s\t%s\n",
		   (long long)r->seq, ts, s_or(r->action, "-"), s_or(r->step, "-"),
		   s_or(r->outcome, "-"), s_or(r->context, "-"), s_or(r->namespace, "-"),
		   s_or(r->object, "-"), s_or(r->before, "-"), s_or(r->after, "-"),
		   r->http_status, s_or(r->os_user, "-"), s_or(r->message, ""));
	return 0;
}

static int verify(struct store *st)
{
	struct store_audit_verdict v = { 0 };
	struct err e = { 0 };

	if (store_audit_verify(st, &v, &e) != OD_OK)
		return actcli_fail(e.status, &e);
	if (v.problem == STORE_AUDIT_INTACT) {
		printf("audit log intact: %lld rows, hash chain and head file agree\n",
		       (long long)v.rows);
		return ACTCLI_EXIT_OK;
	}
	fprintf(stderr, "error: the audit log has been tampered with: %s\n", v.detail);
	return ACTCLI_EXIT_FAILED;
}

static int usage(void)
{
	fprintf(stderr, "error: usage: opsdeck audit [--since D] [-o table|json] [--verify]\n");
	return ACTCLI_EXIT_USAGE;
}

int cmd_audit(const struct global_opts *g, int argc, char **argv)
{
	struct audit_out o = { 0 };
	struct store *st = NULL;
	struct err e = { 0 };
	const char *since = NULL, *fmt = "table";
	int64_t since_ms = 0;
	bool do_verify = false;
	int rc = ACTCLI_EXIT_OK;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--since") == 0 && i + 1 < argc)
			since = argv[++i];
		else if (strncmp(argv[i], "--since=", 8) == 0)
			since = argv[i] + 8;
		else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) &&
			 i + 1 < argc)
			fmt = argv[++i];
		else if (strncmp(argv[i], "--output=", 9) == 0)
			fmt = argv[i] + 9;
		else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2])
			fmt = argv[i] + 2 + (argv[i][2] == '=');
		else if (strcmp(argv[i], "--verify") == 0)
			do_verify = true;
		else
			return usage();
	}
	if (strcmp(fmt, "table") != 0 && strcmp(fmt, "json") != 0) {
		fprintf(stderr, "error: unable to match a printer suitable for the output format "
			"\"%s\", allowed formats are: json,table\n", fmt);
		return ACTCLI_EXIT_USAGE;
	}
	if (since) {
		int64_t ns;

		if (duration_parse(since, &ns, &e) != OD_OK || ns <= 0) {
			fprintf(stderr, "error: invalid --since \"%s\"\n", since);
			return ACTCLI_EXIT_USAGE;
		}
		since_ms = time_now().sec * 1000 - ns / 1000000;
	}
	if (store_open(g->db_path, NULL, &st, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return ACTCLI_EXIT_FAILED;
	}
	if (do_verify) {
		rc = verify(st);
		goto out;
	}
	o.json = strcmp(fmt, "json") == 0;
	o.rows = cJSON_CreateArray();
	buf_init(&o.table, 256u << 20);
	buf_printf(&o.table, NULL, "SEQ\tTIME\tACTION\tSTEP\tOUTCOME\tCONTEXT\tNAMESPACE\tOBJECT\t"
		   "CHANGE\tHTTP\tUSER\tMESSAGE\n");
	if (store_audit_list(st, since_ms, 0, add_row, &o, &e) != OD_OK) {
		rc = actcli_fail(e.status, &e);
	} else if (o.json) {
		char *s = cJSON_Print(o.rows);

		printf("%s\n", s ? s : "[]");
		free(s);
	} else if (o.n == 0) {
		fprintf(stderr, "No audit rows found.\n");
	} else {
		struct buf out;

		buf_init(&out, 256u << 20);
		if (tabwriter_format(o.table.data, o.table.len, &TABWRITER_KUBECTL, &out, NULL) ==
		    OD_OK)
			fputs(buf_cstr(&out), stdout);
		buf_free(&out);
	}
	buf_free(&o.table);
	cJSON_Delete(o.rows);
out:
	store_close(&st);
	return rc;
}
