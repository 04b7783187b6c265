/*
 * clistore.c: the store, settings and context shared by collect, history
 * and events (clistore.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "opsdeck/clistore.h"
#include "opsdeck/kubeconfig.h"

FILE *cli_fopen_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

void clistore_store_settings(const struct context_settings *cs, struct store_settings *out)
{
	store_settings_default(out);
	if (cs->retain_raw_ns > 0)
		out->raw_keep = cs->retain_raw_ns / 1000000000;
	if (cs->retain_5m_ns > 0)
		out->tier1_keep = cs->retain_5m_ns / 1000000000;
	if (cs->retain_1h_ns > 0)
		out->tier2_keep = cs->retain_1h_ns / 1000000000;
}

int clistore_open(struct clistore *cs, const struct global_opts *g)
{
	struct kubeconfig_source src;
	struct kube_target *t = NULL;
	struct store_settings ss;
	struct err e = { 0 };

	memset(cs, 0, sizeof(*cs));
	if (settings_load(NULL, &cs->settings, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 2;
	}
	kubeconfig_source_from_env(&src, g->kubeconfig);
	if (kube_target_load(&src, g->context, g->namespace_, &t, &e) == OD_OK) {
		snprintf(cs->context, sizeof(cs->context), "%s", t->context ? t->context : "in-cluster");
		snprintf(cs->namespace_, sizeof(cs->namespace_), "%s", t->namespace_);
		kube_target_free(&t);
	} else {
		if (g->context)
			snprintf(cs->context, sizeof(cs->context), "%s", g->context);
		if (g->namespace_)
			snprintf(cs->namespace_, sizeof(cs->namespace_), "%s", g->namespace_);
	}
	settings_for_context(cs->settings, cs->context[0] ? cs->context : NULL, &cs->cs);
	clistore_store_settings(&cs->cs, &ss);
	if (store_open(g->db_path && *g->db_path ? g->db_path : NULL, &ss, &cs->st, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		clistore_close(cs);
		return 1;
	}
	if (*store_notice(cs->st))
		fprintf(stderr, "%s\n", store_notice(cs->st));
	return 0;
}

void clistore_close(struct clistore *cs)
{
	store_close(&cs->st);
	settings_free(&cs->settings);
}
