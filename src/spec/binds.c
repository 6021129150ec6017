/* -v and --mount: bind mounts as users write them, Linux and Windows. */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "spec/spec_internal.h"

static bool is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool spec_win_drive_path(const char *p)
{
    return p && is_letter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/');
}

bool spec_win_pipe(const char *p)
{
    return p && (wcr_str_starts_with(p, "\\\\.\\pipe\\") || wcr_str_starts_with(p, "//./pipe/")) &&
           p[9] != '\0';
}

void wcr_spec_bind_dispose(wcr_spec_bind *b)
{
    if (!b)
        return;
    free(b->source);
    free(b->destination);
    memset(b, 0, sizeof *b);
}

static int set_part(char **dst, const char *p, size_t n, wcr_err *err)
{
    free(*dst);
    if (!(*dst = wcr_strndup(p, n)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    return 0;
}

/* Whether a source names a host path rather than a volume. */
static bool host_path(const char *s)
{
    return s[0] == '/' || s[0] == '\\' || spec_win_drive_path(s) || wcr_str_starts_with(s, "./") ||
           wcr_str_starts_with(s, "../") || strcmp(s, ".") == 0;
}

int wcr_spec_parse_volume(const char *text, wcr_spec_bind *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    /* Split at ':' except the one of a drive letter ("C:\", at the start
     * of a part): at most three parts. */
    const char *part[4];
    size_t len[4], n = 0;
    const char *p = text;
    while (n < 4) {
        const char *from = spec_win_drive_path(p) ? p + 2 : p;
        const char *colon = strchr(from, ':');
        part[n] = p;
        len[n] = colon ? (size_t)(colon - p) : strlen(p);
        n++;
        if (!colon)
            break;
        p = colon + 1;
    }
    if (n < 2 || n > 3)
        return wcr_err_set(err, WCR_E_INVALID,
                           "-v %s: expected SOURCE:DESTINATION[:ro|rw] (wcr has no volumes: give a "
                           "host path)", text);
    if (n == 3) {
        if (len[2] == 2 && memcmp(part[2], "ro", 2) == 0)
            out->readonly = true;
        else if (!(len[2] == 2 && memcmp(part[2], "rw", 2) == 0))
            return wcr_err_set(err, WCR_E_INVALID, "-v %s: unknown mode \"%.*s\" (ro or rw)", text,
                               (int)len[2], part[2]);
    }
    if (len[0] == 0 || len[1] == 0)
        return wcr_err_set(err, WCR_E_INVALID, "-v %s: empty %s", text,
                           len[0] == 0 ? "source" : "destination");
    if (set_part(&out->source, part[0], len[0], err) < 0 ||
        set_part(&out->destination, part[1], len[1], err) < 0) {
        wcr_spec_bind_dispose(out);
        return -1;
    }
    if (!host_path(out->source)) {
        int rc = wcr_err_set(err, WCR_E_INVALID,
                             "-v %s: \"%s\" is not a host path; wcr has no named volumes", text,
                             out->source);
        wcr_spec_bind_dispose(out);
        return rc;
    }
    return 0;
}

static bool key_is(const char *k, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(k, name, n) == 0;
}

static int bool_value(const char *v, size_t n, bool *out)
{
    if (key_is(v, n, "true") || key_is(v, n, "1"))
        *out = true;
    else if (key_is(v, n, "false") || key_is(v, n, "0"))
        *out = false;
    else
        return -1;
    return 0;
}

/* One key[=value] of --mount. */
static int mount_field(wcr_spec_bind *out, const char *text, const char *k, size_t klen,
                       const char *v, size_t vlen, bool has_value, bool *bind_type, wcr_err *err)
{
    if (key_is(k, klen, "readonly") || key_is(k, klen, "ro")) {
        if (!has_value) {
            out->readonly = true;
            return 0;
        }
        if (bool_value(v, vlen, &out->readonly) < 0)
            return wcr_err_set(err, WCR_E_INVALID, "--mount %s: %.*s takes true or false", text,
                               (int)klen, k);
        return 0;
    }
    if (!has_value)
        return wcr_err_set(err, WCR_E_INVALID, "--mount %s: \"%.*s\" needs a value", text, (int)klen, k);
    if (key_is(k, klen, "type")) {
        if (!(vlen == 4 && memcmp(v, "bind", 4) == 0))
            return wcr_err_set(err, WCR_E_UNSUPPORTED,
                               "--mount %s: type \"%.*s\" is not supported; wcr mounts type=bind",
                               text, (int)vlen, v);
        *bind_type = true;
        return 0;
    }
    if (key_is(k, klen, "src") || key_is(k, klen, "source"))
        return set_part(&out->source, v, vlen, err);
    if (key_is(k, klen, "dst") || key_is(k, klen, "destination") || key_is(k, klen, "target"))
        return set_part(&out->destination, v, vlen, err);
    return wcr_err_set(err, WCR_E_INVALID,
                       "--mount %s: unknown key \"%.*s\" (type, source, target, readonly)", text,
                       (int)klen, k);
}

int wcr_spec_parse_mount(const char *text, wcr_spec_bind *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    bool bind_type = false;
    int rc = 0;
    for (const char *p = text; rc == 0;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (n == 0)
            rc = wcr_err_set(err, WCR_E_INVALID, "--mount %s: empty field", text);
        else if (eq)
            rc = mount_field(out, text, p, (size_t)(eq - p), eq + 1, n - (size_t)(eq - p) - 1, true,
                             &bind_type, err);
        else
            rc = mount_field(out, text, p, n, NULL, 0, false, &bind_type, err);
        if (!comma)
            break;
        p = comma + 1;
    }
    if (rc == 0 && !bind_type)
        rc = wcr_err_set(err, WCR_E_INVALID, "--mount %s: needs type=bind", text);
    if (rc == 0 && (!out->source || !out->source[0]))
        rc = wcr_err_set(err, WCR_E_INVALID, "--mount %s: needs source=PATH", text);
    if (rc == 0 && (!out->destination || !out->destination[0]))
        rc = wcr_err_set(err, WCR_E_INVALID, "--mount %s: needs target=PATH", text);
    if (rc < 0)
        wcr_spec_bind_dispose(out);
    return rc;
}
