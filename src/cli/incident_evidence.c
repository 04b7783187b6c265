/*
 * incident_evidence.c: the evidence bundle of an incident (see
 * incident_evidence.h): logs since 24 h of the affected pods' current and
 * previous containers, redacted pod and workload manifests, events,
 * describe-style summaries, a metrics window from the store, a MANIFEST and
 * SHA256SUMS, then a .tar.gz (a small ustar writer over zlib).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <zlib.h>

#include "opsdeck/buf.h"
#include "opsdeck/clikube.h"
#include "opsdeck/http.h"
#include "opsdeck/incident_evidence.h"
#include "opsdeck/store_query.h"
#include "opsdeck/store_series.h"
#include "opsdeck/timeutil.h"

#define EV_PATH_MAX 4096
#define EV_FILES_MAX 2048
#define EV_LOG_SINCE_S (24 * 60 * 60)
#define EV_METRICS_BEFORE_S (60 * 60)
#define EV_REDACTED "REDACTED"
#define EV_FILE_MAX (64u * 1024u * 1024u)
/* When 24 h of a container's log is over HTTP_BODY_MAX: its last lines instead. */
#define EV_LOG_TAIL_LINES 100000

struct ev_file {
	char rel[512];             /* relative to the bundle's directory */
	char what[160];
	size_t bytes;
};

struct ev {
	char root[EV_PATH_MAX];    /* the bundle's directory */
	char name[256];            /* its last component */
	struct clikube k;
	const char *ns;            /* borrowed */
	const struct incident_evidence_req *rq;
	struct ev_file *files;     /* owned */
	size_t nfiles;
	int failures;
};

/* --- redaction -------------------------------------------------------------- */

static bool name_is_sensitive(const char *s)
{
	static const char *const words[] = { "token", "password", "passwd", "secret", "key",
					     "credential", "auth" };
	char low[256];
	size_t i;

	for (i = 0; s && s[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (strstr(low, words[w]))
			return true;
	return false;
}

static void set_redacted(cJSON *parent, const char *key)
{
	cJSON_ReplaceItemInObjectCaseSensitive(parent, key, cJSON_CreateString(EV_REDACTED));
}

/*
 * Redacts in place: a Secret's data, literal env values whose name looks
 * sensitive, string fields named like tokens or passwords, and the
 * last-applied annotation (it can carry a Secret's data verbatim).
 */
static void ev_redact(cJSON *node)
{
	cJSON *c;
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(node, "kind");
	bool secret = cJSON_IsString(kind) && strcmp(kind->valuestring, "Secret") == 0;

	if (cJSON_IsArray(node)) {
		cJSON_ArrayForEach(c, node)
			ev_redact(c);
		return;
	}
	if (!cJSON_IsObject(node))
		return;
	for (c = node->child; c; c = c->next) {
		const char *k = c->string ? c->string : "";

		if (secret && (strcmp(k, "data") == 0 || strcmp(k, "stringData") == 0)) {
			/* The list changes under c: start over on the new one. */
			cJSON_ReplaceItemViaPointer(node, c, cJSON_CreateString(EV_REDACTED));
			ev_redact(node);
			return;
		}
		if (cJSON_IsString(c) && strcmp(k, "value") == 0) {
			const cJSON *n = cJSON_GetObjectItemCaseSensitive(node, "name");

			if (cJSON_IsString(n) && name_is_sensitive(n->valuestring) &&
			    strcmp(c->valuestring, EV_REDACTED) != 0) {
				set_redacted(node, "value");
				{ ev_redact(node); return; }
			}
		}
		if (cJSON_IsString(c) && strcmp(c->valuestring, EV_REDACTED) != 0 &&
		    (strcmp(k, "kubectl.kubernetes.io/last-applied-configuration") == 0 ||
		     ((strstr(k, "token") || strstr(k, "Token") || strstr(k, "password") ||
		       strstr(k, "Password")) && !strstr(k, "Path") && !strstr(k, "path")))) {
			set_redacted(node, k);
			{ ev_redact(node); return; }
		}
		ev_redact(c);
	}
}

/* Replaces every occurrence of needle (a credential of the kubeconfig) in b. */
static size_t ev_scrub(struct buf *b, const char *needle)
{
	size_t nl = needle ? strlen(needle) : 0, hits = 0;

	if (nl < 6 || !b->data)
		return 0;
	for (size_t i = 0; i + nl <= b->len; i++)
		if (memcmp(b->data + i, needle, nl) == 0) {
			memset(b->data + i, 'X', nl);
			hits++;
			i += nl - 1;
		}
	return hits;
}

/* --- files -------------------------------------------------------------------- */

static int ev_mkdir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return -1;
	return chmod(path, 0700);
}

static int write_all(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	fchmod(fd, 0600);
	return close(fd);
}

/* Writes rel (subdirectories created) after scrubbing credentials; records it. */
static void ev_write(struct ev *v, const char *rel, struct buf *b, const char *what)
{
	const struct kube_target *t = v->k.target;
	char path[EV_PATH_MAX + 600];
	const char *slash = strrchr(rel, '/');

	if (t) {
		ev_scrub(b, t->token);
		ev_scrub(b, t->password);
	}
	if (slash) {
		snprintf(path, sizeof(path), "%s/%.*s", v->root, (int)(slash - rel), rel);
		ev_mkdir(path);
	}
	snprintf(path, sizeof(path), "%s/%s", v->root, rel);
	if (write_all(path, b->data ? b->data : "", b->len) != 0 || v->nfiles >= EV_FILES_MAX) {
		fprintf(stderr, "warning: %s: %s\n", path, strerror(errno));
		v->failures++;
		return;
	}
	snprintf(v->files[v->nfiles].rel, sizeof(v->files[0].rel), "%s", rel);
	snprintf(v->files[v->nfiles].what, sizeof(v->files[0].what), "%s", what);
	v->files[v->nfiles++].bytes = b->len;
}

static void ev_write_json(struct ev *v, const char *rel, cJSON *obj, const char *what)
{
	struct buf b;
	struct err e = { 0 };
	char *s;

	ev_redact(obj);
	s = cJSON_Print(obj);
	buf_init(&b, EV_FILE_MAX);
	if (s && buf_append_str(&b, s, &e) == OD_OK && buf_append_str(&b, "\n", &e) == OD_OK)
		ev_write(v, rel, &b, what);
	free(s);
	buf_free(&b);
}

/* --- what is collected ----------------------------------------------------------- */

static const char *js(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static const cJSON *jo(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* Not Ready, restarted, or not running: what an incident is about. */
static bool pod_is_affected(const cJSON *pod)
{
	const cJSON *st = jo(pod, "status"), *c;
	const char *phase = js(st, "phase");

	if (strcmp(phase, "Succeeded") == 0)
		return false;
	if (strcmp(phase, "Running") != 0)
		return true;
	cJSON_ArrayForEach(c, jo(st, "conditions"))
		if (strcmp(js(c, "type"), "Ready") == 0 && strcmp(js(c, "status"), "True") != 0)
			return true;
	cJSON_ArrayForEach(c, jo(st, "containerStatuses"))
		if (cJSON_GetNumberValue(jo(c, "restartCount")) > 0)
			return true;
	return false;
}

static enum od_status ev_get_log(struct ev *v, const char *pod, const char *container,
				 bool previous, bool tail, struct buf *body, struct err *e)
{
	struct buf path;
	enum od_status rc;

	buf_init(&path, 4096);
	rc = buf_printf(&path, e, "/api/v1/namespaces/%s/pods/%s/log?container=%s&sinceSeconds=%d"
				  "&timestamps=true%s", v->ns, pod, container, EV_LOG_SINCE_S,
			previous ? "&previous=true" : "");
	if (rc == OD_OK && tail)
		rc = buf_printf(&path, e, "&tailLines=%d", EV_LOG_TAIL_LINES);
	if (rc == OD_OK)
		rc = clikube_get(&v->k, buf_cstr(&path), "*/*", body, e);
	buf_free(&path);
	return rc;
}

static void ev_logs(struct ev *v, const char *pod, const char *container, bool previous)
{
	struct buf body;
	struct err e = { 0 };
	char rel[600], what[160];
	enum od_status rc;

	buf_init(&body, HTTP_BODY_MAX);
	snprintf(what, sizeof(what), "logs since 24h, %s container",
		 previous ? "previous" : "current");
	rc = ev_get_log(v, pod, container, previous, false, &body, &e);
	if (rc == OD_ELIMIT) {
		buf_free(&body);
		buf_init(&body, HTTP_BODY_MAX);
		rc = ev_get_log(v, pod, container, previous, true, &body, &e);
		snprintf(what, sizeof(what), "logs since 24h, %s container: the last %d lines "
					     "(the whole is over %u MiB)",
			 previous ? "previous" : "current", EV_LOG_TAIL_LINES,
			 (unsigned)(HTTP_BODY_MAX >> 20));
	}
	if (rc != OD_OK) {
		buf_free(&body);
		buf_init(&body, EV_FILE_MAX);
		buf_printf(&body, &e, "# not available: %s\n", e.msg);
	}
	snprintf(rel, sizeof(rel), "logs/%.250s_%.250s%s.log", pod, container,
		 previous ? ".previous" : "");
	ev_write(v, rel, &body, what);
	buf_free(&body);
}

static void describe_state(struct buf *b, const char *label, const cJSON *state, struct err *e)
{
	const cJSON *s;

	if (!state || !state->child) {
		return;
	}
	s = state->child;
	buf_printf(b, e, "    %s: %s", label, s->string ? s->string : "");
	if (*js(s, "reason"))
		buf_printf(b, e, " (%s)", js(s, "reason"));
	if (cJSON_IsNumber(jo(s, "exitCode")))
		buf_printf(b, e, " exit %d", (int)cJSON_GetNumberValue(jo(s, "exitCode")));
	if (*js(s, "startedAt"))
		buf_printf(b, e, " started %s", js(s, "startedAt"));
	if (*js(s, "finishedAt"))
		buf_printf(b, e, " finished %s", js(s, "finishedAt"));
	buf_printf(b, e, "\n");
}

/* A summary in the spirit of kubectl describe pod: status, containers, conditions, events. */
static void ev_describe(struct ev *v, const cJSON *pod, const cJSON *events)
{
	const cJSON *meta = jo(pod, "metadata"), *st = jo(pod, "status"), *c;
	struct buf b, rel;
	struct err e = { 0 };

	buf_init(&b, EV_FILE_MAX);
	buf_init(&rel, 4096);
	buf_printf(&b, &e, "Name:         %s\nNamespace:    %s\nNode:         %s\n"
			   "Start Time:   %s\nStatus:       %s\nIP:           %s\nContainers:\n",
		   js(meta, "name"), js(meta, "namespace"), js(jo(pod, "spec"), "nodeName"),
		   js(st, "startTime"), js(st, "phase"), js(st, "podIP"));
	cJSON_ArrayForEach(c, jo(st, "containerStatuses")) {
		buf_printf(&b, &e, "  %s:\n    Image: %s\n    Ready: %s\n    Restart Count: %d\n",
			   js(c, "name"), js(c, "image"), cJSON_IsTrue(jo(c, "ready")) ? "True" : "False",
			   (int)cJSON_GetNumberValue(jo(c, "restartCount")));
		describe_state(&b, "State", jo(c, "state"), &e);
		describe_state(&b, "Last State", jo(c, "lastState"), &e);
	}
	buf_printf(&b, &e, "Conditions:\n");
	cJSON_ArrayForEach(c, jo(st, "conditions"))
		buf_printf(&b, &e, "  %-28s %s %s\n", js(c, "type"), js(c, "status"), js(c, "reason"));
	buf_printf(&b, &e, "Events:\n");
	cJSON_ArrayForEach(c, events) {
		const cJSON *io = jo(c, "involvedObject");

		if (strcmp(js(io, "kind"), "Pod") == 0 && strcmp(js(io, "name"), js(meta, "name")) == 0)
			buf_printf(&b, &e, "  %s  %s  %s  x%d  %s\n", js(c, "lastTimestamp"),
				   js(c, "type"), js(c, "reason"),
				   (int)cJSON_GetNumberValue(jo(c, "count")), js(c, "message"));
	}
	buf_printf(&rel, &e, "describe/pod-%s.txt", js(meta, "name"));
	ev_write(v, buf_cstr(&rel), &b, "describe-style summary");
	buf_free(&b);
	buf_free(&rel);
}

static void ev_pod(struct ev *v, cJSON *pod, const cJSON *events)
{
	const char *name = js(jo(pod, "metadata"), "name");
	const cJSON *c;
	char rel[512];

	cJSON_ArrayForEach(c, jo(jo(pod, "status"), "containerStatuses")) {
		ev_logs(v, name, js(c, "name"), false);
		/* A previous container exists once it restarted. */
		if (cJSON_GetNumberValue(jo(c, "restartCount")) > 0)
			ev_logs(v, name, js(c, "name"), true);
	}
	ev_describe(v, pod, events);
	snprintf(rel, sizeof(rel), "manifests/pod-%.400s.json", name);
	ev_write_json(v, rel, pod, "pod manifest (redacted)");
}

static cJSON *ev_list(struct ev *v, const char *group, const char *res, const char *sel)
{
	struct buf path;
	struct err e = { 0 };
	cJSON *out = NULL;

	buf_init(&path, 4096);
	buf_printf(&path, &e, "%s/namespaces/%s/%s", group, v->ns, res);
	if (clikube_list(&v->k, buf_cstr(&path), sel, NULL, NULL, &out, &e) != OD_OK) {
		fprintf(stderr, "warning: %s: %s\n", res, e.msg);
		v->failures++;
		out = NULL;
	}
	buf_free(&path);
	return out;
}

static void ev_workloads(struct ev *v)
{
	static const char *const res[][2] = {
		{ "/apis/apps/v1", "deployments" }, { "/apis/apps/v1", "statefulsets" },
		{ "/apis/apps/v1", "daemonsets" }, { "/apis/apps/v1", "replicasets" },
	};

	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		cJSON *l = ev_list(v, res[i][0], res[i][1], NULL);
		char rel[128];

		if (!l)
			continue;
		snprintf(rel, sizeof(rel), "manifests/%s.json", res[i][1]);
		ev_write_json(v, rel, l, "workload manifests (redacted)");
		cJSON_Delete(l);
	}
}

static void ev_events(struct ev *v, const cJSON *events)
{
	const cJSON *c;
	struct buf b;
	struct err e = { 0 };

	buf_init(&b, EV_FILE_MAX);
	buf_printf(&b, &e, "LAST SEEN\tTYPE\tREASON\tOBJECT\tCOUNT\tMESSAGE\n");
	cJSON_ArrayForEach(c, events) {
		const cJSON *io = jo(c, "involvedObject");

		buf_printf(&b, &e, "%s\t%s\t%s\t%s/%s\t%d\t%s\n", js(c, "lastTimestamp"),
			   js(c, "type"), js(c, "reason"), js(io, "kind"), js(io, "name"),
			   (int)cJSON_GetNumberValue(jo(c, "count")), js(c, "message"));
	}
	ev_write(v, "events.tsv", &b, "events of the namespace");
	buf_free(&b);
}

static void ev_metrics(struct ev *v)
{
	struct store_series_filter f = { .context = v->rq->context[0] ? v->rq->context : NULL,
					 .namespace = v->ns, .kind = -1, .metric = -1 };
	int64_t *ids = NULL, now = time_now().sec, from = v->rq->started_at - EV_METRICS_BEFORE_S;
	size_t n = 0;
	struct buf b;
	struct err e = { 0 };

	buf_init(&b, EV_FILE_MAX);
	buf_printf(&b, &e, "kind,object,container,metric,ts,avg,min,max\n");
	if (v->rq->st && store_series_find(v->rq->st, &f, &ids, &n, &e) == OD_OK) {
		for (size_t i = 0; i < n; i++) {
			struct store_series_info info;
			struct store_query_result r = { 0 };

			if (store_series_get(v->rq->st, ids[i], &info, &e) != OD_OK ||
			    store_series_query(v->rq->st, ids[i], from, now, 60, &r, &e) != OD_OK)
				continue;
			for (size_t p = 0; p < r.n; p++)
				buf_printf(&b, &e, "%s,%s,%s,%s,%" PRId64 ",%.3f,%" PRId64 ",%" PRId64 "\n",
					   store_kind_name(info.kind), info.object, info.container,
					   store_metric_name(info.metric), r.points[p].ts,
					   r.points[p].avg, r.points[p].min, r.points[p].max);
			store_query_result_free(&r);
		}
	}
	free(ids);
	ev_write(v, "metrics.csv", &b, "metrics window from the store (start - 1h .. now)");
	buf_free(&b);
}

/* --- manifest and sums ------------------------------------------------------------ */

static int sha256_file(const char *path, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(path, "rb");
	size_t r;
	int rc = -1;

	if (ctx && f && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1) {
		while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
			EVP_DigestUpdate(ctx, chunk, r);
		if (!ferror(f) && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32) {
			for (unsigned i = 0; i < 32; i++)
				snprintf(hex + 2 * i, 3, "%02x", md[i]);
			rc = 0;
		}
	}
	if (f)
		fclose(f);
	EVP_MD_CTX_free(ctx);
	return rc;
}

static void ev_manifest(struct ev *v)
{
	struct buf m, sums;
	struct err e = { 0 };
	char path[EV_PATH_MAX + 600], hex[65];

	buf_init(&m, EV_FILE_MAX);
	buf_init(&sums, EV_FILE_MAX);
	buf_printf(&m, &e, "# opsdeck evidence for incident %" PRId64 "\n# namespace %s, context %s\n"
			   "# path\tbytes\twhat\n", v->rq->incident_id, v->ns,
		   v->rq->context[0] ? v->rq->context : "-");
	for (size_t i = 0; i < v->nfiles; i++)
		buf_printf(&m, &e, "%s\t%zu\t%s\n", v->files[i].rel, v->files[i].bytes,
			   v->files[i].what);
	ev_write(v, "MANIFEST", &m, "this list");
	for (size_t i = 0; i < v->nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", v->root, v->files[i].rel);
		if (sha256_file(path, hex) != 0) {
			v->failures++;
			continue;
		}
		buf_printf(&sums, &e, "%s  %s\n", hex, v->files[i].rel);
	}
	snprintf(path, sizeof(path), "%s/SHA256SUMS", v->root);
	if (write_all(path, sums.data ? sums.data : "", sums.len) != 0)
		v->failures++;
	buf_free(&m);
	buf_free(&sums);
}

/* --- ustar + gzip ------------------------------------------------------------------- */

/* n-1 octal digits, zero-padded, then NUL (values that do not fit are cut: sizes are capped by the caller's files). */
static void tar_octal(char *field, size_t n, uint64_t v)
{
	field[n - 1] = '\0';
	for (size_t i = n - 1; i > 0; i--) {
		field[i - 1] = (char)('0' + (v & 7));
		v >>= 3;
	}
}

/* Fills a ustar header; name is split into prefix/name when longer than 100. */
static int tar_header(unsigned char h[512], const char *name, uint64_t size, bool dir,
		      int64_t mtime)
{
	size_t len = strlen(name), split = 0;
	unsigned sum = 0;

	memset(h, 0, 512);
	if (len > 100) {
		for (size_t i = len > 101 ? len - 101 : 0; i < len && i <= 155; i++)
			if (name[i] == '/' && len - i - 1 <= 100) {
				split = i;
				break;
			}
		if (!split)
			return -1;
		memcpy(h + 345, name, split);
		memcpy(h, name + split + 1, len - split - 1);
	} else {
		memcpy(h, name, len);
	}
	tar_octal((char *)h + 100, 8, dir ? 0700 : 0600);
	tar_octal((char *)h + 108, 8, 0);
	tar_octal((char *)h + 116, 8, 0);
	tar_octal((char *)h + 124, 12, size);
	tar_octal((char *)h + 136, 12, (uint64_t)(mtime > 0 ? mtime : 0));
	h[156] = dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	tar_octal((char *)h + 148, 7, sum);   /* six digits, NUL, then the space already there */
	return 0;
}

struct tar_out {
	gzFile gz;
	int failed;
	char *err;
	size_t errn;
};

static void tar_put(struct tar_out *t, const void *p, size_t n)
{
	if (!t->failed && n > 0 && gzwrite(t->gz, p, (unsigned)n) != (int)n)
		t->failed = 1;
}

static void tar_add(struct tar_out *t, const char *fs_path, const char *name);

static void tar_add_dir(struct tar_out *t, const char *fs_path, const char *name)
{
	DIR *d = opendir(fs_path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		t->failed = 1;
		return;
	}
	/* Sorted, so the archive's order does not depend on the file system. */
	while ((de = readdir(d))) {
		char **nn;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *tmp = names[j];
			names[j] = names[j - 1];
			names[j - 1] = tmp;
		}
	for (size_t i = 0; i < n; i++) {
		char fp[EV_PATH_MAX], nm[EV_PATH_MAX];

		snprintf(fp, sizeof(fp), "%s/%s", fs_path, names[i]);
		snprintf(nm, sizeof(nm), "%s/%s", name, names[i]);
		tar_add(t, fp, nm);
		free(names[i]);
	}
	free(names);
}

static void tar_add(struct tar_out *t, const char *fs_path, const char *name)
{
	unsigned char h[512], chunk[65536];
	struct stat sb;
	char dname[EV_PATH_MAX];
	FILE *f;
	size_t r;

	if (t->failed || lstat(fs_path, &sb) != 0) {
		t->failed = 1;
		return;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(dname, sizeof(dname), "%s/", name);
		if (tar_header(h, dname, 0, true, sb.st_mtime) != 0) {
			t->failed = 1;
			return;
		}
		tar_put(t, h, 512);
		tar_add_dir(t, fs_path, name);
		return;
	}
	if (!S_ISREG(sb.st_mode))
		return;
	if (tar_header(h, name, (uint64_t)sb.st_size, false, sb.st_mtime) != 0 ||
	    !(f = fopen(fs_path, "rb"))) {
		snprintf(t->err, t->errn, "%s: cannot archive", name);
		t->failed = 1;
		return;
	}
	tar_put(t, h, 512);
	uint64_t done = 0;
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0 && done < (uint64_t)sb.st_size) {
		if (done + r > (uint64_t)sb.st_size)
			r = (size_t)((uint64_t)sb.st_size - done);   /* grew meanwhile: the header said less */
		tar_put(t, chunk, r);
		done += r;
	}
	fclose(f);
	memset(chunk, 0, 512);
	while (done < (uint64_t)sb.st_size) {   /* shrank meanwhile: pad to the header's size */
		size_t k = (uint64_t)sb.st_size - done > 512 ? 512 : (size_t)((uint64_t)sb.st_size - done);
		tar_put(t, chunk, k);
		done += k;
	}
	if (done % 512)
		tar_put(t, chunk, 512 - done % 512);
}

int incident_evidence_tar_gz(const char *dir, const char *out, char *err, size_t errn)
{
	struct tar_out t = { .err = err, .errn = errn };
	unsigned char zero[1024] = { 0 };
	const char *base = strrchr(dir, '/');
	int fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600);

	snprintf(err, errn, "%s: write failed", out);
	if (fd < 0) {
		snprintf(err, errn, "%s: %s", out, strerror(errno));
		return -1;
	}
	t.gz = gzdopen(fd, "wb9");
	if (!t.gz) {
		close(fd);
		return -1;
	}
	tar_add(&t, dir, base ? base + 1 : dir);
	tar_put(&t, zero, sizeof(zero));   /* two zero blocks end the archive */
	if (gzclose(t.gz) != Z_OK)
		t.failed = 1;
	return t.failed ? -1 : 0;
}

/* --- the whole collection ------------------------------------------------------------- */

static int ev_open(struct ev *v, const struct global_opts *g)
{
	struct global_opts g2 = *g;

	/* The incident's namespace, unless -n says otherwise. */
	if (!g2.namespace_ && v->rq->namespace_ && v->rq->namespace_[0])
		g2.namespace_ = v->rq->namespace_;
	g2.all_namespaces = 0;
	return clikube_open(&v->k, &g2);
}

static int ev_make_root(struct ev *v)
{
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(v->name, sizeof(v->name), "incident-%" PRId64 "-evidence-%s", v->rq->incident_id, ts);
	snprintf(v->root, sizeof(v->root), "%s/%s", v->rq->dir, v->name);
	if (ev_mkdir(v->rq->dir) != 0 && errno != EEXIST) {
		fprintf(stderr, "error: %s: %s\n", v->rq->dir, strerror(errno));
		return -1;
	}
	if (mkdir(v->root, 0700) != 0) {
		fprintf(stderr, "error: %s: %s\n", v->root, strerror(errno));
		return -1;
	}
	return chmod(v->root, 0700);
}

static int ev_collect(struct ev *v)
{
	cJSON *pods, *events, *p;
	bool any = false;

	pods = ev_list(v, "/api/v1", "pods", v->rq->selector);
	if (!pods)
		return CLI_EXIT_FAILED;
	events = ev_list(v, "/api/v1", "events", NULL);
	if (!v->rq->selector)
		cJSON_ArrayForEach(p, jo(pods, "items"))
			any = any || pod_is_affected(p);
	cJSON_ArrayForEach(p, jo(pods, "items"))
		if (v->rq->selector || !any || pod_is_affected(p))
			ev_pod(v, p, jo(events, "items"));
	ev_workloads(v);
	ev_events(v, jo(events, "items"));
	ev_metrics(v);
	cJSON_Delete(events);
	cJSON_Delete(pods);
	ev_manifest(v);
	return CLI_EXIT_OK;
}

int incident_evidence_collect(const struct global_opts *g, const struct incident_evidence_req *rq)
{
	struct ev *v = calloc(1, sizeof(*v));
	char tgz[EV_PATH_MAX + 16], err[512];
	int code;

	if (!v || !(v->files = calloc(EV_FILES_MAX, sizeof(*v->files)))) {
		free(v);
		fprintf(stderr, "error: out of memory\n");
		return CLI_EXIT_FAILED;
	}
	v->rq = rq;
	code = ev_open(v, g);
	if (code == 0) {
		v->ns = v->k.namespace_;
		code = ev_make_root(v) == 0 ? ev_collect(v) : CLI_EXIT_FAILED;
	}
	if (code == CLI_EXIT_OK) {
		snprintf(tgz, sizeof(tgz), "%s.tar.gz", v->root);
		if (incident_evidence_tar_gz(v->root, tgz, err, sizeof(err)) != 0) {
			fprintf(stderr, "error: %s\n", err);
			code = CLI_EXIT_FAILED;
		} else {
			printf("%s\n%s\n", v->root, tgz);
			if (v->failures)
				fprintf(stderr, "warning: %d item(s) could not be collected (see MANIFEST)\n",
					v->failures);
		}
	}
	if (v->k.loop)
		clikube_close(&v->k);
	free(v->files);
	free(v);
	return code;
}
