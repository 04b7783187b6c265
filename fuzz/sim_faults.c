/*
 * fuzz/sim_faults.c: opsdeck-sim's fault specs (--fault, POST /sim/faults
 * bodies) and scenario parsing (the YAML documents and the Scenario fields
 * part 2 reads: metrics drift, volume growth, http rates, the timeline).
 * The first line is a fault spec; the whole input is also tried as a JSON
 * body and as a scenario file. Faults that parse are applied to a small
 * cluster for a reconcile pass, an API pick and a metrics read, then cleared.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/sim_ctrl.h"
#include "opsdeck/sim_faults.h"
#include "opsdeck/sim_json.h"
#include "opsdeck/sim_metrics.h"
#include "opsdeck/sim_objects.h"
#include "opsdeck/sim_yaml.h"

#define FUZZ_MAX (64 * 1024)

static struct sim *fuzz_sim;

static const char *const seed_objects[] = {
	"{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}",
	"{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\"},"
	"\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}",
	"{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"},"
	"\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
	"{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\","
	"\"resources\":{\"limits\":{\"memory\":\"256Mi\"}}}]}}}}",
	NULL
};

static void fuzz_init(void)
{
	struct od_time start = { .sec = 1767225600, .nsec = 0 };
	struct err e;
	if (sim_new(&fuzz_sim, 1, start, &e) != OD_OK)
		abort();
	fuzz_sim->building = true;
	for (size_t i = 0; seed_objects[i]; i++) {
		cJSON *o = cJSON_Parse(seed_objects[i]);
		const struct sim_resource *r = sim_resources_find_kind(sim_json_str(o, "apiVersion"),
								       sim_json_str(o, "kind"));
		sim_objects_default(fuzz_sim, r, o);
		sim_store_create(fuzz_sim->store, r->id, o, NULL, NULL);
	}
	sim_ctrl_settle(fuzz_sim);
	fuzz_sim->building = false;
}

/* Applies f to the cluster, exercises what reads faults, then clears. */
static void fuzz_apply(const struct sim_fault *f)
{
	struct err e;
	struct sim_fault_action a;
	struct sim_obj **pods;
	if (sim_faults_add(fuzz_sim, f, &e) != OD_OK)
		return;
	sim_ctrl_reconcile(fuzz_sim);
	sim_faults_api_pick(fuzz_sim, "GET", "/api/v1/namespaces/ns/pods", true, &a);
	size_t n = sim_store_list(fuzz_sim->store, SIM_RES_PODS, NULL, &pods);
	for (size_t i = 0; i < n; i++) {
		struct sim_metrics_sample m;
		sim_metrics_container(fuzz_sim, pods[i]->json, "web", sim_clock_now_ms(&fuzz_sim->clock), &m);
	}
	(void)sim_faults_error_ratio(fuzz_sim, "ns", "web", 0);
	sim_faults_clear(fuzz_sim);
	sim_ctrl_reconcile(fuzz_sim);
}

/* The Scenario fields part 2 parses, from every Scenario document. */
static void fuzz_scenario(const cJSON *docs)
{
	const cJSON *doc, *wl, *m, *v, *ev;
	double rate;
	struct sim_fault f;
	struct err e;
	cJSON_ArrayForEach(doc, docs) {
		if (strcmp(sim_json_str_or(doc, "kind", ""), "Scenario") != 0)
			continue;
		cJSON_ArrayForEach(wl, sim_json_get(doc, "spec.workloads")) {
			cJSON_ArrayForEach(m, sim_json_get(wl, "metrics"))
				(void)sim_metrics_parse_rate(sim_json_str(m, "memoryDrift"), &rate);
			cJSON_ArrayForEach(v, sim_json_get(wl, "volumes"))
				(void)sim_metrics_parse_rate(sim_json_str(v, "growth"), &rate);
			(void)sim_metrics_parse_rate(sim_json_str(wl, "http.rate"), &rate);
		}
		cJSON_ArrayForEach(ev, sim_json_get(doc, "spec.timeline"))
			if (sim_fault_parse(sim_json_str_or(ev, "fault", ""), &f, &e) == OD_OK)
				fuzz_apply(&f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[SIM_FAULT_SPEC_MAX + 8];
	struct sim_fault f;
	struct err e;
	cJSON *docs = NULL;
	if (!fuzz_sim)
		fuzz_init();
	if (size > FUZZ_MAX)
		size = FUZZ_MAX;
	size_t n = 0;
	while (n < size && n + 1 < sizeof(line) && data[n] != '\n') {
		line[n] = (char)data[n];
		n++;
	}
	line[n] = '\0';
	if (sim_fault_parse(line, &f, &e) == OD_OK)
		fuzz_apply(&f);
	if (sim_fault_parse_json((const char *)data, size, &f, &e) == OD_OK)
		fuzz_apply(&f);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sim_yaml_parse(text, size, &docs, &e) == OD_OK)
		fuzz_scenario(docs);
	cJSON_Delete(docs);
	free(text);
	return 0;
}
