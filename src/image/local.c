/* Images in containerd's stores: records, documents read back from the
 * content store, and unpacking after the fact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/content.h"
#include "containerd/images.h"
#include "core/str.h"
#include "image/digest.h"
#include "image/local.h"
#include "image/unpack.h"

typedef struct read_into {
    wcr_buf *out;
} read_into;

static int append_chunk(void *ud, int64_t offset, const void *data, size_t len, wcr_err *err)
{
    (void)offset;
    read_into *r = ud;
    if (wcr_buf_append(r->out, data, len) < 0)
        return wcr_buf_check(r->out, err);
    return 0;
}

int wcr_content_read_blob(wcr_ctd *c, const char *digest, size_t limit, wcr_buf *out, wcr_err *err)
{
    wcr_buf_init(out, "blob", limit);
    read_into r = { out };
    if (wcr_content_read(c, digest, 0, 0, append_chunk, &r, err) < 0 ||
        wcr_digest_check(digest, err) < 0) {
        wcr_buf_dispose(out);
        return wcr_err_wrap(err, "read %s", digest);
    }
    /* The store verified it on commit; a short read would show here. */
    char what[96];
    snprintf(what, sizeof what, "blob %s", digest);
    if (wcr_digest_verify(out->data ? out->data : "", out->len, digest, what, err) < 0) {
        wcr_buf_dispose(out);
        return -1;
    }
    return 0;
}

void wcr_local_image_dispose(wcr_local_image *img)
{
    if (!img)
        return;
    free(img->name);
    wcr_ctd_descriptor_dispose(&img->target);
    wcr_buf_dispose(&img->manifest_raw);
    wcr_buf_dispose(&img->config_raw);
    if (img->have_manifest)
        wcr_manifest_dispose(&img->manifest);
    if (img->have_config)
        wcr_image_config_dispose(&img->config);
    free(img->chain_ids);
    memset(img, 0, sizeof *img);
}

/* The record under the normalised name, or else under the name as given
 * (ctr and others may record names that are not references). */
static int find_record(wcr_ctd *c, const char *name, wcr_image *rec, wcr_err *err)
{
    wcr_ref ref = WCR_REF_INIT;
    char *full = NULL;
    if (wcr_ref_parse(&ref, name, NULL) == 0)
        full = wcr_ref_string(&ref);
    wcr_ref_dispose(&ref);
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_images_get(c, full ? full : name, rec, &e);
    if (rc < 0 && e.code == WCR_E_NOT_FOUND && full && strcmp(full, name) != 0) {
        wcr_err_dispose(&e);
        rc = wcr_images_get(c, name, rec, &e);
    }
    if (rc < 0) {
        if (e.code == WCR_E_NOT_FOUND)
            wcr_err_set(err, WCR_E_NOT_FOUND, "no image %s in containerd", full ? full : name);
        else
            wcr_err_move(err, &e);
    }
    wcr_err_dispose(&e);
    free(full);
    return rc;
}

/* From the target to the manifest for the platform (through at most two
 * levels of index). */
static int pick_manifest(wcr_ctd *c, wcr_local_image *img, const wcr_platform *want, bool is_host,
                         wcr_isolation isolation, wcr_err *err)
{
    char digest[WCR_DIGEST_SHA256_LEN + 1], mtype[128];
    snprintf(digest, sizeof digest, "%s", img->target.digest ? img->target.digest : "");
    snprintf(mtype, sizeof mtype, "%s", img->target.media_type ? img->target.media_type : "");
    for (int depth = 0; depth < 3; depth++) {
        wcr_buf raw;
        if (wcr_content_read_blob(c, digest, WCR_MANIFEST_MAX_SIZE, &raw, err) < 0)
            return -1;
        const char *mt = mtype[0] ? mtype : NULL;
        wcr_doc_kind kind;
        if (wcr_manifest_detect(&kind, img->name, mt, raw.data, raw.len, err) < 0) {
            wcr_buf_dispose(&raw);
            return -1;
        }
        if (!wcr_doc_kind_is_index(kind)) {
            img->manifest_raw = raw;
            snprintf(img->manifest_digest, sizeof img->manifest_digest, "%s", digest);
            if (wcr_manifest_parse(&img->manifest, img->manifest_digest, mt, raw.data, raw.len, err) < 0)
                return -1;
            img->have_manifest = true;
            return wcr_manifest_check_image(&img->manifest, img->manifest_digest, err);
        }
        wcr_index idx;
        size_t chosen;
        int rc = wcr_index_parse(&idx, img->name, mt, raw.data, raw.len, err);
        wcr_buf_dispose(&raw);
        if (rc < 0)
            return -1;
        if (wcr_index_choose(&idx, want, is_host, isolation, &chosen, err) < 0) {
            wcr_index_dispose(&idx);
            return wcr_err_wrap(err, "%s", img->name);
        }
        const wcr_descriptor *d = &idx.manifests[chosen];
        snprintf(digest, sizeof digest, "%s", d->digest);
        snprintf(mtype, sizeof mtype, "%s", d->media_type ? d->media_type : "");
        wcr_index_dispose(&idx);
    }
    return wcr_err_set(err, WCR_E_UNSUPPORTED, "%s: indexes nested too deep", img->name);
}

int wcr_local_image_load(wcr_ctd *c, const char *name, const wcr_platform *want,
                         wcr_isolation isolation, wcr_local_image *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    wcr_buf_init(&out->manifest_raw, "manifest", 0);
    wcr_buf_init(&out->config_raw, "config", 0);
    wcr_image rec = { 0 };
    wcr_platform host;
    bool is_host = want == NULL;
    int rc = find_record(c, name, &rec, err);
    if (rc == 0 && is_host && (rc = wcr_platform_host(&host, err)) == 0)
        want = &host;
    if (rc == 0) {
        out->name = rec.name;
        out->target = rec.target;
        rec.name = NULL;
        memset(&rec.target, 0, sizeof rec.target);
        rc = pick_manifest(c, out, want, is_host, isolation, err);
    }
    wcr_image_dispose(&rec);
    const wcr_descriptor *cd = rc == 0 ? &out->manifest.config : NULL;
    if (rc == 0 && (rc = wcr_content_read_blob(c, cd->digest, WCR_CONFIG_MAX_SIZE, &out->config_raw, err)) == 0) {
        char what[96];
        snprintf(what, sizeof what, "config %s", cd->digest);
        rc = wcr_image_config_parse(&out->config, what, out->config_raw.data, out->config_raw.len, err);
        out->have_config = rc == 0;
        if (rc == 0)
            rc = wcr_image_check(&out->manifest, &out->config, what, err);
    }
    if (rc == 0) {
        size_t only;
        /* A lone manifest has no index to choose from: its config must fit. */
        rc = wcr_platform_choose(want, is_host, isolation, &out->config.platform, 1, &only, err);
    }
    if (rc == 0) {
        out->n_layers = out->config.n_diff_ids;
        out->chain_ids = calloc(out->n_layers ? out->n_layers : 1, sizeof *out->chain_ids);
        rc = out->chain_ids ? wcr_image_chain_ids(out->config.diff_ids, out->n_layers, out->chain_ids, err)
                            : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    }
    if (rc < 0) {
        wcr_local_image_dispose(out);
        return wcr_err_wrap(err, "image %s", name);
    }
    return 0;
}

const char *wcr_local_image_top(const wcr_local_image *img)
{
    return img->n_layers ? img->chain_ids[img->n_layers - 1] : "";
}

bool wcr_local_image_unpacked(wcr_ctd *c, const wcr_local_image *img, const char *snapshotter,
                              wcr_err *err)
{
    return img->n_layers == 0 || wcr_snapshot_exists(c, snapshotter, wcr_local_image_top(img), err);
}

int wcr_local_image_unpack(wcr_ctd *c, const wcr_local_image *img, const char *snapshotter,
                           wcr_err *err)
{
    for (size_t i = 0; i < img->n_layers; i++) {
        const char *chain = img->chain_ids[i];
        wcr_err e = WCR_ERR_INIT;
        if (wcr_snapshot_exists(c, snapshotter, chain, &e))
            continue;
        if (e.code) {
            wcr_err_move(err, &e);
            return -1;
        }
        if (wcr_layer_apply(c, snapshotter, &img->manifest.layers[i], img->config.diff_ids[i], chain,
                            i ? img->chain_ids[i - 1] : "", err) < 0)
            return wcr_err_wrap(err, "unpack %s layer %zu", img->name, i);
    }
    if (img->n_layers == 0)
        return 0;
    /* The garbage collector keeps snapshots that a config names. */
    char key[128];
    snprintf(key, sizeof key, "containerd.io/gc.ref.snapshot.%s", snapshotter);
    wcr_blob_info info = { 0 };
    info.digest = (char *)img->manifest.config.digest;
    int rc = wcr_labels_set(&info.labels, key, wcr_local_image_top(img), err);
    char path[160];
    snprintf(path, sizeof path, "labels.%s", key);
    const char *paths[] = { path };
    if (rc == 0)
        rc = wcr_content_update(c, &info, paths, 1, NULL, err);
    wcr_labels_dispose(&info.labels);
    return rc;
}

int wcr_local_image_summary(wcr_ctd *c, const wcr_ctd_descriptor *target, wcr_buf *platforms,
                            int64_t *size, wcr_err *err)
{
    *size = -1;
    wcr_buf raw;
    if (wcr_content_read_blob(c, target->digest, WCR_MANIFEST_MAX_SIZE, &raw, NULL) < 0) {
        wcr_buf_puts(platforms, "-");
        return 0; /* content missing: nothing to say, as ctr says nothing */
    }
    wcr_doc_kind kind;
    int rc = wcr_manifest_detect(&kind, target->digest, target->media_type, raw.data, raw.len, err);
    int64_t total = (int64_t)raw.len;
    char manifest_digest[WCR_DIGEST_SHA256_LEN + 1] = "";
    if (rc == 0 && wcr_doc_kind_is_index(kind)) {
        wcr_index idx;
        if ((rc = wcr_index_parse(&idx, target->digest, target->media_type, raw.data, raw.len, err)) == 0) {
            size_t shown = 0;
            for (size_t i = 0; i < idx.n_manifests; i++) {
                if (!idx.manifests[i].has_platform)
                    continue;
                char p[WCR_PLATFORM_STRLEN];
                wcr_platform_format(&idx.manifests[i].platform, p, sizeof p);
                wcr_buf_printf(platforms, "%s%s", shown++ ? "," : "", p);
            }
            wcr_platform host;
            size_t chosen;
            if (wcr_platform_host(&host, NULL) == 0 &&
                wcr_index_choose(&idx, &host, true, WCR_ISOLATION_DEFAULT, &chosen, NULL) == 0)
                snprintf(manifest_digest, sizeof manifest_digest, "%s", idx.manifests[chosen].digest);
            wcr_index_dispose(&idx);
        }
    } else if (rc == 0) {
        snprintf(manifest_digest, sizeof manifest_digest, "%s", target->digest);
        total = 0;
    }
    wcr_buf_dispose(&raw);
    if (rc < 0 || !manifest_digest[0])
        return rc;
    wcr_buf mraw, craw;
    if (wcr_content_read_blob(c, manifest_digest, WCR_MANIFEST_MAX_SIZE, &mraw, NULL) < 0)
        return 0;
    wcr_manifest m;
    if (wcr_manifest_parse(&m, manifest_digest, NULL, mraw.data, mraw.len, NULL) == 0) {
        total += (int64_t)mraw.len + m.config.size;
        for (size_t i = 0; i < m.n_layers; i++)
            total += m.layers[i].size;
        *size = total;
        if (platforms->len == 0 &&
            wcr_content_read_blob(c, m.config.digest, WCR_CONFIG_MAX_SIZE, &craw, NULL) == 0) {
            wcr_image_config cfg;
            if (wcr_image_config_parse(&cfg, m.config.digest, craw.data, craw.len, NULL) == 0) {
                char p[WCR_PLATFORM_STRLEN];
                wcr_platform_format(&cfg.platform, p, sizeof p);
                wcr_buf_puts(platforms, p);
                wcr_image_config_dispose(&cfg);
            }
            wcr_buf_dispose(&craw);
        }
        wcr_manifest_dispose(&m);
    }
    wcr_buf_dispose(&mraw);
    return 0;
}
