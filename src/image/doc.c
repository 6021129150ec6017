/* Reading image documents: size cap, JSON, typed members with field paths. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "image/doc.h"
#include "image/quote.h"

int img_doc_open(img_doc *d, const char *word, const char *name, const char *data, size_t len,
                 size_t limit, wcr_arena *arena, wcr_err *err)
{
    memset(d, 0, sizeof *d);
    snprintf(d->what, sizeof d->what, "%s %s", word, name ? name : "(unnamed)");
    d->arena = arena;
    d->err = err;
    if (len > limit) {
        char have[32], cap[32];
        wcr_str_human_size(len, have, sizeof have);
        wcr_str_human_size(limit, cap, sizeof cap);
        return wcr_err_set(err, WCR_E_LIMIT, "%s: %s is more than the limit of %s", d->what, have,
                           cap);
    }
    wcr_json_options opts = WCR_JSON_OPTIONS_INIT;
    opts.max_size = limit;
    if (wcr_json_parse(&d->json, data, len, &opts, err) < 0)
        return wcr_err_wrap(err, "%s", d->what);
    d->root = wcr_json_root(d->json);
    if (!wcr_json_is_object(d->root)) {
        img_doc_close(d);
        return wcr_err_set(err, WCR_E_PARSE, "%s: not a JSON object", d->what);
    }
    return 0;
}

void img_doc_close(img_doc *d)
{
    wcr_json_doc_free(d->json);
    d->json = NULL;
    d->root = NULL;
}

int img_fail(img_doc *d, wcr_err_code code, const char *field, const char *fmt, ...)
{
    char why[2 * IMG_QUOTE_SIZE + IMG_FIELD_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (field && *field)
        return wcr_err_set(d->err, code, "%s: %s: %s", d->what, field, why);
    return wcr_err_set(d->err, code, "%s: %s", d->what, why);
}

static int nomem(img_doc *d)
{
    return wcr_err_set(d->err, WCR_E_NOMEM, "%s: out of memory", d->what);
}

/* Field paths end in "..." when cut short, and show bytes that are not
 * printable ASCII (keys come from the document) as '?'. */
static void tidy_field(char *out, int n)
{
    if (n >= IMG_FIELD_MAX)
        memcpy(out + IMG_FIELD_MAX - 4, "...", 4);
    for (; *out; out++)
        if ((unsigned char)*out < 0x20 || (unsigned char)*out >= 0x7f)
            *out = '?';
}

void img_field(char *out, const char *field, const char *key)
{
    tidy_field(out, snprintf(out, IMG_FIELD_MAX, "%s%s%s", field, *field ? "." : "", key));
}

void img_field_index(char *out, const char *field, size_t i)
{
    tidy_field(out, snprintf(out, IMG_FIELD_MAX, "%s[%zu]", field, i));
}

const wcr_json *img_member(const wcr_json *obj, const char *key)
{
    const wcr_json *v = wcr_json_get(obj, key);
    return wcr_json_is_null(v) ? NULL : v;
}

/* "a number", "an object", ... for messages. */
static const char *with_article(const wcr_json *v)
{
    switch (wcr_json_type_of(v)) {
    case WCR_JSON_NULL: return "null";
    case WCR_JSON_FALSE:
    case WCR_JSON_TRUE: return "a boolean";
    case WCR_JSON_NUMBER: return "a number";
    case WCR_JSON_STRING: return "a string";
    case WCR_JSON_ARRAY: return "an array";
    case WCR_JSON_OBJECT: return "an object";
    }
    return "something else";
}

/* "must be a string, not a number" */
static int wrong_type(img_doc *d, const char *f, const wcr_json *v, const char *want)
{
    return img_fail(d, WCR_E_PARSE, f, "must be %s, not %s", want, with_article(v));
}

/* A JSON string value into the arena; strings holding U+0000 are refused
 * (C strings cannot carry them, and no field needs one). */
static int copy_string(img_doc *d, const wcr_json *v, const char *f, const char **out)
{
    size_t len = 0;
    const char *s = wcr_json_string_len(v, &len);
    if (!s)
        return wrong_type(d, f, v, "a string");
    if (strlen(s) != len)
        return img_fail(d, WCR_E_PARSE, f, "contains a NUL character");
    char *copy = wcr_arena_strndup(d->arena, s, len);
    if (!copy)
        return nomem(d);
    *out = copy;
    return 0;
}

int img_get_string(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                   bool required, const char **out)
{
    char f[IMG_FIELD_MAX];
    img_field(f, field, key);
    const wcr_json *v = img_member(obj, key);
    *out = NULL;
    if (!v)
        return required ? img_fail(d, WCR_E_PARSE, f, "missing") : 0;
    return copy_string(d, v, f, out);
}

int img_get_bool(img_doc *d, const wcr_json *obj, const char *field, const char *key, bool *out)
{
    char f[IMG_FIELD_MAX];
    img_field(f, field, key);
    const wcr_json *v = img_member(obj, key);
    *out = false;
    if (!v)
        return 0;
    if (!wcr_json_is_bool(v))
        return wrong_type(d, f, v, "a boolean");
    *out = wcr_json_bool(v);
    return 0;
}

static int get_typed(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                     bool required, wcr_json_type type, const wcr_json **out)
{
    char f[IMG_FIELD_MAX];
    img_field(f, field, key);
    const wcr_json *v = img_member(obj, key);
    *out = NULL;
    if (!v)
        return required ? img_fail(d, WCR_E_PARSE, f, "missing") : 0;
    if (wcr_json_type_of(v) != type)
        return wrong_type(d, f, v, type == WCR_JSON_OBJECT ? "an object" : "an array");
    *out = v;
    return 0;
}

int img_get_object(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                   bool required, const wcr_json **out)
{
    return get_typed(d, obj, field, key, required, WCR_JSON_OBJECT, out);
}

int img_get_array(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                  bool required, const wcr_json **out)
{
    return get_typed(d, obj, field, key, required, WCR_JSON_ARRAY, out);
}

/* Room for n pointers-or-pairs in the arena (n may be 0). */
static void *arena_array(img_doc *d, size_t n, size_t elem)
{
    if (n > SIZE_MAX / elem)
        return NULL;
    return wcr_arena_alloc(d->arena, n * elem);
}

int img_get_strings(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                    const char *const **out, size_t *n)
{
    char f[IMG_FIELD_MAX], ef[IMG_FIELD_MAX];
    const wcr_json *arr;
    *out = NULL;
    *n = 0;
    if (img_get_array(d, obj, field, key, false, &arr) < 0)
        return -1;
    size_t len = wcr_json_len(arr);
    const char **list = arena_array(d, len, sizeof *list);
    if (!list)
        return nomem(d);
    img_field(f, field, key);
    size_t i = 0;
    for (const wcr_json *e = wcr_json_first(arr); e; e = wcr_json_next(e), i++) {
        img_field_index(ef, f, i);
        if (copy_string(d, e, ef, &list[i]) < 0)
            return -1;
    }
    *out = list;
    *n = len;
    return 0;
}

/* A member's key into the arena, refusing keys with U+0000. */
static int copy_key(img_doc *d, const wcr_json *m, const char *f, const char **out)
{
    size_t len = 0;
    const char *k = wcr_json_key_len(m, &len);
    if (strlen(k) != len)
        return img_fail(d, WCR_E_PARSE, f, "a key contains a NUL character");
    *out = wcr_arena_strndup(d->arena, k, len);
    return *out ? 0 : nomem(d);
}

int img_get_kv(img_doc *d, const wcr_json *obj, const char *field, const char *key,
               const wcr_kv **out, size_t *n)
{
    char f[IMG_FIELD_MAX], ef[IMG_FIELD_MAX];
    const wcr_json *o;
    *out = NULL;
    *n = 0;
    if (img_get_object(d, obj, field, key, false, &o) < 0)
        return -1;
    size_t len = wcr_json_len(o);
    wcr_kv *list = arena_array(d, len, sizeof *list);
    if (!list)
        return nomem(d);
    img_field(f, field, key);
    size_t i = 0;
    for (const wcr_json *m = wcr_json_first(o); m; m = wcr_json_next(m), i++) {
        if (copy_key(d, m, f, &list[i].key) < 0)
            return -1;
        img_field(ef, f, list[i].key);
        if (copy_string(d, m, ef, &list[i].value) < 0)
            return -1;
    }
    *out = list;
    *n = len;
    return 0;
}

int img_get_keys(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                 const char *const **out, size_t *n)
{
    char f[IMG_FIELD_MAX];
    const wcr_json *o;
    *out = NULL;
    *n = 0;
    if (img_get_object(d, obj, field, key, false, &o) < 0)
        return -1;
    size_t len = wcr_json_len(o);
    const char **list = arena_array(d, len, sizeof *list);
    if (!list)
        return nomem(d);
    img_field(f, field, key);
    size_t i = 0;
    for (const wcr_json *m = wcr_json_first(o); m; m = wcr_json_next(m), i++)
        if (copy_key(d, m, f, &list[i]) < 0)
            return -1;
    *out = list;
    *n = len;
    return 0;
}

int img_get_digest(img_doc *d, const wcr_json *obj, const char *field, const char *key,
                   bool required, const char **out)
{
    if (img_get_string(d, obj, field, key, required, out) < 0)
        return -1;
    wcr_err derr = WCR_ERR_INIT;
    if (*out && wcr_digest_check(*out, &derr) < 0) {
        char f[IMG_FIELD_MAX];
        img_field(f, field, key);
        int rc = img_fail(d, WCR_E_PARSE, f, "%s", derr.msg ? derr.msg : "invalid digest");
        wcr_err_dispose(&derr);
        return rc;
    }
    return 0;
}

static int get_size(img_doc *d, const wcr_json *obj, const char *field, int64_t *out)
{
    char f[IMG_FIELD_MAX];
    img_field(f, field, "size");
    const wcr_json *v = img_member(obj, "size");
    if (!v)
        return img_fail(d, WCR_E_PARSE, f, "missing");
    if (!wcr_json_is_number(v))
        return wrong_type(d, f, v, "a number");
    if (wcr_json_int64(v, out) < 0 || *out < 0)
        return img_fail(d, WCR_E_PARSE, f, "%s is not a size (a whole number >= 0)",
                        wcr_json_number_text(v));
    return 0;
}

static int get_platform(img_doc *d, const wcr_json *v, const char *field, wcr_descriptor *out)
{
    char f[IMG_FIELD_MAX];
    const wcr_json *p;
    if (img_get_object(d, v, field, "platform", false, &p) < 0)
        return -1;
    if (!p)
        return 0;
    img_field(f, field, "platform");
    const char *os, *arch, *variant, *osv;
    if (img_get_string(d, p, f, "architecture", true, &arch) < 0 ||
        img_get_string(d, p, f, "os", true, &os) < 0 ||
        img_get_string(d, p, f, "variant", false, &variant) < 0 ||
        img_get_string(d, p, f, "os.version", false, &osv) < 0 ||
        img_get_strings(d, p, f, "os.features", &out->os_features, &out->n_os_features) < 0)
        return -1;
    wcr_err perr = WCR_ERR_INIT;
    if (wcr_platform_set(&out->platform, os, arch, variant, osv, &perr) < 0) {
        int rc = img_fail(d, WCR_E_PARSE, f, "%s", perr.msg ? perr.msg : "invalid");
        wcr_err_dispose(&perr);
        return rc;
    }
    out->has_platform = true;
    return 0;
}

int img_descriptor(img_doc *d, const wcr_json *v, const char *field, bool with_platform,
                   wcr_descriptor *out)
{
    memset(out, 0, sizeof *out);
    if (!wcr_json_is_object(v))
        return wrong_type(d, field, v, "an object");
    if (img_get_string(d, v, field, "mediaType", true, &out->media_type) < 0 ||
        img_get_digest(d, v, field, "digest", true, &out->digest) < 0 ||
        get_size(d, v, field, &out->size) < 0 ||
        img_get_string(d, v, field, "artifactType", false, &out->artifact_type) < 0 ||
        img_get_strings(d, v, field, "urls", &out->urls, &out->n_urls) < 0 ||
        img_get_kv(d, v, field, "annotations", &out->annotations, &out->n_annotations) < 0)
        return -1;
    return with_platform ? get_platform(d, v, field, out) : 0;
}

int img_schema_version(img_doc *d)
{
    const wcr_json *v = img_member(d->root, "schemaVersion");
    int64_t n = 0;
    if (!v)
        return img_fail(d, WCR_E_PARSE, "schemaVersion", "missing");
    if (!wcr_json_is_number(v))
        return wrong_type(d, "schemaVersion", v, "the number 2");
    if (wcr_json_int64(v, &n) < 0 || n != 2)
        return img_fail(d, WCR_E_PARSE, "schemaVersion", "must be 2, not %.32s",
                        wcr_json_number_text(v));
    return 0;
}
