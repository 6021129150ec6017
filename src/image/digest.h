/* sha256 digests of content, in the "sha256:<64 hex>" form OCI uses. */
#ifndef WCR_IMAGE_DIGEST_H
#define WCR_IMAGE_DIGEST_H

#include <stddef.h>

#include "wcr/err.h"

#define WCR_DIGEST_LEN 71 /* "sha256:" + 64 hex digits */

/* The digest of data into out (WCR_DIGEST_LEN + 1 bytes). */
int wcr_digest_sha256(const void *data, size_t len, char out[WCR_DIGEST_LEN + 1], wcr_err *err);

/* 0 when data's sha256 digest is `want`; otherwise WCR_E_DIGEST naming
 * `what` and both digests. Only sha256 is supported. */
int wcr_digest_verify(const void *data, size_t len, const char *want, const char *what, wcr_err *err);

#endif
