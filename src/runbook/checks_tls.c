/*
 * checks_tls.c: tls_cert — the certificate in a kubernetes.io/tls Secret is
 * valid for at least N days. Only the certificate's expiry and subject are
 * read out of the Secret; its data (the key above all) is wiped from memory
 * as soon as the certificate is parsed and never reaches a result, a log or
 * the store.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "opsdeck/runbook_checks.h"

/* Wipes every string value under data (tls.key included) before the tree is freed. */
static void secret_wipe(cJSON *secret)
{
	cJSON *v;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(secret, "data")) {
		if (cJSON_IsString(v))
			OPENSSL_cleanse(v->valuestring, strlen(v->valuestring));
	}
}

/* Expiry (epoch s) and subject of the first certificate in base64 PEM b64. */
static bool cert_expiry(const char *b64, int64_t *not_after, char *subject, size_t nsubject)
{
	size_t len = strlen(b64);
	unsigned char *pem = malloc(len / 4 * 3 + 4);
	int n;
	BIO *bio = NULL;
	X509 *x = NULL;
	struct tm tm;
	bool ok = false;

	if (!pem)
		return false;
	n = EVP_DecodeBlock(pem, (const unsigned char *)b64, (int)len);
	if (n <= 0)
		goto out;
	bio = BIO_new_mem_buf(pem, n);
	if (!bio || !(x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		goto out;
	if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) != 1)
		goto out;
	*not_after = (int64_t)timegm(&tm);
	X509_NAME_oneline(X509_get_subject_name(x), subject, (int)nsubject);
	ok = true;
out:
	X509_free(x);
	BIO_free(bio);
	OPENSSL_cleanse(pem, len / 4 * 3 + 4);
	free(pem);
	return ok;
}

void check_tls_cert(const struct check_env *env, const struct check_spec *cs,
		    struct check_result *r)
{
	const struct cert_secret *c = NULL;
	struct check_spec judged = *cs;
	struct check_target t;
	struct err e = { 0 };
	char path[1024], subject[256] = "";
	cJSON *secret = NULL;
	const cJSON *type, *crt;
	long code;
	int64_t not_after;

	for (size_t i = 0; cs->certificate && i < env->profile->ncerts; i++)
		if (strcmp(env->profile->certs[i].name, cs->certificate) == 0)
			c = &env->profile->certs[i];
	if (!c) {
		check_result_unknown(r, "no certificate named %s in the profile",
				     cs->certificate ? cs->certificate : "");
		return;
	}
	check_target_resolve(env, cs, &t);
	snprintf(path, sizeof(path), "/api/v1/namespaces/%s/secrets/%s",
		 c->namespace ? c->namespace : t.namespace, c->secret);
	check_field_set(r->source, sizeof(r->source), "secret %s/%s (tls.crt expiry)",
			c->namespace ? c->namespace : t.namespace, c->secret);
	if (check_get_json(env, path, &secret, &code, &e) != OD_OK) {
		if (code == 404) {
			check_field_set(r->value, sizeof(r->value), "missing");
			r->status = CHECK_STATUS_FAIL;
			check_field_set(r->evidence, sizeof(r->evidence), "the Secret does not exist");
		} else {
			check_result_unknown(r, "get secret: %s", e.msg);
		}
		return;
	}
	type = cJSON_GetObjectItemCaseSensitive(secret, "type");
	crt = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(secret, "data"),
					       "tls.crt");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "kubernetes.io/tls") != 0) {
		check_result_unknown(r, "the Secret is not of type kubernetes.io/tls");
	} else if (!cJSON_IsString(crt) ||
		   !cert_expiry(crt->valuestring, &not_after, subject, sizeof(subject))) {
		r->status = CHECK_STATUS_FAIL;
		check_field_set(r->value, sizeof(r->value), "unreadable");
		check_field_set(r->evidence, sizeof(r->evidence),
				"tls.crt holds no PEM certificate that parses");
	} else {
		char when[32];
		struct tm tm;
		time_t ts = (time_t)not_after;

		if (!judged.warn_within_ns)
			judged.warn_within_ns = c->warn_within_ns;
		gmtime_r(&ts, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		if (not_after - env->now <= 0)
			check_field_set(r->value, sizeof(r->value), "expired");
		check_result_judge(r, &judged, not_after - env->now);
		check_field_set(r->evidence, sizeof(r->evidence), "notAfter %s, subject %s", when,
				subject);
	}
	secret_wipe(secret);
	cJSON_Delete(secret);
}
