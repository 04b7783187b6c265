/*
 * auth.h: the credentials a request carries: a static bearer token, a token
 * file (re-read every minute, because bound service-account tokens rotate),
 * basic auth, or an exec credential plugin (client.authentication.k8s.io v1
 * and v1beta1).
 *
 * Exec plugins run with the parent environment plus the plugin's env plus
 * KUBERNETES_EXEC_INFO; their stderr passes through, stdin is the terminal
 * only for interactive runs. The credential (token, or client certificate and
 * key) is cached until its expirationTimestamp, or without one until the
 * server answers 401; then the plugin runs again. A plugin that hangs is
 * killed after its timeout.
 *
 * Nothing here logs a token, a key, a plugin argument or its environment.
 */
#ifndef OPSDECK_AUTH_H
#define OPSDECK_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"
#include "opsdeck/timeutil.h"

#define EXEC_API_V1 "client.authentication.k8s.io/v1"
#define EXEC_API_V1BETA1 "client.authentication.k8s.io/v1beta1"

/* A plugin gets this long to answer unless the config says otherwise. */
#define EXEC_DEFAULT_TIMEOUT_MS 60000
/* Largest plugin output read. */
#define EXEC_OUTPUT_MAX (1u * 1024u * 1024u)
/* Token files are re-read after this long. */
#define AUTH_TOKEN_FILE_PERIOD_MS 60000

/* How an exec plugin is run. All pointers are borrowed by auth_new, which copies them. */
struct exec_plugin_config {
	const char *command;
	const char *const *args;        /* nargs strings */
	size_t nargs;
	const char *const *env_names;   /* nenv names and values */
	const char *const *env_values;
	size_t nenv;
	const char *api_version;        /* EXEC_API_V1 or EXEC_API_V1BETA1 */
	const char *interactive_mode;   /* "Never", "IfAvailable", "Always"; NULL: IfAvailable */
	const char *install_hint;
	bool provide_cluster_info;
	long timeout_ms;                /* 0: EXEC_DEFAULT_TIMEOUT_MS */
	/* spec.cluster of KUBERNETES_EXEC_INFO (only with provide_cluster_info) */
	const char *cluster_server;
	const char *cluster_tls_server_name;
	bool cluster_insecure;
	const unsigned char *cluster_ca_data;
	size_t cluster_ca_len;
	const char *cluster_proxy_url;
	bool cluster_disable_compression;
};

/* Which credentials to use. Borrowed by auth_new, which copies what it keeps. */
struct auth_config {
	const char *token;
	const char *token_file;
	const char *username;
	const char *password;
	const struct exec_plugin_config *exec;   /* NULL: no plugin */
};

struct auth;   /* opaque; owned by whoever called auth_new */

/* The credentials for one request. Borrowed from the auth: valid until its next call. */
struct auth_cred {
	const char *token;               /* bearer token, or NULL */
	const char *username;            /* basic auth, or NULL */
	const char *password;
	const char *cert_pem;            /* client certificate from a plugin, or NULL */
	size_t cert_len;
	const char *key_pem;
	size_t key_len;
	uint64_t generation;             /* changes whenever the credentials change */
};

enum od_status auth_new(const struct auth_config *cfg, struct auth **out, struct err *e);
void auth_free(struct auth **a);

/*
 * The credentials to send now: runs the plugin when nothing is cached or the
 * cached credential expired (blocking, up to its timeout), re-reads a token
 * file that is older than a minute. Errors read "getting credentials: ...".
 */
enum od_status auth_get(struct auth *a, struct auth_cred *out, struct err *e);

/*
 * The server answered 401 to a request sent with credentials of generation
 * gen. Drops them if they are still the current ones and could change (a
 * plugin or a token file). True when a retry with fresh credentials makes sense.
 */
bool auth_unauthorized(struct auth *a, uint64_t gen);

/* True when credentials come from a plugin (they may carry a client certificate). */
bool auth_has_exec(const struct auth *a);

/* How many times the plugin has run (tests and the debug log). */
unsigned auth_exec_runs(const struct auth *a);

/* ---- exec plugin building blocks, exposed for tests ---- */

/* What a plugin returned. Owned strings; free with exec_cred_clear. */
struct exec_cred {
	char *token;
	char *cert_pem;
	char *key_pem;
	bool has_expiry;
	struct od_time expiry;
};

void exec_cred_clear(struct exec_cred *c);

/*
 * The KUBERNETES_EXEC_INFO value for x: an ExecCredential whose spec.interactive
 * is true only when the mode allows it and stdin_is_tty, and whose
 * spec.cluster is present only with provide_cluster_info. *json is owned by
 * the caller (free()). An "Always" plugin without a terminal is OD_ECONFIG.
 */
enum od_status exec_info_build(const struct exec_plugin_config *x, bool stdin_is_tty,
			       char **json, bool *interactive, struct err *e);

/* Parses and checks a plugin's stdout as client-go does. */
enum od_status exec_cred_parse(const char *api_version, const char *out, size_t len,
			       struct exec_cred *c, struct err *e);

/*
 * Runs the plugin once (blocking, at most its timeout) and parses its answer.
 * stdin_is_tty is normally isatty(0); tests pass false.
 */
enum od_status exec_plugin_run(const struct exec_plugin_config *x, bool stdin_is_tty,
			       struct exec_cred *c, struct err *e);

#endif
