/*
 * cmd_config.c: `opsdeck config view | get-contexts | current-context |
 * use-context NAME`, printing what `kubectl config ...` prints for the same
 * files. These subcommands never read the files a kubeconfig references,
 * never run exec plugins and never warn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/buf.h"
#include "opsdeck/commands.h"
#include "opsdeck/kubeconfig.h"
#include "opsdeck/tabwriter.h"

enum { CONFIG_OK = 0, CONFIG_FAILED = 1, CONFIG_USAGE = 2 };

#define CONFIG_OUT_MAX (64u * 1024u * 1024u)

struct config_sub {
	const char *name;
	const char *alias;
	int (*run)(const struct global_opts *g, int argc, char **argv);
	const char *usage;
};

/* Loads the kubeconfig kubectl's config subcommands would see. */
static int config_load(const struct global_opts *g, struct kubeconfig **kc)
{
	struct kubeconfig_source src;
	struct err e = { 0 };

	kubeconfig_source_from_env(&src, g->kubeconfig);
	src.missing_explicit_is_empty = true;
	if (kubeconfig_load(&src, kc, &e) != OD_OK) {
		fprintf(stderr, "error: %s\n", e.msg);
		return CONFIG_USAGE;
	}
	return CONFIG_OK;
}

static int print_buf(struct buf *b)
{
	int rc = fwrite(b->data ? b->data : "", 1, b->len, stdout) == b->len ? CONFIG_OK
									     : CONFIG_FAILED;

	buf_free(b);
	return rc;
}

/* "-o json", "-ojson", "--output json", "--output=json". Returns 1 when argv[*i] was it. */
static int take_output(int argc, char **argv, int *i, const char **out, int *bad)
{
	const char *a = argv[*i];

	if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "error: flag needs an argument: %s\n", a);
			*bad = 1;
			return 1;
		}
		*out = argv[++*i];
		return 1;
	}
	if (strncmp(a, "--output=", 9) == 0) {
		*out = a + 9;
		return 1;
	}
	if (strncmp(a, "-o", 2) == 0 && a[2]) {
		*out = a[2] == '=' ? a + 3 : a + 2;
		return 1;
	}
	return 0;
}

/* Boolean flags as pflag takes them: --flag, --flag=true, --flag=false. */
static int take_bool(const char *a, const char *flag, bool *out)
{
	size_t n = strlen(flag);

	if (strncmp(a, flag, n) != 0)
		return 0;
	if (a[n] == '\0' || strcmp(a + n, "=true") == 0)
		return (*out = true), 1;
	if (strcmp(a + n, "=false") == 0)
		return (*out = false), 1;
	return 0;
}

static int unknown_flag(const char *sub, const char *a)
{
	fprintf(stderr, "error: unknown flag: %s\nSee 'opsdeck config %s --help' for usage.\n", a,
		sub);
	return CONFIG_USAGE;
}

struct view_flags {
	const char *output;      /* "yaml" or "json" */
	bool minify, raw, flatten, merge;
};

/* Parses view's flags; returns CONFIG_OK or the exit code of a usage error. */
static int view_parse(int argc, char **argv, struct view_flags *f)
{
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		if (take_output(argc, argv, &i, &f->output, &bad)) {
			if (bad)
				return CONFIG_USAGE;
			continue;
		}
		if (take_bool(argv[i], "--minify", &f->minify) || take_bool(argv[i], "--raw", &f->raw) ||
		    take_bool(argv[i], "--flatten", &f->flatten) ||
		    take_bool(argv[i], "--merge", &f->merge))
			continue;
		if (argv[i][0] == '-')
			return unknown_flag("view", argv[i]);
		fprintf(stderr, "error: unexpected arguments: [%s]\n"
				"See 'opsdeck config view -h' for help and examples\n", argv[i]);
		return CONFIG_USAGE;
	}
	if (strcmp(f->output, "yaml") != 0 && strcmp(f->output, "json") != 0) {
		fprintf(stderr, "error: unable to match a printer suitable for the output format \"%s\", allowed formats are: json,yaml\n",
			f->output);
		return CONFIG_USAGE;
	}
	if (f->flatten || !f->merge) {
		/* --flatten inlines referenced files; these commands never read them. */
		fprintf(stderr, "error: %s is not supported by opsdeck; use kubectl config view\n",
			f->flatten ? "--flatten" : "--merge=false");
		return CONFIG_USAGE;
	}
	return CONFIG_OK;
}

static int config_view(const struct global_opts *g, int argc, char **argv)
{
	struct view_flags f = { .output = "yaml", .merge = true };
	struct kubeconfig *kc = NULL;
	struct kubeconfig_write_opts o = { .redact = true, .minify = NULL };
	struct buf b;
	struct err e = { 0 };
	enum od_status st;
	int rc = view_parse(argc, argv, &f);

	if (rc == CONFIG_OK)
		rc = config_load(g, &kc);
	if (rc != CONFIG_OK)
		return rc;
	o.redact = !f.raw;
	/* kubectl minifies to --context if given, else to current-context ("" fails) */
	if (f.minify)
		o.minify = g->context && *g->context ? g->context
			   : kc->current_context ? kc->current_context : "";
	buf_init(&b, CONFIG_OUT_MAX);
	st = strcmp(f.output, "json") == 0 ? kubeconfig_write_json(kc, &o, &b, &e)
					   : kubeconfig_write_yaml(kc, &o, &b, &e);
	kubeconfig_free(&kc);
	if (st != OD_OK) {
		buf_free(&b);
		fprintf(stderr, "error: %s\n", e.msg);
		return CONFIG_FAILED;   /* --minify naming what is not there, as kubectl: 1 */
	}
	return print_buf(&b);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void context_row(const struct kubeconfig *kc, const char *name, const char **row)
{
	static const char *const header[5] = { "CURRENT", "NAME", "CLUSTER", "AUTHINFO",
					       "NAMESPACE" };
	const struct kc_context *c = name ? kubeconfig_find_context(kc, name) : NULL;

	if (!c) {
		memcpy(row, header, sizeof(header));
		return;
	}
	/* an unset current-context equals "": kubectl stars a context with no name */
	row[0] = strcmp(kc->current_context ? kc->current_context : "", c->name) == 0 ? "*" : "";
	row[1] = c->name;
	row[2] = c->cluster ? c->cluster : "";
	row[3] = c->user ? c->user : "";
	row[4] = c->namespace_ ? c->namespace_ : "";
}

/* kubectl's get-contexts: tab-separated rows through kubectl's tabwriter. */
static int contexts_print(const struct kubeconfig *kc, const char **names, size_t n,
			  bool headers, bool name_only)
{
	struct buf text, out;
	struct err e = { 0 };
	const char *row[5];
	enum od_status rc = OD_OK;

	buf_init(&text, CONFIG_OUT_MAX);
	buf_init(&out, CONFIG_OUT_MAX);
	for (size_t i = headers ? 0 : 1; rc == OD_OK && i <= n; i++) {
		if (name_only) {
			rc = buf_printf(&text, &e, "%s\n", names[i - 1]);
			continue;
		}
		context_row(kc, i ? names[i - 1] : NULL, row);
		rc = buf_printf(&text, &e, "%s\t%s\t%s\t%s\t%s\n", row[0], row[1], row[2], row[3],
				row[4]);
	}
	/* names too: a tab in a name is laid out by the tabwriter, as in kubectl */
	if (rc == OD_OK)
		rc = tabwriter_format(buf_cstr(&text), text.len, &TABWRITER_KUBECTL, &out, &e);
	buf_free(&text);
	if (rc != OD_OK) {
		buf_free(&out);
		fprintf(stderr, "error: %s\n", e.msg);
		return CONFIG_FAILED;
	}
	return print_buf(&out);
}

static int config_get_contexts(const struct global_opts *g, int argc, char **argv)
{
	struct kubeconfig *kc = NULL;
	const char *output = "";
	bool no_headers = false;
	const char **names = NULL;
	char **wanted = calloc((size_t)argc + 1, sizeof(char *));
	size_t n = 0, nwanted = 0, nmissing = 0;
	int bad = 0, rc;

	if (!wanted)
		return CONFIG_FAILED;
	for (int i = 1; i < argc; i++) {
		if (take_output(argc, argv, &i, &output, &bad)) {
			if (bad)
				goto usage;
			continue;
		}
		if (take_bool(argv[i], "--no-headers", &no_headers))
			continue;
		if (argv[i][0] == '-' && argv[i][1]) {
			free(wanted);
			return unknown_flag("get-contexts", argv[i]);
		}
		wanted[nwanted++] = argv[i];
	}
	if (*output && strcmp(output, "name") != 0) {
		fprintf(stderr, "error: --output %s is not available in opsdeck config get-contexts\n",
			output);
		goto usage;
	}
	rc = config_load(g, &kc);
	if (rc != CONFIG_OK) {
		free(wanted);
		return rc;
	}
	names = calloc(kc->ncontexts + nwanted + 1, sizeof(*names));
	if (!names) {
		rc = CONFIG_FAILED;
		goto out;
	}
	for (size_t i = 0; nwanted == 0 && i < kc->ncontexts; i++)
		names[n++] = kc->contexts[i].name;
	for (size_t i = 0; i < nwanted; i++) {
		if (kubeconfig_find_context(kc, wanted[i]))
			names[n++] = wanted[i];
		else
			wanted[nmissing++] = wanted[i];
	}
	qsort(names, n, sizeof(*names), name_cmp);
	rc = contexts_print(kc, names, n, !no_headers && strcmp(output, "name") != 0,
			    strcmp(output, "name") == 0);
	fflush(stdout);
	/* kubectl prints one missing name as "error: ...", several one per line. */
	for (size_t i = 0; i < nmissing; i++)
		fprintf(stderr, "%scontext %s not found\n", nmissing == 1 ? "error: " : "", wanted[i]);
	if (nmissing)
		rc = CONFIG_FAILED;
out:
	free(names);
	free(wanted);
	kubeconfig_free(&kc);
	return rc;
usage:
	free(wanted);
	return CONFIG_USAGE;
}

static int config_current_context(const struct global_opts *g, int argc, char **argv)
{
	struct kubeconfig *kc = NULL;
	int rc;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return unknown_flag("current-context", argv[i]);
	rc = config_load(g, &kc);
	if (rc != CONFIG_OK)
		return rc;
	if (!kc->current_context || !*kc->current_context) {
		fprintf(stderr, "error: current-context is not set\n");
		rc = CONFIG_FAILED;
	} else {
		printf("%s\n", kc->current_context);
	}
	kubeconfig_free(&kc);
	return rc;
}

/*
 * kubectl writes a new current-context to the --kubeconfig file, else to the
 * first file of the precedence list that exists, else to the first one.
 */
static enum od_status use_context_target(const struct global_opts *g, char *out, size_t n,
					 struct err *e)
{
	struct kubeconfig_source src;
	char **paths = NULL;
	size_t count = 0;
	enum od_status rc;
	FILE *f;

	kubeconfig_source_from_env(&src, g->kubeconfig);
	rc = kubeconfig_precedence(&src, &paths, &count, e);
	if (rc != OD_OK)
		return rc;
	if (count == 0) {
		kubeconfig_free_paths(&paths, count);
		return err_set(e, OD_ECONFIG, "no kubeconfig file to write: set HOME or KUBECONFIG");
	}
	snprintf(out, n, "%s", paths[0]);
	for (size_t i = 0; i < count; i++)
		if ((f = fopen(paths[i], "r")) != NULL) {
			fclose(f);
			snprintf(out, n, "%s", paths[i]);
			break;
		}
	kubeconfig_free_paths(&paths, count);
	return OD_OK;
}

static int config_use_context(const struct global_opts *g, int argc, char **argv)
{
	struct kubeconfig *kc = NULL;
	const char *name = NULL;
	char path[4096];
	struct err e = { 0 };
	int rc;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return unknown_flag("use-context", argv[i]);
		if (name) {
			fprintf(stderr, "error: Unexpected args: [%s]\n", argv[i]);
			return CONFIG_USAGE;
		}
		name = argv[i];
	}
	if (!name) {
		fprintf(stderr, "error: Unexpected args: []\nUsage: opsdeck config use-context CONTEXT_NAME\n");
		return CONFIG_USAGE;
	}
	if (!*name) {
		fprintf(stderr, "error: empty context names are not allowed\n");
		return CONFIG_USAGE;
	}
	rc = config_load(g, &kc);
	if (rc != CONFIG_OK)
		return rc;
	if (!kubeconfig_find_context(kc, name)) {
		fprintf(stderr, "error: no context exists with the name: \"%s\"\n", name);
		kubeconfig_free(&kc);
		return CONFIG_FAILED;
	}
	/* Like kubectl, nothing is written when the context is already current. */
	if (!kc->current_context || strcmp(kc->current_context, name) != 0) {
		if (use_context_target(g, path, sizeof(path), &e) != OD_OK ||
		    kubeconfig_file_set_current_context(path, name, &e) != OD_OK) {
			fprintf(stderr, "error: %s\n", e.msg);
			kubeconfig_free(&kc);
			return CONFIG_FAILED;
		}
	}
	kubeconfig_free(&kc);
	printf("Switched to context \"%s\".\n", name);
	return CONFIG_OK;
}

static const struct config_sub config_subs[] = {
	{ .name = "view", .run = config_view,
	  .usage = "view [--minify] [--raw] [-o yaml|json]" },
	{ .name = "get-contexts", .run = config_get_contexts,
	  .usage = "get-contexts [NAME...] [--no-headers] [-o name]" },
	{ .name = "current-context", .run = config_current_context, .usage = "current-context" },
	{ .name = "use-context", .alias = "use", .run = config_use_context,
	  .usage = "use-context CONTEXT_NAME" },
	{ .name = NULL },
};

static void config_usage(FILE *f)
{
	fprintf(f, "Show or switch kubeconfig contexts, as kubectl config does.\n\n"
		   "Usage:\n");
	for (const struct config_sub *s = config_subs; s->name; s++)
		fprintf(f, "  opsdeck config %s\n", s->usage);
	fprintf(f, "\nSee docs/kubeconfig.md for how the kubeconfig files are found and merged.\n");
}

int cmd_config(const struct global_opts *g, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		config_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CONFIG_USAGE : CONFIG_OK;
	}
	for (const struct config_sub *s = config_subs; s->name; s++) {
		if (strcmp(argv[1], s->name) != 0 && !(s->alias && strcmp(argv[1], s->alias) == 0))
			continue;
		for (int i = 2; i < argc; i++)
			if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
				printf("Usage: opsdeck config %s\n", s->usage);
				return CONFIG_OK;
			}
		return s->run(g, argc - 1, argv + 1);
	}
	fprintf(stderr, "error: unknown command \"%s\"\nSee 'opsdeck config --help' for help.\n",
		argv[1]);
	return CONFIG_USAGE;
}
