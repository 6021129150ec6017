/* What an archive holds and what to make of it: for an OCI image layout,
 * index.json and the documents it leads to; for docker save, manifest.json
 * turned into Docker schema 2 manifests. Every document and blob needed
 * is checked here, before anything is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "image/digest.h"
#include "image/import_internal.h"
#include "image/quote.h"

#define MAX_DEPTH 3 /* index.json -> index -> manifest, and one more */
#define ANN_IMAGE_NAME "io.containerd.image.name"
#define ANN_REF_NAME "org.opencontainers.image.ref.name"

/* ---- blobs and images ------------------------------------------------------ */

int imp_add_blob(wcr_import *im, const char *digest, int64_t size, const char *kind,
                    wcr_archive_entry *e, char **data, imp_blob **out, wcr_err *err)
{
    for (size_t i = 0; i < im->nblobs; i++) {
        if (strcmp(im->blobs[i].digest, digest) == 0) {
            *out = &im->blobs[i];
            return 0; /* shared by images or platforms: stored once */
        }
    }
    imp_blob *grown = realloc(im->blobs, (im->nblobs + 1) * sizeof *grown);
    if (!grown)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    im->blobs = grown;
    imp_blob *b = &grown[im->nblobs];
    memset(b, 0, sizeof *b);
    snprintf(b->digest, sizeof b->digest, "%s", digest);
    b->size = size;
    b->kind = kind;
    b->entry = e;
    if (data) {
        b->data = *data;
        *data = NULL;
    }
    if (e)
        e->blob = (long)im->nblobs;
    im->nblobs++;
    *out = b;
    return 0;
}

int imp_label_index(wcr_labels *l, const char *prefix, size_t i, const char *value, wcr_err *err)
{
    char key[96];
    snprintf(key, sizeof key, "%s%zu", prefix, i);
    return wcr_labels_set(l, key, value, err);
}

/* The GC labels of a manifest, as containerd's client sets them. */
int imp_manifest_labels(imp_blob *b, const char *config, const char *const *layers, size_t n,
                           wcr_err *err)
{
    if (wcr_labels_set(&b->labels, "containerd.io/gc.ref.content.config", config, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (imp_label_index(&b->labels, "containerd.io/gc.ref.content.l.", i, layers[i], err) < 0)
            return -1;
    return 0;
}

int imp_add_image(wcr_import *im, const char *name, const char *media_type, const char *digest,
                     int64_t size, const wcr_platform *found, bool whole_index, wcr_err *err)
{
    for (size_t i = 0; i < im->nimages; i++) {
        if (strcmp(im->images[i].name, name) != 0)
            continue;
        if (strcmp(im->images[i].digest, digest) == 0)
            return 0;
        return wcr_err_set(err, WCR_E_INVALID, "two different images in the archive are named %s", name);
    }
    imp_image *grown = realloc(im->images, (im->nimages + 1) * sizeof *grown);
    if (!grown)
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    im->images = grown;
    imp_image *x = &grown[im->nimages];
    memset(x, 0, sizeof *x);
    if (!(x->name = wcr_strdup(name)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    im->nimages++;
    snprintf(x->media_type, sizeof x->media_type, "%s", media_type);
    snprintf(x->digest, sizeof x->digest, "%s", digest);
    x->size = size;
    x->whole_index = whole_index;
    if (found) {
        x->has_platform = true;
        x->platform = *found;
        /* Unpacked only where wcr runs: another OS's layers are kept. */
        x->unpack = !im->o->no_unpack && strcmp(found->os, wcr_os_name()) == 0;
    }
    return 0;
}

/* A name from the archive as a full reference; *out malloc'd. */
int imp_full_name(const char *name, const char *what, char **out, wcr_err *err)
{
    wcr_ref ref = WCR_REF_INIT;
    if (wcr_ref_parse(&ref, name, err) < 0)
        return wcr_err_wrap(err, "%s", what);
    *out = wcr_ref_string(&ref);
    wcr_ref_dispose(&ref);
    return *out ? 0 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
}

/* ---- entries as documents and blobs ----------------------------------------- */

const char *imp_doc(const wcr_archive_entry *e, const char *what, wcr_err *err)
{
    if (e->data)
        return e->data;
    if (e->dropped)
        wcr_err_set(err, WCR_E_LIMIT, "%s: the archive's documents exceed %zu MiB in all", what,
                    WCR_ARCHIVE_MAX_KEPT >> 20);
    else if (e->size > WCR_ARCHIVE_MAX_DOC)
        wcr_err_set(err, WCR_E_LIMIT, "%s: %s is %llu bytes, too large for a document", what, e->name,
                    (unsigned long long)e->size);
    else
        wcr_err_set(err, WCR_E_PARSE, "%s: %s is not a JSON document", what, e->name);
    return NULL;
}

/* "blobs/sha256/<hex>" names its digest: the content must match it. */
int imp_check_blob_path(const wcr_archive_entry *e, const char *what, wcr_err *err)
{
    const char *hex = wcr_str_starts_with(e->name, "blobs/sha256/") ? e->name + 13 : NULL;
    if (hex && strcmp(hex, e->digest + 7) != 0)
        return wcr_err_set(err, WCR_E_DIGEST,
                           "%s: %s does not match its digest: its content hashes to %s; refused", what,
                           e->name, e->digest);
    return 0;
}

/* The entry holding an OCI blob, checked against its descriptor. `kind`
 * names it in messages: "layer sha256:...: ...". */
static int oci_entry(wcr_import *im, const wcr_descriptor *d, const char *kind, wcr_archive_entry **out,
                     wcr_err *err)
{
    if (!wcr_str_starts_with(d->digest, "sha256:"))
        return wcr_err_set(err, WCR_E_UNSUPPORTED, "%s %s: only sha256 blobs are supported", kind, d->digest);
    char path[96], what[128];
    snprintf(path, sizeof path, "blobs/sha256/%s", d->digest + 7);
    snprintf(what, sizeof what, "%s %s", kind, d->digest);
    wcr_archive_entry *e = wcr_archive_find(&im->arc, path);
    if (!e) {
        wcr_err_set(err, WCR_E_NOT_FOUND, "%s is not in the archive (no %s)", what, path);
        return wcr_media_type_is_foreign_layer(d->media_type)
                   ? wcr_err_hint(err, "a foreign layer is not in image archives; pull the image instead")
                   : -1;
    }
    if (imp_check_blob_path(e, what, err) < 0)
        return -1;
    if ((uint64_t)d->size != e->size)
        return wcr_err_set(err, WCR_E_INVALID, "%s: the descriptor says %lld bytes, the archive holds %llu",
                           what, (long long)d->size, (unsigned long long)e->size);
    *out = e;
    return 0;
}

/* ---- OCI image layouts -------------------------------------------------------- */

typedef struct found_platform {
    bool found;
    wcr_platform platform;
} found_platform;

static int plan_target(wcr_import *im, const wcr_descriptor *d, const char *what, int depth, bool wanted,
                       found_platform *fp, wcr_err *err);

static int plan_index(wcr_import *im, const wcr_descriptor *d, wcr_archive_entry *e, const char *data,
                      int depth, bool wanted, found_platform *fp, wcr_err *err)
{
    char what[128];
    snprintf(what, sizeof what, "index %s", d->digest);
    wcr_index idx;
    if (wcr_index_parse(&idx, d->digest, d->media_type, data, e->size, err) < 0)
        return -1;
    imp_blob *b;
    int rc = imp_add_blob(im, d->digest, d->size, "index", e, NULL, &b, err);
    for (size_t i = 0; rc == 0 && i < idx.n_manifests; i++)
        rc = imp_label_index(&b->labels, "containerd.io/gc.ref.content.m.", i, idx.manifests[i].digest, err);
    size_t chosen = SIZE_MAX;
    wcr_err e2 = WCR_ERR_INIT;
    if (rc == 0 &&
        wcr_index_choose(&idx, &im->want, im->want_is_host, WCR_ISOLATION_DEFAULT, &chosen, &e2) < 0) {
        chosen = SIZE_MAX;
        if (!im->o->all_platforms) {
            wcr_err_move(err, &e2);
            rc = -1;
        }
    }
    wcr_err_dispose(&e2);
    for (size_t i = 0; rc == 0 && i < idx.n_manifests; i++) {
        const wcr_descriptor *m = &idx.manifests[i];
        /* Every platform's images (attestations, "unknown/unknown", are
         * not images), or the chosen one only. */
        bool image = m->has_platform && strcmp(m->platform.os, "unknown") != 0 &&
                     (wcr_media_type_is_manifest(m->media_type) || wcr_media_type_is_index(m->media_type));
        if (i != chosen && !(im->o->all_platforms && image))
            continue;
        char child[192];
        snprintf(child, sizeof child, "%s: manifests[%zu]", what, i);
        rc = plan_target(im, m, child, depth + 1, wanted && i == chosen, fp, err);
    }
    wcr_index_dispose(&idx);
    return rc;
}

static int plan_manifest(wcr_import *im, const wcr_descriptor *d, wcr_archive_entry *e, const char *data,
                         int depth, bool wanted, found_platform *fp, wcr_err *err)
{
    char what[128];
    snprintf(what, sizeof what, "manifest %s", d->digest);
    wcr_manifest m;
    wcr_image_config cfg;
    bool have_cfg = false;
    wcr_archive_entry *ce = NULL;
    imp_blob *b, *unused;
    if (wcr_manifest_parse(&m, d->digest, d->media_type, data, e->size, err) < 0)
        return -1;
    int rc = wcr_manifest_check_image(&m, what, err);
    if (rc == 0)
        rc = oci_entry(im, &m.config, "config", &ce, err);
    const char *cdata = rc == 0 ? imp_doc(ce, what, err) : NULL;
    if (rc == 0 && !cdata)
        rc = -1;
    if (rc == 0 && (rc = wcr_image_config_parse(&cfg, m.config.digest, cdata, ce->size, err)) == 0) {
        have_cfg = true;
        rc = wcr_image_check(&m, &cfg, what, err);
    }
    if (rc == 0 && wanted && depth == 0 && !im->o->all_platforms) {
        /* A lone manifest: its config says what it is for, and must fit. */
        size_t only;
        rc = wcr_platform_choose(&im->want, im->want_is_host, WCR_ISOLATION_DEFAULT, &cfg.platform, 1, &only,
                                 err);
    }
    if (rc == 0 && wanted &&
        (depth > 0 || wcr_platform_acceptable(&im->want, WCR_ISOLATION_DEFAULT, &cfg.platform))) {
        fp->found = true;
        fp->platform = cfg.platform;
    }
    if (rc == 0)
        rc = imp_add_blob(im, m.config.digest, m.config.size, "config", ce, NULL, &unused, err);
    for (size_t i = 0; rc == 0 && i < m.n_layers; i++) {
        wcr_archive_entry *le;
        char lwhat[160];
        snprintf(lwhat, sizeof lwhat, "%s: layers[%zu]", what, i);
        if ((rc = oci_entry(im, &m.layers[i], "layer", &le, err)) < 0)
            wcr_err_wrap(err, "%s", lwhat);
        if (rc == 0)
            rc = imp_add_blob(im, m.layers[i].digest, m.layers[i].size, "layer", le, NULL, &unused, err);
    }
    if (rc == 0)
        rc = imp_add_blob(im, d->digest, d->size, "manifest", e, NULL, &b, err);
    if (rc == 0 && !b->labels.n) {
        const char **ids = calloc(m.n_layers ? m.n_layers : 1, sizeof *ids);
        for (size_t i = 0; ids && i < m.n_layers; i++)
            ids[i] = m.layers[i].digest;
        rc = ids ? imp_manifest_labels(b, m.config.digest, ids, m.n_layers, err)
                 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        free(ids);
    }
    if (have_cfg)
        wcr_image_config_dispose(&cfg);
    wcr_manifest_dispose(&m);
    return rc;
}

static int plan_target(wcr_import *im, const wcr_descriptor *d, const char *what, int depth, bool wanted,
                       found_platform *fp, wcr_err *err)
{
    if (depth > MAX_DEPTH)
        return wcr_err_set(err, WCR_E_UNSUPPORTED, "%s: indexes nested too deep", what);
    wcr_archive_entry *e;
    const char *data;
    wcr_doc_kind kind;
    if (oci_entry(im, d, "blob", &e, err) < 0 || !(data = imp_doc(e, d->digest, err)) ||
        wcr_manifest_detect(&kind, d->digest, d->media_type, data, e->size, err) < 0)
        return wcr_err_wrap(err, "%s", what);
    int rc = wcr_doc_kind_is_index(kind) ? plan_index(im, d, e, data, depth, wanted, fp, err)
                                         : plan_manifest(im, d, e, data, depth, wanted, fp, err);
    return rc < 0 ? wcr_err_wrap(err, "%s", what) : 0;
}

static int check_layout(wcr_import *im, wcr_err *err)
{
    wcr_archive_entry *e = wcr_archive_find(&im->arc, "oci-layout");
    if (!e)
        return 0; /* some writers leave it out; index.json says enough */
    const char *data = imp_doc(e, "oci-layout", err);
    wcr_json_doc *doc = NULL;
    if (!data || wcr_json_parse(&doc, data, e->size, NULL, err) < 0)
        return wcr_err_wrap(err, "oci-layout");
    const char *v = wcr_json_get_string(wcr_json_root(doc), "imageLayoutVersion");
    int rc = 0;
    if (!v)
        rc = wcr_err_set(err, WCR_E_PARSE, "oci-layout: no imageLayoutVersion");
    else if (!wcr_str_starts_with(v, "1."))
        rc = wcr_err_set(err, WCR_E_UNSUPPORTED, "oci-layout: image layout version %s is not supported", v);
    wcr_json_doc_free(doc);
    return rc;
}

static int plan_oci(wcr_import *im, wcr_archive_entry *ie, wcr_err *err)
{
    const char *data = imp_doc(ie, "index.json", err);
    wcr_index idx;
    if (!data || check_layout(im, err) < 0 ||
        wcr_index_parse(&idx, "index.json", WCR_MT_OCI_INDEX, data, ie->size, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < idx.n_manifests; i++) {
        const wcr_descriptor *d = &idx.manifests[i];
        char what[64], *name = NULL;
        snprintf(what, sizeof what, "index.json: manifests[%zu]", i);
        const char *given = wcr_descriptor_annotation(d, ANN_IMAGE_NAME);
        if (!given)
            given = wcr_descriptor_annotation(d, ANN_REF_NAME);
        if (given && imp_full_name(given, what, &name, err) < 0)
            break;
        if (!wcr_media_type_is_manifest(d->media_type) && !wcr_media_type_is_index(d->media_type)) {
            free(name); /* not an image (an artifact, say): left alone */
            continue;
        }
        /* An image without a name is wanted only inside the whole index. */
        found_platform fp = { 0 };
        if (name || im->o->index_name)
            rc = plan_target(im, d, what, 0, true, &fp, err);
        if (rc == 0 && name)
            rc = imp_add_image(im, name, d->media_type, d->digest, d->size, fp.found ? &fp.platform : NULL,
                               false, err);
        free(name);
    }
    if (rc == 0 && im->o->index_name) {
        imp_blob *b;
        char *name = NULL;
        size_t chosen;
        wcr_platform *p = NULL;
        if (wcr_index_choose(&idx, &im->want, im->want_is_host, WCR_ISOLATION_DEFAULT, &chosen, NULL) == 0)
            p = &idx.manifests[chosen].platform;
        rc = imp_full_name(im->o->index_name, "--index-name", &name, err);
        if (rc == 0)
            rc = imp_add_blob(im, ie->digest, (int64_t)ie->size, "index", ie, NULL, &b, err);
        for (size_t i = 0; rc == 0 && i < idx.n_manifests; i++)
            rc = imp_label_index(&b->labels, "containerd.io/gc.ref.content.m.", i, idx.manifests[i].digest,
                                 err);
        if (rc == 0)
            rc = imp_add_image(im, name, WCR_MT_OCI_INDEX, ie->digest, (int64_t)ie->size, p, true, err);
        free(name);
    }
    wcr_index_dispose(&idx);
    return rc;
}

int imp_plan(wcr_import *im, wcr_err *err)
{
    wcr_archive_entry *ie = wcr_archive_find(&im->arc, "index.json");
    wcr_archive_entry *me = wcr_archive_find(&im->arc, "manifest.json");
    int rc;
    if (ie)
        rc = plan_oci(im, ie, err);
    else if (me)
        rc = imp_plan_docker(im, me, err);
    else
        return wcr_err_set(err, WCR_E_INVALID,
                           "not an image archive: it has neither index.json (an OCI image layout) nor "
                           "manifest.json (docker save)");
    if (rc == 0 && im->nimages == 0) {
        rc = wcr_err_set(err, WCR_E_INVALID, "the archive names no image (%s)",
                         ie ? "no " ANN_IMAGE_NAME " or " ANN_REF_NAME " annotation in index.json"
                            : "no RepoTags in manifest.json");
        wcr_err_hint(err, "give it a name with --index-name NAME");
    }
    return rc;
}
