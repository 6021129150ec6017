/* Image references (Docker's grammar and normalisation) and digests. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "image/quote.h"
#include "image/reference.h"

#define LEGACY_DOCKER_HUB "index.docker.io"
#define OFFICIAL_PREFIX "library/"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_lower_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f');
}

static bool is_lower_alnum(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z');
}

static bool is_alnum(char c)
{
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

static bool all_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_lower_hex(s[i]))
            return false;
    return true;
}

/* ---- digests ---------------------------------------------------------- */

/* OCI's algorithm grammar: [a-z0-9]+ joined by single [+._-]. */
static bool algorithm_ok(const char *s, size_t n)
{
    if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
        return false;
    for (size_t i = 1; i < n; i++) {
        bool sep = s[i] == '+' || s[i] == '.' || s[i] == '_' || s[i] == '-';
        if (!sep && !is_lower_alnum(s[i]))
            return false;
        if (sep && !is_lower_alnum(s[i - 1]))
            return false;
    }
    return true;
}

/* OCI's encoded grammar: [a-zA-Z0-9=_-]+. */
static bool encoded_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!is_alnum(*s) && *s != '=' && *s != '_' && *s != '-')
            return false;
    return true;
}

/* The hex length an algorithm needs, or 0 for one wcr does not know. */
static size_t algorithm_hex_len(const char *s, size_t n)
{
    if (n == 6 && memcmp(s, "sha256", 6) == 0)
        return 64;
    if (n == 6 && memcmp(s, "sha512", 6) == 0)
        return 128;
    return 0;
}

int wcr_digest_check(const char *digest, wcr_err *err)
{
    char q[IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, digest, strlen(digest));
    const char *colon = strchr(digest, ':');
    if (!colon || !algorithm_ok(digest, (size_t)(colon - digest)) || !encoded_ok(colon + 1))
        return wcr_err_set(err, WCR_E_INVALID, "invalid digest %s: not algorithm:hex", q);
    size_t alen = (size_t)(colon - digest);
    size_t want = algorithm_hex_len(digest, alen);
    if (want == 0) {
        char qa[IMG_QUOTE_SIZE];
        img_quote(qa, sizeof qa, digest, alen);
        return wcr_err_set(err, WCR_E_INVALID,
                           "invalid digest %s: unsupported algorithm %s (sha256 and sha512 are)",
                           q, qa);
    }
    const char *hex = colon + 1;
    size_t hlen = strlen(hex);
    if (hlen != want || !all_lower_hex(hex, hlen))
        return wcr_err_set(err, WCR_E_INVALID, "invalid digest %s: %.*s needs %zu lower-case hex digits",
                           q, (int)alen, digest, want);
    return 0;
}

bool wcr_digest_valid(const char *digest)
{
    return digest && wcr_digest_check(digest, NULL) == 0;
}

const char *wcr_digest_hex(const char *digest)
{
    return wcr_digest_valid(digest) ? strchr(digest, ':') + 1 : NULL;
}

void wcr_digest_sha256_format(const uint8_t sum[32], char out[WCR_DIGEST_SHA256_LEN + 1])
{
    static const char hexdigits[] = "0123456789abcdef";
    memcpy(out, "sha256:", 7);
    for (size_t i = 0; i < 32; i++) {
        out[7 + 2 * i] = hexdigits[sum[i] >> 4];
        out[8 + 2 * i] = hexdigits[sum[i] & 15];
    }
    out[WCR_DIGEST_SHA256_LEN] = '\0';
}

/* ---- names ------------------------------------------------------------- */

/* Between alphanumeric runs: ".", "_", "__" or any run of "-". */
static bool separator_ok(const char *s, size_t n)
{
    if (n == 1)
        return s[0] == '.' || s[0] == '_' || s[0] == '-';
    if (n == 2 && s[0] == '_' && s[1] == '_')
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '-')
            return false;
    return true;
}

static bool component_ok(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        size_t start = i;
        while (i < n && is_lower_alnum(s[i]))
            i++;
        if (i == start)
            return false; /* empty, or a separator at the start */
        if (i == n)
            return true;
        size_t sep = i;
        while (i < n && !is_lower_alnum(s[i]))
            i++;
        if (i == n || !separator_ok(s + sep, i - sep))
            return false;
    }
}

/* A domain name of [A-Za-z0-9-] labels (no '-' at either end), or an
 * IPv6 address in brackets; then an optional ":port". */
static bool domain_ok(const char *s, size_t n)
{
    size_t i = 0;
    if (n > 0 && s[0] == '[') {
        i = 1;
        while (i < n && (is_lower_hex(s[i]) || (s[i] >= 'A' && s[i] <= 'F') || s[i] == ':'))
            i++;
        if (i == 1 || i >= n || s[i] != ']')
            return false;
        i++;
    } else {
        for (;;) {
            size_t start = i;
            while (i < n && (is_alnum(s[i]) || s[i] == '-'))
                i++;
            if (i == start || s[start] == '-' || s[i - 1] == '-')
                return false;
            if (i < n && s[i] == '.') {
                i++;
                continue;
            }
            break;
        }
    }
    if (i == n)
        return true;
    if (s[i] != ':')
        return false;
    size_t start = ++i;
    while (i < n && is_digit(s[i]))
        i++;
    return i > start && i == n;
}

static bool tag_ok(const char *s, size_t n)
{
    if (n == 0 || n > WCR_REF_TAG_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool word = is_alnum(c) || c == '_';
        if (!word && (i == 0 || (c != '.' && c != '-')))
            return false;
    }
    return true;
}

/* Does the first path component name a registry? (Docker's rule.) */
static bool looks_like_domain(const char *s, size_t n)
{
    if (n == 9 && memcmp(s, "localhost", 9) == 0)
        return true;
    return memchr(s, '.', n) || memchr(s, ':', n) || has_upper(s, n);
}

/* The pieces of a reference string, as spans of the input. */
typedef struct ref_spans {
    const char *name, *tag, *digest;
    size_t name_len, tag_len;
    bool has_tag;
} ref_spans;

/* name[:tag][@digest]: the digest follows the first '@'; the tag follows
 * the first ':' after the last '/' before it (a ':' earlier than that
 * belongs to the registry's port). */
static void split_reference(const char *s, ref_spans *sp)
{
    memset(sp, 0, sizeof *sp);
    const char *at = strchr(s, '@');
    size_t end = at ? (size_t)(at - s) : strlen(s);
    sp->digest = at ? at + 1 : NULL;
    size_t from = 0;
    for (size_t i = 0; i < end; i++)
        if (s[i] == '/')
            from = i + 1;
    const char *colon = memchr(s + from, ':', end - from);
    sp->name = s;
    sp->name_len = colon ? (size_t)(colon - s) : end;
    if (colon) {
        sp->has_tag = true;
        sp->tag = colon + 1;
        sp->tag_len = end - sp->name_len - 1;
    }
}

static int invalid(wcr_err *err, const char *input, const char *fmt, ...) WCR_PRINTF(3, 4);

/* "invalid reference "<input>": <why>". */
static int invalid(wcr_err *err, const char *input, const char *fmt, ...)
{
    char qi[IMG_QUOTE_SIZE];
    img_quote(qi, sizeof qi, input, strlen(input));
    char why[3 * IMG_QUOTE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return wcr_err_set(err, WCR_E_INVALID, "invalid reference %s: %s", qi, why);
}

/* The same, where why quotes one piece of the input: what + " " + "piece". */
static int invalid_piece(wcr_err *err, const char *input, const char *what, const char *piece,
                         size_t n)
{
    char q[IMG_QUOTE_SIZE];
    img_quote(q, sizeof q, piece, n);
    return invalid(err, input, "%s %s", what, q);
}

/* Registry and path after normalisation, still as spans (path may need
 * the "library/" prefix, which is reported separately). */
typedef struct name_parts {
    const char *domain, *path;
    size_t domain_len, path_len;
    bool hub;      /* the registry is docker.io */
    bool official; /* path gets "library/" in front */
} name_parts;

static void split_name(const char *name, size_t n, name_parts *np)
{
    const char *slash = memchr(name, '/', n);
    size_t first = slash ? (size_t)(slash - name) : n;
    np->official = false;
    if (slash && looks_like_domain(name, first)) {
        np->domain = name;
        np->domain_len = first;
        np->path = slash + 1;
        np->path_len = n - first - 1;
        if (first == strlen(LEGACY_DOCKER_HUB) && memcmp(name, LEGACY_DOCKER_HUB, first) == 0) {
            np->domain = WCR_REF_DEFAULT_DOMAIN;
            np->domain_len = strlen(WCR_REF_DEFAULT_DOMAIN);
        }
    } else {
        np->domain = WCR_REF_DEFAULT_DOMAIN;
        np->domain_len = strlen(WCR_REF_DEFAULT_DOMAIN);
        np->path = name;
        np->path_len = n;
    }
    np->hub = np->domain_len == strlen(WCR_REF_DEFAULT_DOMAIN) &&
              memcmp(np->domain, WCR_REF_DEFAULT_DOMAIN, np->domain_len) == 0;
    np->official = np->hub && !memchr(np->path, '/', np->path_len);
}

static int check_path(const char *input, const char *path, size_t n, wcr_err *err)
{
    if (has_upper(path, n))
        return invalid(err, input, "repository name must be lowercase");
    size_t i = 0;
    while (i <= n) {
        const char *slash = memchr(path + i, '/', n - i);
        size_t end = slash ? (size_t)(slash - path) : n;
        if (!component_ok(path + i, end - i)) {
            if (end == i)
                return invalid(err, input, "empty component in the repository name");
            return invalid_piece(err, input, "invalid repository name component", path + i,
                                 end - i);
        }
        i = end + 1;
    }
    return 0;
}

/* A bare 64-hex string is an image ID; Docker refuses it as a name. */
static bool is_identifier(const char *s)
{
    return strlen(s) == 64 && all_lower_hex(s, 64);
}

static int check_spans(const char *s, const ref_spans *sp, const name_parts *np, wcr_err *err)
{
    if (sp->digest) {
        wcr_err derr = WCR_ERR_INIT;
        if (wcr_digest_check(sp->digest, &derr) < 0) {
            int rc = invalid(err, s, "%s", derr.msg);
            wcr_err_dispose(&derr);
            return rc;
        }
    }
    if (sp->has_tag && !tag_ok(sp->tag, sp->tag_len))
        return invalid_piece(err, s, "invalid tag", sp->tag, sp->tag_len);
    if (sp->name_len == 0)
        return invalid(err, s, "no repository name");
    if (!np->hub && !domain_ok(np->domain, np->domain_len))
        return invalid_piece(err, s, "invalid registry", np->domain, np->domain_len);
    if (check_path(s, np->path, np->path_len, err) < 0)
        return -1;
    size_t total = np->domain_len + 1 + (np->official ? strlen(OFFICIAL_PREFIX) : 0) + np->path_len;
    if (total > WCR_REF_NAME_MAX)
        return invalid(err, s, "the name is longer than %d characters", WCR_REF_NAME_MAX);
    return 0;
}

int wcr_ref_parse(wcr_ref *out, const char *s, wcr_err *err)
{
    *out = (wcr_ref)WCR_REF_INIT;
    if (!*s)
        return wcr_err_set(err, WCR_E_INVALID, "invalid reference \"\": empty");
    if (is_identifier(s))
        return invalid(err, s, "a 64-digit hex string is an image ID, not a name");
    ref_spans sp;
    split_reference(s, &sp);
    name_parts np;
    split_name(sp.name, sp.name_len, &np);
    if (check_spans(s, &sp, &np, err) < 0)
        return -1;

    wcr_ref r = WCR_REF_INIT;
    r.domain = wcr_strndup(np.domain, np.domain_len);
    r.path = wcr_asprintf("%s%.*s", np.official ? OFFICIAL_PREFIX : "", (int)np.path_len, np.path);
    if (sp.has_tag)
        r.tag = wcr_strndup(sp.tag, sp.tag_len);
    else if (!sp.digest)
        r.tag = wcr_strdup("latest");
    if (sp.digest)
        r.digest = wcr_strdup(sp.digest);
    if (!r.domain || !r.path || (!r.tag && !sp.digest) || (sp.digest && !r.digest)) {
        wcr_ref_dispose(&r);
        return wcr_err_set(err, WCR_E_NOMEM, "parse reference: out of memory");
    }
    *out = r;
    return 0;
}

void wcr_ref_dispose(wcr_ref *ref)
{
    if (!ref)
        return;
    free(ref->domain);
    free(ref->path);
    free(ref->tag);
    free(ref->digest);
    *ref = (wcr_ref)WCR_REF_INIT;
}

int wcr_ref_copy(wcr_ref *dst, const wcr_ref *src, wcr_err *err)
{
    wcr_ref r = WCR_REF_INIT;
    r.domain = wcr_strdup(src->domain);
    r.path = wcr_strdup(src->path);
    r.tag = wcr_strdup(src->tag);
    r.digest = wcr_strdup(src->digest);
    if ((src->domain && !r.domain) || (src->path && !r.path) || (src->tag && !r.tag) ||
        (src->digest && !r.digest)) {
        wcr_ref_dispose(&r);
        *dst = (wcr_ref)WCR_REF_INIT;
        return wcr_err_set(err, WCR_E_NOMEM, "copy reference: out of memory");
    }
    *dst = r;
    return 0;
}

/* name + ":tag" + "@digest", each when present. */
static char *with_suffixes(const char *name, const wcr_ref *ref)
{
    return wcr_asprintf("%s%s%s%s%s", name, ref->tag ? ":" : "", ref->tag ? ref->tag : "",
                        ref->digest ? "@" : "", ref->digest ? ref->digest : "");
}

char *wcr_ref_name(const wcr_ref *ref)
{
    return wcr_asprintf("%s/%s", ref->domain, ref->path);
}

char *wcr_ref_string(const wcr_ref *ref)
{
    char *name = wcr_ref_name(ref);
    if (!name)
        return NULL;
    char *out = with_suffixes(name, ref);
    free(name);
    return out;
}

char *wcr_ref_familiar(const wcr_ref *ref)
{
    if (strcmp(ref->domain, WCR_REF_DEFAULT_DOMAIN) != 0)
        return wcr_ref_string(ref);
    const char *path = ref->path;
    /* "library/x" shortens to "x"; deeper paths under library/ do not. */
    if (wcr_str_starts_with(path, OFFICIAL_PREFIX) &&
        !strchr(path + strlen(OFFICIAL_PREFIX), '/'))
        path += strlen(OFFICIAL_PREFIX);
    /* Unlike Docker, keep docker.io when dropping it would make the first
     * component read as a registry ("docker.io/a.b/c"). */
    const char *slash = strchr(path, '/');
    if (slash && looks_like_domain(path, (size_t)(slash - path)))
        return wcr_ref_string(ref);
    return with_suffixes(path, ref);
}

const char *wcr_ref_registry_host(const wcr_ref *ref)
{
    if (strcmp(ref->domain, WCR_REF_DEFAULT_DOMAIN) == 0)
        return WCR_REF_DOCKER_HUB_HOST;
    return ref->domain;
}

const char *wcr_ref_repository(const wcr_ref *ref)
{
    return ref->path;
}
