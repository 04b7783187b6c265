/*
 * auth.c: choosing and caching the credentials of a connection (auth.h):
 * static token, token file, basic auth, or an exec plugin (auth_exec.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/auth.h"
#include "opsdeck/buf.h"

/* Token files are small; a bigger one is a wrong path, not a token. */
#define AUTH_TOKEN_FILE_MAX (64u * 1024u)

/* An owned deep copy of an exec_plugin_config: the config points into it. */
struct exec_copy {
	struct exec_plugin_config cfg;
	char **args, **env_names, **env_values;
	char *strs[9];
	unsigned char *ca;
};

struct auth {
	char *token;                 /* static token, or the last token read from token_file */
	char *token_file;
	uint64_t token_read_ms;      /* monotonic time of the last read; 0 = never */
	char *username;
	char *password;
	struct exec_copy *exec;      /* NULL: no plugin */
	struct exec_cred cred;       /* the plugin's cached answer */
	bool cred_valid;
	unsigned exec_runs;
	uint64_t generation;
};

static void wipe_free(char **s)
{
	if (*s) {
		memset(*s, 0, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

static char *dup_opt(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static char **dup_strv(const char *const *v, size_t n, bool *oom)
{
	char **d = calloc(n + 1, sizeof(*d));

	if (!d) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = dup_opt(v[i] ? v[i] : "", oom);
	return d;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		wipe_free(&v[i]);
	free(v);
}

static void exec_copy_free(struct exec_copy **p)
{
	struct exec_copy *x = *p;

	if (!x)
		return;
	free_strv(x->args, x->cfg.nargs);
	free_strv(x->env_names, x->cfg.nenv);
	free_strv(x->env_values, x->cfg.nenv);
	for (size_t i = 0; i < sizeof(x->strs) / sizeof(x->strs[0]); i++)
		wipe_free(&x->strs[i]);
	free(x->ca);
	free(x);
	*p = NULL;
}

static struct exec_copy *exec_copy_new(const struct exec_plugin_config *src)
{
	struct exec_copy *x = calloc(1, sizeof(*x));
	bool oom = false;

	if (!x)
		return NULL;
	x->cfg = *src;
	x->args = dup_strv(src->args, src->nargs, &oom);
	x->env_names = dup_strv(src->env_names, src->nenv, &oom);
	x->env_values = dup_strv(src->env_values, src->nenv, &oom);
	x->cfg.args = (const char *const *)x->args;
	x->cfg.env_names = (const char *const *)x->env_names;
	x->cfg.env_values = (const char *const *)x->env_values;
	const char **fields[] = { &x->cfg.command, &x->cfg.api_version,
				  &x->cfg.interactive_mode, &x->cfg.install_hint,
				  &x->cfg.cluster_server, &x->cfg.cluster_tls_server_name,
				  &x->cfg.cluster_proxy_url };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		x->strs[i] = dup_opt(*fields[i], &oom);
		*fields[i] = x->strs[i];
	}
	if (src->cluster_ca_data && src->cluster_ca_len) {
		x->ca = malloc(src->cluster_ca_len);
		if (x->ca)
			memcpy(x->ca, src->cluster_ca_data, src->cluster_ca_len);
		else
			oom = true;
		x->cfg.cluster_ca_data = x->ca;
	}
	if (oom)
		exec_copy_free(&x);
	return x;
}

enum od_status auth_new(const struct auth_config *cfg, struct auth **out, struct err *e)
{
	struct auth *a = calloc(1, sizeof(*a));
	bool oom = false;

	*out = NULL;
	if (!a)
		return err_set(e, OD_ENOMEM, "out of memory");
	a->token = dup_opt(cfg->token && cfg->token[0] ? cfg->token : NULL, &oom);
	a->token_file = dup_opt(cfg->token_file && cfg->token_file[0] ? cfg->token_file : NULL, &oom);
	a->username = dup_opt(cfg->username, &oom);
	a->password = dup_opt(cfg->password, &oom);
	if (cfg->exec) {
		a->exec = exec_copy_new(cfg->exec);
		oom = oom || !a->exec;
	}
	a->generation = 1;
	if (oom) {
		auth_free(&a);
		return err_set(e, OD_ENOMEM, "out of memory");
	}
	*out = a;
	return OD_OK;
}

void auth_free(struct auth **p)
{
	struct auth *a = *p;

	if (!a)
		return;
	wipe_free(&a->token);
	free(a->token_file);
	wipe_free(&a->username);
	wipe_free(&a->password);
	exec_copy_free(&a->exec);
	exec_cred_clear(&a->cred);
	free(a);
	*p = NULL;
}

/* client-go's file token source: whitespace trimmed, empty is an error. */
static enum od_status read_token_file(struct auth *a, struct err *e)
{
	FILE *f = fopen(a->token_file, "r");
	struct buf b;
	char chunk[1024];
	size_t n;
	enum od_status rc = OD_OK;

	if (!f)
		return err_set(e, OD_EIO, "getting credentials: failed to read token file \"%s\": %s",
			       a->token_file, strerror(errno));
	buf_init(&b, AUTH_TOKEN_FILE_MAX);
	while (rc == OD_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		rc = buf_append(&b, chunk, n, NULL);
	fclose(f);
	memset(chunk, 0, sizeof(chunk));
	if (rc != OD_OK) {
		rc = err_set(e, OD_ELIMIT, "getting credentials: token file \"%s\" is too large",
			     a->token_file);
		goto out;
	}
	char *s = b.data ? b.data : (char *)"";
	size_t len = b.len;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	if (len == 0) {
		rc = err_set(e, OD_ECONFIG, "getting credentials: read empty token from file \"%s\"",
			     a->token_file);
		goto out;
	}
	char *tok = strndup(s, len);
	if (!tok) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	if (!a->token || strcmp(a->token, tok) != 0)
		a->generation++;
	wipe_free(&a->token);
	a->token = tok;
	a->token_read_ms = time_mono_ms();
out:
	if (b.data)
		memset(b.data, 0, b.len);
	buf_free(&b);
	return rc;
}

static bool cred_expired(const struct exec_cred *c)
{
	return c->has_expiry && time_diff_ns(time_now(), c->expiry) <= 0;
}

static enum od_status refresh_exec(struct auth *a, struct err *e)
{
	struct exec_cred fresh;
	enum od_status rc;

	a->exec_runs++;
	rc = exec_plugin_run(&a->exec->cfg, isatty(STDIN_FILENO) == 1, &fresh, e);
	if (rc != OD_OK)
		return rc;
	exec_cred_clear(&a->cred);
	a->cred = fresh;
	a->cred_valid = true;
	a->generation++;
	return OD_OK;
}

enum od_status auth_get(struct auth *a, struct auth_cred *out, struct err *e)
{
	enum od_status rc;

	memset(out, 0, sizeof(*out));
	if (a->exec) {
		if (!a->cred_valid || cred_expired(&a->cred)) {
			rc = refresh_exec(a, e);
			if (rc != OD_OK)
				return rc;
		}
		out->token = a->cred.token;
		out->cert_pem = a->cred.cert_pem;
		out->cert_len = a->cred.cert_pem ? strlen(a->cred.cert_pem) : 0;
		out->key_pem = a->cred.key_pem;
		out->key_len = a->cred.key_pem ? strlen(a->cred.key_pem) : 0;
		out->generation = a->generation;
		return OD_OK;
	}
	if (a->token_file && (!a->token_read_ms ||
			      time_mono_ms() - a->token_read_ms >= AUTH_TOKEN_FILE_PERIOD_MS)) {
		rc = read_token_file(a, e);
		/* a rotating file briefly missing: keep the token we have */
		if (rc != OD_OK && !a->token)
			return rc;
	}
	out->token = a->token;
	if (!out->token && a->username) {
		out->username = a->username;
		out->password = a->password ? a->password : "";
	}
	out->generation = a->generation;
	return OD_OK;
}

bool auth_unauthorized(struct auth *a, uint64_t gen)
{
	if (a->exec) {
		if (gen == a->generation && a->cred_valid) {
			exec_cred_clear(&a->cred);
			a->cred_valid = false;
		}
		return true;
	}
	if (a->token_file) {
		uint64_t before = a->generation;
		if (read_token_file(a, NULL) != OD_OK)
			return false;
		return a->generation != before || gen != a->generation;
	}
	return false;
}

bool auth_has_exec(const struct auth *a)
{
	return a->exec != NULL;
}

unsigned auth_exec_runs(const struct auth *a)
{
	return a->exec_runs;
}
