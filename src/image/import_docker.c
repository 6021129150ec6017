/* docker save archives: manifest.json lists each image as
 *   { "Config": "<id>.json", "RepoTags": ["busybox:1"], "Layers": ["<id>/layer.tar", ...] }
 * (newer Docker: "blobs/sha256/<hex>" paths). The import makes a Docker
 * schema 2 manifest of each: the config with its media type, and the
 * layers as they are in the archive (uncompressed tars, rootfs.diff.tar;
 * gzip or zstd when their first bytes say so), written compactly in the
 * field order containerd's own import uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gzip.h"
#include "core/json.h"
#include "core/str.h"
#include "image/digest.h"
#include "image/import_internal.h"

static const char *layer_media_type(const wcr_archive_entry *e)
{
    if (wcr_gzip_magic(e->head, e->nhead))
        return WCR_MT_DOCKER_LAYER_GZIP;
    if (e->nhead >= 4 && memcmp(e->head, "\x28\xb5\x2f\xfd", 4) == 0)
        return WCR_MT_DOCKER_LAYER_ZSTD;
    return WCR_MT_DOCKER_LAYER;
}

static void put_descriptor(wcr_jsonw *w, const char *media_type, const char *digest, int64_t size)
{
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "mediaType", media_type);
    wcr_jsonw_kv_string(w, "digest", digest);
    wcr_jsonw_kv_int64(w, "size", size);
}

static void put_platform(wcr_jsonw *w, const wcr_platform *p)
{
    wcr_jsonw_key(w, "platform");
    wcr_jsonw_object_begin(w);
    wcr_jsonw_kv_string(w, "architecture", p->arch);
    wcr_jsonw_kv_string(w, "os", p->os);
    if (p->os_version[0])
        wcr_jsonw_kv_string(w, "os.version", p->os_version);
    if (p->variant[0])
        wcr_jsonw_kv_string(w, "variant", p->variant);
    wcr_jsonw_object_end(w);
}

/* A document made here into the content store's list, with its digest. */
static int add_made(wcr_import *im, wcr_buf *doc, const char *kind, imp_blob **out, wcr_err *err)
{
    char digest[WCR_DIGEST_SHA256_LEN + 1];
    size_t len = doc->len;
    if (wcr_digest_sha256(doc->data, len, digest, err) < 0)
        return -1;
    char *data = wcr_buf_detach(doc, NULL);
    if (!data)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    int rc = imp_add_blob(im, digest, (int64_t)len, kind, NULL, &data, out, err);
    free(data); /* left over when the same document was there already */
    return rc;
}

/* The archive entry a manifest.json path names. */
static int docker_entry(wcr_import *im, const wcr_json *v, const char *what, wcr_archive_entry **out,
                        wcr_err *err)
{
    const char *path = wcr_json_string(v);
    if (!path || !path[0])
        return wcr_err_set(err, WCR_E_PARSE, "%s: not a path", what);
    if (wcr_archive_check_name(path, what, err) < 0)
        return -1;
    if (!(*out = wcr_archive_find(&im->arc, path)))
        return wcr_err_set(err, WCR_E_NOT_FOUND, "%s: %s is not in the archive", what, path);
    return imp_check_blob_path(*out, what, err);
}

typedef struct docker_item {
    wcr_image_config cfg;
    bool have_cfg;
    wcr_archive_entry *config;
    wcr_archive_entry **layers;
    size_t n_layers;
} docker_item;

static int read_item(wcr_import *im, const wcr_json *item, const char *what, docker_item *it, wcr_err *err)
{
    const wcr_json *layers = wcr_json_get(item, "Layers");
    if (!wcr_json_is_array(layers))
        return wcr_err_set(err, WCR_E_PARSE, "%s: Layers is not a list", what);
    char w[96];
    snprintf(w, sizeof w, "%s: Config", what);
    const char *data;
    if (docker_entry(im, wcr_json_get(item, "Config"), w, &it->config, err) < 0 ||
        !(data = imp_doc(it->config, w, err)) ||
        wcr_image_config_parse(&it->cfg, it->config->digest, data, it->config->size, err) < 0)
        return -1;
    it->have_cfg = true;
    it->n_layers = wcr_json_len(layers);
    if (it->n_layers != it->cfg.n_diff_ids)
        return wcr_err_set(err, WCR_E_INVALID, "%s: %zu layers, but its config lists %zu diff_ids", what,
                           it->n_layers, it->cfg.n_diff_ids);
    if (!(it->layers = calloc(it->n_layers ? it->n_layers : 1, sizeof *it->layers)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    for (size_t k = 0; k < it->n_layers; k++) {
        snprintf(w, sizeof w, "%s: Layers[%zu]", what, k);
        if (docker_entry(im, wcr_json_at(layers, k), w, &it->layers[k], err) < 0)
            return -1;
        const wcr_archive_entry *le = it->layers[k];
        /* An uncompressed layer is its own diff: check it now, not at unpack. */
        bool plain = strcmp(layer_media_type(le), WCR_MT_DOCKER_LAYER) == 0;
        if (plain && strcmp(le->digest, it->cfg.diff_ids[k]) != 0)
            return wcr_err_set(err, WCR_E_DIGEST, "%s: %s hashes to %s, but the config's diff_id is %s; refused",
                               w, le->name, le->digest, it->cfg.diff_ids[k]);
    }
    return 0;
}

/* Store an item's config and layers, and the manifest made of them. */
static int plan_item(wcr_import *im, docker_item *it, imp_blob **manifest, wcr_err *err)
{
    imp_blob *b;
    wcr_buf doc = WCR_BUF_INIT("manifest", WCR_MANIFEST_MAX_SIZE);
    wcr_jsonw w;
    wcr_jsonw_init(&w, &doc, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&w);
    wcr_jsonw_kv_int64(&w, "schemaVersion", 2);
    wcr_jsonw_kv_string(&w, "mediaType", WCR_MT_DOCKER_MANIFEST);
    wcr_jsonw_key(&w, "config");
    put_descriptor(&w, WCR_MT_DOCKER_CONFIG, it->config->digest, (int64_t)it->config->size);
    wcr_jsonw_object_end(&w);
    wcr_jsonw_key(&w, "layers");
    wcr_jsonw_array_begin(&w);
    for (size_t k = 0; k < it->n_layers; k++) {
        const wcr_archive_entry *le = it->layers[k];
        put_descriptor(&w, layer_media_type(le), le->digest, (int64_t)le->size);
        wcr_jsonw_object_end(&w);
    }
    wcr_jsonw_array_end(&w);
    wcr_jsonw_object_end(&w);
    const char **ids = calloc(it->n_layers ? it->n_layers : 1, sizeof *ids);
    int rc = ids ? wcr_jsonw_finish(&w, err) : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    if (rc == 0)
        rc = imp_add_blob(im, it->config->digest, (int64_t)it->config->size, "config", it->config, NULL, &b,
                          err);
    for (size_t k = 0; rc == 0 && k < it->n_layers; k++) {
        ids[k] = it->layers[k]->digest;
        rc = imp_add_blob(im, ids[k], (int64_t)it->layers[k]->size, "layer", it->layers[k], NULL, &b, err);
    }
    if (rc == 0 && (rc = add_made(im, &doc, "manifest", manifest, err)) == 0 && !(*manifest)->labels.n)
        rc = imp_manifest_labels(*manifest, it->config->digest, ids, it->n_layers, err);
    free(ids);
    wcr_buf_dispose(&doc);
    return rc;
}

/* The names an item gives (RepoTags), as full references. */
static int item_names(const wcr_json *item, const char *what, char ***names, size_t *n, wcr_err *err)
{
    const wcr_json *tags = wcr_json_get(item, "RepoTags");
    *n = 0;
    if (wcr_json_is_null(tags))
        return 0;
    if (!wcr_json_is_array(tags))
        return wcr_err_set(err, WCR_E_PARSE, "%s: RepoTags is not a list", what);
    if (!(*names = calloc(wcr_json_len(tags) + 1, sizeof **names)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    for (size_t k = 0; k < wcr_json_len(tags); k++) {
        char w[96];
        snprintf(w, sizeof w, "%s: RepoTags[%zu]", what, k);
        const char *tag = wcr_json_string(wcr_json_at(tags, k));
        if (!tag)
            return wcr_err_set(err, WCR_E_PARSE, "%s: not a string", w);
        if (imp_full_name(tag, w, &(*names)[*n], err) < 0)
            return -1;
        (*n)++;
    }
    return 0;
}

int imp_plan_docker(wcr_import *im, wcr_archive_entry *me, wcr_err *err)
{
    const char *text = imp_doc(me, "manifest.json", err);
    wcr_json_doc *doc = NULL;
    if (!text || wcr_json_parse(&doc, text, me->size, NULL, err) < 0)
        return wcr_err_wrap(err, "manifest.json");
    const wcr_json *root = wcr_json_root(doc);
    if (!wcr_json_is_array(root)) {
        wcr_json_doc_free(doc);
        return wcr_err_set(err, WCR_E_PARSE, "manifest.json: not a list of images");
    }
    /* The whole archive as an index, for index_name. */
    wcr_buf ibuf = WCR_BUF_INIT("index", WCR_MANIFEST_MAX_SIZE);
    wcr_jsonw iw;
    wcr_jsonw_init(&iw, &ibuf, WCR_JSONW_COMPACT);
    wcr_jsonw_object_begin(&iw);
    wcr_jsonw_kv_int64(&iw, "schemaVersion", 2);
    wcr_jsonw_kv_string(&iw, "mediaType", WCR_MT_OCI_INDEX);
    wcr_jsonw_key(&iw, "manifests");
    wcr_jsonw_array_begin(&iw);
    size_t n = wcr_json_len(root), in_index = 0;
    wcr_platform *plats = calloc(n ? n : 1, sizeof *plats);
    char (*mdigests)[WCR_DIGEST_SHA256_LEN + 1] = calloc(n ? n : 1, sizeof *mdigests);
    int rc = plats && mdigests ? 0 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const wcr_json *item = wcr_json_at(root, i);
        char what[64];
        snprintf(what, sizeof what, "manifest.json[%zu]", i);
        char **names = NULL;
        size_t nn = 0;
        docker_item it = { 0 };
        imp_blob *mb = NULL;
        if (!wcr_json_is_object(item))
            rc = wcr_err_set(err, WCR_E_PARSE, "%s: not an object", what);
        if (rc == 0)
            rc = item_names(item, what, &names, &nn, err);
        /* An image without a name is wanted only inside the whole index. */
        bool wanted = rc == 0 && (nn > 0 || im->o->index_name);
        if (wanted)
            rc = read_item(im, item, what, &it, err);
        if (wanted && rc == 0 && !im->o->all_platforms) {
            size_t only;
            if (wcr_platform_choose(&im->want, im->want_is_host, WCR_ISOLATION_DEFAULT, &it.cfg.platform, 1,
                                    &only, err) < 0)
                rc = wcr_err_wrap(err, "%s", nn ? names[0] : what);
        }
        if (wanted && rc == 0)
            rc = plan_item(im, &it, &mb, err);
        bool fits = wanted && rc == 0 &&
                    wcr_platform_acceptable(&im->want, WCR_ISOLATION_DEFAULT, &it.cfg.platform);
        for (size_t k = 0; rc == 0 && k < nn; k++)
            rc = imp_add_image(im, names[k], WCR_MT_DOCKER_MANIFEST, mb->digest, mb->size,
                               fits ? &it.cfg.platform : NULL, false, err);
        if (wanted && rc == 0) {
            put_descriptor(&iw, WCR_MT_DOCKER_MANIFEST, mb->digest, mb->size);
            put_platform(&iw, &it.cfg.platform);
            wcr_jsonw_object_end(&iw);
            plats[in_index] = it.cfg.platform;
            snprintf(mdigests[in_index++], sizeof mdigests[0], "%s", mb->digest);
        }
        for (size_t k = 0; names && k < nn; k++)
            free(names[k]);
        free(names);
        free(it.layers);
        if (it.have_cfg)
            wcr_image_config_dispose(&it.cfg);
    }
    wcr_jsonw_array_end(&iw);
    wcr_jsonw_object_end(&iw);
    if (rc == 0 && im->o->index_name) {
        imp_blob *ib;
        char *name = NULL;
        size_t chosen;
        bool fits = wcr_platform_choose(&im->want, im->want_is_host, WCR_ISOLATION_DEFAULT, plats, in_index,
                                        &chosen, NULL) == 0;
        rc = wcr_jsonw_finish(&iw, err);
        if (rc == 0)
            rc = imp_full_name(im->o->index_name, "--index-name", &name, err);
        if (rc == 0)
            rc = add_made(im, &ibuf, "index", &ib, err);
        for (size_t k = 0; rc == 0 && k < in_index; k++)
            rc = imp_label_index(&ib->labels, "containerd.io/gc.ref.content.m.", k, mdigests[k], err);
        if (rc == 0)
            rc = imp_add_image(im, name, WCR_MT_OCI_INDEX, ib->digest, ib->size, fits ? &plats[chosen] : NULL,
                               true, err);
        free(name);
    }
    free(plats);
    free(mdigests);
    wcr_buf_dispose(&ibuf);
    wcr_json_doc_free(doc);
    return rc;
}
