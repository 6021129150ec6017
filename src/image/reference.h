/* Image references as Docker reads them, and content digests.
 *
 * Grammar (distribution's "reference" package, which Docker and containerd
 * share):
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ domain "/" ] path
 *   domain     := host [ ":" port ]       host: DNS-like name or [IPv6]
 *   path       := component ( "/" component )*
 *   component  := [a-z0-9]+ ( separator [a-z0-9]+ )*
 *   separator  := "." | "_" | "__" | "-"+
 *   tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 *
 * Normalisation, as Docker does it: the first component is the registry
 * when it contains '.' or ':', is "localhost", or has an upper-case letter
 * (a repository never does); otherwise the registry is docker.io. On
 * docker.io a one-component path gets "library/" in front, and the legacy
 * name index.docker.io becomes docker.io. With neither tag nor digest the
 * tag is "latest". So `busybox` is docker.io/library/busybox:latest, and
 * mcr.microsoft.com/windows/nanoserver:ltsc2022 stays as it is.
 *
 * The full name (registry "/" path) may not exceed 255 characters, the
 * limit registries and the distribution spec name. A reference with both a
 * tag and a digest keeps both; the digest is what is fetched.
 */
#ifndef WCR_IMAGE_REFERENCE_H
#define WCR_IMAGE_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wcr/err.h"

#define WCR_REF_NAME_MAX 255
#define WCR_REF_TAG_MAX 128

#define WCR_REF_DEFAULT_DOMAIN "docker.io"
#define WCR_REF_DOCKER_HUB_HOST "registry-1.docker.io"

typedef struct wcr_ref {
    char *domain; /* "docker.io", "mcr.microsoft.com", "localhost:5000" */
    char *path;   /* "library/busybox", "windows/nanoserver" */
    char *tag;    /* "latest"; NULL when only a digest was given */
    char *digest; /* "sha256:<64 hex>", or NULL */
} wcr_ref;

#define WCR_REF_INIT { NULL, NULL, NULL, NULL }

/* Parse and normalise a reference. On failure *out is left empty and err
 * (WCR_E_INVALID) names the bad part:
 *   invalid reference "Busybox": repository name must be lowercase
 *   invalid reference "busybox:a:b": invalid tag "a:b"
 * (WCR_E_NOMEM when memory is exhausted). */
int wcr_ref_parse(wcr_ref *out, const char *s, wcr_err *err);

/* Release the strings; the struct is left empty. NULL is fine. */
void wcr_ref_dispose(wcr_ref *ref);

/* A deep copy into dst (which is overwritten, not released). */
int wcr_ref_copy(wcr_ref *dst, const wcr_ref *src, wcr_err *err);

/* The normalised reference, "docker.io/library/busybox:latest" (with
 * "@digest" when there is one); malloc'd, NULL when memory is exhausted.
 * It parses back to the same wcr_ref. */
char *wcr_ref_string(const wcr_ref *ref);

/* Docker's short form for people: "busybox:latest", "user/app:1",
 * "mcr.microsoft.com/windows/nanoserver:ltsc2022"; malloc'd. */
char *wcr_ref_familiar(const wcr_ref *ref);

/* The name without tag or digest, "docker.io/library/busybox"; malloc'd. */
char *wcr_ref_name(const wcr_ref *ref);

/* The host to talk to: registry-1.docker.io for docker.io, otherwise the
 * domain (with its port). Borrowed from ref or static. */
const char *wcr_ref_registry_host(const wcr_ref *ref);

/* The repository on that registry ("library/busybox"). Borrowed. */
const char *wcr_ref_repository(const wcr_ref *ref);

/* ---------------------------------------------------------------------
 * Digests, "algorithm:hex". Supported: sha256 (64 lower-case hex digits)
 * and sha512 (128). Any other algorithm is refused by name.
 * -------------------------------------------------------------------- */

/* "sha256:" + 64 hex digits. */
#define WCR_DIGEST_SHA256_LEN 71

bool wcr_digest_valid(const char *digest);

/* 0 when valid; otherwise -1 with WCR_E_INVALID and a message that quotes
 * the digest: invalid digest "md5:...": unsupported algorithm "md5"
 * (sha256 and sha512 are); invalid digest "sha256:ABC": sha256 needs 64
 * lower-case hex digits; invalid digest "x": not algorithm:hex. */
int wcr_digest_check(const char *digest, wcr_err *err);

/* The hex part of a valid digest (borrowed, inside `digest`), or NULL. */
const char *wcr_digest_hex(const char *digest);

/* Format a SHA-256 sum as "sha256:<hex>" into out. */
void wcr_digest_sha256_format(const uint8_t sum[32], char out[WCR_DIGEST_SHA256_LEN + 1]);

#endif
