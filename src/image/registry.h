/* A client of the OCI distribution API (what Docker Hub, MCR and
 * docker-registry speak): manifests and blobs over HTTP(S), with bearer
 * and basic authentication, redirects (Authorization is dropped when a
 * redirect leaves the registry's host), retries with backoff on 5xx, 429
 * and cut connections, and Range resume.
 *
 * A wcr_registry is shared by the threads of a pull (it holds the
 * credentials and the token cache, under a lock); each thread uses its
 * own wcr_reg_conn (an HTTP handle that keeps connections alive). */
#ifndef WCR_IMAGE_REGISTRY_H
#define WCR_IMAGE_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "image/auth.h"
#include "wcr/err.h"

typedef struct wcr_registry wcr_registry;
typedef struct wcr_reg_conn wcr_reg_conn;

typedef struct wcr_registry_options {
    unsigned version;         /* WCR_REGISTRY_OPTIONS_VERSION */
    const char *host;         /* as in references: docker.io, 127.0.0.1:5000 */
    bool insecure;            /* plain http allowed (after https fails) */
    const wcr_creds *creds;   /* NULL: anonymous unless ~/.docker/config.json has some */
    const char *docker_config;/* the config file to read instead of the default */
    unsigned max_attempts;    /* per request; 0: 5 */
    unsigned backoff_ms;      /* first retry delay, doubling; 0: 500 */
} wcr_registry_options;

#define WCR_REGISTRY_OPTIONS_VERSION 1
#define WCR_REGISTRY_OPTIONS_INIT { WCR_REGISTRY_OPTIONS_VERSION, NULL, false, NULL, NULL, 0, 0 }

/* Plain http is allowed for these hosts without --insecure-registry, as
 * Docker does: localhost, 127.0.0.0/8 and ::1, any port. */
bool wcr_registry_is_local(const char *host);

wcr_registry *wcr_registry_new(const wcr_registry_options *o, wcr_err *err);
void wcr_registry_free(wcr_registry *r);

wcr_reg_conn *wcr_reg_conn_new(wcr_registry *r, wcr_err *err);
void wcr_reg_conn_free(wcr_reg_conn *c);
/* Stop the connection's request in progress (from any thread), and every
 * later one. */
void wcr_reg_conn_cancel(wcr_reg_conn *c);

/* A manifest or index, as fetched. */
typedef struct wcr_fetched {
    char *media_type;   /* from Content-Type (parameters dropped) */
    char digest[72];    /* sha256 of the bytes, computed here */
    wcr_buf body;
} wcr_fetched;

void wcr_fetched_dispose(wcr_fetched *f);

/* GET a manifest by tag or digest (`ref`). With a digest (in `ref` or in
 * `expect`), the bytes must hash to it. The body is capped at
 * WCR_MANIFEST_MAX_SIZE. */
int wcr_registry_get_manifest(wcr_reg_conn *c, const char *repo, const char *ref,
                              const char *expect, wcr_fetched *out, wcr_err *err);

/* GET a small blob (a config) into out, capped at `limit`, and check its
 * digest. */
int wcr_registry_get_small_blob(wcr_reg_conn *c, const char *repo, const char *digest,
                                size_t limit, wcr_buf *out, wcr_err *err);

/* Where blob bytes go, in order and without gaps, from the offset asked
 * for. Return -1 with err set to stop. */
typedef int (*wcr_blob_sink)(void *ud, const void *data, size_t len, wcr_err *err);

/* GET a blob from `offset` on (Range), feeding `sink`. Retries resume
 * where the sink stopped receiving. `urls` (a foreign layer's, may be
 * NULL) are tried first, then the registry. The caller checks the digest
 * (containerd does, when the content is committed). */
int wcr_registry_get_blob(wcr_reg_conn *c, const char *repo, const char *digest, uint64_t offset,
                          const char *const *urls, size_t nurls, wcr_blob_sink sink, void *ud,
                          wcr_err *err);

#endif
