/* URL parsing, redirect resolution and query encoding. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/url.h"

void wcr_url_dispose(wcr_url *u)
{
    if (!u)
        return;
    free(u->scheme);
    free(u->host);
    free(u->path);
    u->scheme = u->host = u->path = NULL;
}

int wcr_url_parse(const char *s, wcr_url *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    const char *colon = strstr(s, "://");
    if (!colon)
        return wcr_err_set(err, WCR_E_INVALID, "URL \"%s\" has no scheme", s);
    out->scheme = wcr_strndup(s, (size_t)(colon - s));
    for (char *p = out->scheme; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (out->scheme && strcmp(out->scheme, "http") != 0 && strcmp(out->scheme, "https") != 0) {
        wcr_err_set(err, WCR_E_INVALID, "URL \"%s\": only http and https are supported", s);
        wcr_url_dispose(out);
        return -1;
    }
    const char *host = colon + 3, *slash = host;
    while (*slash && *slash != '/' && *slash != '?' && *slash != '#')
        slash++;
    if (slash == host || memchr(host, '@', (size_t)(slash - host))) {
        /* user:pass@host is refused: credentials never travel in URLs. */
        wcr_err_set(err, WCR_E_INVALID, "URL \"%s\" has no usable host", s);
        wcr_url_dispose(out);
        return -1;
    }
    out->host = wcr_strndup(host, (size_t)(slash - host));
    const char *end = strchr(slash, '#');
    if (*slash == '/')
        out->path = end ? wcr_strndup(slash, (size_t)(end - slash)) : wcr_strdup(slash);
    else if (*slash == '?')
        out->path = end ? wcr_asprintf("/%.*s", (int)(end - slash), slash) : wcr_asprintf("/%s", slash);
    else
        out->path = wcr_strdup("/");
    if (!out->scheme || !out->host || !out->path) {
        wcr_url_dispose(out);
        return wcr_err_set(err, WCR_E_NOMEM, "URL: out of memory");
    }
    return 0;
}

char *wcr_url_resolve(const char *base, const char *location, wcr_err *err)
{
    if (strstr(location, "://")) {
        wcr_url check;
        if (wcr_url_parse(location, &check, err) < 0)
            return NULL;
        wcr_url_dispose(&check);
        return wcr_strdup(location);
    }
    wcr_url b;
    if (wcr_url_parse(base, &b, err) < 0)
        return NULL;
    char *out = NULL;
    if (location[0] == '/' && location[1] == '/') {
        out = wcr_asprintf("%s:%s", b.scheme, location);
    } else if (location[0] == '/') {
        out = wcr_asprintf("%s://%s%s", b.scheme, b.host, location);
    } else {
        /* Relative to the base path's directory (query dropped). */
        size_t dir = strcspn(b.path, "?");
        while (dir > 0 && b.path[dir - 1] != '/')
            dir--;
        out = wcr_asprintf("%s://%s%.*s%s", b.scheme, b.host, (int)dir, b.path, location);
    }
    wcr_url_dispose(&b);
    if (!out)
        wcr_err_set(err, WCR_E_NOMEM, "URL: out of memory");
    return out;
}

void wcr_url_encode(wcr_buf *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            wcr_buf_putc(out, (char)*p);
        } else {
            char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            wcr_buf_append(out, e, 3);
        }
    }
}

bool wcr_url_same_origin(const char *a, const char *b)
{
    wcr_url ua, ub;
    if (wcr_url_parse(a, &ua, NULL) < 0)
        return false;
    if (wcr_url_parse(b, &ub, NULL) < 0) {
        wcr_url_dispose(&ua);
        return false;
    }
    bool same = strcmp(ua.scheme, ub.scheme) == 0 && wcr_str_caseeq(ua.host, ub.host);
    wcr_url_dispose(&ua);
    wcr_url_dispose(&ub);
    return same;
}
