/*
 * import.c: reading a history file line by line (each line capped), mapping
 * its samples to series, and writing them as ticks in batches. Samples are
 * buffered, sorted by time, and written one tick per timestamp, so a file
 * laid out series by series still appends in time order.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opsdeck/store_history_csv.h"
#include "opsdeck/store_import.h"
#include "opsdeck/store_prom_text.h"
#include "opsdeck/store_samples.h"
#include "opsdeck/store_series.h"
#include "internal.h"

#define LINE_BUF (PROM_LINE_MAX + 2)

struct pending {
	int64_t ts;
	int64_t series;
	int64_t value;
};

/* Last counter value per series id, for rates. */
struct counter {
	int64_t ts_ms;
	double value;
	bool seen;
};

struct importer {
	struct store *st;
	const struct store_import_opts *opts;
	struct store_import_stats *stats;
	struct pending *buf;        /* owned, batch entries */
	size_t n, batch;            /* a series-ordered export merges into each tick row once per batch */
	struct counter *ctr;        /* owned, indexed by series id */
	int64_t nctr;
	struct store_sample *tick;  /* owned scratch */
	struct prom_sample *ps;     /* owned */
	struct history_csv_state csv;
};

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->ts != y->ts)
		return (x->ts > y->ts) - (x->ts < y->ts);
	return (x->series > y->series) - (x->series < y->series);
}

static enum od_status flush(struct importer *im, struct err *e)
{
	if (im->n == 0)
		return OD_OK;
	qsort(im->buf, im->n, sizeof(*im->buf), cmp_pending);
	enum od_status ret = store_begin(im->st, e);
	for (size_t i = 0; ret == OD_OK && i < im->n;) {
		size_t j = i, k = 0;
		while (j < im->n && im->buf[j].ts == im->buf[i].ts) {
			im->tick[k].series = im->buf[j].series;
			im->tick[k].value = im->buf[j].value;
			k++;
			j++;
		}
		ret = store_tick_append(im->st, im->buf[i].ts, im->tick, k, e);
		i = j;
	}
	if (ret == OD_OK)
		ret = store_commit(im->st, e);
	else
		store_rollback(im->st);
	if (ret == OD_OK)
		im->stats->samples += (int64_t)im->n;
	im->n = 0;
	return ret;
}

static enum od_status push(struct importer *im, int64_t ts, int64_t series, int64_t value,
			   struct err *e)
{
	if (im->n == im->batch) {
		enum od_status ret = flush(im, e);
		if (ret != OD_OK)
			return ret;
	}
	im->buf[im->n++] = (struct pending){ ts, series, value };
	if (im->stats->first_ts == 0 || ts < im->stats->first_ts)
		im->stats->first_ts = ts;
	if (ts > im->stats->last_ts)
		im->stats->last_ts = ts;
	return OD_OK;
}

static enum od_status counter_slot(struct importer *im, int64_t id, struct counter **out,
				   struct err *e)
{
	if (id >= im->nctr) {
		int64_t n = id + 1024;
		struct counter *c = realloc(im->ctr, (size_t)n * sizeof(*c));
		if (!c)
			return err_set(e, OD_ENOMEM, "out of memory importing history");
		memset(c + im->nctr, 0, (size_t)(n - im->nctr) * sizeof(*c));
		im->ctr = c;
		im->nctr = n;
	}
	*out = &im->ctr[id];
	return OD_OK;
}

struct mapping {
	const char *metric;
	enum store_kind kind;
	enum store_metric m;
	bool counter_rate;   /* value is a counter in seconds: store the rate in millis */
};

static const struct mapping mappings[] = {
	{ "container_cpu_usage_seconds_total", STORE_KIND_POD, STORE_METRIC_CPU, true },
	{ "container_memory_usage_bytes", STORE_KIND_POD, STORE_METRIC_MEMORY, false },
	{ "kubelet_volume_stats_used_bytes", STORE_KIND_PVC, STORE_METRIC_STORAGE_USED, false },
	{ "kubelet_volume_stats_capacity_bytes", STORE_KIND_PVC, STORE_METRIC_STORAGE_CAPACITY, false },
	{ "kube_pod_container_status_restarts_total", STORE_KIND_POD, STORE_METRIC_RESTARTS, false },
	{ "kube_pod_status_ready", STORE_KIND_POD, STORE_METRIC_READY, false },
};

static const char *label_any(const struct prom_sample *s, const char *a, const char *b)
{
	const char *v = store_prom_label(s, a);
	return v ? v : store_prom_label(s, b);
}

/* Fills key from the sample's labels; false when the row is not one opsdeck keeps. */
static bool prom_key(const struct prom_sample *s, const struct mapping *m,
		     struct store_series_key *key)
{
	key->kind = m->kind;
	key->metric = m->m;
	key->namespace = store_prom_label(s, "namespace");
	key->container = NULL;
	if (!key->namespace || !*key->namespace)
		return false;
	if (m->kind == STORE_KIND_PVC) {
		key->object = store_prom_label(s, "persistentvolumeclaim");
		return key->object && *key->object;
	}
	key->object = label_any(s, "pod", "pod_name");
	if (!key->object || !*key->object)
		return false;
	if (m->m == STORE_METRIC_READY) {
		const char *cond = store_prom_label(s, "condition");
		return cond && strcmp(cond, "true") == 0;
	}
	key->container = label_any(s, "container", "container_name");
	if (!key->container || !*key->container || strcmp(key->container, "POD") == 0)
		return false;   /* cAdvisor's pod-level cgroup and the pause container */
	return true;
}

static enum od_status import_prom_line(struct importer *im, const char *line, size_t len,
				       struct err *e)
{
	struct prom_sample *s = im->ps;
	const struct mapping *m = NULL;
	enum od_status ret = store_prom_parse_line(line, len, s, e);
	if (ret == OD_ENOENT)
		return OD_OK;
	if (ret != OD_OK)
		return ret;
	for (size_t i = 0; i < sizeof(mappings) / sizeof(mappings[0]); i++)
		if (strcmp(s->name, mappings[i].metric) == 0)
			m = &mappings[i];
	struct store_series_key key = { .context = im->opts->context };
	if (!m || !prom_key(s, m, &key) || !isfinite(s->value)) {
		im->stats->skipped++;
		return OD_OK;
	}
	int64_t ts_ms = s->has_ts ? s->ts_ms : im->opts->default_ts_ms;
	if (ts_ms <= 0)
		return err_set(e, OD_EPARSE, "sample without a timestamp");
	int64_t id;
	ret = store_series_id(im->st, &key, true, &id, e);
	if (ret != OD_OK)
		return ret;
	if (!m->counter_rate) {
		if (fabs(s->value) > 9e18)
			return err_set(e, OD_ERANGE, "value out of range");
		return push(im, ts_ms / 1000, id, llround(s->value), e);
	}
	struct counter *c = NULL;
	if ((ret = counter_slot(im, id, &c, e)) != OD_OK)
		return ret;
	struct counter prev = *c;
	*c = (struct counter){ ts_ms, s->value, true };
	if (!prev.seen || ts_ms <= prev.ts_ms || s->value < prev.value)
		return OD_OK;   /* first sample, out of order, or a counter reset */
	double milli = (s->value - prev.value) / ((double)(ts_ms - prev.ts_ms) / 1000.0) * 1000.0;
	if (!isfinite(milli) || milli > 9e15)
		return OD_OK;
	return push(im, ts_ms / 1000, id, llround(milli), e);
}

static enum od_status import_csv_line(struct importer *im, const char *line, size_t len,
				      struct err *e)
{
	struct history_csv_row row;
	enum od_status ret = store_history_csv_parse_line(line, len, &im->csv, &row, e);
	if (ret == OD_ENOENT)
		return OD_OK;
	if (ret != OD_OK)
		return ret;
	char object[STORE_NAME_MAX + 1];
	if (row.index == 0)
		snprintf(object, sizeof(object), "%s", im->opts->object);
	else   /* kubectl listed several pods under this date: keep them apart */
		snprintf(object, sizeof(object), "%.240s#%d", im->opts->object, row.index + 1);
	struct store_series_key key = { im->opts->context, im->opts->namespace, STORE_KIND_POD,
					object, im->opts->container, STORE_METRIC_CPU };
	int64_t cpu, mem;
	if ((ret = store_series_id(im->st, &key, true, &cpu, e)) != OD_OK)
		return ret;
	key.metric = STORE_METRIC_MEMORY;
	if ((ret = store_series_id(im->st, &key, true, &mem, e)) != OD_OK)
		return ret;
	if ((ret = push(im, row.ts, cpu, row.cpu_milli, e)) != OD_OK)
		return ret;
	return push(im, row.ts, mem, row.memory_bytes, e);
}

/* Guesses the format from the first meaningful line. */
static enum store_import_format sniff(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '#' || *line == '\0')
		return STORE_IMPORT_AUTO;
	return strchr(line, ',') && !strchr(line, '{') ? STORE_IMPORT_CSV : STORE_IMPORT_PROM;
}

static void importer_free(struct importer *im)
{
	free(im->buf);
	free(im->ctr);
	free(im->tick);
	free(im->ps);
}

enum od_status store_import_stream(struct store *st, FILE *in, const char *name,
				   const struct store_import_opts *opts,
				   struct store_import_stats *stats, struct err *e)
{
	struct store_import_stats local;
	struct importer im = { .st = st, .opts = opts };
	enum store_import_format fmt = opts->format;
	char *line = malloc(LINE_BUF);
	enum od_status ret = OD_OK;
	int64_t bytes = 0;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	im.stats = stats;
	im.batch = opts->batch ? opts->batch : STORE_IMPORT_BATCH;
	if (im.batch > STORE_TICK_MAX)
		im.batch = STORE_TICK_MAX;
	im.buf = malloc(im.batch * sizeof(*im.buf));
	im.tick = malloc(im.batch * sizeof(*im.tick));
	im.ps = malloc(sizeof(*im.ps));
	if (!line || !im.buf || !im.tick || !im.ps) {
		ret = err_set(e, OD_ENOMEM, "out of memory importing history");
		goto out;
	}
	if (!opts->context || !*opts->context) {
		ret = err_set(e, OD_EINVAL, "importing history needs a context name");
		goto out;
	}
	while (fgets(line, LINE_BUF, in)) {
		size_t len = strlen(line);
		stats->lines++;
		bytes += (int64_t)len;
		if (bytes > STORE_IMPORT_MAX_BYTES) {
			ret = err_set(e, OD_ELIMIT, "%s is larger than the import limit of %lld bytes",
				      name, (long long)STORE_IMPORT_MAX_BYTES);
			goto out;
		}
		if (len == LINE_BUF - 1 && line[len - 1] != '\n') {
			ret = err_set(e, OD_ELIMIT, "%s:%lld: line longer than %d bytes", name,
				      (long long)stats->lines, PROM_LINE_MAX);
			goto out;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (fmt == STORE_IMPORT_AUTO)
			fmt = sniff(line);
		if (fmt == STORE_IMPORT_CSV && (!opts->namespace || !opts->object)) {
			ret = err_set(e, OD_EINVAL,
				      "%s looks like a hand-kept CSV: say which namespace and pod it is about",
				      name);
			goto out;
		}
		if (fmt == STORE_IMPORT_CSV)
			ret = import_csv_line(&im, line, len, e);
		else if (fmt == STORE_IMPORT_PROM)
			ret = import_prom_line(&im, line, len, e);
		if (ret != OD_OK) {
			err_prefix(e, "%s:%lld: ", name, (long long)stats->lines);
			goto out;
		}
	}
	if (ferror(in)) {
		ret = err_set(e, OD_EIO, "%s: read error: %s", name, strerror(errno));
		goto out;
	}
	ret = flush(&im, e);
out:
	free(line);
	importer_free(&im);
	return ret;
}

enum od_status store_import_file(struct store *st, const char *path,
				 const struct store_import_opts *opts,
				 struct store_import_stats *stats, struct err *e)
{
	struct stat sb;
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, errno == ENOENT ? OD_ENOENT : OD_EIO, "cannot open %s: %s", path,
			       strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > STORE_IMPORT_MAX_BYTES) {
		fclose(f);
		return err_set(e, OD_ELIMIT, "%s is larger than the import limit of %lld bytes", path,
			       (long long)STORE_IMPORT_MAX_BYTES);
	}
	enum od_status ret = store_import_stream(st, f, path, opts, stats, e);
	fclose(f);
	return ret;
}
