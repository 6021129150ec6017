/* Image indexes and manifests: media types, kind detection, parsing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/doc.h"
#include "image/manifest.h"
#include "image/quote.h"

/* ---- media types ------------------------------------------------------- */

/* The type of a Content-Type, without parameters or blanks, lower-cased
 * into out; "" when it does not fit (no type wcr knows is that long). */
static void base_type(const char *mt, char *out, size_t size)
{
    out[0] = '\0';
    if (!mt)
        return;
    while (*mt == ' ' || *mt == '\t')
        mt++;
    size_t n = strcspn(mt, ";");
    while (n > 0 && (mt[n - 1] == ' ' || mt[n - 1] == '\t'))
        n--;
    if (n >= size)
        return;
    for (size_t i = 0; i < n; i++) {
        char c = mt[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
}

#define MT_MAX 96

static const struct {
    const char *type;
    wcr_compression compression;
    bool foreign;
} layer_types[] = {
    { WCR_MT_OCI_LAYER, WCR_COMPRESSION_NONE, false },
    { WCR_MT_OCI_LAYER_GZIP, WCR_COMPRESSION_GZIP, false },
    { WCR_MT_OCI_LAYER_ZSTD, WCR_COMPRESSION_ZSTD, false },
    { WCR_MT_OCI_LAYER_ND, WCR_COMPRESSION_NONE, true },
    { WCR_MT_OCI_LAYER_ND_GZIP, WCR_COMPRESSION_GZIP, true },
    { WCR_MT_OCI_LAYER_ND_ZSTD, WCR_COMPRESSION_ZSTD, true },
    { WCR_MT_DOCKER_LAYER, WCR_COMPRESSION_NONE, false },
    { WCR_MT_DOCKER_LAYER_GZIP, WCR_COMPRESSION_GZIP, false },
    { WCR_MT_DOCKER_LAYER_ZSTD, WCR_COMPRESSION_ZSTD, false },
    { WCR_MT_DOCKER_FOREIGN_LAYER, WCR_COMPRESSION_NONE, true },
    { WCR_MT_DOCKER_FOREIGN_LAYER_GZIP, WCR_COMPRESSION_GZIP, true },
};
#define N_LAYER_TYPES (sizeof layer_types / sizeof layer_types[0])

static size_t layer_index(const char *mt)
{
    char b[MT_MAX];
    base_type(mt, b, sizeof b);
    for (size_t i = 0; i < N_LAYER_TYPES; i++)
        if (strcmp(b, layer_types[i].type) == 0)
            return i;
    return N_LAYER_TYPES;
}

static bool base_is(const char *mt, const char *a, const char *b)
{
    char t[MT_MAX];
    base_type(mt, t, sizeof t);
    return strcmp(t, a) == 0 || (b && strcmp(t, b) == 0);
}

bool wcr_media_type_is_index(const char *mt)
{
    return base_is(mt, WCR_MT_OCI_INDEX, WCR_MT_DOCKER_LIST);
}

bool wcr_media_type_is_manifest(const char *mt)
{
    return base_is(mt, WCR_MT_OCI_MANIFEST, WCR_MT_DOCKER_MANIFEST);
}

bool wcr_media_type_is_config(const char *mt)
{
    return base_is(mt, WCR_MT_OCI_CONFIG, WCR_MT_DOCKER_CONFIG);
}

bool wcr_media_type_is_layer(const char *mt)
{
    return layer_index(mt) < N_LAYER_TYPES;
}

bool wcr_media_type_is_foreign_layer(const char *mt)
{
    size_t i = layer_index(mt);
    return i < N_LAYER_TYPES && layer_types[i].foreign;
}

wcr_compression wcr_layer_compression(const char *mt)
{
    size_t i = layer_index(mt);
    return i < N_LAYER_TYPES ? layer_types[i].compression : WCR_COMPRESSION_UNKNOWN;
}

/* ---- kinds ------------------------------------------------------------- */

static const char *const kind_types[] = {
    [WCR_DOC_UNKNOWN] = "",
    [WCR_DOC_OCI_INDEX] = WCR_MT_OCI_INDEX,
    [WCR_DOC_DOCKER_LIST] = WCR_MT_DOCKER_LIST,
    [WCR_DOC_OCI_MANIFEST] = WCR_MT_OCI_MANIFEST,
    [WCR_DOC_DOCKER_MANIFEST] = WCR_MT_DOCKER_MANIFEST,
};

bool wcr_doc_kind_is_index(wcr_doc_kind kind)
{
    return kind == WCR_DOC_OCI_INDEX || kind == WCR_DOC_DOCKER_LIST;
}

const char *wcr_doc_kind_media_type(wcr_doc_kind kind)
{
    return (unsigned)kind <= WCR_DOC_DOCKER_MANIFEST ? kind_types[kind] : "";
}

static wcr_doc_kind kind_of(const char *mt)
{
    char b[MT_MAX];
    base_type(mt, b, sizeof b);
    for (size_t k = WCR_DOC_OCI_INDEX; k <= WCR_DOC_DOCKER_MANIFEST; k++)
        if (strcmp(b, kind_types[k]) == 0)
            return (wcr_doc_kind)k;
    return WCR_DOC_UNKNOWN;
}

static bool is_schema1(const char *mt)
{
    return base_is(mt, WCR_MT_DOCKER_SCHEMA1, WCR_MT_DOCKER_SCHEMA1_SIGNED);
}

static int schema1(img_doc *d)
{
    return img_fail(d, WCR_E_UNSUPPORTED, NULL,
                    "unsupported: Docker schema 1 image; rebuild or re-push with a current client");
}

/* The kind a media type names; schema 1 and others are refused. */
static int kind_from_type(img_doc *d, const char *mt, const char *field, wcr_doc_kind *kind)
{
    if (is_schema1(mt))
        return schema1(d);
    *kind = kind_of(mt);
    if (*kind == WCR_DOC_UNKNOWN) {
        char q[IMG_QUOTE_SIZE];
        img_quote(q, sizeof q, mt, strlen(mt));
        return img_fail(d, WCR_E_UNSUPPORTED, field, "unsupported media type %s", q);
    }
    return 0;
}

/* Without a mediaType: an index has "manifests", a manifest "layers"
 * and "config" (OCI lets both omit mediaType). */
static int kind_from_members(img_doc *d, wcr_doc_kind *kind)
{
    bool index = wcr_json_get(d->root, "manifests") != NULL;
    bool manifest = wcr_json_get(d->root, "layers") || wcr_json_get(d->root, "config");
    if (index && manifest)
        return img_fail(d, WCR_E_PARSE, NULL,
                        "has both \"manifests\" and \"layers\"/\"config\" and no mediaType: "
                        "neither an index nor a manifest");
    if (!index && !manifest)
        return img_fail(d, WCR_E_PARSE, NULL,
                        "no mediaType, \"manifests\" or \"layers\": not an image index or manifest");
    *kind = index ? WCR_DOC_OCI_INDEX : WCR_DOC_OCI_MANIFEST;
    return 0;
}

static int detect(img_doc *d, const char *media_type, wcr_doc_kind *kind)
{
    *kind = WCR_DOC_UNKNOWN;
    const char *own;
    if (img_get_string(d, d->root, "", "mediaType", false, &own) < 0)
        return -1;
    if (own)
        return kind_from_type(d, own, "mediaType", kind);
    int64_t version = 0;
    if (wcr_json_int64(img_member(d->root, "schemaVersion"), &version) == 0 && version == 1)
        return schema1(d);
    if (media_type && (is_schema1(media_type) || kind_of(media_type) != WCR_DOC_UNKNOWN))
        return kind_from_type(d, media_type, NULL, kind);
    return kind_from_members(d, kind);
}

int wcr_manifest_detect(wcr_doc_kind *kind, const char *name, const char *media_type,
                        const char *data, size_t len, wcr_err *err)
{
    wcr_arena arena;
    wcr_arena_init(&arena, 256);
    img_doc d;
    *kind = WCR_DOC_UNKNOWN;
    if (img_doc_open(&d, "manifest", name, data, len, WCR_MANIFEST_MAX_SIZE, &arena, err) < 0) {
        wcr_arena_dispose(&arena);
        return -1;
    }
    int rc = detect(&d, media_type, kind);
    img_doc_close(&d);
    wcr_arena_dispose(&arena);
    return rc;
}

/* ---- descriptors --------------------------------------------------------- */

const char *wcr_descriptor_annotation(const wcr_descriptor *d, const char *key)
{
    for (size_t i = 0; i < d->n_annotations; i++)
        if (strcmp(d->annotations[i].key, key) == 0)
            return d->annotations[i].value;
    return NULL;
}

/* The array member `key` as descriptors. */
static int descriptor_list(img_doc *d, const char *key, bool with_platform, wcr_descriptor **out,
                           size_t *n)
{
    const wcr_json *arr;
    if (img_get_array(d, d->root, "", key, true, &arr) < 0)
        return -1;
    size_t len = wcr_json_len(arr);
    if (len > SIZE_MAX / sizeof **out)
        return img_fail(d, WCR_E_NOMEM, key, "out of memory");
    wcr_descriptor *list = wcr_arena_alloc(d->arena, len * sizeof *list);
    if (!list)
        return img_fail(d, WCR_E_NOMEM, key, "out of memory");
    size_t i = 0;
    for (const wcr_json *e = wcr_json_first(arr); e; e = wcr_json_next(e), i++) {
        char f[IMG_FIELD_MAX];
        img_field_index(f, key, i);
        if (img_descriptor(d, e, f, with_platform, &list[i]) < 0)
            return -1;
    }
    *out = list;
    *n = len;
    return 0;
}

/* ---- indexes ------------------------------------------------------------- */

static int parse_index(img_doc *d, const char *media_type, wcr_index *idx)
{
    if (detect(d, media_type, &idx->kind) < 0)
        return -1;
    if (!wcr_doc_kind_is_index(idx->kind))
        return img_fail(d, WCR_E_PARSE, NULL, "is an image manifest (%s), not an index",
                        wcr_doc_kind_media_type(idx->kind));
    if (img_schema_version(d) < 0 ||
        descriptor_list(d, "manifests", true, &idx->manifests, &idx->n_manifests) < 0)
        return -1;
    return img_get_kv(d, d->root, "", "annotations", &idx->annotations, &idx->n_annotations);
}

int wcr_index_parse(wcr_index *out, const char *name, const char *media_type, const char *data,
                    size_t len, wcr_err *err)
{
    wcr_index idx;
    memset(&idx, 0, sizeof idx);
    memset(out, 0, sizeof *out);
    wcr_arena_init(&idx.arena, 8192);
    img_doc d;
    if (img_doc_open(&d, "index", name, data, len, WCR_MANIFEST_MAX_SIZE, &idx.arena, err) < 0) {
        wcr_arena_dispose(&idx.arena);
        return -1;
    }
    int rc = parse_index(&d, media_type, &idx);
    img_doc_close(&d);
    if (rc < 0) {
        wcr_arena_dispose(&idx.arena);
        return -1;
    }
    *out = idx;
    return 0;
}

void wcr_index_dispose(wcr_index *idx)
{
    if (!idx)
        return;
    wcr_arena_dispose(&idx->arena);
    memset(idx, 0, sizeof *idx);
}

int wcr_index_choose(const wcr_index *idx, const wcr_platform *want, bool want_is_host,
                     wcr_isolation isolation, size_t *chosen, wcr_err *err)
{
    size_t n = idx->n_manifests;
    /* Entries that are not images (no platform, other media types) get an
     * empty platform, which never matches and is not listed as an offer. */
    wcr_platform *cands = calloc(n ? n : 1, sizeof *cands);
    if (!cands)
        return wcr_err_set(err, WCR_E_NOMEM, "choose a platform: out of memory");
    for (size_t i = 0; i < n; i++) {
        const wcr_descriptor *m = &idx->manifests[i];
        if (m->has_platform &&
            (wcr_media_type_is_manifest(m->media_type) || wcr_media_type_is_index(m->media_type)))
            cands[i] = m->platform;
    }
    int rc = wcr_platform_choose(want, want_is_host, isolation, cands, n, chosen, err);
    free(cands);
    return rc;
}

/* ---- manifests ----------------------------------------------------------- */

static int parse_manifest(img_doc *d, const char *media_type, wcr_manifest *m)
{
    if (detect(d, media_type, &m->kind) < 0)
        return -1;
    if (wcr_doc_kind_is_index(m->kind))
        return img_fail(d, WCR_E_PARSE, NULL, "is an index (%s), not an image manifest",
                        wcr_doc_kind_media_type(m->kind));
    const wcr_json *config, *subject;
    if (img_schema_version(d) < 0 ||
        img_get_object(d, d->root, "", "config", true, &config) < 0 ||
        img_descriptor(d, config, "config", false, &m->config) < 0 ||
        descriptor_list(d, "layers", false, &m->layers, &m->n_layers) < 0 ||
        img_get_string(d, d->root, "", "artifactType", false, &m->artifact_type) < 0 ||
        img_get_object(d, d->root, "", "subject", false, &subject) < 0 ||
        img_get_kv(d, d->root, "", "annotations", &m->annotations, &m->n_annotations) < 0)
        return -1;
    if (subject) {
        if (img_descriptor(d, subject, "subject", false, &m->subject) < 0)
            return -1;
        m->has_subject = true;
    }
    return 0;
}

int wcr_manifest_parse(wcr_manifest *out, const char *name, const char *media_type,
                       const char *data, size_t len, wcr_err *err)
{
    wcr_manifest m;
    memset(&m, 0, sizeof m);
    memset(out, 0, sizeof *out);
    wcr_arena_init(&m.arena, 8192);
    img_doc d;
    if (img_doc_open(&d, "manifest", name, data, len, WCR_MANIFEST_MAX_SIZE, &m.arena, err) < 0) {
        wcr_arena_dispose(&m.arena);
        return -1;
    }
    int rc = parse_manifest(&d, media_type, &m);
    img_doc_close(&d);
    if (rc < 0) {
        wcr_arena_dispose(&m.arena);
        return -1;
    }
    *out = m;
    return 0;
}

void wcr_manifest_dispose(wcr_manifest *m)
{
    if (!m)
        return;
    wcr_arena_dispose(&m->arena);
    memset(m, 0, sizeof *m);
}

int wcr_manifest_check_image(const wcr_manifest *m, const char *name, wcr_err *err)
{
    char q[IMG_QUOTE_SIZE];
    if (!wcr_media_type_is_config(m->config.media_type)) {
        img_quote(q, sizeof q, m->config.media_type, strlen(m->config.media_type));
        return wcr_err_set(err, WCR_E_UNSUPPORTED,
                           "manifest %s: not a container image: config.mediaType is %s", name, q);
    }
    for (size_t i = 0; i < m->n_layers; i++) {
        if (wcr_media_type_is_layer(m->layers[i].media_type))
            continue;
        img_quote(q, sizeof q, m->layers[i].media_type, strlen(m->layers[i].media_type));
        return wcr_err_set(err, WCR_E_UNSUPPORTED,
                           "manifest %s: layers[%zu].mediaType: %s is not a layer type wcr can "
                           "unpack",
                           name, i, q);
    }
    return 0;
}
