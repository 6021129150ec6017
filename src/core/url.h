/* URLs as registries use them: absolute http(s) URLs, relative redirect
 * targets, and query parameters that need percent-encoding. */
#ifndef WCR_CORE_URL_H
#define WCR_CORE_URL_H

#include <stdbool.h>

#include "core/buf.h"
#include "wcr/err.h"

typedef struct wcr_url {
    char *scheme;     /* "http" or "https", lower case */
    char *host;       /* with the port if one was given: "127.0.0.1:5000" */
    char *path;       /* from the first '/', query included; "/" at least */
} wcr_url;

/* Parse an absolute http or https URL. */
int wcr_url_parse(const char *s, wcr_url *out, wcr_err *err);
void wcr_url_dispose(wcr_url *u);

/* The absolute URL a Location header leads to from `base`: an absolute
 * URL, a scheme-relative "//host/path", an absolute path "/x" or a
 * relative one "x". malloc'd. */
char *wcr_url_resolve(const char *base, const char *location, wcr_err *err);

/* Append s percent-encoded for a query value (RFC 3986 unreserved kept). */
void wcr_url_encode(wcr_buf *out, const char *s);

/* Whether two absolute URLs name the same scheme and host. */
bool wcr_url_same_origin(const char *a, const char *b);

#endif
