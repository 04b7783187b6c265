/*
 * auth_exec.c: exec credential plugins (auth.h): KUBERNETES_EXEC_INFO, running
 * the plugin with a timeout, and reading its ExecCredential the way client-go
 * checks it. The plugin's arguments, environment and output never reach a
 * log or an error message: errors name only the command.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "opsdeck/auth.h"
#include "opsdeck/buf.h"

extern char **environ;

void exec_cred_clear(struct exec_cred *c)
{
	/* credentials are wiped before they are freed */
	if (c->token)
		memset(c->token, 0, strlen(c->token));
	if (c->key_pem)
		memset(c->key_pem, 0, strlen(c->key_pem));
	free(c->token);
	free(c->cert_pem);
	free(c->key_pem);
	memset(c, 0, sizeof(*c));
}

static char *base64_encode(const unsigned char *p, size_t n)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((n + 2) / 3 * 4 + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = tbl[(v >> 18) & 63];
		out[o++] = tbl[(v >> 12) & 63];
		out[o++] = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? tbl[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

static enum od_status add_cluster(cJSON *spec, const struct exec_plugin_config *x,
				  struct err *e)
{
	cJSON *cl = cJSON_AddObjectToObject(spec, "cluster");

	if (!cl || !cJSON_AddStringToObject(cl, "server", x->cluster_server ? x->cluster_server : ""))
		return err_set(e, OD_ENOMEM, "out of memory");
	/* Go's omitempty: empty and false fields are left out */
	if (x->cluster_tls_server_name && x->cluster_tls_server_name[0])
		cJSON_AddStringToObject(cl, "tls-server-name", x->cluster_tls_server_name);
	if (x->cluster_insecure)
		cJSON_AddTrueToObject(cl, "insecure-skip-tls-verify");
	if (x->cluster_ca_data && x->cluster_ca_len) {
		char *b64 = base64_encode(x->cluster_ca_data, x->cluster_ca_len);
		if (!b64)
			return err_set(e, OD_ENOMEM, "out of memory");
		cJSON_AddStringToObject(cl, "certificate-authority-data", b64);
		free(b64);
	}
	if (x->cluster_proxy_url && x->cluster_proxy_url[0])
		cJSON_AddStringToObject(cl, "proxy-url", x->cluster_proxy_url);
	if (x->cluster_disable_compression)
		cJSON_AddTrueToObject(cl, "disable-compression");
	return OD_OK;
}

enum od_status exec_info_build(const struct exec_plugin_config *x, bool stdin_is_tty,
			       char **json, bool *interactive, struct err *e)
{
	const char *mode = x->interactive_mode ? x->interactive_mode : "IfAvailable";
	const char *apiv = x->api_version ? x->api_version : EXEC_API_V1BETA1;
	enum od_status rc = OD_OK;
	cJSON *root = NULL;
	bool inter;

	*json = NULL;
	if (strcmp(mode, "Never") == 0)
		inter = false;
	else if (strcmp(mode, "IfAvailable") == 0)
		inter = stdin_is_tty;
	else if (strcmp(mode, "Always") == 0) {
		if (!stdin_is_tty)
			return err_set(e, OD_ECONFIG,
				       "getting credentials: exec plugin cannot support interactive mode: standard input is not a terminal");
		inter = true;
	} else {
		return err_set(e, OD_ECONFIG,
			       "getting credentials: exec plugin: invalid interactiveMode \"%s\"", mode);
	}

	root = cJSON_CreateObject();
	if (!root || !cJSON_AddStringToObject(root, "kind", "ExecCredential") ||
	    !cJSON_AddStringToObject(root, "apiVersion", apiv)) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	cJSON *spec = cJSON_AddObjectToObject(root, "spec");
	if (!spec) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	if (x->provide_cluster_info && (rc = add_cluster(spec, x, e)) != OD_OK)
		goto out;
	cJSON_AddBoolToObject(spec, "interactive", inter);
	*json = cJSON_PrintUnformatted(root);
	if (!*json)
		rc = err_set(e, OD_ENOMEM, "out of memory");
	if (interactive)
		*interactive = inter;
out:
	cJSON_Delete(root);
	return rc;
}

static char *dup_json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && v->valuestring[0] ? strdup(v->valuestring) : NULL;
}

enum od_status exec_cred_parse(const char *api_version, const char *out, size_t len,
			       struct exec_cred *c, struct err *e)
{
	const char *want = api_version ? api_version : EXEC_API_V1BETA1;
	enum od_status rc = OD_OK;
	cJSON *root = NULL;

	memset(c, 0, sizeof(*c));
	root = cJSON_ParseWithLength(out, len);
	if (!root || !cJSON_IsObject(root)) {
		rc = err_set(e, OD_EPARSE,
			     "getting credentials: decoding stdout: the plugin did not print a JSON object");
		goto out;
	}
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	const cJSON *apiv = cJSON_GetObjectItemCaseSensitive(root, "apiVersion");
	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "ExecCredential") != 0) {
		rc = err_set(e, OD_EPARSE,
			     "getting credentials: decoding stdout: the plugin did not print an ExecCredential");
		goto out;
	}
	if (!cJSON_IsString(apiv) || strcmp(apiv->valuestring, want) != 0) {
		char got[96];
		snprintf(got, sizeof(got), "%s", cJSON_IsString(apiv) ? apiv->valuestring : "");
		rc = err_set(e, OD_EPARSE,
			     "getting credentials: exec plugin is configured to use API version %s, plugin returned version %s",
			     want, got);
		goto out;
	}
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsObject(st)) {
		rc = err_set(e, OD_EPARSE,
			     "getting credentials: exec plugin didn't return a status field");
		goto out;
	}
	c->token = dup_json_str(st, "token");
	c->cert_pem = dup_json_str(st, "clientCertificateData");
	c->key_pem = dup_json_str(st, "clientKeyData");
	if (!c->token && !c->cert_pem && !c->key_pem) {
		rc = err_set(e, OD_EPARSE,
			     "getting credentials: exec plugin didn't return a token or cert/key pair");
		goto out;
	}
	if (!c->cert_pem != !c->key_pem) {
		rc = err_set(e, OD_EPARSE,
			     "getting credentials: exec plugin returned only certificate or key, not both");
		goto out;
	}
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(st, "expirationTimestamp");
	if (cJSON_IsString(exp) && exp->valuestring[0]) {
		struct err pe;
		if (time_parse_rfc3339(exp->valuestring, &c->expiry, &pe) != OD_OK) {
			rc = err_set(e, OD_EPARSE,
				     "getting credentials: decoding stdout: bad expirationTimestamp: %s",
				     pe.msg);
			goto out;
		}
		c->has_expiry = true;
	}
out:
	cJSON_Delete(root);
	if (rc != OD_OK)
		exec_cred_clear(c);
	return rc;
}

/* The parent's environment minus the names the plugin sets, then the plugin's, then the info. */
static char **build_env(const struct exec_plugin_config *x, const char *info)
{
	size_t n = 0, o = 0;
	char **envp;

	for (char **p = environ; p && *p; p++)
		n++;
	envp = calloc(n + x->nenv + 2, sizeof(*envp));
	if (!envp)
		return NULL;
	for (char **p = environ; p && *p; p++) {
		const char *eq = strchr(*p, '=');
		size_t klen = eq ? (size_t)(eq - *p) : strlen(*p);
		bool overridden = klen == strlen("KUBERNETES_EXEC_INFO") &&
				  strncmp(*p, "KUBERNETES_EXEC_INFO", klen) == 0;
		for (size_t i = 0; i < x->nenv && !overridden; i++)
			overridden = strlen(x->env_names[i]) == klen &&
				     strncmp(*p, x->env_names[i], klen) == 0;
		if (!overridden)
			envp[o++] = strdup(*p);
	}
	for (size_t i = 0; i < x->nenv; i++) {
		size_t len = strlen(x->env_names[i]) + strlen(x->env_values[i]) + 2;
		envp[o] = malloc(len);
		if (envp[o])
			snprintf(envp[o++], len, "%s=%s", x->env_names[i], x->env_values[i]);
	}
	/* client-go encodes it with json.Encoder, which ends the value with a newline */
	size_t len = strlen("KUBERNETES_EXEC_INFO=") + strlen(info) + 2;
	envp[o] = malloc(len);
	if (envp[o])
		snprintf(envp[o++], len, "KUBERNETES_EXEC_INFO=%s\n", info);
	envp[o] = NULL;
	return envp;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++) {
		memset(v[i], 0, strlen(v[i]));
		free(v[i]);
	}
	free(v);
}

static char **build_argv(const struct exec_plugin_config *x)
{
	char **argv = calloc(x->nargs + 2, sizeof(*argv));

	if (!argv)
		return NULL;
	argv[0] = strdup(x->command);
	for (size_t i = 0; i < x->nargs; i++)
		argv[i + 1] = strdup(x->args[i] ? x->args[i] : "");
	return argv;
}

/* Child side: never returns. Reports an exec failure's errno through errfd. */
static void run_child(const struct exec_plugin_config *x, char **argv, char **envp,
		      bool interactive, int outfd, int errfd)
{
	if (!interactive) {
		int null = open("/dev/null", O_RDONLY);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			close(null);
		}
	}
	dup2(outfd, STDOUT_FILENO);
	close(outfd);
	execvpe(x->command, argv, envp);
	int err = errno;
	(void)!write(errfd, &err, sizeof(err));
	_exit(127);
}

static uint64_t mono_ms(void)
{
	return time_mono_ms();
}

/* Reads the plugin's stdout until EOF or the deadline. */
static enum od_status read_output(int fd, uint64_t deadline, struct buf *out,
				  const char *cmd, struct err *e)
{
	char chunk[4096];

	for (;;) {
		uint64_t now = mono_ms();
		if (now >= deadline)
			return err_set(e, OD_ETIMEDOUT, "getting credentials: exec: executable %s timed out",
				       cmd);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int r = poll(&pfd, 1, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set(e, OD_EIO, "getting credentials: exec: poll: %s", strerror(errno));
		if (r == 0)
			continue;
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(e, OD_EIO, "getting credentials: exec: reading output: %s",
				       strerror(errno));
		if (n == 0)
			return OD_OK;
		if (buf_append(out, chunk, (size_t)n, NULL) != OD_OK)
			return err_set(e, OD_ELIMIT,
				       "getting credentials: exec: executable %s printed more than %u bytes",
				       cmd, EXEC_OUTPUT_MAX);
	}
}

/* Waits for pid until the deadline; kills it when the deadline passes. */
static enum od_status reap(pid_t pid, uint64_t deadline, const char *cmd, struct err *e)
{
	int status = 0;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return err_set(e, OD_EIO, "getting credentials: exec: wait: %s", strerror(errno));
		if (mono_ms() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return err_set(e, OD_ETIMEDOUT,
				       "getting credentials: exec: executable %s timed out", cmd);
		}
		struct timespec ts = { 0, 5 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return err_set(e, OD_EIO,
			       "getting credentials: exec: executable %s failed with exit code %d",
			       cmd, WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return err_set(e, OD_EIO,
			       "getting credentials: exec: executable %s was killed by signal %d", cmd,
			       WTERMSIG(status));
	return OD_OK;
}

enum od_status exec_plugin_run(const struct exec_plugin_config *x, bool stdin_is_tty,
			       struct exec_cred *c, struct err *e)
{
	long timeout = x->timeout_ms > 0 ? x->timeout_ms : EXEC_DEFAULT_TIMEOUT_MS;
	uint64_t deadline = mono_ms() + (uint64_t)timeout;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	char *info = NULL;
	char **argv = NULL, **envp = NULL;
	bool interactive = false;
	struct buf out;
	enum od_status rc;
	pid_t pid = -1;

	memset(c, 0, sizeof(*c));
	buf_init(&out, EXEC_OUTPUT_MAX);
	if (!x->command || !x->command[0]) {
		rc = err_set(e, OD_ECONFIG, "getting credentials: exec: no command");
		goto out;
	}
	rc = exec_info_build(x, stdin_is_tty, &info, &interactive, e);
	if (rc != OD_OK)
		goto out;
	argv = build_argv(x);
	envp = build_env(x, info);
	if (!argv || !envp) {
		rc = err_set(e, OD_ENOMEM, "out of memory");
		goto out;
	}
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		rc = err_set(e, OD_EIO, "getting credentials: exec: pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = err_set(e, OD_EIO, "getting credentials: exec: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		run_child(x, argv, envp, interactive, outp[1], errp[1]);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;

	int child_errno = 0;
	ssize_t got;
	while ((got = read(errp[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
		;
	if (got == (ssize_t)sizeof(child_errno)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		pid = -1;
		if (child_errno == ENOENT || child_errno == EACCES)
			rc = err_set(e, OD_ECONFIG, "getting credentials: exec: executable %s not found%s%s",
				     x->command, x->install_hint ? "\n\n" : "",
				     x->install_hint ? x->install_hint : "");
		else
			rc = err_set(e, OD_EIO, "getting credentials: exec: %s: %s", x->command,
				     strerror(child_errno));
		goto out;
	}
	rc = read_output(outp[0], deadline, &out, x->command, e);
	if (rc != OD_OK) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		pid = -1;
		goto out;
	}
	rc = reap(pid, deadline, x->command, e);
	pid = -1;
	if (rc == OD_OK)
		rc = exec_cred_parse(x->api_version, buf_cstr(&out), out.len, c, e);
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (out.data)
		memset(out.data, 0, out.len);
	buf_free(&out);
	free_strv(argv);
	free_strv(envp);
	free(info);
	return rc;
}
