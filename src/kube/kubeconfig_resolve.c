/*
 * kubeconfig_resolve.c: from a merged kubeconfig (or the pod's service
 * account) to the one struct kube_target the client uses: which context,
 * cluster, user and namespace, with paths made absolute and kubectl's
 * validation messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/buf.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/paths.h"

/* Validation problems collected before any is reported, as client-go does. */
struct problems {
	struct buf text;
	int count;
	char first[ERR_MSG_MAX];
};

static void problem_add(struct problems *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem_add(struct problems *p, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->count++ == 0)
		snprintf(p->first, sizeof(p->first), "%s", msg);
	buf_printf(&p->text, NULL, "\n* %s", msg);
}

/* One problem reads "msg"; several read like kubectl's "Error in configuration: \n* a\n* b". */
static enum od_status problems_report(struct problems *p, struct err *e)
{
	enum od_status rc = OD_OK;

	if (p->count == 1)
		rc = err_set(e, OD_ECONFIG, "%s", p->first);
	else if (p->count > 1)
		rc = err_set(e, OD_ECONFIG, "Error in configuration: %s", buf_cstr(&p->text));
	buf_free(&p->text);
	return rc;
}

bool kubeconfig_is_dns_label(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum && !(c == '-' && i > 0 && i < n - 1))
			return false;
	}
	return true;
}

/* A path as the defining file means it: relative ones hang off that file's directory. */
static char *path_resolve(const struct kubeconfig *kc, size_t file, const char *p)
{
	char out[PATHS_MAX];

	if (!p || !*p)
		return NULL;
	if (p[0] == '/' || file >= kc->nfiles)
		return strdup(p);
	if ((size_t)snprintf(out, sizeof(out), "%s/%s", kc->files[file].dir, p) >= sizeof(out))
		return strdup(p);
	return strdup(out);
}

static bool dup_into(char **dst, const char *s)
{
	if (!s)
		return true;
	*dst = strdup(s);
	return *dst != NULL;
}

static bool blob_copy(struct kc_blob *dst, const struct kc_blob *src)
{
	if (!src->set || src->len == 0)
		return true;
	dst->data = malloc(src->len);
	if (!dst->data)
		return false;
	memcpy(dst->data, src->data, src->len);
	dst->len = src->len;
	dst->set = true;
	return true;
}

static struct kc_exec *exec_copy(const struct kc_exec *x)
{
	struct kc_exec *c = calloc(1, sizeof(*c));
	bool ok = c != NULL;

	if (!ok)
		return NULL;
	ok = dup_into(&c->command, x->command) && dup_into(&c->api_version, x->api_version) &&
	     dup_into(&c->install_hint, x->install_hint);
	/* v1beta1 defaults interactiveMode to IfAvailable; v1 requires it. */
	if (ok && x->interactive_mode && *x->interactive_mode)
		ok = dup_into(&c->interactive_mode, x->interactive_mode);
	else if (ok && x->api_version &&
		 strcmp(x->api_version, "client.authentication.k8s.io/v1beta1") == 0)
		ok = dup_into(&c->interactive_mode, "IfAvailable");
	c->provide_cluster_info = x->provide_cluster_info;
	if (ok && x->nargs) {
		c->args = calloc(x->nargs, sizeof(char *));
		ok = c->args != NULL;
		for (size_t i = 0; ok && i < x->nargs; i++, c->nargs++)
			ok = dup_into(&c->args[i], x->args[i] ? x->args[i] : "");
	}
	if (ok && x->nenv) {
		c->env = calloc(x->nenv, sizeof(*c->env));
		ok = c->env != NULL;
		for (size_t i = 0; ok && i < x->nenv; i++, c->nenv++)
			ok = dup_into(&c->env[i].name, x->env[i].name) &&
			     dup_into(&c->env[i].value, x->env[i].value);
	}
	if (!ok)
		kubeconfig_exec_free(&c);
	return c;
}

static void validate_exec(struct problems *p, const char *user, const struct kc_exec *x)
{
	if (!x->command || !*x->command)
		problem_add(p, "command must be specified for %s to use exec authentication plugin",
			    user);
	if (!x->api_version || !*x->api_version)
		problem_add(p, "apiVersion must be specified for %s to use exec authentication plugin",
			    user);
	for (size_t i = 0; i < x->nenv; i++)
		if (!x->env[i].name || !*x->env[i].name)
			problem_add(p, "env variable name must be specified for %s to use exec authentication plugin",
				    user);
	if (x->interactive_mode && *x->interactive_mode &&
	    strcmp(x->interactive_mode, "Never") != 0 &&
	    strcmp(x->interactive_mode, "IfAvailable") != 0 &&
	    strcmp(x->interactive_mode, "Always") != 0)
		problem_add(p, "invalid interactiveMode for %s: \"%s\"", user, x->interactive_mode);
	else if ((!x->interactive_mode || !*x->interactive_mode) && x->api_version &&
		 strcmp(x->api_version, "client.authentication.k8s.io/v1") == 0)
		problem_add(p, "interactiveMode must be specified for %s to use exec authentication plugin",
			    user);
}

/* client-go's validateAuthInfo, less the file reads (done when files are opened). */
static void validate_user(struct problems *p, const struct kc_user *u)
{
	const char *methods[2];
	int n = 0;
	bool cert = u->client_certificate || u->client_certificate_data.len;
	bool key = u->client_key || u->client_key_data.len;

	if (u->token && *u->token)
		methods[n++] = "token";
	if ((u->username && *u->username) || (u->password && *u->password))
		methods[n++] = "basicAuth";
	if (cert && u->client_certificate && u->client_certificate_data.len)
		problem_add(p, "client-cert-data and client-cert are both specified for %s. client-cert-data will override.",
			    u->name);
	if (cert && u->client_key && u->client_key_data.len)
		problem_add(p, "client-key-data and client-key are both specified for %s; client-key-data will override",
			    u->name);
	if (cert && !key)
		problem_add(p, "client-key-data or client-key must be specified for %s to use the clientCert authentication method.",
			    u->name);
	if (u->exec && u->auth_provider)
		problem_add(p, "authProvider cannot be provided in combination with an exec plugin for %s",
			    u->name);
	if (u->exec)
		validate_exec(p, u->name, u->exec);
	if (n > 1)
		problem_add(p, "more than one authentication method found for %s; found [%s %s], only one is allowed",
			    u->name, methods[0], methods[1]);
	if (((u->as_uid && *u->as_uid) || u->nas_groups) && !(u->as && *u->as))
		problem_add(p, "requesting uid, groups or user-extra for %s without impersonating a user",
			    u->name);
}

static void validate_context(struct problems *p, const struct kubeconfig *kc,
			     const struct kc_context *c)
{
	if (!c->user || !*c->user)
		problem_add(p, "user was not specified for context \"%s\"", c->name);
	else if (!kubeconfig_find_user(kc, c->user))
		problem_add(p, "user \"%s\" was not found for context \"%s\"", c->user, c->name);
	if (!c->cluster || !*c->cluster)
		problem_add(p, "cluster was not specified for context \"%s\"", c->name);
	else if (!kubeconfig_find_cluster(kc, c->cluster))
		problem_add(p, "cluster \"%s\" was not found for context \"%s\"", c->cluster, c->name);
	if (c->namespace_ && *c->namespace_ && !kubeconfig_is_dns_label(c->namespace_))
		problem_add(p, "namespace \"%s\" for context \"%s\" does not conform to the kubernetes DNS_LABEL rules",
			    c->namespace_, c->name);
}

static void validate_cluster(struct problems *p, const struct kc_cluster *c)
{
	if (!c->server || !*c->server)
		problem_add(p, "no server found for cluster \"%s\"", c->name);
	if (c->proxy_url && *c->proxy_url && strncmp(c->proxy_url, "http://", 7) != 0 &&
	    strncmp(c->proxy_url, "https://", 8) != 0 && strncmp(c->proxy_url, "socks5://", 9) != 0)
		problem_add(p, "invalid proxy URL \"%s\" for cluster \"%s\": only http, https and socks5 are supported",
			    c->proxy_url, c->name);
}

static bool target_fill_cluster(struct kube_target *t, const struct kubeconfig *kc,
				const struct kc_cluster *c)
{
	t->insecure_skip_tls_verify = c->insecure_skip_tls_verify;
	t->disable_compression = c->disable_compression;
	if (!dup_into(&t->cluster, c->name) || !dup_into(&t->server, c->server) ||
	    !dup_into(&t->tls_server_name, c->tls_server_name) ||
	    !dup_into(&t->proxy_url, c->proxy_url))
		return false;
	if (c->certificate_authority_data.len)   /* -data wins over the file */
		return blob_copy(&t->ca_data, &c->certificate_authority_data);
	t->ca_file = path_resolve(kc, c->origin.file, c->certificate_authority);
	return !c->certificate_authority || t->ca_file;
}

static bool target_fill_user(struct kube_target *t, const struct kubeconfig *kc,
			     const struct kc_user *u)
{
	size_t f = u->origin.file;

	if (!dup_into(&t->user, u->name) || !dup_into(&t->token, u->token) ||
	    !dup_into(&t->username, u->username) || !dup_into(&t->password, u->password))
		return false;
	if (u->client_certificate_data.len) {
		if (!blob_copy(&t->client_cert_data, &u->client_certificate_data))
			return false;
	} else if (u->client_certificate &&
		   !(t->client_cert_file = path_resolve(kc, f, u->client_certificate))) {
		return false;
	}
	if (u->client_key_data.len) {
		if (!blob_copy(&t->client_key_data, &u->client_key_data))
			return false;
	} else if (u->client_key && !(t->client_key_file = path_resolve(kc, f, u->client_key))) {
		return false;
	}
	if (u->token_file && !(t->token_file = path_resolve(kc, f, u->token_file)))
		return false;
	if (u->exec && !(t->exec = exec_copy(u->exec)))
		return false;
	if (!dup_into(&t->impersonate, u->as) || !dup_into(&t->impersonate_uid, u->as_uid))
		return false;
	if (u->nas_groups && !(t->impersonate_groups = calloc(u->nas_groups, sizeof(char *))))
		return false;
	for (size_t i = 0; i < u->nas_groups; i++, t->nimpersonate_groups++)
		if (!dup_into(&t->impersonate_groups[i], u->as_groups[i] ? u->as_groups[i] : ""))
			return false;
	return true;
}

static enum od_status pick_context(const struct kubeconfig *kc, const char *context_flag,
				   const struct kc_context **out, struct err *e)
{
	const char *name = context_flag && *context_flag ? context_flag : kc->current_context;

	if (kc->nclusters == 0 && kc->nusers == 0 && kc->ncontexts == 0 && !name)
		return err_set(e, OD_ECONFIG,
			       "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable");
	if (!name || !*name)
		return err_set(e, OD_ECONFIG, "current-context is not set");
	*out = kubeconfig_find_context(kc, name);
	if (!*out)
		return err_set(e, OD_ECONFIG,
			       "Error in configuration: context was not found for specified context: %s",
			       name);
	return OD_OK;
}

enum od_status kubeconfig_resolve(const struct kubeconfig *kc, const char *context_flag,
				  const char *ns_flag, struct kube_target **out, struct err *e)
{
	struct problems p = { .count = 0 };
	const struct kc_context *ctx = NULL;
	const struct kc_cluster *cl;
	const struct kc_user *u;
	struct kube_target *t = NULL;
	enum od_status rc;
	const char *ns;

	*out = NULL;
	rc = pick_context(kc, context_flag, &ctx, e);
	if (rc != OD_OK)
		return rc;
	buf_init(&p.text, 64 * 1024);
	cl = kubeconfig_find_cluster(kc, ctx->cluster);
	u = kubeconfig_find_user(kc, ctx->user);
	validate_context(&p, kc, ctx);
	if (u)
		validate_user(&p, u);
	if (cl)
		validate_cluster(&p, cl);
	ns = ns_flag && *ns_flag ? ns_flag : ctx->namespace_ && *ctx->namespace_ ? ctx->namespace_
										 : "default";
	if (ns_flag && *ns_flag && !kubeconfig_is_dns_label(ns_flag))
		problem_add(&p, "namespace \"%s\" does not conform to the kubernetes DNS_LABEL rules",
			    ns_flag);
	rc = problems_report(&p, e);
	if (rc != OD_OK)
		return rc;
	t = calloc(1, sizeof(*t));
	if (!t || !dup_into(&t->context, ctx->name) || !dup_into(&t->namespace_, ns) ||
	    !target_fill_cluster(t, kc, cl) || !target_fill_user(t, kc, u)) {
		kube_target_free(&t);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	*out = t;
	return OD_OK;
}

static enum od_status read_small_file(const char *path, char **out, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t r;
	enum od_status rc = OD_OK;

	if (!f)
		return err_set(e, errno == ENOENT ? OD_ENOENT : OD_EIO, "open %s: %s", path,
			       strerror(errno));
	buf_init(&b, 1024 * 1024);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((rc = buf_append(&b, chunk, r, e)) != OD_OK)
			break;
	if (rc == OD_OK && ferror(f))
		rc = err_set(e, OD_EIO, "read %s: %s", path, strerror(errno));
	fclose(f);
	if (rc == OD_OK && !(*out = buf_detach(&b, len)))
		rc = err_set(e, OD_ENOMEM, "out of memory");
	buf_free(&b);
	return rc;
}

/* client-go's rest.InClusterConfig, with the service account directory overridable. */
enum od_status kube_target_in_cluster(const char *dir, const char *ns_flag,
				      struct kube_target **out, struct err *e)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	char path[PATHS_MAX], url[PATHS_MAX + 64];
	struct kube_target *t = NULL;
	char *token = NULL, *ns = NULL;
	size_t len = 0;
	enum od_status rc;

	*out = NULL;
	if (!host || !*host || !port || !*port)
		return err_set(e, OD_ENOENT,
			       "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");
	if (!dir)
		dir = getenv(KUBECONFIG_INCLUSTER_DIR_ENV);
	if (!dir || !*dir)
		dir = KUBECONFIG_INCLUSTER_DIR;
	snprintf(path, sizeof(path), "%s/token", dir);
	rc = read_small_file(path, &token, &len, e);
	if (rc != OD_OK)
		return rc;
	free(token);   /* read to check it is there; the auth layer re-reads it as it rotates */
	/* IPv6 literals go in brackets, as net.JoinHostPort does. */
	snprintf(url, sizeof(url), strchr(host, ':') ? "https://[%s]:%s" : "https://%s:%s", host,
		 port);
	t = calloc(1, sizeof(*t));
	if (!t)
		return err_set(e, OD_ENOMEM, "out of memory");
	t->in_cluster = true;
	if (!dup_into(&t->server, url) || !dup_into(&t->token_file, path))
		goto nomem;
	snprintf(path, sizeof(path), "%s/ca.crt", dir);
	if (access(path, R_OK) == 0 && !dup_into(&t->ca_file, path))
		goto nomem;
	snprintf(path, sizeof(path), "%s/namespace", dir);
	if (!(ns_flag && *ns_flag) && read_small_file(path, &ns, &len, NULL) == OD_OK) {
		while (len && (ns[len - 1] == '\n' || ns[len - 1] == ' '))
			ns[--len] = '\0';
	}
	if (!dup_into(&t->namespace_, ns_flag && *ns_flag ? ns_flag : ns && *ns ? ns : "default"))
		goto nomem;
	free(ns);
	*out = t;
	return OD_OK;
nomem:
	free(ns);
	kube_target_free(&t);
	return err_set(e, OD_ENOMEM, "out of memory");
}

static bool kubeconfig_is_empty(const struct kubeconfig *kc)
{
	return kc->nclusters == 0 && kc->nusers == 0 && kc->ncontexts == 0 &&
	       !(kc->current_context && *kc->current_context);
}

enum od_status kube_target_load(const struct kubeconfig_source *src, const char *context_flag,
				const char *ns_flag, struct kube_target **out, struct err *e)
{
	struct kubeconfig *kc = NULL;
	enum od_status rc;

	*out = NULL;
	rc = kubeconfig_load(src, &kc, e);
	if (rc != OD_OK)
		return rc;
	/*
	 * In-cluster only when the kubeconfig files hold nothing (none exists, or
	 * they are empty) and no context was asked for, as client-go decides it.
	 */
	if (kubeconfig_is_empty(kc) && !(context_flag && *context_flag)) {
		struct err ie = { 0 };

		rc = kube_target_in_cluster(NULL, ns_flag, out, &ie);
		if (rc != OD_ENOENT) {
			if (rc != OD_OK && e)
				*e = ie;
			kubeconfig_free(&kc);
			return rc;
		}
	}
	rc = kubeconfig_resolve(kc, context_flag, ns_flag, out, e);
	kubeconfig_free(&kc);
	return rc;
}

void kube_target_free(struct kube_target **tp)
{
	struct kube_target *t = *tp;

	if (!t)
		return;
	free(t->context);
	free(t->cluster);
	free(t->user);
	free(t->namespace_);
	free(t->server);
	free(t->tls_server_name);
	free(t->ca_file);
	free(t->ca_data.data);
	free(t->proxy_url);
	free(t->client_cert_file);
	free(t->client_cert_data.data);
	free(t->client_key_file);
	free(t->client_key_data.data);
	free(t->token);
	free(t->token_file);
	free(t->username);
	free(t->password);
	kubeconfig_exec_free(&t->exec);
	free(t->impersonate);
	free(t->impersonate_uid);
	for (size_t i = 0; i < t->nimpersonate_groups; i++)
		free(t->impersonate_groups[i]);
	free(t->impersonate_groups);
	free(t);
	*tp = NULL;
}
