/* Snapshot mounts to layers and layerFolders; the mounts JSON that ctr
 * prints (layers.h). */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "core/utf.h"
#include "spec/layers.h"

#define PARENTS_OPT "parentLayerPaths="

void wcr_layers_dispose(wcr_layers *l)
{
    if (!l)
        return;
    wcr_strv_dispose(&l->lower);
    free(l->upper);
    free(l->work);
    memset(l, 0, sizeof *l);
}

/* The value of option "key=..." (key includes the '='), or NULL. */
static const char *option(const wcr_mount *m, const char *key)
{
    for (size_t i = 0; i < m->noptions; i++)
        if (m->options[i] && wcr_str_starts_with(m->options[i], key))
            return m->options[i] + strlen(key);
    return NULL;
}

static bool has_option(const wcr_mount *m, const char *opt)
{
    for (size_t i = 0; i < m->noptions; i++)
        if (m->options[i] && strcmp(m->options[i], opt) == 0)
            return true;
    return false;
}

static int set_str(char **dst, const char *s, wcr_err *err)
{
    if (!s)
        return 0;
    if (!(*dst = wcr_strdup(s)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    return 0;
}

/* parentLayerPaths=["a","b"]: a JSON array of strings. */
static int windows_parents(wcr_strv *out, const char *json, wcr_err *err)
{
    wcr_json_doc *doc = NULL;
    if (wcr_json_parse(&doc, json, strlen(json), NULL, err) < 0)
        return wcr_err_wrap(err, "option parentLayerPaths");
    const wcr_json *arr = wcr_json_root(doc);
    int rc = 0;
    if (!wcr_json_is_array(arr))
        rc = wcr_err_set(err, WCR_E_PARSE, "option parentLayerPaths: not a JSON array");
    for (const wcr_json *e = wcr_json_first(arr); e && rc == 0; e = wcr_json_next(e)) {
        const char *s = wcr_json_string(e);
        if (!s || !s[0])
            rc = wcr_err_set(err, WCR_E_PARSE, "option parentLayerPaths: an entry is not a path");
        else
            rc = wcr_strv_push(out, s, err);
    }
    wcr_json_doc_free(doc);
    return rc;
}

/* lowerdir=A:B:C, where '\' escapes the next character (overlayfs). */
static int overlay_lowers(wcr_strv *out, const char *s, wcr_err *err)
{
    wcr_buf cur = WCR_BUF_INIT("lowerdir", WCR_BUF_NO_LIMIT);
    int rc = 0;
    for (const char *p = s;; p++) {
        if (*p == '\\' && p[1]) {
            wcr_buf_putc(&cur, *++p);
            continue;
        }
        if (*p && *p != ':') {
            wcr_buf_putc(&cur, *p);
            continue;
        }
        if (cur.len == 0)
            rc = wcr_err_set(err, WCR_E_PARSE, "option lowerdir: empty directory in \"%s\"", s);
        else if ((rc = wcr_buf_check(&cur, err)) == 0)
            rc = wcr_strv_push(out, wcr_buf_cstr(&cur), err);
        wcr_buf_reset(&cur);
        if (rc < 0 || !*p)
            break;
    }
    wcr_buf_dispose(&cur);
    return rc;
}

int wcr_layers_from_mounts(wcr_layers *out, const wcr_mounts *m, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    if (!m || m->n != 1)
        return wcr_err_set(err, WCR_E_UNSUPPORTED,
                           "expected one mount for the snapshot, got %zu", m ? m->n : 0);
    const wcr_mount *mt = &m->items[0];
    const char *type = mt->type ? mt->type : "";
    int rc;
    if (strcmp(type, "windows-layer") == 0) {
        out->kind = WCR_LAYERS_WINDOWS;
        if (!mt->source || !mt->source[0])
            return wcr_err_set(err, WCR_E_PARSE, "windows-layer mount without a Source");
        const char *parents = option(mt, PARENTS_OPT);
        rc = parents ? windows_parents(&out->lower, parents, err) : 0;
        if (rc == 0)
            rc = set_str(&out->upper, mt->source, err);
    } else if (strcmp(type, "overlay") == 0) {
        out->kind = WCR_LAYERS_OVERLAY;
        const char *lower = option(mt, "lowerdir=");
        if (!lower)
            return wcr_err_set(err, WCR_E_PARSE, "overlay mount without a lowerdir option");
        rc = overlay_lowers(&out->lower, lower, err);
        if (rc == 0)
            rc = set_str(&out->upper, option(mt, "upperdir="), err);
        if (rc == 0)
            rc = set_str(&out->work, option(mt, "workdir="), err);
    } else if (strcmp(type, "bind") == 0) {
        out->kind = WCR_LAYERS_BIND;
        if (!mt->source || !mt->source[0])
            return wcr_err_set(err, WCR_E_PARSE, "bind mount without a Source");
        rc = has_option(mt, "ro") ? wcr_strv_push(&out->lower, mt->source, err)
                                  : set_str(&out->upper, mt->source, err);
    } else {
        return wcr_err_set(err, WCR_E_UNSUPPORTED,
                           "a mount of type \"%s\": wcr reads windows-layer, overlay and bind mounts",
                           type);
    }
    if (rc < 0)
        wcr_layers_dispose(out);
    return rc;
}

int wcr_layers_folders(wcr_strv *out, const wcr_mounts *m, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    wcr_layers l;
    if (wcr_layers_from_mounts(&l, m, err) < 0)
        return wcr_err_wrap(err, "layerFolders");
    int rc = 0;
    if (l.kind != WCR_LAYERS_WINDOWS) {
        rc = wcr_err_set(err, WCR_E_UNSUPPORTED,
                         "layerFolders: the snapshot's mount is of type \"%s\", not windows-layer "
                         "(a Windows snapshot from the windows snapshotter)",
                         m->items[0].type ? m->items[0].type : "");
    } else if (l.lower.n == 0) {
        rc = wcr_err_set(err, WCR_E_INVALID,
                         "layerFolders: needs at least two entries (parent layers, then the "
                         "scratch layer), but the snapshot has no parentLayerPaths; prepare it "
                         "on an image's top layer");
    }
    for (size_t i = 0; rc == 0 && i < l.lower.n; i++)
        rc = wcr_strv_push(out, l.lower.v[i], err);
    if (rc == 0)
        rc = wcr_strv_push(out, l.upper, err);
    if (rc < 0)
        wcr_strv_dispose(out);
    wcr_layers_dispose(&l);
    return rc;
}

/* A member by key, without case (Go's encoding/json matches so). */
static const wcr_json *member(const wcr_json *obj, const char *key)
{
    for (const wcr_json *m = wcr_json_first(obj); m; m = wcr_json_next(m))
        if (wcr_str_caseeq(wcr_json_key(m), key))
            return m;
    return NULL;
}

static int opt_string(const wcr_json *obj, const char *key, const char **out, size_t i, wcr_err *err)
{
    const wcr_json *v = member(obj, key);
    *out = NULL;
    if (!v || wcr_json_is_null(v))
        return 0;
    if (!(*out = wcr_json_string(v)))
        return wcr_err_set(err, WCR_E_PARSE, "[%zu].%s: not a string", i, key);
    return 0;
}

static int read_mount(wcr_mounts *out, const wcr_json *obj, size_t i, wcr_err *err)
{
    if (!wcr_json_is_object(obj))
        return wcr_err_set(err, WCR_E_PARSE, "[%zu]: not an object", i);
    const char *type, *source, *target;
    if (opt_string(obj, "Type", &type, i, err) < 0 || opt_string(obj, "Source", &source, i, err) < 0 ||
        opt_string(obj, "Target", &target, i, err) < 0)
        return -1;
    if (!type || !type[0])
        return wcr_err_set(err, WCR_E_PARSE, "[%zu]: no Type", i);
    const wcr_json *opts = member(obj, "Options");
    if (opts && !wcr_json_is_null(opts) && !wcr_json_is_array(opts))
        return wcr_err_set(err, WCR_E_PARSE, "[%zu].Options: not an array", i);
    size_t n = wcr_json_len(opts);
    const char **v = n ? calloc(n, sizeof *v) : NULL;
    if (n && !v)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++)
        if (!(v[k] = wcr_json_string(wcr_json_at(opts, k))))
            rc = wcr_err_set(err, WCR_E_PARSE, "[%zu].Options[%zu]: not a string", i, k);
    if (rc == 0)
        rc = wcr_mounts_push(out, type, source ? source : "", target ? target : "", v, n, err);
    free(v);
    return rc;
}

/* The text as UTF-8: a UTF-8 mark dropped, UTF-16LE with its mark
 * converted. *conv is set when memory was allocated. */
static int as_utf8(const char **data, size_t *len, char **conv, wcr_err *err)
{
    const unsigned char *u = (const unsigned char *)*data;
    *conv = NULL;
    if (*len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *data += 3;
        *len -= 3;
    } else if (*len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        size_t n = (*len - 2) / 2;
        uint16_t *w = malloc((n ? n : 1) * sizeof *w);
        if (!w)
            return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            w[i] = (uint16_t)(u[2 + 2 * i] | (u[3 + 2 * i] << 8));
        *conv = wcr_utf16_to_utf8(w, n, len, err);
        free(w);
        if (!*conv)
            return -1;
        *data = *conv;
    }
    return 0;
}

int wcr_mounts_parse_json(wcr_mounts *out, const char *name, const char *data, size_t len,
                          wcr_err *err)
{
    memset(out, 0, sizeof *out);
    if (len > WCR_MOUNTS_JSON_MAX)
        return wcr_err_set(err, WCR_E_LIMIT, "%s: larger than %zu bytes", name, WCR_MOUNTS_JSON_MAX);
    char *conv = NULL;
    wcr_json_doc *doc = NULL;
    int rc = as_utf8(&data, &len, &conv, err);
    if (rc == 0)
        rc = wcr_json_parse(&doc, data, len, NULL, err);
    const wcr_json *root = wcr_json_root(doc);
    if (rc == 0 && wcr_json_is_object(root)) {
        rc = read_mount(out, root, 0, err);
    } else if (rc == 0 && wcr_json_is_array(root)) {
        size_t i = 0;
        for (const wcr_json *e = wcr_json_first(root); e && rc == 0; e = wcr_json_next(e), i++)
            rc = read_mount(out, e, i, err);
        if (rc == 0 && out->n == 0)
            rc = wcr_err_set(err, WCR_E_PARSE, "no mounts in the array");
    } else if (rc == 0) {
        rc = wcr_err_set(err, WCR_E_PARSE, "expected an array of mounts");
    }
    wcr_json_doc_free(doc);
    free(conv);
    if (rc < 0) {
        wcr_mounts_dispose(out);
        return wcr_err_wrap(err, "mounts %s", name);
    }
    return 0;
}
