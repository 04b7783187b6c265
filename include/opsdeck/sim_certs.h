/*
 * sim_certs.h: the sim's certificate authority (OpenSSL libcrypto): the
 * HTTPS server certificate, client certificates for the kubeconfig, and
 * real certificates with chosen expiry dates for TLS Secrets.
 */
#ifndef OPSDECK_SIM_CERTS_H
#define OPSDECK_SIM_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsdeck/err.h"

struct sim_certs;   /* opaque */

/* A new CA valid from now - 1h for ten years (wall clock: TLS peers check it). */
enum od_status sim_certs_new(struct sim_certs **out, struct err *e);
/* Uses an existing CA (PEM files) instead; key may be NULL when only verifying clients. */
enum od_status sim_certs_load_ca(struct sim_certs **out, const char *cert_pem,
				 const char *key_pem, struct err *e);
void sim_certs_free(struct sim_certs **c);

/* The CA certificate in PEM. Borrowed. */
const char *sim_certs_ca_pem(const struct sim_certs *c);

/*
 * Issues a certificate signed by the CA. dns/ips name the subject alternative
 * names (comma-separated, may be NULL). Times are seconds since the epoch.
 * The caller frees *cert_pem and *key_pem.
 */
enum od_status sim_certs_issue(struct sim_certs *c, const char *cn, const char *org,
			       const char *dns, const char *ips, int64_t not_before,
			       int64_t not_after, bool server, char **cert_pem, char **key_pem,
			       struct err *e);

#endif
