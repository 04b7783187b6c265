/*
 * seed_store.c: puts known history into a store for the runbook tests:
 *   seed_store DB import FILE CONTEXT NOW     Prometheus text, rolled up as of NOW
 *   seed_store DB run PROFILE LIST OPERATOR STARTED FINISHED   prints the run id
 *   seed_store DB audit TIME ACTION OBJECT NAMESPACE OUTCOME USER
 *   seed_store DB event UID CONTEXT NS TYPE REASON KIND NAME COUNT LAST MESSAGE
 *   seed_store DB items RUN             prints "item result decided_at" lines
 * Times are RFC 3339 or epoch seconds; FINISHED 0 leaves the run open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/store.h"
#include "opsdeck/store_audit.h"
#include "opsdeck/store_events.h"
#include "opsdeck/store_import.h"
#include "opsdeck/store_rollup.h"
#include "opsdeck/store_runs.h"
#include "opsdeck/timeutil.h"

static int64_t parse_time(const char *s)
{
	struct od_time t;
	char *end;
	long long v = strtoll(s, &end, 10);

	if (!*end)
		return v;
	if (time_parse_rfc3339(s, &t, NULL) != OD_OK) {
		fprintf(stderr, "seed_store: bad time %s\n", s);
		exit(2);
	}
	return t.sec;
}

static int print_item(void *arg, const struct store_run_item *it)
{
	(void)arg;
	printf("%s %s %lld\n", it->item, store_check_result_name(it->result),
	       (long long)it->decided_at);
	return 0;
}

static int run_cmd(struct store *st, int argc, char **argv, struct err *e)
{
	const char *cmd = argv[2];

	if (strcmp(cmd, "import") == 0 && argc == 6) {
		struct store_import_opts o = { .context = argv[4] };

		if (store_import_file(st, argv[3], &o, NULL, e) != OD_OK ||
		    store_samples_maintain(st, parse_time(argv[5]), NULL, e) != OD_OK)
			return 1;
		return 0;
	}
	if (strcmp(cmd, "run") == 0 && argc == 8) {
		struct store_run r = { .profile = argv[3], .checklist = argv[4],
				       .operator_name = argv[5], .started_at = parse_time(argv[6]) };
		int64_t id, fin = parse_time(argv[7]);

		if (store_run_start(st, &r, &id, e) != OD_OK)
			return 1;
		if (fin > 0) {
			r.finished_at = fin;
			if (store_run_finish(st, id, &r, e) != OD_OK)
				return 1;
		}
		printf("%lld\n", (long long)id);
		return 0;
	}
	if (strcmp(cmd, "audit") == 0 && argc == 9) {
		struct store_audit_entry a = { .ts_ms = parse_time(argv[3]) * 1000, .action = argv[4],
					       .step = "result", .object = argv[5],
					       .namespace = argv[6], .outcome = argv[7],
					       .os_user = argv[8] };

		return store_audit_append(st, &a, e) != OD_OK;
	}
	if (strcmp(cmd, "event") == 0 && argc == 13) {
		struct store_event ev = { .uid = argv[3], .context = argv[4], .namespace = argv[5],
					  .type = argv[6], .reason = argv[7], .obj_kind = argv[8],
					  .obj_name = argv[9], .count = atoll(argv[10]),
					  .last_seen = parse_time(argv[11]), .message = argv[12] };

		ev.first_seen = ev.last_seen;
		return store_events_upsert(st, &ev, 1, e) != OD_OK;
	}
	if (strcmp(cmd, "items") == 0 && argc == 4)
		return store_run_items_list(st, atoll(argv[3]), print_item, NULL, e) != OD_OK;
	fprintf(stderr, "seed_store: bad arguments\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct store *st = NULL;
	struct err e = { 0 };
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: seed_store DB COMMAND ARGS...\n");
		return 2;
	}
	if (store_open(argv[1], NULL, &st, &e) != OD_OK) {
		fprintf(stderr, "seed_store: %s\n", e.msg);
		return 1;
	}
	rc = run_cmd(st, argc, argv, &e);
	if (rc == 1)
		fprintf(stderr, "seed_store: %s\n", e.msg);
	store_close(&st);
	return rc;
}
