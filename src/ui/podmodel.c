/*
 * podmodel.c: pod rows, their trouble rank, and the in-memory pod source
 * with its replay reader (ui_podmodel.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/podstatus.h"
#include "opsdeck/ui_podmodel.h"

#define PODVIEW_ARRAY_MAX 200000
#define TSV_LINE_MAX PODVIEW_TSV_MAX
#define TSV_FIELDS 14

struct podview_array {
	struct pod_view *rows;  /* owned */
	size_t n, cap;
	uint64_t gen;
};

/* Sums a resource over containers; unknown when no container sets it. */
static int64_t sum_resource(const struct pod *p, bool limits, bool cpu)
{
	int64_t sum = PODVIEW_UNKNOWN;

	for (size_t i = 0; i < p->ncontainers; i++) {
		const struct pod_resources *r = limits ? &p->containers[i].limits
						       : &p->containers[i].requests;
		int64_t v = cpu ? r->cpu_milli : r->memory_bytes;

		if (v >= 0)
			sum = (sum < 0 ? 0 : sum) + v;
	}
	return sum;
}

static void copy_labels(struct pod_view *v, const struct pod *p)
{
	size_t o = 0;

	v->labels[0] = '\0';
	for (size_t i = 0; i < p->nlabels && o < sizeof(v->labels); i++) {
		int w = snprintf(v->labels + o, sizeof(v->labels) - o, "%s%s=%s", i ? "," : "",
				 p->labels[i].key ? p->labels[i].key : "",
				 p->labels[i].value ? p->labels[i].value : "");

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

void podview_from_pod(struct pod_view *v, const struct pod *p, struct od_time now)
{
	struct pod_row *row = calloc(1, sizeof(*row));

	memset(v, 0, sizeof(*v));
	snprintf(v->namespace_, sizeof(v->namespace_), "%s", p->namespace_ ? p->namespace_ : "");
	snprintf(v->name, sizeof(v->name), "%s", p->name ? p->name : "");
	if (row) {
		podstatus_compute(p, now, row);
		snprintf(v->status, sizeof(v->status), "%s", row->status);
		v->ready = row->ready_count;
		v->containers = row->total_count;
		v->restarts = row->restart_count > INT32_MAX ? INT32_MAX : (int)row->restart_count;
		free(row);
	}
	v->created = p->created.sec;
	v->cpu_m = v->mem_b = PODVIEW_UNKNOWN;
	v->cpu_req_m = sum_resource(p, false, true);
	v->cpu_lim_m = sum_resource(p, true, true);
	v->mem_req_b = sum_resource(p, false, false);
	v->mem_lim_b = sum_resource(p, true, false);
	if (p->owner_kind && p->owner_name)
		snprintf(v->owner, sizeof(v->owner), "%s/%s", p->owner_kind, p->owner_name);
	copy_labels(v, p);
}

static bool starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

enum podview_trouble podview_trouble(const struct pod_view *r)
{
	static const char *const failed[] = {
		"CrashLoopBackOff", "Error", "OOMKilled", "ImagePullBackOff", "ErrImagePull",
		"CreateContainerConfigError", "CreateContainerError", "InvalidImageName",
		"Failed", "Evicted", "ContainerStatusUnknown", "RunContainerError",
		"StartError", "Init:Error", "Init:CrashLoopBackOff", "Init:OOMKilled",
		"Init:ImagePullBackOff", "Init:ErrImagePull",
	};
	const char *s = r->status;

	for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++)
		if (strcmp(s, failed[i]) == 0)
			return PODVIEW_TROUBLE_FAILED;
	if (starts_with(s, "Signal:") || starts_with(s, "ExitCode:") ||
	    starts_with(s, "Init:Signal:") || starts_with(s, "Init:ExitCode:"))
		return PODVIEW_TROUBLE_FAILED;
	if (strcmp(s, "Unknown") == 0 || strcmp(s, "NodeLost") == 0)
		return PODVIEW_TROUBLE_UNKNOWN;
	if (strcmp(s, "Terminating") == 0)
		return PODVIEW_TROUBLE_TERMINATING;
	if (strcmp(s, "Pending") == 0 || strcmp(s, "ContainerCreating") == 0 ||
	    strcmp(s, "PodInitializing") == 0 || starts_with(s, "Init:"))
		return PODVIEW_TROUBLE_PENDING;
	if (strcmp(s, "Completed") == 0 || strcmp(s, "Succeeded") == 0)
		return PODVIEW_TROUBLE_NONE;
	if (strcmp(s, "Running") == 0)
		return r->ready < r->containers ? PODVIEW_TROUBLE_NOT_READY : PODVIEW_TROUBLE_NONE;
	/* A reason kubectl knows and we do not: treat it as worth a look. */
	return PODVIEW_TROUBLE_UNKNOWN;
}

int podview_pct(int64_t used, int64_t of)
{
	if (used < 0 || of <= 0)
		return -1;
	if (used > INT64_MAX / 100)
		return 9999;
	int64_t p = used * 100 / of;

	return p > 9999 ? 9999 : (int)p;
}

enum od_status podview_array_new(struct podview_array **out, struct err *e)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return err_set(e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

void podview_array_free(struct podview_array **pa)
{
	if (!pa || !*pa)
		return;
	free((*pa)->rows);
	free(*pa);
	*pa = NULL;
}

enum od_status podview_array_add(struct podview_array *pa, const struct pod_view *r, struct err *e)
{
	if (pa->n == pa->cap) {
		size_t cap = pa->cap ? pa->cap * 2 : 64;
		struct pod_view *rows;

		if (pa->n >= PODVIEW_ARRAY_MAX)
			return err_set(e, OD_ELIMIT, "more than %d pods", PODVIEW_ARRAY_MAX);
		rows = realloc(pa->rows, cap * sizeof(*rows));
		if (!rows)
			return err_set(e, OD_ENOMEM, "out of memory");
		pa->rows = rows;
		pa->cap = cap;
	}
	pa->rows[pa->n++] = *r;
	pa->gen++;
	return OD_OK;
}

void podview_array_clear(struct podview_array *pa)
{
	pa->n = 0;
	pa->gen++;
}

static size_t array_count(void *self)
{
	return ((struct podview_array *)self)->n;
}

static const struct pod_view *array_row(void *self, size_t i)
{
	struct podview_array *pa = self;

	return i < pa->n ? &pa->rows[i] : NULL;
}

static uint64_t array_generation(void *self)
{
	return ((struct podview_array *)self)->gen;
}

static const struct pod_source_ops array_ops = {
	.kind = "replay",
	.count = array_count,
	.row = array_row,
	.generation = array_generation,
	.pod = NULL,
	.free = NULL,
};

struct pod_source podview_array_source(struct podview_array *pa)
{
	struct pod_source s = { .ops = &array_ops, .self = pa };

	return s;
}

/* "-" is unknown; otherwise a non-negative integer. */
static bool parse_num(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (strcmp(s, "-") == 0) {
		*out = PODVIEW_UNKNOWN;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* Copies a field; "-" is empty. Tabs and newlines cannot occur: they split fields. */
static bool copy_field(char *dst, size_t n, const char *src)
{
	if (strcmp(src, "-") == 0)
		src = "";
	if (strlen(src) >= n)
		return false;
	memcpy(dst, src, strlen(src) + 1);
	return true;
}

static void put_num(char *out, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%lld", (long long)v);
}

/* Strings go out with tabs and line breaks replaced, so a field stays one field. */
static void put_str(char *out, size_t n, const char *s)
{
	size_t k = 0;

	if (!*s)
		s = "-";
	for (; *s && k + 1 < n; s++)
		out[k++] = (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s;
	out[k] = '\0';
}

void podview_format_tsv(const struct pod_view *v, char *out, size_t n)
{
	char ns[PODVIEW_NS_MAX], name[PODVIEW_NAME_MAX], status[PODVIEW_STATUS_MAX];
	char owner[PODVIEW_OWNER_MAX], labels[PODVIEW_LABELS_MAX], num[8][24];

	put_str(ns, sizeof(ns), v->namespace_);
	put_str(name, sizeof(name), v->name);
	put_str(status, sizeof(status), v->status);
	put_str(owner, sizeof(owner), v->owner);
	put_str(labels, sizeof(labels), v->labels);
	put_num(num[0], sizeof(num[0]), v->restarts);
	put_num(num[1], sizeof(num[1]), v->created);
	put_num(num[2], sizeof(num[2]), v->cpu_m);
	put_num(num[3], sizeof(num[3]), v->mem_b);
	put_num(num[4], sizeof(num[4]), v->cpu_req_m);
	put_num(num[5], sizeof(num[5]), v->cpu_lim_m);
	put_num(num[6], sizeof(num[6]), v->mem_req_b);
	put_num(num[7], sizeof(num[7]), v->mem_lim_b);
	snprintf(out, n, "%s\t%s\t%d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", ns, name,
		 v->ready, v->containers, status, num[0], num[1], num[2], num[3], num[4], num[5],
		 num[6], num[7], owner, labels);
}

enum od_status podview_parse_tsv(struct pod_view *r, const char *text, struct err *e)
{
	char line[PODVIEW_TSV_MAX];
	char *f[TSV_FIELDS];
	int n = 0;
	int64_t v[6], restarts;
	char *p = line;

	memset(r, 0, sizeof(*r));
	if (strlen(text) >= sizeof(line))
		return err_set(e, OD_EPARSE, "line too long");
	memcpy(line, text, strlen(text) + 1);
	while (n < TSV_FIELDS) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n != TSV_FIELDS || p)
		return err_set(e, OD_EPARSE, "expected %d tab-separated fields", TSV_FIELDS);
	if (!copy_field(r->namespace_, sizeof(r->namespace_), f[0]) ||
	    !copy_field(r->name, sizeof(r->name), f[1]) ||
	    !copy_field(r->status, sizeof(r->status), f[3]) ||
	    !copy_field(r->owner, sizeof(r->owner), f[12]) ||
	    !copy_field(r->labels, sizeof(r->labels), f[13]))
		return err_set(e, OD_EPARSE, "a field is too long");
	if (sscanf(f[2], "%d/%d", &r->ready, &r->containers) != 2 || r->ready < 0 ||
	    r->containers < 0)
		return err_set(e, OD_EPARSE, "READY must be N/M");
	if (!parse_num(f[4], &restarts) || !parse_num(f[5], &r->created) ||
	    restarts > 1000000000)
		return err_set(e, OD_EPARSE, "bad RESTARTS or CREATED");
	r->restarts = restarts < 0 ? 0 : (int)restarts;
	for (int i = 0; i < 6; i++)
		if (!parse_num(f[6 + i], &v[i]))
			return err_set(e, OD_EPARSE, "bad number \"%.32s\"", f[6 + i]);
	r->cpu_m = v[0];
	r->mem_b = v[1];
	r->cpu_req_m = v[2];
	r->cpu_lim_m = v[3];
	r->mem_req_b = v[4];
	r->mem_lim_b = v[5];
	if (r->created < 0)
		r->created = 0;
	return OD_OK;
}

enum od_status podview_array_load_tsv(struct podview_array *pa, const char *path, struct err *e)
{
	FILE *f = fopen(path, "r");
	char line[TSV_LINE_MAX];
	size_t lineno = 0;
	enum od_status rc = OD_OK;

	if (!f)
		return err_set(e, errno == ENOENT ? OD_ENOENT : OD_EIO, "%s: %s", path,
			       strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		struct pod_view r;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			rc = err_set(e, OD_EPARSE, "%s:%zu: line too long", path, lineno);
			goto out;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		rc = podview_parse_tsv(&r, line, e);
		if (rc != OD_OK)
			err_prefix(e, "%s:%zu: ", path, lineno);
		else
			rc = podview_array_add(pa, &r, e);
		if (rc != OD_OK)
			goto out;
	}
out:
	fclose(f);
	return rc;
}
