/*
 * kubeconfig_out.c: the kubeconfig the sim hands to kubectl and opsdeck.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "opsdeck/sim_kubeconfig_out.h"

static char *b64(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(4 * ((n + 2) / 3) + 1);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

static void write_user(FILE *f, const char *name, const char *token, const char *cert,
		       const char *key)
{
	fprintf(f, "- name: %s\n  user:\n", name);
	if (cert && key) {
		char *c = b64(cert), *k = b64(key);
		fprintf(f, "    client-certificate-data: %s\n    client-key-data: %s\n", c ? c : "",
			k ? k : "");
		free(c);
		free(k);
	} else {
		fprintf(f, "    token: %s\n", token);
	}
}

enum od_status sim_kubeconfig_write(const char *path, const struct sim_kubeconfig *k,
				    struct err *e)
{
	char tmp[4096];
	int fd;
	FILE *f;
	static const char *const ctx[3][2] = { { "sim", "sim-admin" }, { "sim-edit", "sim-edit" },
					       { "sim-view", "sim-view" } };

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return err_set(e, OD_ELIMIT, "kubeconfig path too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, OD_EIO, "%s: %s", tmp, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return err_set(e, OD_EIO, "%s: %s", tmp, strerror(errno));
	}
	fprintf(f, "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n");
	fprintf(f, "    server: %s\n", k->server);
	if (k->ca_pem) {
		char *ca = b64(k->ca_pem);
		fprintf(f, "    certificate-authority-data: %s\n", ca ? ca : "");
		free(ca);
	}
	fprintf(f, "contexts:\n");
	for (int i = 0; i < 3; i++)
		fprintf(f, "- name: %s\n  context:\n    cluster: sim\n    user: %s\n    namespace: %s\n",
			ctx[i][0], ctx[i][1], k->namespace_);
	fprintf(f, "current-context: sim\npreferences: {}\nusers:\n");
	write_user(f, "sim-admin", sim_auth_token(k->auth, SIM_ROLE_ADMIN), k->admin_cert_pem,
		   k->admin_key_pem);
	write_user(f, "sim-edit", sim_auth_token(k->auth, SIM_ROLE_EDIT), NULL, NULL);
	write_user(f, "sim-view", sim_auth_token(k->auth, SIM_ROLE_VIEW), NULL, NULL);
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		return err_set(e, OD_EIO, "%s: write failed", tmp);
	}
	fclose(f);
	if (rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return err_set(e, OD_EIO, "%s: %s", path, strerror(err));
	}
	return OD_OK;
}
