/*
 * profile_names.c: prints the cluster names a profile relies on, one
 * "kind value" per line, for sim-names.sh to look up in the opsdeck-sim
 * scenario of the same service.
 */
#include <stdio.h>
#include <string.h>

#include "opsdeck/profile.h"

/* Prints "label KEY VALUE" for each key=value requirement of a selector. */
static void print_labels(const char *sel)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", sel);
	for (char *save = NULL, *req = strtok_r(buf, ",", &save); req; req = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(req, '=');
		if (!eq || eq[-1] == '!')
			continue;
		*eq = '\0';
		printf("label %s %s\n", req, eq[1] == '=' ? eq + 2 : eq + 1);
	}
}

int main(int argc, char **argv)
{
	struct profile *p = NULL;
	struct err e;

	if (argc != 2) {
		fprintf(stderr, "usage: profile_names FILE\n");
		return 2;
	}
	if (profile_load_file(argv[1], &p, &e) != OD_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	for (size_t i = 0; i < p->namespaces.n; i++)
		printf("namespace %s\n", p->namespaces.v[i]);
	if (p->snapshot_class)
		printf("snapshot_class %s\n", p->snapshot_class);
	for (size_t i = 0; i < p->nworkloads; i++) {
		printf("workload %s\n", strchr(p->workloads[i].ref, '/') + 1);
		print_labels(p->workloads[i].selector);
		if (p->workloads[i].container)
			printf("container %s\n", p->workloads[i].container);
	}
	for (size_t i = 0; i < p->npvcs; i++)
		printf("pvc %s\n", p->pvcs[i].name);
	for (size_t i = 0; i < p->nprobes; i++)
		printf("service %s\n", p->probes[i].service);
	for (size_t i = 0; i < p->ncerts; i++)
		printf("secret %s\n", p->certs[i].secret);
	for (size_t i = 0; i < p->nchecklists; i++)
		for (size_t j = 0; j < p->checklists[i].nitems; j++) {
			const struct check_spec *cs = &p->checklists[i].items[j].check;
			if (cs->job)
				printf("job %s\n", strchr(cs->job, '/') + 1);
			if (cs->selector && !cs->workload)
				print_labels(cs->selector);
		}
	profile_free(&p);
	return 0;
}
