/*
 * conn.c: from a resolved kubeconfig (struct kube_target) to credentials and
 * an HTTP client (kubeconn.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/buf.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/kubeconn.h"

/* PEM files are kilobytes; a CA bundle can be a few hundred. */
#define CONN_PEM_FILE_MAX (4u * 1024u * 1024u)

static enum od_status read_pem(const char *path, const char *what, const char *owner,
			       struct buf *out, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	if (!f)
		return err_set(e, OD_ECONFIG, "error: unable to read %s %s for %s due to open %s: %s",
			       what, path, owner, path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(out, chunk, n, NULL) != OD_OK) {
			fclose(f);
			return err_set(e, OD_ECONFIG, "error: %s %s is larger than %u bytes", what,
				       path, CONN_PEM_FILE_MAX);
		}
	}
	fclose(f);
	return OD_OK;
}

/* The -data bytes, else the file's. The buf holds the bytes read from a file. */
static enum od_status pem_source(const struct kc_blob *data, const char *file, const char *what,
				 const char *owner, struct buf *scratch,
				 const unsigned char **p, size_t *len, struct err *e)
{
	*p = NULL;
	*len = 0;
	if (data->data && data->len) {
		*p = data->data;
		*len = data->len;
		return OD_OK;
	}
	if (!file)
		return OD_OK;
	enum od_status rc = read_pem(file, what, owner, scratch, e);
	if (rc == OD_OK) {
		*p = (const unsigned char *)buf_cstr(scratch);
		*len = scratch->len;
	}
	return rc;
}

enum od_status kube_conn_open(struct loop *lp, const struct kube_target *t,
			      const struct kube_conn_opts *o, struct kube_conn **out,
			      struct err *e)
{
	struct kube_conn *c = NULL;
	struct buf ca, cert, key;
	struct http_conn hc = { 0 };
	struct exec_plugin_config x = { 0 };
	const char **env_names = NULL, **env_values = NULL;
	const char *cluster = t->cluster ? t->cluster : "cluster";
	const char *user = t->user ? t->user : "user";
	enum od_status rc;

	*out = NULL;
	buf_init(&ca, CONN_PEM_FILE_MAX);
	buf_init(&cert, CONN_PEM_FILE_MAX);
	buf_init(&key, CONN_PEM_FILE_MAX);
	c = calloc(1, sizeof(*c));
	if (!c) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	hc.server = t->server;
	hc.tls_server_name = t->tls_server_name;
	hc.insecure = t->insecure_skip_tls_verify;
	hc.proxy_url = t->proxy_url;
	hc.disable_compression = t->disable_compression;
	hc.cluster_name = t->cluster;
	hc.request_timeout_ms = o ? o->request_timeout_ms : 0;
	hc.warn = o ? o->warn : NULL;
	hc.warn_arg = o ? o->warn_arg : NULL;
	if ((rc = pem_source(&t->ca_data, t->ca_file, "certificate-authority", cluster, &ca,
			     &hc.ca_data, &hc.ca_len, e)) != OD_OK ||
	    (rc = pem_source(&t->client_cert_data, t->client_cert_file, "client-cert", user, &cert,
			     &hc.cert_data, &hc.cert_len, e)) != OD_OK ||
	    (rc = pem_source(&t->client_key_data, t->client_key_file, "client-key", user, &key,
			     &hc.key_data, &hc.key_len, e)) != OD_OK)
		goto out;

	struct auth_config ac = { .token = t->token, .token_file = t->token_file,
				  .username = t->username, .password = t->password };
	if (t->exec && t->exec->command) {
		const struct kc_exec *k = t->exec;
		env_names = calloc(k->nenv + 1, sizeof(*env_names));
		env_values = calloc(k->nenv + 1, sizeof(*env_values));
		if (!env_names || !env_values) {
			rc = err_set(e, OD_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < k->nenv; i++) {
			env_names[i] = k->env[i].name ? k->env[i].name : "";
			env_values[i] = k->env[i].value ? k->env[i].value : "";
		}
		x = (struct exec_plugin_config){
			.command = k->command,
			.args = (const char *const *)k->args,
			.nargs = k->nargs,
			.env_names = env_names,
			.env_values = env_values,
			.nenv = k->nenv,
			.api_version = k->api_version,
			.interactive_mode = k->interactive_mode,
			.install_hint = k->install_hint,
			.provide_cluster_info = k->provide_cluster_info,
			.timeout_ms = o ? o->exec_timeout_ms : 0,
			.cluster_server = t->server,
			.cluster_tls_server_name = t->tls_server_name,
			.cluster_insecure = t->insecure_skip_tls_verify,
			.cluster_ca_data = hc.ca_data,
			.cluster_ca_len = hc.ca_len,
			.cluster_proxy_url = t->proxy_url,
			.cluster_disable_compression = t->disable_compression,
		};
		ac.exec = &x;
	}
	if ((rc = auth_new(&ac, &c->auth, e)) != OD_OK)
		goto out;
	rc = http_client_new(lp, &hc, c->auth, &c->http, e);
out:
	free(env_names);
	free(env_values);
	if (key.data)
		memset(key.data, 0, key.len);
	buf_free(&ca);
	buf_free(&cert);
	buf_free(&key);
	if (rc != OD_OK)
		kube_conn_free(&c);
	*out = c;
	return rc;
}

void kube_conn_free(struct kube_conn **p)
{
	struct kube_conn *c = *p;

	if (!c)
		return;
	http_client_free(&c->http);
	auth_free(&c->auth);
	free(c);
	*p = NULL;
}
