/*
 * router.c: request paths and query parameters, as the apiserver reads them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_router.h"

#define ROUTE_SEGS_MAX 10

static bool copy_seg(char *dst, size_t n, const char *s, size_t len)
{
	if (len >= n)
		return false;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return true;
}

/* Splits the path at '/' into at most ROUTE_SEGS_MAX segments; the rest stays in *rest. */
static int split_path(const char *path, const char *seg[], size_t len[], const char **rest)
{
	int n = 0;
	const char *p = path;
	*rest = NULL;
	while (*p == '/')
		p++;
	while (*p) {
		if (n == ROUTE_SEGS_MAX) {
			*rest = p - 1;
			return n;
		}
		const char *slash = strchr(p, '/');
		seg[n] = p;
		len[n] = slash ? (size_t)(slash - p) : strlen(p);
		n++;
		if (!slash)
			break;
		p = slash + 1;
	}
	return n;
}

static bool seg_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Fills the resource part: segs start at the first segment after the group version. */
static enum od_status parse_resource(const char *path, const char *seg[], size_t len[], int n,
				     struct sim_route *rt, struct err *e)
{
	int i = 0;
	if (n >= 3 && seg_is(seg[0], len[0], "namespaces") &&
	    !(n == 3 && seg_is(seg[2], len[2], "status"))) {
		/* namespaces/NS/RESOURCE...; "namespaces/NS/status" is the namespace's subresource */
		if (!copy_seg(rt->ns, sizeof(rt->ns), seg[1], len[1]))
			return err_set(e, OD_EPARSE, "namespace too long");
		rt->has_ns = true;
		i = 2;
	}
	if (i >= n)
		return OD_OK;
	if (!copy_seg(rt->plural, sizeof(rt->plural), seg[i], len[i]))
		return err_set(e, OD_EPARSE, "resource name too long");
	i++;
	if (i < n && !copy_seg(rt->name, sizeof(rt->name), seg[i], len[i]))
		return err_set(e, OD_EPARSE, "name too long");
	i++;
	if (i < n && !copy_seg(rt->sub, sizeof(rt->sub), seg[i], len[i]))
		return err_set(e, OD_EPARSE, "subresource too long");
	i++;
	if (i <= n && rt->sub[0] && strcmp(rt->sub, "proxy") == 0) {
		/* Everything after .../proxy is the proxied path. */
		const char *p = strstr(path, "/proxy");
		const char *after = p ? p + 6 : "";
		if (!copy_seg(rt->rest, sizeof(rt->rest), after, strlen(after)))
			return err_set(e, OD_EPARSE, "proxy path too long");
		if (!rt->rest[0])
			strcpy(rt->rest, "/");
		return OD_OK;
	}
	if (i < n)
		rt->kind = SIM_ROUTE_NOT_FOUND;
	return OD_OK;
}

enum od_status sim_router_parse_path(const char *path, struct sim_route *rt, struct err *e)
{
	const char *seg[ROUTE_SEGS_MAX];
	size_t len[ROUTE_SEGS_MAX];
	const char *rest = NULL;
	enum od_status rc;
	int n, base;

	memset(rt, 0, sizeof(*rt));
	rt->kind = SIM_ROUTE_NOT_FOUND;
	if (!path || path[0] != '/')
		return OD_OK;
	if (strlen(path) >= SIM_ROUTE_REST_MAX + 256)
		return err_set(e, OD_EPARSE, "request path too long");
	n = split_path(path, seg, len, &rest);
	if (n == 0)
		return OD_OK;
	if (n == 1 && seg_is(seg[0], len[0], "version")) {
		rt->kind = SIM_ROUTE_VERSION;
		return OD_OK;
	}
	if (seg_is(seg[0], len[0], "healthz") || seg_is(seg[0], len[0], "readyz") ||
	    seg_is(seg[0], len[0], "livez")) {
		rt->kind = seg[0][0] == 'h' ? SIM_ROUTE_HEALTHZ :
			   seg[0][0] == 'r' ? SIM_ROUTE_READYZ : SIM_ROUTE_LIVEZ;
		return OD_OK;
	}
	if (seg_is(seg[0], len[0], "openapi")) {
		if (n == 2 && seg_is(seg[1], len[1], "v2"))
			rt->kind = SIM_ROUTE_OPENAPI_V2;
		else if (n == 2 && seg_is(seg[1], len[1], "v3"))
			rt->kind = SIM_ROUTE_OPENAPI_V3;
		else if (n >= 3 && seg_is(seg[1], len[1], "v3")) {
			rt->kind = SIM_ROUTE_OPENAPI_V3_GV;
			if (n == 4 && seg_is(seg[2], len[2], "api")) {
				if (!copy_seg(rt->version, sizeof(rt->version), seg[3], len[3]))
					return err_set(e, OD_EPARSE, "version too long");
			} else if (n == 5 && seg_is(seg[2], len[2], "apis")) {
				if (!copy_seg(rt->group, sizeof(rt->group), seg[3], len[3]) ||
				    !copy_seg(rt->version, sizeof(rt->version), seg[4], len[4]))
					return err_set(e, OD_EPARSE, "group too long");
			} else {
				rt->kind = SIM_ROUTE_NOT_FOUND;
			}
		}
		return OD_OK;
	}
	if (seg_is(seg[0], len[0], "api")) {
		if (n == 1) {
			rt->kind = SIM_ROUTE_API;
			return OD_OK;
		}
		if (!copy_seg(rt->version, sizeof(rt->version), seg[1], len[1]))
			return err_set(e, OD_EPARSE, "version too long");
		base = 2;
	} else if (seg_is(seg[0], len[0], "apis")) {
		if (n == 1) {
			rt->kind = SIM_ROUTE_APIS;
			return OD_OK;
		}
		if (!copy_seg(rt->group, sizeof(rt->group), seg[1], len[1]))
			return err_set(e, OD_EPARSE, "group too long");
		if (n == 2) {
			rt->kind = SIM_ROUTE_GROUP;
			return OD_OK;
		}
		if (!copy_seg(rt->version, sizeof(rt->version), seg[2], len[2]))
			return err_set(e, OD_EPARSE, "version too long");
		base = 3;
	} else {
		return OD_OK;
	}
	if (n == base) {
		rt->kind = SIM_ROUTE_GROUP_VERSION;
		return OD_OK;
	}
	if (rest && !(n > base + 4))
		return OD_OK;
	rt->kind = SIM_ROUTE_RESOURCE;
	rc = parse_resource(path, seg + base, len + base, n - base, rt, e);
	if (rc != OD_OK)
		return rc;
	if (rest && strcmp(rt->sub, "proxy") != 0)
		rt->kind = SIM_ROUTE_NOT_FOUND;
	if (rt->kind == SIM_ROUTE_RESOURCE) {
		if (!rt->plural[0]) {
			/* "/api/v1/namespaces/x" with nothing after: the namespace object. */
			rt->kind = SIM_ROUTE_NOT_FOUND;
			return OD_OK;
		}
		rt->res = sim_resources_find(rt->group, rt->version, rt->plural);
		/* /api/v1/namespaces/NAME[/status]: the namespace object itself */
		if (!rt->has_ns && strcmp(rt->plural, "namespaces") == 0)
			rt->res = sim_resources_find("", rt->version, "namespaces");
	}
	return OD_OK;
}

void sim_query_init(struct sim_query *q)
{
	memset(q, 0, sizeof(*q));
	q->timeout_seconds = -1;
	q->grace_period = -1;
	q->tail_lines = -1;
	q->since_seconds = -1;
	q->limit_bytes = -1;
}

void sim_query_free(struct sim_query *q)
{
	free(q->label_selector);
	free(q->field_selector);
	free(q->resource_version);
	free(q->continue_token);
	free(q->propagation);
	free(q->field_manager);
	free(q->container);
	free(q->since_time);
	free(q->include_object);
	sim_query_init(q);
}

static bool parse_bool(const char *v)
{
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "True") == 0 ||
		     *v == '\0');
}

static enum od_status parse_int(const char *key, const char *v, int64_t *out, struct err *e)
{
	char *end = NULL;
	long long x;
	errno = 0;
	if (!v || !*v)
		return err_set(e, OD_EPARSE, "%s: invalid value \"\"", key);
	x = strtoll(v, &end, 10);
	if (errno || *end)
		return err_set(e, OD_EPARSE, "strconv.ParseInt: parsing \"%.64s\": invalid syntax", v);
	*out = x;
	return OD_OK;
}

static enum od_status set_str(char **dst, const char *v, struct err *e)
{
	free(*dst);
	*dst = strdup(v ? v : "");
	if (!*dst)
		return err_set(e, OD_ENOMEM, "out of memory");
	return OD_OK;
}

enum od_status sim_query_set(struct sim_query *q, const char *key, const char *v,
			     struct err *e)
{
	if (!key)
		return OD_OK;
	if (!v)
		v = "";
	if (strcmp(key, "labelSelector") == 0)
		return set_str(&q->label_selector, v, e);
	if (strcmp(key, "fieldSelector") == 0)
		return set_str(&q->field_selector, v, e);
	if (strcmp(key, "watch") == 0) {
		q->watch = parse_bool(v);
		return OD_OK;
	}
	if (strcmp(key, "resourceVersion") == 0)
		return set_str(&q->resource_version, v, e);
	if (strcmp(key, "limit") == 0)
		return parse_int(key, v, &q->limit, e);
	if (strcmp(key, "continue") == 0)
		return set_str(&q->continue_token, v, e);
	if (strcmp(key, "timeoutSeconds") == 0)
		return parse_int(key, v, &q->timeout_seconds, e);
	if (strcmp(key, "allowWatchBookmarks") == 0) {
		q->allow_bookmarks = parse_bool(v);
		return OD_OK;
	}
	if (strcmp(key, "dryRun") == 0) {
		if (strcmp(v, "All") != 0)
			return err_set(e, OD_EPARSE, "Invalid dryRun value: %.64s", v);
		q->dry_run = true;
		return OD_OK;
	}
	if (strcmp(key, "gracePeriodSeconds") == 0)
		return parse_int(key, v, &q->grace_period, e);
	if (strcmp(key, "propagationPolicy") == 0)
		return set_str(&q->propagation, v, e);
	if (strcmp(key, "fieldManager") == 0)
		return set_str(&q->field_manager, v, e);
	if (strcmp(key, "container") == 0)
		return set_str(&q->container, v, e);
	if (strcmp(key, "follow") == 0) {
		q->follow = parse_bool(v);
		return OD_OK;
	}
	if (strcmp(key, "tailLines") == 0)
		return parse_int(key, v, &q->tail_lines, e);
	if (strcmp(key, "sinceSeconds") == 0)
		return parse_int(key, v, &q->since_seconds, e);
	if (strcmp(key, "sinceTime") == 0)
		return set_str(&q->since_time, v, e);
	if (strcmp(key, "timestamps") == 0) {
		q->timestamps = parse_bool(v);
		return OD_OK;
	}
	if (strcmp(key, "previous") == 0) {
		q->previous = parse_bool(v);
		return OD_OK;
	}
	if (strcmp(key, "limitBytes") == 0)
		return parse_int(key, v, &q->limit_bytes, e);
	if (strcmp(key, "includeObject") == 0)
		return set_str(&q->include_object, v, e);
	return OD_OK;   /* unknown parameters are ignored, as the apiserver does */
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decodes s[0..n) into out (which has room for n+1). '+' is a space. */
static void url_decode(const char *s, size_t n, char *out)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (s[i] == '+') {
			out[j++] = ' ';
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
}

enum od_status sim_query_parse_string(struct sim_query *q, const char *qs, struct err *e)
{
	enum od_status rc = OD_OK;
	while (qs && *qs) {
		const char *amp = strchr(qs, '&');
		size_t n = amp ? (size_t)(amp - qs) : strlen(qs);
		const char *eq = memchr(qs, '=', n);
		size_t kn = eq ? (size_t)(eq - qs) : n;
		size_t vn = eq ? n - kn - 1 : 0;
		char *k = malloc(kn + 1), *v = malloc(vn + 1);
		if (!k || !v) {
			free(k);
			free(v);
			return err_set(e, OD_ENOMEM, "out of memory");
		}
		url_decode(qs, kn, k);
		url_decode(eq ? eq + 1 : "", vn, v);
		rc = sim_query_set(q, k, v, e);
		free(k);
		free(v);
		if (rc != OD_OK)
			return rc;
		if (!amp)
			break;
		qs = amp + 1;
	}
	return rc;
}
