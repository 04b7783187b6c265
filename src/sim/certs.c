/*
 * certs.c: X.509 with OpenSSL 3: an EC P-256 CA and the certificates it signs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "opsdeck/sim_certs.h"

struct sim_certs {
	X509 *ca;           /* owned */
	EVP_PKEY *ca_key;   /* owned; NULL for a verify-only CA */
	char *ca_pem;       /* owned */
};

static char *bio_to_string(BIO *bio)
{
	char *data = NULL;
	long n = BIO_get_mem_data(bio, &data);
	char *out = malloc((size_t)n + 1);
	if (out) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	return out;
}

static char *cert_to_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;
	if (b && PEM_write_bio_X509(b, x))
		s = bio_to_string(b);
	BIO_free(b);
	return s;
}

static char *key_to_pem(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;
	/* "EC PRIVATE KEY" (SEC1) is what GnuTLS, Go and kubectl all read. */
	if (b && PEM_write_bio_PrivateKey_traditional(b, k, NULL, NULL, 0, NULL, NULL))
		s = bio_to_string(b);
	BIO_free(b);
	return s;
}

static void add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ex) {
		X509_add_ext(cert, ex, -1);
		X509_EXTENSION_free(ex);
	}
}

static void set_serial(X509 *x)
{
	unsigned char rnd[16];
	BIGNUM *bn;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		memset(rnd, 0x5a, sizeof(rnd));
	rnd[0] &= 0x7f;
	bn = BN_bin2bn(rnd, sizeof(rnd), NULL);
	if (bn) {
		BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
		BN_free(bn);
	}
}

static void set_name(X509_NAME *n, const char *cn, const char *org)
{
	if (org && *org)
		X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
}

enum od_status sim_certs_new(struct sim_certs **out, struct err *e)
{
	struct sim_certs *c = calloc(1, sizeof(*c));
	time_t now = time(NULL);
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	c->ca_key = EVP_EC_gen("P-256");
	c->ca = X509_new();
	if (!c->ca_key || !c->ca)
		goto fail;
	X509_set_version(c->ca, 2);
	set_serial(c->ca);
	X509_time_adj_ex(X509_getm_notBefore(c->ca), 0, -3600, &now);
	X509_time_adj_ex(X509_getm_notAfter(c->ca), 3650, 0, &now);
	set_name(X509_get_subject_name(c->ca), "opsdeck-sim-ca", NULL);
	X509_set_issuer_name(c->ca, X509_get_subject_name(c->ca));
	X509_set_pubkey(c->ca, c->ca_key);
	add_ext(c->ca, c->ca, NID_basic_constraints, "critical,CA:TRUE");
	add_ext(c->ca, c->ca, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
	add_ext(c->ca, c->ca, NID_subject_key_identifier, "hash");
	if (!X509_sign(c->ca, c->ca_key, EVP_sha256()))
		goto fail;
	c->ca_pem = cert_to_pem(c->ca);
	if (!c->ca_pem)
		goto fail;
	*out = c;
	return OD_OK;
fail:
	sim_certs_free(&c);
	return err_set(e, OD_EIO, "cannot create the CA certificate");
}

enum od_status sim_certs_load_ca(struct sim_certs **out, const char *cert_pem,
				 const char *key_pem, struct err *e)
{
	struct sim_certs *c = calloc(1, sizeof(*c));
	BIO *b;
	if (!c)
		return err_set(e, OD_ENOMEM, "out of memory");
	b = BIO_new_mem_buf(cert_pem, -1);
	c->ca = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (key_pem) {
		b = BIO_new_mem_buf(key_pem, -1);
		c->ca_key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
		BIO_free(b);
	}
	c->ca_pem = strdup(cert_pem);
	if (!c->ca || !c->ca_pem || (key_pem && !c->ca_key)) {
		sim_certs_free(&c);
		return err_set(e, OD_EPARSE, "cannot read the CA certificate or key");
	}
	*out = c;
	return OD_OK;
}

void sim_certs_free(struct sim_certs **pc)
{
	struct sim_certs *c = pc ? *pc : NULL;
	if (!c)
		return;
	X509_free(c->ca);
	EVP_PKEY_free(c->ca_key);
	free(c->ca_pem);
	free(c);
	*pc = NULL;
}

const char *sim_certs_ca_pem(const struct sim_certs *c)
{
	return c->ca_pem;
}

/* "DNS:a,DNS:b,IP:1.2.3.4" from comma-separated lists. */
static void san_string(const char *dns, const char *ips, char *out, size_t n)
{
	size_t len = 0;
	const char *lists[2] = { dns, ips };
	const char *prefix[2] = { "DNS:", "IP:" };
	out[0] = '\0';
	for (int k = 0; k < 2; k++) {
		const char *p = lists[k];
		while (p && *p && len < n) {
			size_t m = strcspn(p, ",");
			while (m && *p == ' ') {
				p++;
				m--;
			}
			if (m)
				len += (size_t)snprintf(out + len, n - len, "%s%s%.*s", len ? "," : "",
							prefix[k], (int)m, p);
			p += m;
			if (*p == ',')
				p++;
		}
	}
}

enum od_status sim_certs_issue(struct sim_certs *c, const char *cn, const char *org,
			       const char *dns, const char *ips, int64_t not_before,
			       int64_t not_after, bool server, char **cert_pem, char **key_pem,
			       struct err *e)
{
	char san[2048];
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	enum od_status rc = OD_OK;

	*cert_pem = NULL;
	*key_pem = NULL;
	if (!c->ca_key)
		return err_set(e, OD_ESTATE, "the CA has no key to sign with");
	key = EVP_EC_gen("P-256");
	x = X509_new();
	if (!key || !x) {
		rc = err_set(e, OD_ENOMEM, "cannot create a key");
		goto out;
	}
	X509_set_version(x, 2);
	set_serial(x);
	ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before);
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after);
	set_name(X509_get_subject_name(x), cn, org);
	X509_set_issuer_name(x, X509_get_subject_name(c->ca));
	X509_set_pubkey(x, key);
	add_ext(x, c->ca, NID_basic_constraints, "critical,CA:FALSE");
	add_ext(x, c->ca, NID_key_usage, "critical,digitalSignature,keyEncipherment");
	add_ext(x, c->ca, NID_ext_key_usage, server ? "serverAuth" : "clientAuth");
	add_ext(x, c->ca, NID_authority_key_identifier, "keyid:always");
	san_string(dns, ips, san, sizeof(san));
	if (san[0])
		add_ext(x, c->ca, NID_subject_alt_name, san);
	if (!X509_sign(x, c->ca_key, EVP_sha256())) {
		rc = err_set(e, OD_EIO, "cannot sign the certificate for %s", cn);
		goto out;
	}
	*cert_pem = cert_to_pem(x);
	*key_pem = key_to_pem(key);
	if (!*cert_pem || !*key_pem) {
		free(*cert_pem);
		free(*key_pem);
		*cert_pem = *key_pem = NULL;
		rc = err_set(e, OD_ENOMEM, "out of memory");
	}
out:
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}
