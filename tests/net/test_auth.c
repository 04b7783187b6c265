/*
 * test_auth.c: KUBERNETES_EXEC_INFO, ExecCredential parsing, and the exec
 * plugin lifecycle with a real plugin (tests/net/exec-plugin.sh): caching
 * until expiry or a 401, re-runs, environment, timeouts and failures; token
 * files and basic auth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/auth.h"
#include "opsdeck/timeutil.h"

static char tmpdir[64];
static char plugin[512];

static int setup(void **state)
{
	const char *src = getenv("OPSDECK_SRCDIR");

	(void)state;
	snprintf(plugin, sizeof(plugin), "%s/tests/net/exec-plugin.sh", src ? src : OPSDECK_SRCDIR);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/opsdeck-test-auth.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_in_tmp(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static int count_runs(const char *file)
{
	FILE *f = fopen(file, "r");
	int n = 0, c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void read_file(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	size_t got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_exec_info(void **state)
{
	struct exec_plugin_config x = { .command = "p", .api_version = EXEC_API_V1,
					.interactive_mode = "Never" };
	char *json = NULL;
	bool inter = true;
	struct err e;

	(void)state;
	assert_int_equal(exec_info_build(&x, true, &json, &inter, &e), OD_OK);
	assert_string_equal(json,
			    "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":false}}");
	assert_false(inter);
	free(json);

	x.interactive_mode = "IfAvailable";
	assert_int_equal(exec_info_build(&x, true, &json, &inter, &e), OD_OK);
	assert_non_null(strstr(json, "\"interactive\":true"));
	assert_true(inter);
	free(json);
	assert_int_equal(exec_info_build(&x, false, &json, &inter, &e), OD_OK);
	assert_non_null(strstr(json, "\"interactive\":false"));
	free(json);

	x.interactive_mode = "Always";
	assert_int_equal(exec_info_build(&x, false, &json, &inter, &e), OD_ECONFIG);
	assert_non_null(strstr(e.msg, "standard input is not a terminal"));
	assert_null(json);
	assert_int_equal(exec_info_build(&x, true, &json, &inter, &e), OD_OK);
	free(json);

	/* v1beta1 without a mode: IfAvailable */
	struct exec_plugin_config b = { .command = "p", .api_version = EXEC_API_V1BETA1 };
	assert_int_equal(exec_info_build(&b, false, &json, &inter, &e), OD_OK);
	assert_string_equal(json,
			    "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"spec\":{\"interactive\":false}}");
	free(json);

	/* the cluster only with provideClusterInfo; Go's omitempty rules */
	static const unsigned char ca[] = "CA!";
	b.cluster_server = "https://10.0.0.1:6443";
	b.cluster_ca_data = ca;
	b.cluster_ca_len = 3;
	b.cluster_tls_server_name = "api.example";
	assert_int_equal(exec_info_build(&b, false, &json, &inter, &e), OD_OK);
	assert_null(strstr(json, "cluster"));
	free(json);
	b.provide_cluster_info = true;
	assert_int_equal(exec_info_build(&b, false, &json, &inter, &e), OD_OK);
	assert_string_equal(json,
			    "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
			    "\"spec\":{\"cluster\":{\"server\":\"https://10.0.0.1:6443\",\"tls-server-name\":\"api.example\","
			    "\"certificate-authority-data\":\"Q0Eh\"},\"interactive\":false}}");
	free(json);
	b.cluster_insecure = true;
	b.cluster_proxy_url = "socks5://127.0.0.1:1080";
	b.cluster_ca_data = NULL;
	assert_int_equal(exec_info_build(&b, false, &json, &inter, &e), OD_OK);
	assert_non_null(strstr(json, "\"insecure-skip-tls-verify\":true,\"proxy-url\":\"socks5://127.0.0.1:1080\""));
	assert_null(strstr(json, "certificate-authority-data"));
	free(json);
}

static void test_cred_parse(void **state)
{
	struct exec_cred c;
	struct err e;
	const char *v1 = EXEC_API_V1;

	(void)state;
	const char *tok = "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
			  "\"status\":{\"token\":\"abc\",\"expirationTimestamp\":\"2030-01-02T03:04:05Z\"}}";
	assert_int_equal(exec_cred_parse(v1, tok, strlen(tok), &c, &e), OD_OK);
	assert_string_equal(c.token, "abc");
	assert_true(c.has_expiry);
	struct od_time want;
	assert_int_equal(time_parse_rfc3339("2030-01-02T03:04:05Z", &want, NULL), OD_OK);
	assert_int_equal(c.expiry.sec, want.sec);
	exec_cred_clear(&c);
	assert_null(c.token);

	const char *cert = "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
			   "\"status\":{\"clientCertificateData\":\"CERT\",\"clientKeyData\":\"KEY\"}}";
	assert_int_equal(exec_cred_parse(v1, cert, strlen(cert), &c, &e), OD_OK);
	assert_string_equal(c.cert_pem, "CERT");
	assert_string_equal(c.key_pem, "KEY");
	assert_null(c.token);
	assert_false(c.has_expiry);
	exec_cred_clear(&c);

	struct {
		const char *out;
		const char *msg;
	} bad[] = {
		{ "nope", "decoding stdout" },
		{ "{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"x\"}}",
		  "exec plugin is configured to use API version client.authentication.k8s.io/v1, plugin returned version client.authentication.k8s.io/v1beta1" },
		{ "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\"}",
		  "exec plugin didn't return a status field" },
		{ "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{}}",
		  "exec plugin didn't return a token or cert/key pair" },
		{ "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"clientCertificateData\":\"C\"}}",
		  "exec plugin returned only certificate or key, not both" },
		{ "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"soon\"}}",
		  "bad expirationTimestamp" },
		{ "{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"Pod\",\"status\":{\"token\":\"t\"}}",
		  "did not print an ExecCredential" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(exec_cred_parse(v1, bad[i].out, strlen(bad[i].out), &c, &e), OD_EPARSE);
		assert_non_null(strstr(e.msg, bad[i].msg));
		assert_true(strncmp(e.msg, "getting credentials: ", 21) == 0);
		assert_null(c.token);
	}
}

static const char *const env_names[] = { "PLUGIN_COUNT_FILE", "PLUGIN_MODE", "PLUGIN_EXTRA",
					 "PLUGIN_INFO_FILE", "PLUGIN_ENV_FILE" };

/* A plugin config whose runs are counted in <tmp>/<name>.count. */
struct plugin_setup {
	char count[300], info[300], envf[300];
	const char *values[5];
	const char *args[2];
	struct exec_plugin_config x;
};

static void plugin_init(struct plugin_setup *p, const char *name, const char *mode)
{
	char f[64];

	memset(p, 0, sizeof(*p));
	snprintf(f, sizeof(f), "%s.count", name);
	path_in_tmp(p->count, sizeof(p->count), f);
	snprintf(f, sizeof(f), "%s.info", name);
	path_in_tmp(p->info, sizeof(p->info), f);
	snprintf(f, sizeof(f), "%s.env", name);
	path_in_tmp(p->envf, sizeof(p->envf), f);
	p->values[0] = p->count;
	p->values[1] = mode;
	p->values[2] = "from-plugin-env";
	p->values[3] = p->info;
	p->values[4] = p->envf;
	p->args[0] = "secret-arg";
	p->args[1] = "second";
	p->x = (struct exec_plugin_config){
		.command = plugin, .args = p->args, .nargs = 2, .env_names = env_names,
		.env_values = p->values, .nenv = 5, .api_version = EXEC_API_V1,
		.interactive_mode = "Never", .timeout_ms = 5000,
	};
}

static void test_plugin_cached_until_401(void **state)
{
	struct plugin_setup p;
	struct auth *a = NULL;
	struct auth_cred cred;
	struct err e;
	char buf[512];

	(void)state;
	plugin_init(&p, "cache", "token");
	setenv("PARENT_VAR", "from-parent", 1);
	setenv("PLUGIN_EXTRA", "parent-loses", 1);
	struct auth_config cfg = { .exec = &p.x };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_true(auth_has_exec(a));

	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_string_equal(cred.token, "secret-arg-1");
	uint64_t gen1 = cred.generation;
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_string_equal(cred.token, "secret-arg-1");
	assert_int_equal(count_runs(p.count), 1);
	assert_int_equal(auth_exec_runs(a), 1);

	/* parent env, plugin env over it, the args; the info */
	read_file(p.envf, buf, sizeof(buf));
	assert_string_equal(buf, "from-parent:from-plugin-env:2");
	read_file(p.info, buf, sizeof(buf));
	/* with client-go's trailing newline (json.Encoder) */
	assert_string_equal(buf,
			    "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":false}}\n");

	/* a 401: the plugin runs again on the next request */
	assert_true(auth_unauthorized(a, gen1));
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_string_equal(cred.token, "secret-arg-2");
	assert_true(cred.generation != gen1);
	assert_int_equal(count_runs(p.count), 2);
	/* a late 401 for the old credentials does not throw away the new ones */
	auth_unauthorized(a, gen1);
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_int_equal(count_runs(p.count), 2);
	auth_free(&a);
	assert_null(a);
	unsetenv("PARENT_VAR");
	unsetenv("PLUGIN_EXTRA");
}

static void test_plugin_expiry(void **state)
{
	struct plugin_setup p;
	struct auth *a = NULL;
	struct auth_cred cred;
	struct err e;

	(void)state;
	plugin_init(&p, "expired", "expired");
	struct auth_config cfg = { .exec = &p.x };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(auth_get(a, &cred, &e), OD_OK);
		assert_int_equal(count_runs(p.count), i);
	}
	auth_free(&a);

	plugin_init(&p, "future", "future");
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_int_equal(count_runs(p.count), 1);
	auth_free(&a);
}

static void test_plugin_failures(void **state)
{
	struct plugin_setup p;
	struct exec_cred c;
	struct err e;

	(void)state;
	plugin_init(&p, "hang", "hang");
	p.x.timeout_ms = 300;
	uint64_t t0 = time_mono_ms();
	assert_int_equal(exec_plugin_run(&p.x, false, &c, &e), OD_ETIMEDOUT);
	assert_true(time_mono_ms() - t0 < 5000);
	assert_non_null(strstr(e.msg, "timed out"));
	assert_null(strstr(e.msg, "secret-arg"));

	plugin_init(&p, "fail", "fail");
	assert_int_equal(exec_plugin_run(&p.x, false, &c, &e), OD_EIO);
	assert_non_null(strstr(e.msg, "getting credentials: exec: executable "));
	assert_non_null(strstr(e.msg, "failed with exit code 3"));
	assert_null(strstr(e.msg, "secret-arg"));

	plugin_init(&p, "garbage", "garbage");
	assert_int_equal(exec_plugin_run(&p.x, false, &c, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "decoding stdout"));
	assert_null(strstr(e.msg, "this is not json"));

	plugin_init(&p, "wrongversion", "wrongversion");
	assert_int_equal(exec_plugin_run(&p.x, false, &c, &e), OD_EPARSE);
	assert_non_null(strstr(e.msg, "plugin returned version client.authentication.k8s.io/v1alpha1"));

	plugin_init(&p, "missing", "token");
	p.x.command = "/nonexistent/kubelogin";
	p.x.install_hint = "install kubelogin from your package manager";
	assert_int_equal(exec_plugin_run(&p.x, false, &c, &e), OD_ECONFIG);
	assert_string_equal(e.msg,
			    "getting credentials: exec: executable /nonexistent/kubelogin not found\n\ninstall kubelogin from your package manager");

	/* failures are not cached: the next request runs the plugin again */
	struct auth *a = NULL;
	struct auth_cred cred;
	plugin_init(&p, "failtwice", "fail");
	struct auth_config cfg = { .exec = &p.x };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_int_equal(auth_get(a, &cred, &e), OD_EIO);
	assert_int_equal(auth_get(a, &cred, &e), OD_EIO);
	assert_int_equal(count_runs(p.count), 2);
	auth_free(&a);
}

static void test_token_file_and_basic(void **state)
{
	char path[300];
	struct auth *a = NULL;
	struct auth_cred cred;
	struct err e;

	(void)state;
	path_in_tmp(path, sizeof(path), "token");
	write_file(path, "  first-token\n");
	struct auth_config cfg = { .token_file = path };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_false(auth_has_exec(a));
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_string_equal(cred.token, "first-token");
	uint64_t gen = cred.generation;
	/* the file rotates; a 401 makes us read it again at once */
	write_file(path, "second-token\n");
	assert_true(auth_unauthorized(a, gen));
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_string_equal(cred.token, "second-token");
	/* an unchanged file after a 401: retrying would not help */
	assert_false(auth_unauthorized(a, cred.generation));
	auth_free(&a);

	write_file(path, " \n");
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_int_equal(auth_get(a, &cred, &e), OD_ECONFIG);
	assert_non_null(strstr(e.msg, "read empty token from file"));
	auth_free(&a);

	cfg = (struct auth_config){ .token_file = "/nonexistent/token" };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_int_equal(auth_get(a, &cred, &e), OD_EIO);
	auth_free(&a);

	cfg = (struct auth_config){ .username = "admin", .password = "pw" };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_null(cred.token);
	assert_string_equal(cred.username, "admin");
	assert_string_equal(cred.password, "pw");
	assert_false(auth_unauthorized(a, cred.generation));
	auth_free(&a);

	cfg = (struct auth_config){ .token = "static" };
	assert_int_equal(auth_new(&cfg, &a, &e), OD_OK);
	assert_int_equal(auth_get(a, &cred, &e), OD_OK);
	assert_string_equal(cred.token, "static");
	assert_false(auth_unauthorized(a, cred.generation));
	auth_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_info),
		cmocka_unit_test(test_cred_parse),
		cmocka_unit_test(test_plugin_cached_until_401),
		cmocka_unit_test(test_plugin_expiry),
		cmocka_unit_test(test_plugin_failures),
		cmocka_unit_test(test_token_file_and_basic),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
