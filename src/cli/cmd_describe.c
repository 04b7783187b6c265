/*
 * cmd_describe.c: `opsdeck describe pod NAME`, laid out as kubectl describe
 * lays it out (its PrefixWriter over Go's tabwriter: minwidth 0, padding 2),
 * with the same lines in the same order: identity, containers (image, state,
 * last state, ready, restarts, requests/limits, probes, environment, mounts),
 * conditions, volumes with their claims, QoS, tolerations and the pod's
 * events. Ages are on the API server's clock.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsdeck/api.h"
#include "opsdeck/clikube.h"
#include "opsdeck/commands.h"
#include "opsdeck/duration.h"
#include "opsdeck/quantity.h"
#include "opsdeck/tabwriter.h"
#include "opsdeck/timeutil.h"

int cmd_describe(const struct global_opts *g, int argc, char **argv);

/* kubectl describe's tabwriter: minwidth 0, tabwidth 8, padding 2, spaces. */
static const struct tabwriter_opts DESCRIBE_TABWRITER = { .minwidth = 0, .padding = 2 };
/* Annotations longer than this are folded, as kubectl does. */
#define DESCRIBE_MAX_ANNOTATION_LEN 140

/* The text being written and the API server's "now" for ages. */
struct describe_out {
	struct buf text;
	struct od_time now;
	enum od_status rc;
	struct err *e;
};

/* PrefixWriter.Write: level*2 spaces, then the formatted text. */
static void dw(struct describe_out *d, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void dw(struct describe_out *d, int level, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	if (d->rc != OD_OK)
		return;
	for (int i = 0; i < level && d->rc == OD_OK; i++)
		d->rc = buf_append(&d->text, "  ", 2, d->e);
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		d->rc = err_set(d->e, OD_ENOMEM, "out of memory");
		return;
	}
	if (d->rc == OD_OK)
		d->rc = buf_append(&d->text, s, (size_t)n, d->e);
	free(s);
}

/* ---- cJSON access ---- */

static const cJSON *jget(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static long long jint(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);
	return cJSON_IsNumber(v) ? (long long)v->valuedouble : 0;
}

static bool jbool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(jget(o, k));
}

/* Go's %v of an int-or-string (a port). */
static void jintstr(const cJSON *v, char *out, size_t n)
{
	if (cJSON_IsNumber(v))
		snprintf(out, n, "%lld", (long long)v->valuedouble);
	else if (cJSON_IsString(v))
		snprintf(out, n, "%s", v->valuestring);
	else
		snprintf(out, n, "0");
}

/* time.RFC1123Z in the local zone, as metav1.Time prints: "Fri, 09 Jan 2026 12:00:00 +0000". */
static void time_rfc1123z(const char *rfc3339, char *out, size_t n)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct od_time t = { 0 };
	struct tm tm;
	time_t s;

	if (!rfc3339[0] || time_parse_rfc3339(rfc3339, &t, NULL) != OD_OK) {
		snprintf(out, n, "Mon, 01 Jan 0001 00:00:00 +0000");
		return;
	}
	s = (time_t)t.sec;
	localtime_r(&s, &tm);
	long off = tm.tm_gmtoff / 60;
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* translateTimestampSince: "<unknown>" for a missing time, else HumanDuration. */
static void time_since(const struct describe_out *d, const char *rfc3339, char *out, size_t n)
{
	struct od_time t;

	if (!rfc3339[0] || time_parse_rfc3339(rfc3339, &t, NULL) != OD_OK) {
		snprintf(out, n, "<unknown>");
		return;
	}
	duration_format_human(time_diff_ns(t, d->now), out, n);
}

/* ---- sections ---- */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of an object, sorted; owned array of borrowed strings. */
static const char **sorted_keys(const cJSON *o, size_t *n)
{
	const cJSON *c;
	size_t i = 0, cnt = (size_t)cJSON_GetArraySize(o);
	const char **k = calloc(cnt ? cnt : 1, sizeof(*k));

	if (!k) {
		*n = 0;
		return NULL;
	}
	cJSON_ArrayForEach(c, o) {
		if (i < cnt)
			k[i++] = c->string;
	}
	qsort(k, i, sizeof(*k), str_cmp);
	*n = i;
	return k;
}

static void describe_labels(struct describe_out *d, const char *title, const cJSON *labels)
{
	size_t n = 0;
	const char **keys = sorted_keys(labels, &n);

	dw(d, 0, "%s:\t", title);
	if (n == 0)
		dw(d, 0, "<none>\n");
	for (size_t i = 0; i < n; i++) {
		if (i)
			dw(d, 0, "\t");
		dw(d, 0, "%s=%s\n", keys[i], jstr(labels, keys[i]));
	}
	free(keys);
}

static void describe_annotations(struct describe_out *d, const cJSON *ann)
{
	size_t n = 0, shown = 0;
	const char **keys = sorted_keys(ann, &n);

	dw(d, 0, "Annotations:\t");
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(keys[i], "kubectl.kubernetes.io/last-applied-configuration"))
			continue;
		if (shown++)
			dw(d, 0, "\t");
		char *v = strdup(jstr(ann, keys[i]));
		if (!v)
			break;
		size_t vl = strlen(v);
		if (vl && v[vl - 1] == '\n')
			v[--vl] = '\0';
		if (vl + strlen(keys[i]) + 2 > DESCRIBE_MAX_ANNOTATION_LEN || strchr(v, '\n')) {
			dw(d, 0, "%s:\n", keys[i]);
			for (char *s = v, *nl;; s = nl + 1) {
				nl = strchr(s, '\n');
				if (nl)
					*nl = '\0';
				if (strlen(s) > DESCRIBE_MAX_ANNOTATION_LEN - 2)
					dw(d, 0, "\t  %.*s...\n", DESCRIBE_MAX_ANNOTATION_LEN - 2, s);
				else
					dw(d, 0, "\t  %s\n", s);
				if (!nl)
					break;
			}
		} else {
			dw(d, 0, "%s: %s\n", keys[i], v);
		}
		free(v);
	}
	if (shown == 0)
		dw(d, 0, "<none>\n");
	free(keys);
}

static void describe_ports(const cJSON *ports, bool host, char *out, size_t n)
{
	const cJSON *p;
	size_t len = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(p, ports) {
		const char *proto = jstr(p, "protocol");
		int w = snprintf(out + len, n - len, "%s%lld/%s", len ? ", " : "",
				 jint(p, host ? "hostPort" : "containerPort"), proto[0] ? proto : "TCP");
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

static void describe_state(struct describe_out *d, const char *name, const cJSON *st)
{
	const cJSON *run = jget(st, "running"), *wait = jget(st, "waiting");
	const cJSON *term = jget(st, "terminated");
	char t1[64], t2[64];

	if (run) {
		time_rfc1123z(jstr(run, "startedAt"), t1, sizeof(t1));
		dw(d, 2, "%s:\tRunning\n", name);
		dw(d, 3, "Started:\t%s\n", t1);
	} else if (wait) {
		dw(d, 2, "%s:\tWaiting\n", name);
		if (jstr(wait, "reason")[0])
			dw(d, 3, "Reason:\t%s\n", jstr(wait, "reason"));
	} else if (term) {
		dw(d, 2, "%s:\tTerminated\n", name);
		if (jstr(term, "reason")[0])
			dw(d, 3, "Reason:\t%s\n", jstr(term, "reason"));
		if (jstr(term, "message")[0])
			dw(d, 3, "Message:\t%s\n", jstr(term, "message"));
		dw(d, 3, "Exit Code:\t%lld\n", jint(term, "exitCode"));
		if (jint(term, "signal") > 0)
			dw(d, 3, "Signal:\t%lld\n", jint(term, "signal"));
		time_rfc1123z(jstr(term, "startedAt"), t1, sizeof(t1));
		time_rfc1123z(jstr(term, "finishedAt"), t2, sizeof(t2));
		dw(d, 3, "Started:\t%s\n", t1);
		dw(d, 3, "Finished:\t%s\n", t2);
	} else {
		dw(d, 2, "%s:\tWaiting\n", name);
	}
}

static void describe_resources(struct describe_out *d, const cJSON *res)
{
	static const char *const kinds[2][2] = { { "limits", "Limits" },
						 { "requests", "Requests" } };

	for (int k = 0; k < 2; k++) {
		const cJSON *m = jget(res, kinds[k][0]);
		size_t n = 0;
		const char **keys = sorted_keys(m, &n);
		if (n)
			dw(d, 2, "%s:\n", kinds[k][1]);
		for (size_t i = 0; i < n; i++) {
			struct quantity q;
			char canon[QUANTITY_STR_MAX];
			const char *v = jstr(m, keys[i]);
			if (quantity_parse(v, &q, NULL) == OD_OK)
				quantity_format_canonical(&q, canon, sizeof(canon));
			else
				snprintf(canon, sizeof(canon), "%s", v);
			dw(d, 3, "%s:\t%s\n", keys[i], canon);
		}
		free(keys);
	}
}

/* DescribeProbe: "http-get http://:8080/healthz delay=0s timeout=1s ...". */
static void describe_probe(struct describe_out *d, const char *title, const cJSON *p)
{
	char attrs[256], port[64];
	const cJSON *x;

	if (!p)
		return;
	snprintf(attrs, sizeof(attrs),
		 "delay=%llds timeout=%llds period=%llds #success=%lld #failure=%lld",
		 jint(p, "initialDelaySeconds"), jint(p, "timeoutSeconds"),
		 jint(p, "periodSeconds"), jint(p, "successThreshold"),
		 jint(p, "failureThreshold"));
	if ((x = jget(p, "exec"))) {
		const cJSON *c;
		dw(d, 2, "%s:\texec [", title);
		bool first = true;
		cJSON_ArrayForEach(c, jget(x, "command")) {
			dw(d, 0, "%s%s", first ? "" : " ", cJSON_IsString(c) ? c->valuestring : "");
			first = false;
		}
		dw(d, 0, "] %s\n", attrs);
	} else if ((x = jget(p, "httpGet"))) {
		char scheme[16];
		const char *s = jstr(x, "scheme");
		size_t i = 0;
		for (; s[i] && i + 1 < sizeof(scheme); i++)
			scheme[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
		scheme[i] = '\0';
		jintstr(jget(x, "port"), port, sizeof(port));
		const char *host = jstr(x, "host");
		bool v6 = strchr(host, ':') != NULL;
		dw(d, 2, "%s:\thttp-get %s%s%s%s%s:%s%s %s\n", title, scheme, scheme[0] ? "://" : "//",
		   v6 ? "[" : "", host, v6 ? "]" : "", port, jstr(x, "path"), attrs);
	} else if ((x = jget(p, "tcpSocket"))) {
		jintstr(jget(x, "port"), port, sizeof(port));
		dw(d, 2, "%s:\ttcp-socket %s:%s %s\n", title, jstr(x, "host"), port, attrs);
	} else if ((x = jget(p, "grpc"))) {
		dw(d, 2, "%s:\tgrpc <pod>:%lld %s %s\n", title, jint(x, "port"), jstr(x, "service"),
		   attrs);
	} else {
		dw(d, 2, "%s:\tunknown %s\n", title, attrs);
	}
}

/*
 * EnvValueRetriever: kubectl resolves only metadata fields of a fieldRef
 * (fieldpath.ExtractFieldPathAsString); spec and status paths show as empty.
 */
static const char *env_field_value(const cJSON *pod, const cJSON *ref, char *tmp, size_t n)
{
	const cJSON *md = jget(pod, "metadata");
	const char *path = jstr(ref, "fieldPath");

	if (!strcmp(path, "metadata.name"))
		return jstr(md, "name");
	if (!strcmp(path, "metadata.namespace"))
		return jstr(md, "namespace");
	if (!strcmp(path, "metadata.uid"))
		return jstr(md, "uid");
	static const char *const maps[2][2] = { { "metadata.labels['", "labels" },
						{ "metadata.annotations['", "annotations" } };
	for (int k = 0; k < 2; k++) {
		size_t pl = strlen(maps[k][0]), l = strlen(path);
		if (strncmp(path, maps[k][0], pl) == 0 && l > pl + 2 && !strcmp(path + l - 2, "']")) {
			snprintf(tmp, n, "%.*s", (int)(l - pl - 2), path + pl);
			return jstr(jget(md, maps[k][1]), tmp);
		}
	}
	return "";
}

static void describe_env(struct describe_out *d, const cJSON *pod, const cJSON *c)
{
	const cJSON *env = jget(c, "env"), *from = jget(c, "envFrom"), *v;

	if (cJSON_GetArraySize(from) > 0) {
		dw(d, 2, "Environment Variables from:\n");
		cJSON_ArrayForEach(v, from) {
			const cJSON *cm = jget(v, "configMapRef"), *sec = jget(v, "secretRef");
			const cJSON *ref = cm ? cm : sec;
			const char *what = cm ? "ConfigMap" : "Secret";
			const char *pfx = jstr(v, "prefix");
			if (!pfx[0])
				dw(d, 3, "%s\t%s\tOptional: %s\n", jstr(ref, "name"), what,
				   jbool(ref, "optional") ? "true" : "false");
			else
				dw(d, 3, "%s\t%s with prefix '%s'\tOptional: %s\n", jstr(ref, "name"),
				   what, pfx, jbool(ref, "optional") ? "true" : "false");
		}
	}
	dw(d, 2, "Environment:%s\n", cJSON_GetArraySize(env) ? "" : "\t<none>");
	cJSON_ArrayForEach(v, env) {
		const cJSON *vf = jget(v, "valueFrom"), *x;
		const char *name = jstr(v, "name");
		if (!vf) {
			char *val = strdup(jstr(v, "value"));
			if (!val)
				return;
			int i = 0;
			for (char *s = val, *nl;; s = nl + 1, i++) {
				nl = strchr(s, '\n');
				if (nl)
					*nl = '\0';
				if (i == 0)
					dw(d, 3, "%s:\t%s\n", name, s);
				else
					dw(d, 3, "\t%s\n", s);
				if (!nl)
					break;
			}
			free(val);
		} else if ((x = jget(vf, "fieldRef"))) {
			char tmp[256];
			dw(d, 3, "%s:\t%s (%s:%s)\n", name, env_field_value(pod, x, tmp, sizeof(tmp)),
			   jstr(x, "apiVersion"), jstr(x, "fieldPath"));
		} else if ((x = jget(vf, "resourceFieldRef"))) {
			dw(d, 3, "%s:\t%s (%s)\n", name, "", jstr(x, "resource"));
		} else if ((x = jget(vf, "secretKeyRef"))) {
			dw(d, 3, "%s:\t<set to the key '%s' in secret '%s'>\tOptional: %s\n", name,
			   jstr(x, "key"), jstr(x, "name"), jbool(x, "optional") ? "true" : "false");
		} else if ((x = jget(vf, "configMapKeyRef"))) {
			dw(d, 3, "%s:\t<set to the key '%s' of config map '%s'>\tOptional: %s\n", name,
			   jstr(x, "key"), jstr(x, "name"), jbool(x, "optional") ? "true" : "false");
		}
	}
}

static int mount_cmp(const void *a, const void *b)
{
	return strcmp(jstr(*(const cJSON *const *)a, "mountPath"),
		      jstr(*(const cJSON *const *)b, "mountPath"));
}

static void describe_mounts(struct describe_out *d, const cJSON *c)
{
	const cJSON *mounts = jget(c, "volumeMounts"), *m;
	size_t n = (size_t)cJSON_GetArraySize(mounts), i = 0;
	const cJSON **v = calloc(n ? n : 1, sizeof(*v));

	if (!v)
		return;
	dw(d, 2, "Mounts:%s\n", n ? "" : "\t<none>");
	cJSON_ArrayForEach(m, mounts) {
		if (i < n)
			v[i++] = m;
	}
	/* a stable sort by mount path (Go's sort is an insertion sort for short lists) */
	for (size_t a = 1; a < i; a++)
		for (size_t b = a; b > 0 && mount_cmp(&v[b], &v[b - 1]) < 0; b--) {
			const cJSON *t = v[b];
			v[b] = v[b - 1];
			v[b - 1] = t;
		}
	for (size_t k = 0; k < i; k++) {
		const char *sub = jstr(v[k], "subPath");
		if (sub[0])
			dw(d, 3, "%s from %s (%s,path=\"%s\")\n", jstr(v[k], "mountPath"),
			   jstr(v[k], "name"), jbool(v[k], "readOnly") ? "ro" : "rw", sub);
		else
			dw(d, 3, "%s from %s (%s)\n", jstr(v[k], "mountPath"), jstr(v[k], "name"),
			   jbool(v[k], "readOnly") ? "ro" : "rw");
	}
	free(v);
	const cJSON *devs = jget(c, "volumeDevices");
	if (cJSON_GetArraySize(devs) > 0) {
		dw(d, 2, "Devices:\n");
		cJSON_ArrayForEach(m, devs)
			dw(d, 3, "%s from %s\n", jstr(m, "devicePath"), jstr(m, "name"));
	}
}

static void describe_containers(struct describe_out *d, const cJSON *pod, const char *label,
				const cJSON *containers, const cJSON *statuses)
{
	const cJSON *c;
	char ports[1024];

	dw(d, 0, "%s:%s\n", label, cJSON_GetArraySize(containers) ? "" : " <none>");
	cJSON_ArrayForEach(c, containers) {
		const cJSON *st = NULL, *s, *x;
		cJSON_ArrayForEach(s, statuses) {
			if (!strcmp(jstr(s, "name"), jstr(c, "name")))
				st = s;
		}
		dw(d, 1, "%s:\n", jstr(c, "name"));
		if (st)
			dw(d, 2, "Container ID:\t%s\n", jstr(st, "containerID"));
		dw(d, 2, "Image:\t%s\n", jstr(c, "image"));
		if (st)
			dw(d, 2, "Image ID:\t%s\n", jstr(st, "imageID"));
		describe_ports(jget(c, "ports"), false, ports, sizeof(ports));
		if (strchr(ports, ','))
			dw(d, 2, "Ports:\t%s\n", ports);
		else
			dw(d, 2, "Port:\t%s\n", ports[0] ? ports : "<none>");
		describe_ports(jget(c, "ports"), true, ports, sizeof(ports));
		if (strchr(ports, ','))
			dw(d, 2, "Host Ports:\t%s\n", ports);
		else
			dw(d, 2, "Host Port:\t%s\n", ports[0] ? ports : "<none>");
		if (jstr(c, "restartPolicy")[0])
			dw(d, 2, "Restart Policy:\t%s\n", jstr(c, "restartPolicy"));
		static const char *const cmds[2][2] = { { "command", "Command" },
							{ "args", "Args" } };
		for (int k = 0; k < 2; k++) {
			const cJSON *arr = jget(c, cmds[k][0]);
			if (cJSON_GetArraySize(arr) == 0)
				continue;
			dw(d, 2, "%s:\n", cmds[k][1]);
			cJSON_ArrayForEach(x, arr) {
				char *v = strdup(cJSON_IsString(x) ? x->valuestring : "");
				if (!v)
					return;
				for (char *p = v, *nl;; p = nl + 1) {
					nl = strchr(p, '\n');
					if (nl)
						*nl = '\0';
					dw(d, 3, "%s\n", p);
					if (!nl)
						break;
				}
				free(v);
			}
		}
		if (st) {
			describe_state(d, "State", jget(st, "state"));
			const cJSON *last = jget(st, "lastState");
			if (jget(last, "terminated"))
				describe_state(d, "Last State", last);
			dw(d, 2, "Ready:\t%s\n", jbool(st, "ready") ? "True" : "False");
			dw(d, 2, "Restart Count:\t%lld\n", jint(st, "restartCount"));
		}
		describe_resources(d, jget(c, "resources"));
		describe_probe(d, "Liveness", jget(c, "livenessProbe"));
		describe_probe(d, "Readiness", jget(c, "readinessProbe"));
		describe_probe(d, "Startup", jget(c, "startupProbe"));
		describe_env(d, pod, c);
		describe_mounts(d, c);
	}
}

static const char *describe_optional(const cJSON *o, const char *k)
{
	const cJSON *v = jget(o, k);
	if (!v)
		return "<nil>";
	return cJSON_IsTrue(v) ? "true" : "false";
}

static void describe_volumes(struct describe_out *d, const cJSON *vols)
{
	const cJSON *v, *x;

	if (cJSON_GetArraySize(vols) == 0) {
		dw(d, 0, "Volumes:\t<none>\n");
		return;
	}
	dw(d, 0, "Volumes:\n");
	cJSON_ArrayForEach(v, vols) {
		dw(d, 1, "%s:\n", jstr(v, "name"));
		if ((x = jget(v, "hostPath"))) {
			const char *t = jstr(x, "type");
			dw(d, 2, "Type:\tHostPath (bare host directory volume)\n    Path:\t%s\n"
				 "    HostPathType:\t%s\n", jstr(x, "path"),
			   jget(x, "type") ? t : "<none>");
		} else if ((x = jget(v, "emptyDir"))) {
			const char *sl = jstr(x, "sizeLimit");
			struct quantity q;
			char canon[QUANTITY_STR_MAX] = "<unset>";
			if (sl[0] && quantity_parse(sl, &q, NULL) == OD_OK && q.mantissa > 0 && !q.negative)
				quantity_format_canonical(&q, canon, sizeof(canon));
			dw(d, 2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
				 "    Medium:\t%s\n    SizeLimit:\t%s\n", jstr(x, "medium"), canon);
		} else if ((x = jget(v, "secret"))) {
			dw(d, 2, "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t%s\n"
				 "    Optional:\t%s\n", jstr(x, "secretName"),
			   jbool(x, "optional") ? "true" : "false");
		} else if ((x = jget(v, "configMap"))) {
			dw(d, 2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t%s\n"
				 "    Optional:\t%s\n", jstr(x, "name"),
			   jbool(x, "optional") ? "true" : "false");
		} else if ((x = jget(v, "persistentVolumeClaim"))) {
			dw(d, 2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim "
				 "in the same namespace)\n    ClaimName:\t%s\n    ReadOnly:\t%s\n",
			   jstr(x, "claimName"), jbool(x, "readOnly") ? "true" : "false");
		} else if ((x = jget(v, "projected"))) {
			const cJSON *s;
			dw(d, 2, "Type:\tProjected (a volume that contains injected data from multiple "
				 "sources)\n");
			cJSON_ArrayForEach(s, jget(x, "sources")) {
				const cJSON *y;
				if ((y = jget(s, "secret")))
					dw(d, 2, "SecretName:\t%s\n    SecretOptionalName:\t%s\n",
					   jstr(y, "name"), describe_optional(y, "optional"));
				else if (jget(s, "downwardAPI"))
					dw(d, 2, "DownwardAPI:\ttrue\n");
				else if ((y = jget(s, "configMap")))
					dw(d, 2, "ConfigMapName:\t%s\n    ConfigMapOptional:\t%s\n",
					   jstr(y, "name"), describe_optional(y, "optional"));
				else if ((y = jget(s, "serviceAccountToken")))
					dw(d, 2, "TokenExpirationSeconds:\t%lld\n",
					   jint(y, "expirationSeconds"));
			}
		} else if (jget(v, "downwardAPI")) {
			dw(d, 2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n"
				 "    Items:\n");
			cJSON_ArrayForEach(x, jget(jget(v, "downwardAPI"), "items")) {
				const cJSON *fr = jget(x, "fieldRef");
				if (fr)
					dw(d, 3, "%s -> %s\n", jstr(fr, "fieldPath"), jstr(x, "path"));
			}
		} else {
			dw(d, 1, "<unknown>\n");
		}
	}
}

/* QoS: status.qosClass, else computed as the kubelet does (cpu and memory only). */
static const char *describe_qos(const cJSON *pod)
{
	const char *q = jstr(jget(pod, "status"), "qosClass");
	const cJSON *c;
	bool any = false, guaranteed = true;

	if (q[0])
		return q;
	cJSON_ArrayForEach(c, jget(jget(pod, "spec"), "containers")) {
		const cJSON *r = jget(c, "resources");
		const cJSON *lim = jget(r, "limits"), *req = jget(r, "requests");
		any = any || cJSON_GetArraySize(lim) || cJSON_GetArraySize(req);
		for (int k = 0; k < 2; k++) {
			const char *res = k ? "memory" : "cpu";
			const char *l = jstr(lim, res), *rq = jstr(req, res);
			if (!l[0] || (rq[0] && strcmp(l, rq)))
				guaranteed = false;
		}
	}
	return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
}

static void describe_tolerations(struct describe_out *d, const cJSON *tols)
{
	size_t n = (size_t)cJSON_GetArraySize(tols), i = 0;
	const cJSON **v = calloc(n ? n : 1, sizeof(*v)), *t;

	dw(d, 0, "Tolerations:\t");
	if (!v || n == 0) {
		dw(d, 0, "<none>\n");
		free(v);
		return;
	}
	cJSON_ArrayForEach(t, tols) {
		if (i < n)
			v[i++] = t;
	}
	for (size_t a = 1; a < i; a++)
		for (size_t b = a; b > 0 && strcmp(jstr(v[b], "key"), jstr(v[b - 1], "key")) < 0; b--) {
			const cJSON *x = v[b];
			v[b] = v[b - 1];
			v[b - 1] = x;
		}
	for (size_t k = 0; k < i; k++) {
		const char *key = jstr(v[k], "key"), *val = jstr(v[k], "value");
		const char *eff = jstr(v[k], "effect");
		if (k)
			dw(d, 0, "\t");
		dw(d, 0, "%s", key);
		if (val[0])
			dw(d, 0, "=%s", val);
		if (eff[0])
			dw(d, 0, ":%s", eff);
		if (!strcmp(jstr(v[k], "operator"), "Exists") && !val[0])
			dw(d, 0, "%sop=Exists", key[0] || eff[0] ? " " : "");
		if (jget(v[k], "tolerationSeconds"))
			dw(d, 0, " for %llds", jint(v[k], "tolerationSeconds"));
		dw(d, 0, "\n");
	}
	free(v);
}

static int event_cmp(const cJSON *a, const cJSON *b)
{
	struct od_time x = { 0 }, y = { 0 };
	time_parse_rfc3339(jstr(a, "lastTimestamp"), &x, NULL);
	time_parse_rfc3339(jstr(b, "lastTimestamp"), &y, NULL);
	if (x.sec != y.sec)
		return x.sec < y.sec ? -1 : 1;
	return x.nsec < y.nsec ? -1 : x.nsec > y.nsec;
}

static void describe_events(struct describe_out *d, const cJSON *events)
{
	size_t n = (size_t)cJSON_GetArraySize(events), i = 0;
	const cJSON **v, *ev;

	if (n == 0) {
		dw(d, 0, "Events:\t<none>\n");
		return;
	}
	v = calloc(n, sizeof(*v));
	if (!v)
		return;
	cJSON_ArrayForEach(ev, events) {
		if (i < n)
			v[i++] = ev;
	}
	for (size_t a = 1; a < i; a++)
		for (size_t b = a; b > 0 && event_cmp(v[b], v[b - 1]) < 0; b--) {
			const cJSON *x = v[b];
			v[b] = v[b - 1];
			v[b - 1] = x;
		}
	dw(d, 0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
	dw(d, 1, "----\t------\t----\t----\t-------\n");
	for (size_t k = 0; k < i; k++) {
		char first[64], last[64], interval[192];
		const cJSON *series = jget(v[k], "series");
		const char *et = jstr(v[k], "eventTime");
		time_since(d, et[0] ? et : jstr(v[k], "firstTimestamp"), first, sizeof(first));
		if (series) {
			time_since(d, jstr(series, "lastObservedTime"), last, sizeof(last));
			snprintf(interval, sizeof(interval), "%s (x%lld over %s)", last,
				 jint(series, "count"), first);
		} else if (jint(v[k], "count") > 1) {
			time_since(d, jstr(v[k], "lastTimestamp"), last, sizeof(last));
			snprintf(interval, sizeof(interval), "%s (x%lld over %s)", last,
				 jint(v[k], "count"), first);
		} else {
			snprintf(interval, sizeof(interval), "%s", first);
		}
		const char *src = jstr(jget(v[k], "source"), "component");
		if (!src[0])
			src = jstr(v[k], "reportingComponent");
		/* strings.TrimSpace of the message */
		const char *msg = jstr(v[k], "message");
		size_t ml;
		while (*msg == ' ' || *msg == '\t' || *msg == '\n' || *msg == '\r')
			msg++;
		ml = strlen(msg);
		while (ml && (msg[ml - 1] == ' ' || msg[ml - 1] == '\t' || msg[ml - 1] == '\n' ||
			      msg[ml - 1] == '\r'))
			ml--;
		dw(d, 1, "%s\t%s\t%s\t%s\t%.*s\n", jstr(v[k], "type"), jstr(v[k], "reason"), interval,
		   src, (int)ml, msg);
	}
	free(v);
}

/* Everything above the events, in describePod's order. */
static void describe_pod_body(struct describe_out *d, const cJSON *pod)
{
	const cJSON *md = jget(pod, "metadata"), *spec = jget(pod, "spec");
	const cJSON *st = jget(pod, "status"), *x;
	char t[64];

	dw(d, 0, "Name:\t%s\n", jstr(md, "name"));
	dw(d, 0, "Namespace:\t%s\n", jstr(md, "namespace"));
	if (cJSON_IsNumber(jget(spec, "priority")))
		dw(d, 0, "Priority:\t%lld\n", jint(spec, "priority"));
	if (jstr(spec, "priorityClassName")[0])
		dw(d, 0, "Priority Class Name:\t%s\n", jstr(spec, "priorityClassName"));
	if (jstr(spec, "runtimeClassName")[0])
		dw(d, 0, "Runtime Class Name:\t%s\n", jstr(spec, "runtimeClassName"));
	if (jstr(spec, "serviceAccountName")[0])
		dw(d, 0, "Service Account:\t%s\n", jstr(spec, "serviceAccountName"));
	if (!jstr(spec, "nodeName")[0])
		dw(d, 0, "Node:\t<none>\n");
	else
		dw(d, 0, "Node:\t%s/%s\n", jstr(spec, "nodeName"), jstr(st, "hostIP"));
	if (jstr(st, "startTime")[0]) {
		time_rfc1123z(jstr(st, "startTime"), t, sizeof(t));
		dw(d, 0, "Start Time:\t%s\n", t);
	}
	describe_labels(d, "Labels", jget(md, "labels"));
	describe_annotations(d, jget(md, "annotations"));
	const char *phase = jstr(st, "phase");
	if (jstr(md, "deletionTimestamp")[0] && strcmp(phase, "Failed") && strcmp(phase, "Succeeded")) {
		time_since(d, jstr(md, "deletionTimestamp"), t, sizeof(t));
		dw(d, 0, "Status:\tTerminating (lasts %s)\n", t);
		dw(d, 0, "Termination Grace Period:\t%llds\n", jint(md, "deletionGracePeriodSeconds"));
	} else {
		dw(d, 0, "Status:\t%s\n", phase);
	}
	if (jstr(st, "reason")[0])
		dw(d, 0, "Reason:\t%s\n", jstr(st, "reason"));
	if (jstr(st, "message")[0])
		dw(d, 0, "Message:\t%s\n", jstr(st, "message"));
	const cJSON *sp = jget(jget(spec, "securityContext"), "seccompProfile");
	if (sp) {
		dw(d, 0, "SeccompProfile:\t%s\n", jstr(sp, "type"));
		if (!strcmp(jstr(sp, "type"), "Localhost"))
			dw(d, 0, "LocalhostProfile:\t%s\n", jstr(sp, "localhostProfile"));
	}
	dw(d, 0, "IP:\t%s\n", jstr(st, "podIP"));
	if (cJSON_GetArraySize(jget(st, "podIPs")) == 0) {
		dw(d, 0, "IPs:\t<none>\n");
	} else {
		dw(d, 0, "IPs:\n");
		cJSON_ArrayForEach(x, jget(st, "podIPs"))
			dw(d, 1, "IP:\t%s\n", jstr(x, "ip"));
	}
	cJSON_ArrayForEach(x, jget(md, "ownerReferences")) {
		if (jbool(x, "controller")) {
			dw(d, 0, "Controlled By:\t%s/%s\n", jstr(x, "kind"), jstr(x, "name"));
			break;
		}
	}
	if (jstr(st, "nominatedNodeName")[0])
		dw(d, 0, "NominatedNodeName:\t%s\n", jstr(st, "nominatedNodeName"));
	if (cJSON_GetArraySize(jget(spec, "initContainers")) > 0)
		describe_containers(d, pod, "Init Containers", jget(spec, "initContainers"),
				    jget(st, "initContainerStatuses"));
	describe_containers(d, pod, "Containers", jget(spec, "containers"),
			    jget(st, "containerStatuses"));
	if (cJSON_GetArraySize(jget(spec, "readinessGates")) > 0) {
		dw(d, 0, "Readiness Gates:\n  Type\tStatus\n");
		cJSON_ArrayForEach(x, jget(spec, "readinessGates")) {
			const char *status = "<none>";
			const cJSON *c;
			cJSON_ArrayForEach(c, jget(st, "conditions")) {
				if (!strcmp(jstr(c, "type"), jstr(x, "conditionType"))) {
					status = jstr(c, "status");
					break;
				}
			}
			dw(d, 1, "%s \t%s \n", jstr(x, "conditionType"), status);
		}
	}
	if (cJSON_GetArraySize(jget(st, "conditions")) > 0) {
		dw(d, 0, "Conditions:\n  Type\tStatus\n");
		cJSON_ArrayForEach(x, jget(st, "conditions"))
			dw(d, 1, "%s \t%s \n", jstr(x, "type"), jstr(x, "status"));
	}
	describe_volumes(d, jget(spec, "volumes"));
	dw(d, 0, "QoS Class:\t%s\n", describe_qos(pod));
	describe_labels(d, "Node-Selectors", jget(spec, "nodeSelector"));
	describe_tolerations(d, jget(spec, "tolerations"));
}

/* The pod's events, asked for the way kubectl asks (field selector on the involved object). */
static enum od_status describe_fetch_events(struct clikube *k, const cJSON *pod, cJSON **out,
					    struct err *e)
{
	const cJSON *md = jget(pod, "metadata");
	const struct api_resource *ev = api_resource_lookup("events", e);
	struct api_target t = { .res = ev, .namespace_ = jstr(md, "namespace") };
	struct buf path, fs;
	enum od_status rc;

	if (!ev)
		return OD_EINVAL;
	buf_init(&path, 4096);
	buf_init(&fs, 4096);
	rc = buf_printf(&fs, e, "involvedObject.kind=Pod,involvedObject.name=%s,"
			"involvedObject.namespace=%s,involvedObject.uid=%s", jstr(md, "name"),
			jstr(md, "namespace"), jstr(md, "uid"));
	if (rc == OD_OK)
		rc = api_build_path(&t, NULL, &path, e);
	if (rc == OD_OK)
		rc = clikube_list(k, buf_cstr(&path), NULL, buf_cstr(&fs), NULL, out, e);
	buf_free(&path);
	buf_free(&fs);
	if (rc != OD_OK)
		return rc;
	/* keep only this pod's, should the server ignore part of the selector */
	cJSON *items = cJSON_GetObjectItemCaseSensitive(*out, "items");
	cJSON *it = items ? items->child : NULL;
	while (it) {
		cJSON *next = it->next;
		const cJSON *io = jget(it, "involvedObject");
		if (strcmp(jstr(io, "name"), jstr(md, "name")) || strcmp(jstr(io, "kind"), "Pod") ||
		    (jstr(io, "uid")[0] && strcmp(jstr(io, "uid"), jstr(md, "uid"))))
			cJSON_Delete(cJSON_DetachItemViaPointer(items, it));
		it = next;
	}
	return OD_OK;
}

static enum od_status describe_emit(struct describe_out *d, struct err *e)
{
	struct buf out;
	enum od_status rc;

	buf_init(&out, CLIKUBE_LIST_MAX);
	rc = tabwriter_format(buf_cstr(&d->text), d->text.len, &DESCRIBE_TABWRITER, &out, e);
	if (rc == OD_OK)
		fwrite(buf_cstr(&out), 1, out.len, stdout);
	buf_free(&out);
	buf_reset(&d->text);
	return rc;
}

static enum od_status describe_pod(struct clikube *k, const char *name, struct err *e)
{
	const struct api_resource *pods = api_resource_lookup("pods", e);
	struct api_target t = { .res = pods, .namespace_ = k->namespace_, .name = name };
	struct describe_out d = { .e = e };
	struct buf path;
	cJSON *pod = NULL, *events = NULL;
	enum od_status rc;

	buf_init(&path, 4096);
	buf_init(&d.text, CLIKUBE_LIST_MAX);
	rc = api_build_path(&t, NULL, &path, e);
	if (rc == OD_OK)
		rc = clikube_get_json(k, buf_cstr(&path), NULL, &pod, e);
	if (rc != OD_OK)
		goto out;
	/* kubectl describes the pod even when its events cannot be read */
	if (describe_fetch_events(k, pod, &events, e) != OD_OK) {
		cJSON_Delete(events);
		events = NULL;
	}
	d.now = clikube_now(k);
	describe_pod_body(&d, pod);
	/* kubectl flushes the tabwriter before the events table */
	if (d.rc == OD_OK && events && cJSON_GetArraySize(jget(events, "items")) > 0) {
		if ((rc = describe_emit(&d, e)) != OD_OK)
			goto out;
	}
	describe_events(&d, jget(events, "items"));
	if ((rc = d.rc) == OD_OK)
		rc = describe_emit(&d, e);
out:
	cJSON_Delete(pod);
	cJSON_Delete(events);
	buf_free(&d.text);
	buf_free(&path);
	return rc;
}

int cmd_describe(const struct global_opts *g, int argc, char **argv)
{
	const char *type = NULL, *name = NULL;
	struct clikube k;
	struct err e = { 0 };
	int code;

	for (int i = 1; i < argc; i++) {
		if (clikube_help(argv[i], "describe"))
			return CLI_EXIT_OK;
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "error: unknown flag: %s\n", argv[i]);
			return CLI_EXIT_USAGE;
		}
		if (!type)
			type = argv[i];
		else if (!name)
			name = argv[i];
		else {
			fprintf(stderr, "error: describe takes one pod name\n");
			return CLI_EXIT_USAGE;
		}
	}
	if (type && !name && strchr(type, '/')) {
		name = strchr(type, '/') + 1;
	}
	if (!type || !name) {
		fprintf(stderr, "Usage: opsdeck describe pod NAME\n");
		return CLI_EXIT_USAGE;
	}
	const struct api_resource *res = api_resource_lookup(
		strncmp(type, "pod/", 4) == 0 || strncmp(type, "po/", 3) == 0 ? "pods" : type, &e);
	if (!res)
		return clikube_fail(OD_ENOENT, &e);
	if (res->group[0] || strcmp(res->plural, "pods")) {
		fprintf(stderr, "error: opsdeck describes pods only (not %s)\n", res->plural);
		return CLI_EXIT_USAGE;
	}
	code = clikube_open(&k, g);
	if (code != CLI_EXIT_OK)
		return code;
	enum od_status rc = describe_pod(&k, name, &e);
	if (rc != OD_OK)
		code = clikube_fail(rc, &e);
	clikube_close(&k);
	return code;
}
