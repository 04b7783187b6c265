/*
 * scenario.c: scenario files and --manifests. A scenario file is a stream of
 * Kubernetes objects plus one Scenario document whose spec stays in
 * s->scenarios for the controllers, logs and proxy to read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "opsdeck/duration.h"
#include "opsdeck/paths.h"
#include "opsdeck/sim_certs.h"
#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_scenario.h"
#include "opsdeck/sim_status.h"
#include "opsdeck/sim_yaml.h"

static bool is_scenario_doc(const cJSON *doc)
{
	return strcmp(sim_json_str_or(doc, "kind", ""), "Scenario") == 0 &&
	       strncmp(sim_json_str_or(doc, "apiVersion", ""), "sim.opsdeck.io/", 15) == 0;
}

static enum od_status ensure_namespace(struct sim *s, const char *ns, struct err *e)
{
	if (!ns || !*ns || sim_store_get(s->store, SIM_RES_NAMESPACES, NULL, ns))
		return OD_OK;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "apiVersion", "v1");
	cJSON_AddStringToObject(o, "kind", "Namespace");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(o, "metadata"), "name", ns);
	sim_objects_default(s, sim_resources_get(SIM_RES_NAMESPACES), o);
	return sim_store_create(s->store, SIM_RES_NAMESPACES, o, NULL, e);
}

static enum od_status create_node(struct sim *s, const cJSON *spec, int index, struct err *e)
{
	char ip[32], ts[TIME_RFC3339_MAX];
	const char *name = sim_json_str_or(spec, "name", "node-1");
	if (sim_store_get(s->store, SIM_RES_NODES, NULL, name))
		return OD_OK;
	snprintf(ip, sizeof(ip), "10.0.0.%d", 10 + index);
	sim_clock_rfc3339(&s->clock, ts, sizeof(ts));
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "apiVersion", "v1");
	cJSON_AddStringToObject(n, "kind", "Node");
	cJSON *meta = cJSON_AddObjectToObject(n, "metadata");
	cJSON_AddStringToObject(meta, "name", name);
	cJSON *labels = cJSON_AddObjectToObject(meta, "labels");
	cJSON_AddStringToObject(labels, "beta.kubernetes.io/arch", "amd64");
	cJSON_AddStringToObject(labels, "beta.kubernetes.io/os", "linux");
	cJSON_AddStringToObject(labels, "kubernetes.io/arch", "amd64");
	cJSON_AddStringToObject(labels, "kubernetes.io/hostname", name);
	cJSON_AddStringToObject(labels, "kubernetes.io/os", "linux");
	const cJSON *extra = sim_json_get(spec, "labels");
	for (const cJSON *l = extra ? extra->child : NULL; l; l = l->next)
		sim_json_put(labels, l->string, cJSON_Duplicate(l, 1));
	cJSON *nspec = cJSON_AddObjectToObject(n, "spec");
	char cidr[32];
	snprintf(cidr, sizeof(cidr), "10.244.%d.0/24", index);
	cJSON_AddStringToObject(nspec, "podCIDR", cidr);
	cJSON *st = cJSON_AddObjectToObject(n, "status");
	const char *cpu = sim_json_str_or(spec, "cpu", "4");
	const char *mem = sim_json_str_or(spec, "memory", "16Gi");
	char cpubuf[32];
	if (cJSON_IsNumber(sim_json_get(spec, "cpu"))) {
		snprintf(cpubuf, sizeof(cpubuf), "%g", sim_json_num(spec, "cpu", 4));
		cpu = cpubuf;
	}
	static const char *const which[] = { "capacity", "allocatable" };
	for (int i = 0; i < 2; i++) {
		cJSON *c = cJSON_AddObjectToObject(st, which[i]);
		cJSON_AddStringToObject(c, "cpu", cpu);
		cJSON_AddStringToObject(c, "memory", mem);
		cJSON_AddStringToObject(c, "pods", "110");
		cJSON_AddStringToObject(c, "ephemeral-storage", "100Gi");
	}
	cJSON *conds = cJSON_AddArrayToObject(st, "conditions");
	static const char *const ctypes[][3] = {
		{ "MemoryPressure", "False", "KubeletHasSufficientMemory" },
		{ "DiskPressure", "False", "KubeletHasNoDiskPressure" },
		{ "PIDPressure", "False", "KubeletHasSufficientPID" },
		{ "Ready", "True", "KubeletReady" } };
	for (int i = 0; i < 4; i++) {
		cJSON *c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "type", ctypes[i][0]);
		cJSON_AddStringToObject(c, "status", ctypes[i][1]);
		cJSON_AddStringToObject(c, "lastHeartbeatTime", ts);
		cJSON_AddStringToObject(c, "lastTransitionTime", ts);
		cJSON_AddStringToObject(c, "reason", ctypes[i][2]);
		cJSON_AddStringToObject(c, "message", i == 3 ? "kubelet is posting ready status" :
				       "kubelet has sufficient resources");
		cJSON_AddItemToArray(conds, c);
	}
	cJSON *addrs = cJSON_AddArrayToObject(st, "addresses");
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "type", "InternalIP");
	cJSON_AddStringToObject(a, "address", ip);
	cJSON_AddItemToArray(addrs, a);
	a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "type", "Hostname");
	cJSON_AddStringToObject(a, "address", name);
	cJSON_AddItemToArray(addrs, a);
	cJSON *info = cJSON_AddObjectToObject(st, "nodeInfo");
	cJSON_AddStringToObject(info, "architecture", "amd64");
	cJSON_AddStringToObject(info, "containerRuntimeVersion", "containerd://1.7.24");
	cJSON_AddStringToObject(info, "kernelVersion", "6.1.0-28-amd64");
	cJSON_AddStringToObject(info, "kubeProxyVersion", "v1.32.0");
	cJSON_AddStringToObject(info, "kubeletVersion", "v1.32.0");
	cJSON_AddStringToObject(info, "operatingSystem", "linux");
	cJSON_AddStringToObject(info, "osImage", "Debian GNU/Linux 12 (bookworm)");
	return sim_store_create(s->store, SIM_RES_NODES, n, NULL, e);
}

static char *b64(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(4 * ((n + 2) / 3) + 1);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

/* Fills a kubernetes.io/tls Secret that asks for a generated certificate. */
static enum od_status fill_tls_secret(struct sim *s, struct sim_certs **ca, cJSON *obj,
				      struct err *e)
{
	const char *exp = sim_json_annotation(obj, "sim.opsdeck.io/cert-expires-in");
	const char *dns = sim_json_annotation(obj, "sim.opsdeck.io/cert-dns-names");
	int64_t ns_dur;
	char *crt = NULL, *key = NULL, cn[256];
	enum od_status rc;

	if (!exp || cJSON_GetObjectItemCaseSensitive(sim_json_get(obj, "data"), "tls.crt"))
		return OD_OK;
	if (duration_parse(exp, &ns_dur, e) != OD_OK)
		return err_prefix(e, "secret %s: ", sim_json_str_or(obj, "metadata.name", ""));
	if (!*ca && (rc = sim_certs_new(ca, e)) != OD_OK)
		return rc;
	int64_t start = s->clock.start.sec;
	int64_t not_after = start + ns_dur / 1000000000;
	int64_t not_before = not_after - INT64_C(90) * 86400;
	if (not_before > start - 3600)
		not_before = start - 3600;
	if (dns && *dns)
		snprintf(cn, sizeof(cn), "%.*s", (int)strcspn(dns, ","), dns);
	else
		snprintf(cn, sizeof(cn), "%s", sim_json_str_or(obj, "metadata.name", "sim"));
	rc = sim_certs_issue(*ca, cn, NULL, dns && *dns ? dns : cn, NULL, not_before, not_after,
			     true, &crt, &key, e);
	if (rc != OD_OK)
		return rc;
	char *bc = b64(crt), *bk = b64(key);
	cJSON *data = sim_json_ensure(obj, "data");
	sim_json_put(data, "tls.crt", cJSON_CreateString(bc ? bc : ""));
	sim_json_put(data, "tls.key", cJSON_CreateString(bk ? bk : ""));
	free(bc);
	free(bk);
	free(crt);
	free(key);
	return OD_OK;
}

/* Creates one scenario object through the API's create path. */
static enum od_status create_scenario_object(struct sim *s, struct sim_certs **ca, cJSON *doc,
					     const char *file, struct err *e)
{
	const char *av = sim_json_str(doc, "apiVersion"), *kind = sim_json_str(doc, "kind");
	const struct sim_resource *r = sim_resources_find_kind(av, kind);
	enum od_status rc;

	if (!r || r->id == SIM_RES_EVENTS_V1 || r->id == SIM_RES_SSAR || r->id == SIM_RES_SSRR) {
		fprintf(stderr, "opsdeck-sim: %s: skipping %s %s/%s: not served by the sim\n", file,
			av ? av : "?", kind ? kind : "?", sim_json_str_or(doc, "metadata.name", "?"));
		return OD_OK;
	}
	if (r->namespaced && !sim_json_str(doc, "metadata.namespace"))
		sim_json_set_str(doc, "metadata.namespace", "default");
	if (r->namespaced && (rc = ensure_namespace(s, sim_json_str(doc, "metadata.namespace"), e)) != OD_OK)
		return rc;
	if (r->id == SIM_RES_SECRETS && (rc = fill_tls_secret(s, ca, doc, e)) != OD_OK)
		return rc;
	if (r->id == SIM_RES_NAMESPACES &&
	    sim_store_get(s->store, SIM_RES_NAMESPACES, NULL, sim_json_str_or(doc, "metadata.name", "")))
		return OD_OK;
	sim_objects_default(s, r, doc);
	cJSON *st = sim_objects_validate(s, r, doc, NULL);
	if (st) {
		rc = err_set(e, OD_EPARSE, "%s: %s", file, sim_json_str_or(st, "message", "invalid object"));
		cJSON_Delete(st);
		return rc;
	}
	rc = sim_store_create(s->store, r->id, cJSON_Duplicate(doc, 1), NULL, e);
	if (rc == OD_EEXIST)
		return err_set(e, OD_EEXIST, "%s: %s %s/%s is defined twice", file, kind,
			       sim_json_str_or(doc, "metadata.namespace", ""), sim_json_str_or(doc, "metadata.name", ""));
	return rc;
}

static enum od_status load_scenario_docs(struct sim *s, char *const *files, size_t n,
					 cJSON **all, struct err *e)
{
	*all = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *docs = NULL;
		char path[4096];
		struct stat sb;
		snprintf(path, sizeof(path), "%s", files[i]);
		/* A bare name ("demo") or relative data path finds the shipped scenario. */
		if (stat(path, &sb) != 0) {
			char rel[512];
			snprintf(rel, sizeof(rel), "data/sim/%s%s", files[i],
				 strstr(files[i], ".yaml") ? "" : ".yaml");
			if (paths_data_file(rel, path, sizeof(path), NULL) != OD_OK || stat(path, &sb) != 0)
				snprintf(path, sizeof(path), "%s", files[i]);
		}
		enum od_status rc = sim_yaml_parse_file(path, &docs, e);
		if (rc != OD_OK)
			return rc;
		cJSON *doc;
		cJSON_ArrayForEach(doc, docs) {
			if (is_scenario_doc(doc)) {
				cJSON_AddItemToArray(s->scenarios, cJSON_Duplicate(doc, 1));
				if (strcmp(s->main_ns, "") == 0)
					snprintf(s->main_ns, sizeof(s->main_ns), "%s",
						 sim_json_str_or(doc, "spec.mainNamespace", "default"));
			}
		}
		cJSON *entry = cJSON_CreateObject();
		cJSON_AddStringToObject(entry, "file", path);
		cJSON_AddItemToObject(entry, "docs", docs);
		cJSON_AddItemToArray(*all, entry);
	}
	return OD_OK;
}

static enum od_status create_nodes(struct sim *s, const cJSON *files, struct err *e)
{
	int index = 0;
	const cJSON *scn, *node;
	enum od_status rc;
	cJSON_ArrayForEach(scn, s->scenarios) {
		cJSON_ArrayForEach(node, sim_json_get(scn, "spec.nodes")) {
			if ((rc = create_node(s, node, ++index, e)) != OD_OK)
				return rc;
		}
	}
	/* Node documents in the files come through the create path later; default to one node. */
	bool has_node_docs = false;
	const cJSON *f, *doc;
	cJSON_ArrayForEach(f, files) {
		cJSON_ArrayForEach(doc, sim_json_get(f, "docs"))
			if (strcmp(sim_json_str_or(doc, "kind", ""), "Node") == 0)
				has_node_docs = true;
	}
	if (index == 0 && !has_node_docs) {
		cJSON *dflt = cJSON_CreateObject();
		cJSON_AddStringToObject(dflt, "name", "node-1");
		rc = create_node(s, dflt, 1, e);
		cJSON_Delete(dflt);
		return rc;
	}
	return OD_OK;
}

/* Adds every object of a List (or the object itself) to out. */
static void flatten(cJSON *doc, cJSON *out)
{
	const char *kind = sim_json_str_or(doc, "kind", "");
	size_t kl = strlen(kind);
	if (kl >= 4 && strcmp(kind + kl - 4, "List") == 0 && cJSON_IsArray(sim_json_get(doc, "items"))) {
		const cJSON *it;
		cJSON_ArrayForEach(it, sim_json_get(doc, "items")) {
			cJSON *copy = cJSON_Duplicate(it, 1);
			/* items of a typed list (PodList) may leave out apiVersion and kind */
			if (!sim_json_str(copy, "kind") && strcmp(kind, "List") != 0) {
				char k[128];
				snprintf(k, sizeof(k), "%.*s", (int)(kl - 4), kind);
				sim_json_set_str(copy, "kind", k);
				sim_json_set_str(copy, "apiVersion", sim_json_str_or(doc, "apiVersion", "v1"));
			}
			flatten(copy, out);
			cJSON_Delete(copy);
		}
		return;
	}
	cJSON_AddItemToArray(out, cJSON_Duplicate(doc, 1));
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum od_status load_manifest_file(struct sim *s, const char *path, struct err *e)
{
	cJSON *docs = NULL, *objs = cJSON_CreateArray();
	enum od_status rc = sim_yaml_parse_file(path, &docs, e);
	if (rc != OD_OK) {
		cJSON_Delete(objs);
		return rc;
	}
	cJSON *doc;
	cJSON_ArrayForEach(doc, docs)
		flatten(doc, objs);
	cJSON_Delete(docs);
	cJSON_ArrayForEach(doc, objs) {
		const char *av = sim_json_str(doc, "apiVersion"), *kind = sim_json_str(doc, "kind");
		const struct sim_resource *r = sim_resources_find_kind(av, kind);
		if (!r || r->id == SIM_RES_SSAR || r->id == SIM_RES_SSRR) {
			fprintf(stderr, "opsdeck-sim: %s: skipping %s %s: not served by the sim\n", path,
				kind ? kind : "?", sim_json_str_or(doc, "metadata.name", "?"));
			continue;
		}
		const char *ns = sim_json_str(doc, "metadata.namespace");
		if (r->namespaced && (rc = ensure_namespace(s, ns ? ns : "default", e)) != OD_OK)
			break;
		const char *name = sim_json_str(doc, "metadata.name");
		struct sim_obj *old = sim_store_get(s->store, r->id, ns, name);
		if (old)
			sim_store_delete(s->store, old);
		cJSON *copy = cJSON_Duplicate(doc, 1);
		const char *uid = sim_json_str(copy, "metadata.uid");
		char uidbuf[64] = "";
		if (uid)
			snprintf(uidbuf, sizeof(uidbuf), "%s", uid);
		struct sim_obj *o = NULL;
		rc = sim_store_create(s->store, r->id, copy, &o, e);
		if (rc != OD_OK) {
			err_prefix(e, "%s: ", path);
			break;
		}
		cJSON_AddBoolToObject(s->verbatim, sim_json_str_or(o->json, "metadata.uid", ""), true);
	}
	cJSON_Delete(objs);
	return rc;
}

static enum od_status load_manifests(struct sim *s, const char *path, struct err *e)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return err_set(e, OD_ENOENT, "%s: no such file or directory", path);
	if (!S_ISDIR(sb.st_mode))
		return load_manifest_file(s, path, e);
	DIR *d = opendir(path);
	char *names[1024];
	size_t n = 0;
	struct dirent *de;
	enum od_status rc = OD_OK;
	if (!d)
		return err_set(e, OD_EIO, "%s: cannot read directory", path);
	while ((de = readdir(d)) && n < 1024) {
		const char *dot = strrchr(de->d_name, '.');
		if (dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 || strcmp(dot, ".json") == 0))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", path, names[i] ? names[i] : "");
		if (rc == OD_OK && names[i])
			rc = load_manifest_file(s, full, e);
		free(names[i]);
	}
	return rc;
}

enum od_status sim_scenario_build(struct sim *s, char *const *scenarios, size_t nscenarios,
				  char *const *manifests, size_t nmanifests, struct err *e)
{
	static const char *const system_ns[] = { "default", "kube-system", "kube-public",
						 "kube-node-lease" };
	struct sim_certs *secret_ca = NULL;
	cJSON *files = NULL;
	enum od_status rc;

	s->building = true;
	sim_clock_pin(&s->clock, sim_clock_add_ms(s->clock.start, -SIM_SCENARIO_AGE_MS));
	for (size_t i = 0; i < 4; i++)
		if ((rc = ensure_namespace(s, system_ns[i], e)) != OD_OK)
			goto out;
	rc = load_scenario_docs(s, scenarios, nscenarios, &files, e);
	if (rc != OD_OK)
		goto out;
	if (!s->main_ns[0])
		snprintf(s->main_ns, sizeof(s->main_ns), "default");
	if ((rc = create_nodes(s, files, e)) != OD_OK)
		goto out;
	const cJSON *f, *doc;
	cJSON_ArrayForEach(f, files) {
		const char *file = sim_json_str_or(f, "file", "");
		cJSON_ArrayForEach(doc, sim_json_get(f, "docs")) {
			if (is_scenario_doc(doc))
				continue;
			rc = create_scenario_object(s, &secret_ca, (cJSON *)doc, file, e);
			if (rc != OD_OK)
				goto out;
		}
	}
	sim_ctrl_settle(s);
	for (size_t i = 0; i < nmanifests; i++)
		if ((rc = load_manifests(s, manifests[i], e)) != OD_OK)
			goto out;
	sim_ctrl_settle(s);
out:
	sim_clock_unpin(&s->clock);
	s->building = false;
	sim_certs_free(&secret_ca);
	cJSON_Delete(files);
	return rc;
}
