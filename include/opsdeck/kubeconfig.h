/*
 * kubeconfig.h: kubeconfig files loaded, merged and resolved the way kubectl
 * does it (see docs/kubeconfig.md), and written back the way kubectl writes.
 *
 * Loading parses YAML (libyaml) into the compact structs below and merges the
 * files: for each named cluster, user or context the first file that defines
 * it supplies the whole entry; current-context comes from the first file that
 * sets it. Entries keep paths as written; kubeconfig_resolve() turns the
 * chosen context into a struct kube_target with paths made absolute against
 * the directory of the file that defined them.
 *
 * Every string below is owned by the struct kubeconfig it hangs from and is
 * freed by kubeconfig_free(); NULL means "not set".
 */
#ifndef OPSDECK_KUBECONFIG_H
#define OPSDECK_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "opsdeck/buf.h"
#include "opsdeck/err.h"

/* A kubeconfig file larger than this is refused (kubeconfigs are kilobytes). */
#define KUBECONFIG_MAX_FILE_SIZE (16u * 1024u * 1024u)

/* Overrides /var/run/secrets/kubernetes.io/serviceaccount for the in-cluster config (tests). */
#define KUBECONFIG_INCLUSTER_DIR_ENV "OPSDECK_INCLUSTER_DIR"
#define KUBECONFIG_INCLUSTER_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

/* A YAML value kept verbatim because opsdeck only carries it (extensions). */
enum kc_node_kind { KC_NODE_SCALAR, KC_NODE_LIST, KC_NODE_MAP };

struct kc_node {
	enum kc_node_kind kind;
	char *scalar;            /* KC_NODE_SCALAR: the text; owned */
	bool is_string;          /* quoted, or plain text that is not a number/bool/null */
	char **keys;             /* KC_NODE_MAP: n owned keys */
	struct kc_node **items;  /* KC_NODE_LIST / KC_NODE_MAP: n owned children */
	size_t n;
};

/* Base64-decoded bytes of an "X-data" field. */
struct kc_blob {
	unsigned char *data;     /* owned; NULL when unset */
	size_t len;
	bool set;                /* the key was present (even if empty) */
};

struct kc_pair {
	char *name;              /* owned */
	char *value;             /* owned */
};

struct kc_exec {
	char *command;
	char **args;             /* nargs owned strings; args_set false = "args: null" */
	size_t nargs;
	bool args_set;
	struct kc_pair *env;     /* nenv owned pairs */
	size_t nenv;
	bool env_set;
	char *api_version;
	char *install_hint;
	bool provide_cluster_info;
	char *interactive_mode;  /* "Never", "IfAvailable", "Always"; defaulted for v1beta1 */
};

struct kc_auth_provider {
	char *name;
	struct kc_pair *config;  /* nconfig owned pairs, sorted by name */
	size_t nconfig;
	bool config_set;         /* "config" was present (prints {} rather than null) */
};

/* Where an entry came from: the file's index in kubeconfig.files and its line. */
struct kc_origin {
	size_t file;
	int line;
};

struct kc_cluster {
	char *name;
	char *server;
	char *tls_server_name;
	bool insecure_skip_tls_verify;
	char *certificate_authority;          /* path as written */
	struct kc_blob certificate_authority_data;
	char *proxy_url;
	bool disable_compression;
	struct kc_node *extensions;           /* owned; NULL if none */
	struct kc_origin origin;
};

struct kc_user {
	char *name;
	char *client_certificate;             /* path as written */
	struct kc_blob client_certificate_data;
	char *client_key;                     /* path as written */
	struct kc_blob client_key_data;
	char *token;
	char *token_file;                     /* path as written */
	char *as;
	char *as_uid;
	char **as_groups;                     /* nas_groups owned strings */
	size_t nas_groups;
	char *username;
	char *password;
	struct kc_auth_provider *auth_provider; /* owned; NULL if none */
	struct kc_exec *exec;                 /* owned; NULL if none */
	struct kc_node *extensions;           /* owned; NULL if none */
	struct kc_origin origin;
};

struct kc_context {
	char *name;
	char *cluster;
	char *user;
	char *namespace_;
	struct kc_node *extensions;           /* owned; NULL if none */
	struct kc_origin origin;
};

struct kc_file {
	char *path;              /* as given (KUBECONFIG entry, --kubeconfig, ~/.kube/config) */
	char *dir;               /* absolute directory of path, for relative paths */
};

struct kubeconfig {
	struct kc_file *files;   /* nfiles files that were loaded, in precedence order */
	size_t nfiles;
	struct kc_cluster *clusters;   /* merged, in first-seen order */
	size_t nclusters;
	struct kc_user *users;
	size_t nusers;
	struct kc_context *contexts;
	size_t ncontexts;
	char *current_context;   /* NULL when no file sets it */
	bool preferences_colors; /* preferences.colors */
	struct kc_node *preferences_extensions;
	struct kc_node *extensions;
};

/* Where to look, as kubectl decides it. All pointers are borrowed. */
struct kubeconfig_source {
	const char *explicit_path;   /* --kubeconfig, or NULL */
	const char *env;             /* $KUBECONFIG, or NULL */
	const char *home;            /* $HOME, or NULL */
	/*
	 * kubectl's "config" subcommands treat a missing --kubeconfig file as an
	 * empty config; everything else refuses it.
	 */
	bool missing_explicit_is_empty;
};

/* Fills src from the process environment (KUBECONFIG, HOME); explicit_path is borrowed. */
void kubeconfig_source_from_env(struct kubeconfig_source *src, const char *explicit_path);

/*
 * Writes the files kubectl would read, in precedence order, into *paths
 * (an owned array of n owned strings; free with kubeconfig_free_paths).
 * Duplicates and empty KUBECONFIG entries are dropped; missing files are kept
 * here (the loader skips them) because use-context may have to create one.
 */
enum od_status kubeconfig_precedence(const struct kubeconfig_source *src, char ***paths,
				     size_t *n, struct err *e);
void kubeconfig_free_paths(char ***paths, size_t n);

/*
 * Loads and merges the files of src. *out is owned by the caller. Never reads
 * referenced files and never runs plugins. Errors name the file and line.
 */
enum od_status kubeconfig_load(const struct kubeconfig_source *src, struct kubeconfig **out,
			       struct err *e);

/* Parses one file's bytes (path names it in errors and anchors relative paths). */
enum od_status kubeconfig_parse(const char *path, const char *data, size_t len,
				struct kubeconfig **out, struct err *e);

/* Reads and parses one file; a missing file gives OD_ENOENT. */
enum od_status kubeconfig_load_file(const char *path, struct kubeconfig **out, struct err *e);

void kubeconfig_free(struct kubeconfig **kc);

/* Frees a kc_node tree and sets *n = NULL. */
void kubeconfig_node_free(struct kc_node **n);

/* Frees an exec config (a kube_target's copy) and sets *x = NULL. */
void kubeconfig_exec_free(struct kc_exec **x);

/* What go-yaml v2 (kubectl's YAML reader) makes of a plain, unquoted scalar. */
enum kc_scalar_type {
	KC_SCALAR_STRING,
	KC_SCALAR_NULL,        /* "", "~", "null" */
	KC_SCALAR_BOOL,        /* YAML 1.1: true, yes, on, y, ... */
	KC_SCALAR_NUMBER,      /* ints (0x, 0o, 0b, _), floats, .inf, .nan */
	KC_SCALAR_TIMESTAMP    /* "2024-01-01", read back as a time */
};
enum kc_scalar_type kubeconfig_scalar_type(const char *s);

/*
 * True if a string must be quoted to read back as a string: it looks typed,
 * or is a YAML 1.1 base-60 number ("1:20") or the merge key "<<".
 */
bool kubeconfig_scalar_is_typed(const char *s);

/* Lookups by name; borrowed results, NULL when absent. */
const struct kc_cluster *kubeconfig_find_cluster(const struct kubeconfig *kc, const char *name);
const struct kc_user *kubeconfig_find_user(const struct kubeconfig *kc, const char *name);
const struct kc_context *kubeconfig_find_context(const struct kubeconfig *kc, const char *name);

/* What the HTTP and auth layers need. Paths are absolute; every string is owned. */
struct kube_target {
	char *context;           /* NULL for the in-cluster config */
	char *cluster;
	char *user;
	char *namespace_;        /* never NULL: flag, else context, else "default" */
	char *server;
	char *tls_server_name;
	bool insecure_skip_tls_verify;
	char *ca_file;           /* NULL when ca_data is set: -data wins */
	struct kc_blob ca_data;
	char *proxy_url;
	bool disable_compression;
	char *client_cert_file;  /* NULL when client_cert_data is set */
	struct kc_blob client_cert_data;
	char *client_key_file;   /* NULL when client_key_data is set */
	struct kc_blob client_key_data;
	char *token;
	char *token_file;        /* re-read periodically: bound tokens rotate */
	char *username;
	char *password;
	struct kc_exec *exec;    /* owned copy; interactiveMode defaulted for v1beta1 */
	char *impersonate;       /* as: Impersonate-User */
	char *impersonate_uid;   /* as-uid: Impersonate-Uid */
	char **impersonate_groups;   /* as-groups: Impersonate-Group, n owned strings */
	size_t nimpersonate_groups;
	bool in_cluster;
};

/*
 * Picks the context (context_flag, else current-context), its cluster and
 * user, and the namespace (ns_flag, else the context's, else "default"), and
 * validates them with kubectl's messages. Several problems are reported
 * together as "Error in configuration: \n* ...". *out is owned by the caller.
 */
enum od_status kubeconfig_resolve(const struct kubeconfig *kc, const char *context_flag,
				  const char *ns_flag, struct kube_target **out, struct err *e);

/*
 * The in-cluster config: KUBERNETES_SERVICE_HOST/PORT, and the token and
 * ca.crt under dir (NULL: $OPSDECK_INCLUSTER_DIR, else the service account
 * directory). OD_ENOENT when not running in a cluster.
 */
enum od_status kube_target_in_cluster(const char *dir, const char *ns_flag,
				      struct kube_target **out, struct err *e);

/*
 * Everything above in kubectl's order: the kubeconfig files, else the
 * in-cluster config when no kubeconfig is found at all.
 */
enum od_status kube_target_load(const struct kubeconfig_source *src, const char *context_flag,
				const char *ns_flag, struct kube_target **out, struct err *e);

void kube_target_free(struct kube_target **t);

/* True if s is a DNS-1123 label (what a namespace must be). */
bool kubeconfig_is_dns_label(const char *s);

/* How kubeconfig_write_* print. */
struct kubeconfig_write_opts {
	bool redact;             /* token/password -> REDACTED, X-data -> DATA+OMITTED */
	const char *minify;      /* keep only this context and what it references, or NULL */
};

/*
 * Serialises kc as kubectl does (kubectl config view; the file use-context
 * writes): YAML with sorted keys, or JSON in the API's field order, entries
 * sorted by name. Appends to out.
 */
enum od_status kubeconfig_write_yaml(const struct kubeconfig *kc,
				     const struct kubeconfig_write_opts *o, struct buf *out,
				     struct err *e);
enum od_status kubeconfig_write_json(const struct kubeconfig *kc,
				     const struct kubeconfig_write_opts *o, struct buf *out,
				     struct err *e);

/*
 * Sets current-context in path the way kubectl's use-context does: takes
 * "<path>.lock", re-reads the file, rewrites it in kubectl's format (a
 * missing file is created 0600).
 */
enum od_status kubeconfig_file_set_current_context(const char *path, const char *name,
						   struct err *e);

#endif
