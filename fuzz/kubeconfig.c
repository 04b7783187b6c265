/*
 * fuzz/kubeconfig.c: any bytes given as a kubeconfig never crash the loader,
 * the resolver or the writer, and what the writer prints (as use-context
 * writes it) parses back and prints the same again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsdeck/kubeconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const struct kubeconfig *kc)
{
	struct kubeconfig_write_opts raw = { .redact = false, .minify = NULL };
	struct kubeconfig *back = NULL;
	struct buf first, second;

	buf_init(&first, 64u << 20);
	buf_init(&second, 64u << 20);
	if (kubeconfig_write_yaml(kc, &raw, &first, NULL) != OD_OK)
		goto out;
	if (kubeconfig_parse("round-trip.yaml", buf_cstr(&first), first.len, &back, NULL) != OD_OK)
		abort();   /* what we write must read back */
	if (kubeconfig_write_yaml(back, &raw, &second, NULL) != OD_OK ||
	    strcmp(buf_cstr(&first), buf_cstr(&second)) != 0)
		abort();   /* and must be a fixed point, as kubectl's rewrite is */
out:
	kubeconfig_free(&back);
	buf_free(&first);
	buf_free(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kubeconfig *kc = NULL;
	struct kube_target *t = NULL;
	struct kubeconfig_write_opts view = { .redact = true, .minify = NULL };
	struct buf out;

	if (kubeconfig_parse("fuzz.yaml", (const char *)data, size, &kc, NULL) != OD_OK)
		return 0;
	buf_init(&out, 64u << 20);
	kubeconfig_write_json(kc, &view, &out, NULL);
	buf_reset(&out);
	view.minify = kc->current_context;
	kubeconfig_write_yaml(kc, &view, &out, NULL);
	buf_free(&out);
	if (kubeconfig_resolve(kc, NULL, NULL, &t, NULL) == OD_OK && !t->namespace_)
		abort();   /* a resolved target always has a namespace */
	kube_target_free(&t);
	check_round_trip(kc);
	kubeconfig_free(&kc);
	return 0;
}
