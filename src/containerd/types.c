/* Labels, mounts, string lists, Any values, descriptors and platforms as
 * containerd's messages carry them, and the helpers that read messages into
 * structs. */
#include <stdlib.h>
#include <string.h>

#include "containerd/types.h"
#include "core/str.h"

int wcr_labels_set(wcr_labels *l, const char *key, const char *value, wcr_err *err)
{
    char *v = wcr_strdup(value);
    if (!v)
        return wcr_err_set(err, WCR_E_NOMEM, "labels: out of memory");
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->keys[i], key) == 0) {
            free(l->values[i]);
            l->values[i] = v;
            return 0;
        }
    }
    char *k = wcr_strdup(key);
    char **keys = k ? realloc(l->keys, (l->n + 1) * sizeof *keys) : NULL;
    if (keys)
        l->keys = keys;
    char **values = keys ? realloc(l->values, (l->n + 1) * sizeof *values) : NULL;
    if (!values) {
        free(k);
        free(v);
        return wcr_err_set(err, WCR_E_NOMEM, "labels: out of memory");
    }
    l->values = values;
    l->keys[l->n] = k;
    l->values[l->n] = v;
    l->n++;
    return 0;
}

const char *wcr_labels_get(const wcr_labels *l, const char *key)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (strcmp(l->keys[i], key) == 0)
            return l->values[i];
    return NULL;
}

void wcr_labels_dispose(wcr_labels *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->keys[i]);
        free(l->values[i]);
    }
    free(l->keys);
    free(l->values);
    l->keys = l->values = NULL;
    l->n = 0;
}

/* The index of the smallest key above `last` (NULL: the smallest), or
 * SIZE_MAX: maps are written in key order, so encodings are stable. A
 * selection walk, as maps hold a few entries. */
static size_t next_key(char *const *keys, size_t n, const char *last)
{
    size_t pick = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (last && strcmp(keys[i], last) <= 0)
            continue;
        if (pick == SIZE_MAX || strcmp(keys[i], keys[pick]) < 0)
            pick = i;
    }
    return pick;
}

void wcr_labels_put(wcr_buf *b, uint32_t field, const wcr_labels *l)
{
    if (!l)
        return;
    for (size_t i = next_key(l->keys, l->n, NULL); i != SIZE_MAX;
         i = next_key(l->keys, l->n, l->keys[i]))
        wcr_pb_put_map_string(b, field, l->keys[i], l->values[i]);
}

int wcr_labels_add_entry(wcr_labels *l, const wcr_pb_field *f, wcr_err *err)
{
    char *k = NULL, *v = NULL;
    if (wcr_pb_get_map_string_dup(f, &k, &v, err) < 0)
        return -1;
    int rc = wcr_labels_set(l, k, v, err);
    free(k);
    free(v);
    return rc;
}

static void mount_dispose(wcr_mount *m)
{
    free(m->type);
    free(m->source);
    free(m->target);
    for (size_t i = 0; i < m->noptions; i++)
        free(m->options[i]);
    free(m->options);
}

void wcr_mounts_dispose(wcr_mounts *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        mount_dispose(&m->items[i]);
    free(m->items);
    m->items = NULL;
    m->n = 0;
}

static int grow_mounts(wcr_mounts *m, wcr_err *err)
{
    wcr_mount *items = realloc(m->items, (m->n + 1) * sizeof *items);
    if (!items)
        return wcr_err_set(err, WCR_E_NOMEM, "mounts: out of memory");
    m->items = items;
    memset(&m->items[m->n], 0, sizeof m->items[0]);
    return 0;
}

static int push_option(wcr_mount *mt, char *opt, wcr_err *err)
{
    char **opts = realloc(mt->options, (mt->noptions + 1) * sizeof *opts);
    if (!opts) {
        free(opt);
        return wcr_err_set(err, WCR_E_NOMEM, "mounts: out of memory");
    }
    mt->options = opts;
    mt->options[mt->noptions++] = opt;
    return 0;
}

int wcr_mounts_add(wcr_mounts *m, const wcr_pb_field *f, wcr_err *err)
{
    wcr_pb_reader r;
    if (wcr_pb_get_message(f, &r, err) < 0 || grow_mounts(m, err) < 0)
        return -1;
    wcr_mount *mt = &m->items[m->n];
    wcr_pb_field g;
    int rc;
    while ((rc = wcr_pb_next(&r, &g, err)) > 0) {
        char *opt = NULL;
        switch (g.number) {
        case 1: rc = wcr_pb_get_string_dup(&g, &mt->type, err); break;
        case 2: rc = wcr_pb_get_string_dup(&g, &mt->source, err); break;
        case 3: rc = wcr_pb_get_string_dup(&g, &mt->target, err); break;
        case 4:
            rc = wcr_pb_get_string_dup(&g, &opt, err);
            if (rc == 0)
                rc = push_option(mt, opt, err);
            break;
        default: rc = 0; break;
        }
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        mount_dispose(mt);
        return wcr_err_wrap(err, "mount");
    }
    m->n++;
    return 0;
}

void wcr_mounts_put(wcr_buf *b, uint32_t field, const wcr_mounts *m)
{
    for (size_t i = 0; m && i < m->n; i++) {
        const wcr_mount *mt = &m->items[i];
        size_t mark = wcr_pb_begin(b, field);
        wcr_pb_put_string_opt(b, 1, mt->type);
        wcr_pb_put_string_opt(b, 2, mt->source);
        wcr_pb_put_string_opt(b, 3, mt->target);
        for (size_t k = 0; k < mt->noptions; k++)
            wcr_pb_put_string(b, 4, mt->options[k]);
        wcr_pb_end(b, mark);
    }
}

int wcr_mounts_push(wcr_mounts *m, const char *type, const char *source, const char *target,
                    const char *const *options, size_t noptions, wcr_err *err)
{
    if (grow_mounts(m, err) < 0)
        return -1;
    wcr_mount *mt = &m->items[m->n];
    mt->type = wcr_strdup(type ? type : "");
    mt->source = wcr_strdup(source ? source : "");
    mt->target = wcr_strdup(target ? target : "");
    if (!mt->type || !mt->source || !mt->target) {
        mount_dispose(mt);
        return wcr_err_set(err, WCR_E_NOMEM, "mounts: out of memory");
    }
    for (size_t i = 0; i < noptions; i++) {
        char *o = wcr_strdup(options[i]);
        if (!o || push_option(mt, o, err) < 0) {
            mount_dispose(mt);
            return wcr_err_set(err, WCR_E_NOMEM, "mounts: out of memory");
        }
    }
    m->n++;
    return 0;
}

int wcr_strv_push(wcr_strv *s, const char *value, wcr_err *err)
{
    char *copy = wcr_strdup(value);
    char **v = copy ? realloc(s->v, (s->n + 2) * sizeof *v) : NULL;
    if (!v) {
        free(copy);
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    }
    s->v = v;
    s->v[s->n++] = copy;
    s->v[s->n] = NULL;
    return 0;
}

int wcr_strv_add_field(wcr_strv *s, const wcr_pb_field *f, wcr_err *err)
{
    char *value = NULL;
    if (wcr_pb_get_string_dup(f, &value, err) < 0)
        return -1;
    int rc = wcr_strv_push(s, value, err);
    free(value);
    return rc;
}

void wcr_strv_dispose(wcr_strv *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

void wcr_ctd_put_strings(wcr_buf *b, uint32_t field, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wcr_pb_put_string(b, field, v[i]);
}

void wcr_ctd_put_timestamp_opt(wcr_buf *b, uint32_t field, const wcr_pb_timestamp *ts)
{
    if (ts && (ts->seconds || ts->nanos))
        wcr_pb_put_timestamp(b, field, ts);
}

/* --- reading messages into structs --------------------------------------------- */

int wcr_ctd_read(wcr_pb_reader *r, const wcr_ctd_type *t, void *out, wcr_err *err)
{
    if (t->read(r, out, err) < 0) {
        t->dispose(out);
        return wcr_err_wrap(err, "%s", t->name);
    }
    return 0;
}

int wcr_ctd_get(const wcr_pb_field *f, const wcr_ctd_type *t, void *out, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0) {
        t->dispose(out);
        return wcr_err_wrap(err, "%s", t->name);
    }
    return wcr_ctd_read(&sub, t, out, err);
}

int wcr_ctd_decode_field(const void *data, size_t len, uint32_t number, const wcr_ctd_type *t,
                         void *out, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0)
        if (f.number == number && wcr_ctd_get(&f, t, out, err) < 0)
            return -1;
    if (rc < 0)
        t->dispose(out);
    return rc;
}

void *wcr_ctd_list_grow(void *items, size_t n, size_t size, wcr_err *err)
{
    if (n >= SIZE_MAX / size - 1) {
        wcr_err_set(err, WCR_E_LIMIT, "list: too many elements");
        return NULL;
    }
    char *grown = realloc(items, (n + 1) * size);
    if (!grown) {
        wcr_err_set(err, WCR_E_NOMEM, "list: out of memory");
        return NULL;
    }
    memset(grown + n * size, 0, size);
    return grown;
}

void wcr_ctd_list_free(void *items, size_t n, const wcr_ctd_type *t)
{
    for (size_t i = 0; i < n; i++)
        t->dispose((char *)items + i * t->size);
    free(items);
}

int wcr_ctd_decode_each(const void *data, size_t len, uint32_t number, wcr_ctd_add_fn add,
                        void *list, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0)
        if (f.number == number && add(list, &f, err) < 0)
            return -1;
    return rc;
}

/* --- Any -------------------------------------------------------------------------- */

static int any_copy(wcr_ctd_any *a, const char *type_url, size_t url_len, const void *value,
                    size_t len, wcr_err *err)
{
    char *url = wcr_strndup(type_url ? type_url : "", url_len);
    uint8_t *v = len ? malloc(len) : NULL;
    if (!url || (len && !v)) {
        free(url);
        free(v);
        return wcr_err_set(err, WCR_E_NOMEM, "Any: out of memory");
    }
    if (len)
        memcpy(v, value, len);
    wcr_ctd_any_dispose(a);
    a->type_url = url;
    a->value = v;
    a->len = len;
    return 0;
}

int wcr_ctd_any_set(wcr_ctd_any *a, const char *type_url, const void *value, size_t len,
                    wcr_err *err)
{
    return any_copy(a, type_url, type_url ? strlen(type_url) : 0, value, len, err);
}

void wcr_ctd_any_dispose(wcr_ctd_any *a)
{
    if (!a)
        return;
    free(a->type_url);
    free(a->value);
    a->type_url = NULL;
    a->value = NULL;
    a->len = 0;
}

void wcr_ctd_any_put(wcr_buf *b, uint32_t field, const wcr_ctd_any *a)
{
    if (a && a->type_url)
        wcr_pb_put_any(b, field, a->type_url, a->value, a->len);
}

int wcr_ctd_any_get(const wcr_pb_field *f, wcr_ctd_any *a, wcr_err *err)
{
    wcr_pb_any any;
    if (wcr_pb_get_any(f, &any, err) < 0)
        return wcr_err_wrap(err, "Any");
    /* A type URL is a C string here: refuse a NUL rather than cut it. */
    if (memchr(any.type_url, '\0', any.type_url_len))
        return wcr_err_set(err, WCR_E_PARSE, "Any: type URL contains a NUL byte");
    return any_copy(a, any.type_url, any.type_url_len, any.value, any.value_len, err);
}

/* --- map<string, Any> ------------------------------------------------------------- */

/* The entry for key, appended (value unset) when there is none; NULL when
 * memory is exhausted. */
static wcr_ctd_any *any_map_slot(wcr_ctd_any_map *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->keys[i], key) == 0)
            return &m->values[i];
    char *k = wcr_strdup(key);
    char **keys = k ? realloc(m->keys, (m->n + 1) * sizeof *keys) : NULL;
    if (keys)
        m->keys = keys;
    wcr_ctd_any *values = keys ? realloc(m->values, (m->n + 1) * sizeof *values) : NULL;
    if (!values) {
        free(k);
        return NULL;
    }
    m->values = values;
    m->keys[m->n] = k;
    memset(&values[m->n], 0, sizeof values[0]);
    return &values[m->n++];
}

int wcr_ctd_any_map_set(wcr_ctd_any_map *m, const char *key, const char *type_url,
                        const void *value, size_t len, wcr_err *err)
{
    wcr_ctd_any copy = { NULL, NULL, 0 };
    if (wcr_ctd_any_set(&copy, type_url, value, len, err) < 0)
        return -1;
    wcr_ctd_any *slot = any_map_slot(m, key);
    if (!slot) {
        wcr_ctd_any_dispose(&copy);
        return wcr_err_set(err, WCR_E_NOMEM, "Any map: out of memory");
    }
    wcr_ctd_any_dispose(slot);
    *slot = copy;
    return 0;
}

const wcr_ctd_any *wcr_ctd_any_map_get(const wcr_ctd_any_map *m, const char *key)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (strcmp(m->keys[i], key) == 0)
            return &m->values[i];
    return NULL;
}

void wcr_ctd_any_map_dispose(wcr_ctd_any_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->keys[i]);
        wcr_ctd_any_dispose(&m->values[i]);
    }
    free(m->keys);
    free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->n = 0;
}

void wcr_ctd_any_map_put(wcr_buf *b, uint32_t field, const wcr_ctd_any_map *m)
{
    if (!m)
        return;
    for (size_t i = next_key(m->keys, m->n, NULL); i != SIZE_MAX;
         i = next_key(m->keys, m->n, m->keys[i])) {
        /* Map entries carry key and value always, as protobuf writes them. */
        size_t entry = wcr_pb_begin(b, field);
        wcr_pb_put_string(b, 1, m->keys[i]);
        const wcr_ctd_any *v = &m->values[i];
        wcr_pb_put_any(b, 2, v->type_url, v->value, v->len);
        wcr_pb_end(b, entry);
    }
}

int wcr_ctd_any_map_add_entry(wcr_ctd_any_map *m, const wcr_pb_field *f, wcr_err *err)
{
    wcr_pb_field key, value;
    char *k = NULL;
    wcr_ctd_any v = { NULL, NULL, 0 };
    if (wcr_pb_get_map_entry(f, WCR_PB_LEN, WCR_PB_LEN, &key, &value, err) < 0 ||
        wcr_pb_get_string_dup(&key, &k, err) < 0)
        return wcr_err_wrap(err, "map entry");
    /* An absent value reads as an empty payload: an empty Any. */
    if (wcr_ctd_any_get(&value, &v, err) < 0) {
        wcr_err_wrap(err, "map entry %s", k);
        free(k);
        return -1;
    }
    wcr_ctd_any *slot = any_map_slot(m, k);
    free(k);
    if (!slot) {
        wcr_ctd_any_dispose(&v);
        return wcr_err_set(err, WCR_E_NOMEM, "Any map: out of memory");
    }
    wcr_ctd_any_dispose(slot);
    *slot = v;
    return 0;
}

/* --- Descriptor ------------------------------------------------------------------ */

void wcr_ctd_descriptor_dispose(wcr_ctd_descriptor *d)
{
    if (!d)
        return;
    free(d->media_type);
    free(d->digest);
    wcr_labels_dispose(&d->annotations);
    d->media_type = d->digest = NULL;
    d->size = 0;
}

int wcr_ctd_descriptor_set(wcr_ctd_descriptor *d, const char *media_type, const char *digest,
                           int64_t size, wcr_err *err)
{
    char *mt = wcr_strdup(media_type ? media_type : "");
    char *dg = wcr_strdup(digest ? digest : "");
    if (!mt || !dg) {
        free(mt);
        free(dg);
        return wcr_err_set(err, WCR_E_NOMEM, "descriptor: out of memory");
    }
    free(d->media_type);
    free(d->digest);
    d->media_type = mt;
    d->digest = dg;
    d->size = size;
    return 0;
}

void wcr_ctd_descriptor_write(wcr_buf *b, const wcr_ctd_descriptor *d)
{
    wcr_pb_put_string_opt(b, 1, d->media_type);
    wcr_pb_put_string_opt(b, 2, d->digest);
    wcr_pb_put_int64_opt(b, 3, d->size);
    wcr_labels_put(b, 5, &d->annotations);
}

void wcr_ctd_descriptor_put(wcr_buf *b, uint32_t field, const wcr_ctd_descriptor *d)
{
    size_t mark = wcr_pb_begin(b, field);
    if (d)
        wcr_ctd_descriptor_write(b, d);
    wcr_pb_end(b, mark);
}

static int read_descriptor(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_ctd_descriptor *d = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &d->media_type, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &d->digest, err); break;
        case 3: rc = wcr_pb_get_int64(&f, &d->size, err); break;
        case 5: rc = wcr_labels_add_entry(&d->annotations, &f, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_descriptor(void *p)
{
    wcr_ctd_descriptor_dispose(p);
}

const wcr_ctd_type wcr_ctd_descriptor_type = {
    "descriptor", sizeof(wcr_ctd_descriptor), read_descriptor, dispose_descriptor
};

/* --- Platform --------------------------------------------------------------------- */

void wcr_ctd_platform_dispose(wcr_ctd_platform *p)
{
    if (!p)
        return;
    free(p->os);
    free(p->architecture);
    free(p->variant);
    free(p->os_version);
    wcr_strv_dispose(&p->os_features);
    memset(p, 0, sizeof *p);
}

static int read_platform(wcr_pb_reader *r, void *out, wcr_err *err)
{
    wcr_ctd_platform *p = out;
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &p->os, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &p->architecture, err); break;
        case 3: rc = wcr_pb_get_string_dup(&f, &p->variant, err); break;
        case 4: rc = wcr_pb_get_string_dup(&f, &p->os_version, err); break;
        case 5: rc = wcr_strv_add_field(&p->os_features, &f, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return -1;
    }
    return rc;
}

static void dispose_platform(void *p)
{
    wcr_ctd_platform_dispose(p);
}

const wcr_ctd_type wcr_ctd_platform_type = {
    "platform", sizeof(wcr_ctd_platform), read_platform, dispose_platform
};

void wcr_ctd_platforms_dispose(wcr_ctd_platforms *l)
{
    if (!l)
        return;
    wcr_ctd_list_free(l->items, l->n, &wcr_ctd_platform_type);
    l->items = NULL;
    l->n = 0;
}

WCR_CTD_DEFINE_LIST_ADD(add_platform, wcr_ctd_platforms, wcr_ctd_platform_type)

int wcr_ctd_platforms_add(wcr_ctd_platforms *l, const wcr_pb_field *f, wcr_err *err)
{
    return add_platform(l, f, err);
}
