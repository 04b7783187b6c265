/*
 * test_kubeconfig.c: kubeconfig loading as kubectl does it: which files,
 * merging (first file wins), relative paths, -data over files, every
 * validation message, the in-cluster fallback, and hostile YAML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsdeck/kubeconfig.h"

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/opsdeck-kc-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to tmpdir/rel (creating its directory) and returns the path in a static slot. */
static const char *put(const char *rel, const char *text)
{
	static char slots[8][512];
	static int next;
	char *path = slots[next++ % 8];
	char dir[512];
	FILE *f;

	snprintf(path, 512, "%s/%s", tmpdir, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	for (char *p = dir + strlen(tmpdir) + 1; *p; p++)   /* mkdir -p below tmpdir */
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	mkdir(dir, 0755);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static struct kubeconfig *load_env(const char *env, struct err *e, enum od_status want)
{
	struct kubeconfig_source src = { .env = env };
	struct kubeconfig *kc = NULL;

	assert_int_equal(kubeconfig_load(&src, &kc, e), want);
	return kc;
}

static struct kubeconfig *parse(const char *text)
{
	struct kubeconfig *kc = NULL;
	struct err e = { 0 };

	if (kubeconfig_parse(put("t/parsed.yaml", text), text, strlen(text), &kc, &e) != OD_OK)
		fail_msg("parse: %s", e.msg);
	return kc;
}

/* Resolves text's current context; returns the status and leaves the message in e. */
static enum od_status resolve_text(const char *text, const char *ctx, const char *ns,
				   struct kube_target **t, struct err *e)
{
	struct kubeconfig *kc = parse(text);
	enum od_status rc = kubeconfig_resolve(kc, ctx, ns, t, e);

	kubeconfig_free(&kc);
	return rc;
}

static void expect_error(const char *text, const char *want)
{
	struct kube_target *t = NULL;
	struct err e = { 0 };

	assert_int_not_equal(resolve_text(text, NULL, NULL, &t, &e), OD_OK);
	assert_null(t);
	if (!strstr(e.msg, want))
		fail_msg("got \"%s\", want it to contain \"%s\"", e.msg, want);
}

#define FILE_A                                                               \
	"current-context: a-ctx\n"                                           \
	"clusters:\n"                                                        \
	"- name: shared\n  cluster: {server: https://a.example, certificate-authority: ca/a.crt}\n" \
	"- name: only-a\n  cluster: {server: https://only-a.example}\n"     \
	"users:\n- name: u\n  user: {token: from-a}\n"                       \
	"contexts:\n- name: a-ctx\n  context: {cluster: shared, user: u, namespace: team-a}\n"

#define FILE_B                                                               \
	"current-context: b-ctx\n"                                           \
	"clusters:\n"                                                        \
	"- name: shared\n  cluster: {server: https://b.example, insecure-skip-tls-verify: true}\n" \
	"- name: only-b\n  cluster: {server: https://only-b.example, certificate-authority: b.crt}\n" \
	"users:\n- name: u\n  user: {token: from-b}\n"                       \
	"- name: ub\n  user: {tokenFile: ../secrets/tok, client-certificate: c.crt, client-key: /abs/c.key}\n" \
	"contexts:\n- name: b-ctx\n  context: {cluster: only-b, user: ub}\n"

static void test_merge_first_file_wins(void **state)
{
	char env[1200];
	const char *a = put("m/a.yaml", FILE_A), *b;
	struct err e = { 0 };
	struct kubeconfig *kc;
	const struct kc_cluster *c;

	(void)state;
	b = put("m/sub/b.yaml", FILE_B);
	/* empty entries, a missing file and a duplicate are all fine */
	snprintf(env, sizeof(env), ":%s::%s/m/missing.yaml:%s:%s", a, tmpdir, b, a);
	kc = load_env(env, &e, OD_OK);
	assert_int_equal(kc->nfiles, 2);
	assert_int_equal(kc->nclusters, 3);
	c = kubeconfig_find_cluster(kc, "shared");
	assert_string_equal(c->server, "https://a.example");
	assert_false(c->insecure_skip_tls_verify);   /* whole entry from the first file */
	assert_non_null(kubeconfig_find_cluster(kc, "only-b"));
	assert_string_equal(kubeconfig_find_user(kc, "u")->token, "from-a");
	assert_string_equal(kc->current_context, "a-ctx");
	kubeconfig_free(&kc);
	assert_null(kc);

	/* current-context from the first file that sets it */
	snprintf(env, sizeof(env), "%s:%s", put("m/nocur.yaml", "clusters: []\n"), b);
	kc = load_env(env, &e, OD_OK);
	assert_string_equal(kc->current_context, "b-ctx");
	kubeconfig_free(&kc);
}

static void test_relative_paths(void **state)
{
	char env[1200], want[700];
	const char *a = put("r/a.yaml", FILE_A), *b = put("r/sub/b.yaml", FILE_B);
	struct err e = { 0 };
	struct kubeconfig *kc;
	struct kube_target *t = NULL;

	(void)state;
	snprintf(env, sizeof(env), "%s:%s", a, b);
	kc = load_env(env, &e, OD_OK);
	assert_int_equal(kubeconfig_resolve(kc, "b-ctx", NULL, &t, &e), OD_OK);
	snprintf(want, sizeof(want), "%s/r/sub/b.crt", tmpdir);
	assert_string_equal(t->ca_file, want);
	snprintf(want, sizeof(want), "%s/r/sub/../secrets/tok", tmpdir);
	assert_string_equal(t->token_file, want);
	snprintf(want, sizeof(want), "%s/r/sub/c.crt", tmpdir);
	assert_string_equal(t->client_cert_file, want);
	assert_string_equal(t->client_key_file, "/abs/c.key");
	assert_string_equal(t->namespace_, "default");
	kube_target_free(&t);
	assert_null(t);

	/* the entry from a.yaml resolves against a.yaml's directory */
	assert_int_equal(kubeconfig_resolve(kc, NULL, NULL, &t, &e), OD_OK);
	snprintf(want, sizeof(want), "%s/r/ca/a.crt", tmpdir);
	assert_string_equal(t->ca_file, want);
	assert_string_equal(t->namespace_, "team-a");
	assert_string_equal(t->token, "from-a");
	kube_target_free(&t);

	/* the namespace flag beats the context's */
	assert_int_equal(kubeconfig_resolve(kc, NULL, "flag-ns", &t, &e), OD_OK);
	assert_string_equal(t->namespace_, "flag-ns");
	kube_target_free(&t);
	kubeconfig_free(&kc);
}

static void test_relative_kubeconfig_path(void **state)
{
	char cwd[512], want[700];
	struct kubeconfig_source src = { .explicit_path = "rel/k.yaml" };
	struct kubeconfig *kc = NULL;
	struct kube_target *t = NULL;
	struct err e = { 0 };

	(void)state;
	put("rel/k.yaml", FILE_A);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(kubeconfig_load(&src, &kc, &e), OD_OK);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(kubeconfig_resolve(kc, NULL, NULL, &t, &e), OD_OK);
	snprintf(want, sizeof(want), "%s/rel/ca/a.crt", tmpdir);
	assert_string_equal(t->ca_file, want);
	kube_target_free(&t);
	kubeconfig_free(&kc);
}

static void test_which_files(void **state)
{
	char **paths = NULL, want[600];
	size_t n = 0;
	struct err e = { 0 };
	struct kubeconfig_source only = { .explicit_path = "/x/k", .env = "/a:/b", .home = "/h" };
	struct kubeconfig_source env = { .env = "/a::/b:/a:", .home = "/h" };
	struct kubeconfig_source home = { .home = "/h" };
	struct kubeconfig_source missing = { .explicit_path = NULL };
	struct kubeconfig *kc = NULL;

	(void)state;
	assert_int_equal(kubeconfig_precedence(&only, &paths, &n, &e), OD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(paths[0], "/x/k");
	kubeconfig_free_paths(&paths, n);
	assert_int_equal(kubeconfig_precedence(&env, &paths, &n, &e), OD_OK);
	assert_int_equal(n, 2);
	assert_string_equal(paths[0], "/a");
	assert_string_equal(paths[1], "/b");
	kubeconfig_free_paths(&paths, n);
	assert_int_equal(kubeconfig_precedence(&home, &paths, &n, &e), OD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(paths[0], "/h/.kube/config");
	kubeconfig_free_paths(&paths, n);
	assert_null(paths);

	/* --kubeconfig naming a missing file is an error, except for "config" subcommands */
	snprintf(want, sizeof(want), "%s/none.yaml", tmpdir);
	missing.explicit_path = want;
	assert_int_equal(kubeconfig_load(&missing, &kc, &e), OD_ENOENT);
	assert_non_null(strstr(e.msg, "no such file or directory"));
	assert_null(kc);
	missing.missing_explicit_is_empty = true;
	assert_int_equal(kubeconfig_load(&missing, &kc, &e), OD_OK);
	assert_int_equal(kc->nfiles, 0);
	kubeconfig_free(&kc);
}

static void test_unparsable_file_is_an_error(void **state)
{
	char env[1200];
	struct err e = { 0 };
	struct kubeconfig *kc;
	const char *good = put("u/good.yaml", FILE_A);
	const char *bad = put("u/bad.yaml", "clusters:\n- name: x\n  cluster: [\n");

	(void)state;
	snprintf(env, sizeof(env), "%s:%s", good, bad);
	kc = load_env(env, &e, OD_EPARSE);
	assert_null(kc);
	assert_non_null(strstr(e.msg, "error loading config file \""));
	assert_non_null(strstr(e.msg, "bad.yaml\": yaml: line "));

	kc = load_env(put("u/type.yaml", "apiVersion: v1\nclusters:\n  name: x\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "line 3: clusters: expected a list, got a mapping"));
	kc = load_env(put("u/b64.yaml", "users:\n- name: u\n  user:\n    client-key-data: 'a$c='\n"),
		      &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "line 4: client-key-data: illegal base64 data at input byte 1"));
	kc = load_env(put("u/dup.yaml", "contexts:\n- name: c\n- name: c\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "line 3: duplicate name \"c\" in contexts"));
	kc = load_env(put("u/scalar.yaml", "just a string\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "expected a mapping"));
	kc = load_env(put("u/bool.yaml", "clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: maybe}\n"),
		      &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "line 3: insecure-skip-tls-verify: expected true or false"));
	/* kubectl refuses numbers and booleans where it wants strings */
	kc = load_env(put("u/num.yaml", "users:\n- name: u\n  user: {token: 123}\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "line 3: token: expected a string, got a number \"123\""));
	kc = load_env(put("u/yes.yaml", "clusters:\n- name: c\n  cluster: {server: yes}\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "server: expected a string, got a bool"));
	kc = load_env(put("u/kind.yaml", "kind: Konfig\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "no kind \"Konfig\" is registered for version \"v1\""));
	kc = load_env(put("u/version.yaml", "apiVersion: v2\n"), &e, OD_EPARSE);
	assert_non_null(strstr(e.msg, "no kind \"Config\" is registered for version \"v2\""));
	kc = load_env(put("u/quoted.yaml", "current-context: '123'\nkind: Config\napiVersion: v1\n"), &e, OD_OK);
	assert_string_equal(kc->current_context, "123");
	kubeconfig_free(&kc);
	/* an empty file is an empty config */
	kc = load_env(put("u/empty.yaml", ""), &e, OD_OK);
	assert_int_equal(kc->ncontexts, 0);
	kubeconfig_free(&kc);
}

static void test_data_wins_over_file(void **state)
{
	struct kube_target *t = NULL;
	struct err e = { 0 };
	const char *text =
		"current-context: c\n"
		"clusters:\n- name: k\n  cluster:\n    server: https://k\n"
		"    certificate-authority: ca.crt\n    certificate-authority-data: Q0FEQVRB\n"
		"users:\n- name: u\n  user:\n    client-certificate-data: Q0VSVA==\n    client-key: k.key\n"
		"contexts:\n- name: c\n  context: {cluster: k, user: u}\n";

	(void)state;
	assert_int_equal(resolve_text(text, NULL, NULL, &t, &e), OD_OK);
	assert_null(t->ca_file);
	assert_int_equal(t->ca_data.len, 6);
	assert_memory_equal(t->ca_data.data, "CADATA", 6);
	assert_null(t->client_cert_file);
	assert_memory_equal(t->client_cert_data.data, "CERT", 4);
	assert_non_null(strstr(t->client_key_file, "/t/k.key"));
	kube_target_free(&t);
}

#define CTX(extra_user, extra_cluster, ns)                                     \
	"current-context: c\n"                                                  \
	"clusters:\n- name: k\n  cluster: {" extra_cluster "}\n"                \
	"users:\n- name: u\n  user: {" extra_user "}\n"                          \
	"contexts:\n- name: c\n  context: {cluster: k, user: u" ns "}\n"

static void test_validation_errors(void **state)
{
	(void)state;
	expect_error("current-context: c\ncontexts:\n- name: c\n  context: {cluster: nope, user: u}\n"
		     "users:\n- name: u\n  user: {token: t}\n",
		     "cluster \"nope\" was not found for context \"c\"");
	expect_error("current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: nope}\n"
		     "clusters:\n- name: k\n  cluster: {server: https://k}\n",
		     "user \"nope\" was not found for context \"c\"");
	expect_error("current-context: c\ncontexts:\n- name: c\n  context: {user: u}\n"
		     "users:\n- name: u\n  user: {token: t}\n",
		     "cluster was not specified for context \"c\"");
	expect_error(CTX("token: t", "insecure-skip-tls-verify: true", ""),
		     "no server found for cluster \"k\"");
	expect_error(CTX("token: t", "server: https://k", ", namespace: Bad_NS"),
		     "namespace \"Bad_NS\" for context \"c\" does not conform to the kubernetes DNS_LABEL rules");
	expect_error(CTX("token: t, username: a, password: b", "server: https://k", ""),
		     "more than one authentication method found for u; found [token basicAuth], only one is allowed");
	expect_error(CTX("client-certificate-data: QUJD", "server: https://k", ""),
		     "client-key-data or client-key must be specified for u to use the clientCert authentication method.");
	expect_error(CTX("client-certificate-data: QUJD, client-certificate: c.crt, client-key: k", "server: https://k", ""),
		     "client-cert-data and client-cert are both specified for u. client-cert-data will override.");
	expect_error(CTX("client-certificate: c, client-key-data: QUJD, client-key: k", "server: https://k", ""),
		     "client-key-data and client-key are both specified for u; client-key-data will override");
	expect_error(CTX("exec: {apiVersion: client.authentication.k8s.io/v1beta1}", "server: https://k", ""),
		     "command must be specified for u to use exec authentication plugin");
	expect_error(CTX("exec: {command: x}", "server: https://k", ""),
		     "apiVersion must be specified for u to use exec authentication plugin");
	expect_error(CTX("exec: {command: x, apiVersion: client.authentication.k8s.io/v1}", "server: https://k", ""),
		     "interactiveMode must be specified for u to use exec authentication plugin");
	expect_error(CTX("exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Sometimes}",
			 "server: https://k", ""),
		     "invalid interactiveMode for u: \"Sometimes\"");
	expect_error(CTX("exec: {command: x, apiVersion: v, interactiveMode: Never, env: [{value: v}]}",
			 "server: https://k", ""),
		     "env variable name must be specified for u to use exec authentication plugin");
	expect_error(CTX("exec: {command: x, apiVersion: v, interactiveMode: Never}, auth-provider: {name: oidc}",
			 "server: https://k", ""),
		     "authProvider cannot be provided in combination with an exec plugin for u");
	expect_error(CTX("token: t, as-groups: [ops]", "server: https://k", ""),
		     "requesting uid, groups or user-extra for u without impersonating a user");
	expect_error(CTX("token: t", "server: https://k, proxy-url: 'ftp://p'", ""),
		     "invalid proxy URL \"ftp://p\"");
	/* several problems are listed together, as kubectl lists them */
	expect_error(CTX("exec: {interactiveMode: Never}", "server: https://k", ""),
		     "Error in configuration: \n* command must be specified for u to use exec authentication plugin\n"
		     "* apiVersion must be specified for u to use exec authentication plugin");
}

static void test_validation_passes_and_contexts(void **state)
{
	struct kube_target *t = NULL;
	struct err e = { 0 };
	const char *ok = CTX("exec: {command: plugin, apiVersion: client.authentication.k8s.io/v1beta1, "
			     "args: [a, b], env: [{name: K, value: V}]}",
			     "server: https://k, tls-server-name: internal, proxy-url: 'socks5://p:1080'", "");

	(void)state;
	assert_int_equal(resolve_text(ok, NULL, NULL, &t, &e), OD_OK);
	assert_string_equal(t->server, "https://k");
	assert_string_equal(t->tls_server_name, "internal");
	assert_string_equal(t->proxy_url, "socks5://p:1080");
	assert_string_equal(t->exec->command, "plugin");
	assert_int_equal(t->exec->nargs, 2);
	assert_string_equal(t->exec->env[0].value, "V");
	assert_string_equal(t->exec->interactive_mode, "IfAvailable");   /* v1beta1 default */
	assert_null(t->impersonate);
	assert_int_equal(t->exec->provide_cluster_info, false);
	kube_target_free(&t);

	assert_int_equal(resolve_text(CTX("token: t, as: bob, as-uid: '7', as-groups: [ops, dev]",
					  "server: https://k", ""), NULL, NULL, &t, &e), OD_OK);
	assert_string_equal(t->impersonate, "bob");
	assert_string_equal(t->impersonate_uid, "7");
	assert_int_equal(t->nimpersonate_groups, 2);
	assert_string_equal(t->impersonate_groups[1], "dev");
	kube_target_free(&t);

	assert_int_equal(resolve_text(ok, "other", NULL, &t, &e), OD_ECONFIG);
	assert_string_equal(e.msg, "Error in configuration: context was not found for specified context: other");
	assert_int_equal(resolve_text("clusters: []\n", NULL, NULL, &t, &e), OD_ECONFIG);
	assert_non_null(strstr(e.msg, "no configuration has been provided"));
	assert_int_equal(resolve_text("contexts:\n- name: c\n  context: {}\n", NULL, NULL, &t, &e),
			 OD_ECONFIG);
	assert_string_equal(e.msg, "current-context is not set");
	assert_int_equal(resolve_text(CTX("token: t", "server: https://k", ""), NULL, "Bad_NS", &t, &e),
			 OD_ECONFIG);
	assert_non_null(strstr(e.msg, "namespace \"Bad_NS\" does not conform"));
	assert_true(kubeconfig_is_dns_label("a-1"));
	assert_false(kubeconfig_is_dns_label("-a"));
	assert_false(kubeconfig_is_dns_label("a-"));
	assert_false(kubeconfig_is_dns_label(""));
	assert_false(kubeconfig_is_dns_label("a.b"));
}

static void test_in_cluster(void **state)
{
	char dir[600], want[700];
	struct kube_target *t = NULL;
	struct kubeconfig_source none = { .env = NULL, .home = NULL };
	struct err e = { 0 };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/sa", tmpdir);
	put("sa/token", "tok\n");
	put("sa/ca.crt", "-----BEGIN CERTIFICATE-----\n");
	put("sa/namespace", "payments\n");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	assert_int_equal(kube_target_in_cluster(dir, NULL, &t, &e), OD_ENOENT);

	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	assert_int_equal(kube_target_in_cluster(dir, NULL, &t, &e), OD_OK);
	assert_string_equal(t->server, "https://10.96.0.1:443");
	snprintf(want, sizeof(want), "%s/token", dir);
	assert_string_equal(t->token_file, want);
	snprintf(want, sizeof(want), "%s/ca.crt", dir);
	assert_string_equal(t->ca_file, want);
	assert_string_equal(t->namespace_, "payments");
	assert_true(t->in_cluster);
	kube_target_free(&t);

	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	assert_int_equal(kube_target_in_cluster(dir, "flag-ns", &t, &e), OD_OK);
	assert_string_equal(t->server, "https://[fd00::1]:443");
	assert_string_equal(t->namespace_, "flag-ns");
	kube_target_free(&t);

	/* no kubeconfig anywhere: kube_target_load falls back, via the env override */
	setenv(KUBECONFIG_INCLUSTER_DIR_ENV, dir, 1);
	assert_int_equal(kube_target_load(&none, NULL, NULL, &t, &e), OD_OK);
	assert_true(t->in_cluster);
	kube_target_free(&t);

	/* an empty ~/.kube/config counts as no kubeconfig, as in client-go */
	snprintf(want, sizeof(want), "%s/emptyhome", tmpdir);
	put("emptyhome/.kube/config", "");
	none.home = want;
	assert_int_equal(kube_target_load(&none, NULL, NULL, &t, &e), OD_OK);
	assert_true(t->in_cluster);
	kube_target_free(&t);
	/* but a --context means the user wants a kubeconfig context */
	assert_int_equal(kube_target_load(&none, "prod", NULL, &t, &e), OD_ECONFIG);
	assert_null(t);

	/* a token that is not there is an error, not a silent fallback */
	snprintf(want, sizeof(want), "%s/empty-sa", tmpdir);
	mkdir(want, 0755);
	assert_int_equal(kube_target_in_cluster(want, NULL, &t, &e), OD_ENOENT);
	assert_non_null(strstr(e.msg, "empty-sa/token"));
	unsetenv(KUBECONFIG_INCLUSTER_DIR_ENV);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
}

static void test_hostile_yaml(void **state)
{
	struct kubeconfig *kc = NULL;
	struct err e = { 0 };
	char *big;
	size_t n = KUBECONFIG_MAX_FILE_SIZE + 1;
	/* a billion laughs: each level refers to the previous one ten times */
	const char *bomb =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
		"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
		"users:\n- name: u\n  user:\n    extensions: [{name: x, extension: *g}]\n";
	const char *aliases =
		"clusters:\n- &c\n  name: k\n  cluster: {server: https://k}\n"
		"contexts:\n- name: c\n  context: &ctx {cluster: k, user: u}\n- name: d\n  context: *ctx\n";

	(void)state;
	assert_int_not_equal(kubeconfig_parse("bomb.yaml", bomb, strlen(bomb), &kc, &e), OD_OK);
	assert_null(kc);
	assert_int_equal(kubeconfig_parse("aliases.yaml", aliases, strlen(aliases), &kc, &e), OD_OK);
	assert_string_equal(kubeconfig_find_context(kc, "d")->cluster, "k");
	kubeconfig_free(&kc);

	big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	assert_int_equal(kubeconfig_parse("big.yaml", big, n, &kc, &e), OD_ELIMIT);
	free(big);
	assert_int_equal(kubeconfig_parse("nul.yaml", "a: \0b", 5, &kc, &e), OD_EPARSE);
	assert_int_equal(kubeconfig_parse("tab.yaml", "\t- x: [", 7, &kc, &e), OD_EPARSE);
}

/* kubectl reads duplicate keys last-wins; so does opsdeck, without leaking the first. */
static void test_duplicate_keys_last_wins(void **state)
{
	struct kubeconfig *kc = parse(
		"clusters:\n- name: a\n  name: b\n  cluster: {server: https://x, server: https://y}\n"
		"users:\n- name: u\n  user:\n    exec: {command: first}\n"
		"    exec: {command: second, args: [a], args: [b, c]}\n"
		"    auth-provider: {name: p, config: {k: a, k: b}, config: {j: c}}\n");

	(void)state;
	assert_null(kubeconfig_find_cluster(kc, "a"));
	assert_string_equal(kubeconfig_find_cluster(kc, "b")->server, "https://y");
	assert_string_equal(kubeconfig_find_user(kc, "u")->exec->command, "second");
	assert_int_equal(kubeconfig_find_user(kc, "u")->exec->nargs, 2);
	assert_int_equal(kubeconfig_find_user(kc, "u")->auth_provider->nconfig, 1);
	assert_string_equal(kubeconfig_find_user(kc, "u")->auth_provider->config[0].name, "j");
	kubeconfig_free(&kc);
}

static void test_write_yaml_as_kubectl(void **state)
{
	struct kubeconfig *kc = parse(
		"current-context: c\n"
		"clusters:\n- name: 'true'\n  cluster: {server: '123', certificate-authority-data: QUJD}\n"
		"users:\n- name: u\n  user: {token: secret, password: pw, username: me}\n"
		"contexts:\n- name: c\n  context: {cluster: 'true', user: u, namespace: 'on'}\n");
	struct kubeconfig_write_opts redacted = { .redact = true }, raw = { .redact = false };
	struct buf b;
	struct err e = { 0 };

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(kubeconfig_write_yaml(kc, &redacted, &b, &e), OD_OK);
	assert_string_equal(buf_cstr(&b),
			    "apiVersion: v1\n"
			    "clusters:\n"
			    "- cluster:\n"
			    "    certificate-authority-data: DATA+OMITTED\n"
			    "    server: \"123\"\n"
			    "  name: \"true\"\n"
			    "contexts:\n"
			    "- context:\n"
			    "    cluster: \"true\"\n"
			    "    namespace: \"on\"\n"
			    "    user: u\n"
			    "  name: c\n"
			    "current-context: c\n"
			    "kind: Config\n"
			    "preferences: {}\n"
			    "users:\n"
			    "- name: u\n"
			    "  user:\n"
			    "    password: REDACTED\n"
			    "    token: REDACTED\n"
			    "    username: me\n");
	buf_reset(&b);
	assert_int_equal(kubeconfig_write_yaml(kc, &raw, &b, &e), OD_OK);
	assert_non_null(strstr(buf_cstr(&b), "certificate-authority-data: QUJD\n"));
	assert_non_null(strstr(buf_cstr(&b), "token: secret\n"));
	buf_free(&b);
	kubeconfig_free(&kc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_first_file_wins),
		cmocka_unit_test(test_relative_paths),
		cmocka_unit_test(test_relative_kubeconfig_path),
		cmocka_unit_test(test_which_files),
		cmocka_unit_test(test_unparsable_file_is_an_error),
		cmocka_unit_test(test_data_wins_over_file),
		cmocka_unit_test(test_validation_errors),
		cmocka_unit_test(test_validation_passes_and_contexts),
		cmocka_unit_test(test_in_cluster),
		cmocka_unit_test(test_hostile_yaml),
		cmocka_unit_test(test_duplicate_keys_last_wins),
		cmocka_unit_test(test_write_yaml_as_kubectl),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
