/* An import from beginning to end: scan and check the archive, plan,
 * take a lease, stream the blobs into the content store, record the
 * images, unpack them, release the lease. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/content.h"
#include "containerd/images.h"
#include "containerd/leases.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timefmt.h"
#include "image/import_internal.h"
#include "image/local.h"

#define LEASE_EXPIRY_SECONDS 3600 /* a killed import's lease frees its content */
#define LOCKED_RETRY_MS 200

void wcr_import_result_dispose(wcr_import_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->images[i].name);
        free(r->images[i].digest);
        free(r->images[i].platform);
    }
    free(r->images);
    memset(r, 0, sizeof *r);
}

wcr_import *wcr_import_new(wcr_ctd *c, const wcr_import_options *o, wcr_err *err)
{
    if (!o || o->version != WCR_IMPORT_OPTIONS_VERSION || !o->path || !o->path[0]) {
        wcr_err_set(err, WCR_E_INVALID, "import: no file, or options of an unknown version");
        return NULL;
    }
    wcr_import *im = calloc(1, sizeof *im);
    if (!im) {
        wcr_err_set(err, WCR_E_NOMEM, "import: out of memory");
        return NULL;
    }
    im->ctd = c;
    im->o = o;
    im->snapshotter = o->snapshotter && o->snapshotter[0] ? o->snapshotter : wcr_os_default_snapshotter();
    im->want_is_host = !o->platform || !o->platform[0];
    int rc = im->want_is_host ? wcr_platform_host(&im->want, err)
                              : wcr_platform_parse(&im->want, o->platform, err);
    if (rc < 0 || !(im->mu = wcr_os_mutex_new(err))) {
        wcr_import_free(im);
        return NULL;
    }
    return im;
}

void wcr_import_free(wcr_import *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->nblobs; i++) {
        wcr_labels_dispose(&im->blobs[i].labels);
        free(im->blobs[i].data);
    }
    free(im->blobs);
    for (size_t i = 0; i < im->nimages; i++)
        free(im->images[i].name);
    free(im->images);
    wcr_archive_dispose(&im->arc);
    wcr_os_mutex_free(im->mu);
    free(im->lease);
    free(im);
}

void wcr_import_cancel(wcr_import *im)
{
    if (!im)
        return;
    wcr_os_mutex_lock(im->mu);
    im->cancelled = true;
    wcr_os_mutex_unlock(im->mu);
    wcr_ctd_cancel_all(im->ctd);
}

bool imp_cancelled(wcr_import *im)
{
    wcr_os_mutex_lock(im->mu);
    bool c = im->cancelled;
    wcr_os_mutex_unlock(im->mu);
    return c;
}

static bool cancel_cb(void *ud)
{
    return imp_cancelled(ud);
}

/* ---- the lease ----------------------------------------------------------------- */

static int take_lease(wcr_import *im, wcr_err *err)
{
    unsigned char r[8];
    if (wcr_os_random(r, sizeof r, err) < 0)
        return -1;
    char id[48];
    snprintf(id, sizeof id, "wcr-import-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4],
             r[5], r[6], r[7]);
    int64_t now;
    int32_t nanos;
    wcr_os_wall_time(&now, &nanos);
    char expire[WCR_TIME_TEXT_MAX];
    wcr_time_format(now + LEASE_EXPIRY_SECONDS, 0, expire);
    wcr_labels l = { 0 };
    int rc = wcr_labels_set(&l, "containerd.io/gc.expire", expire, err);
    if (rc == 0)
        rc = wcr_leases_create(im->ctd, id, &l, NULL, err);
    wcr_labels_dispose(&l);
    if (rc < 0)
        return wcr_err_wrap(err, "take a lease");
    if (!(im->lease = wcr_strdup(id)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    return wcr_ctd_set_lease(im->ctd, id, err);
}

/* Synchronous after a failure, so nothing committed outlives the error. */
static void release_lease(wcr_import *im, bool failed)
{
    if (!im->lease)
        return;
    wcr_ctd_set_lease(im->ctd, NULL, NULL);
    wcr_err e = WCR_ERR_INIT;
    if (wcr_leases_delete(im->ctd, im->lease, failed, &e) < 0)
        wcr_log_debug("import: release lease %s: %s (it expires by itself)", im->lease, e.msg ? e.msg : "");
    wcr_err_dispose(&e);
    free(im->lease);
    im->lease = NULL;
}

/* ---- blobs into the content store ------------------------------------------------- */

/* A blob that is there already: the lease holds it until the records do,
 * and it gets our labels (other images' stay). */
static int adopt(wcr_import *im, imp_blob *b, wcr_err *err)
{
    if (wcr_leases_add_resource(im->ctd, im->lease, b->digest, "content", err) < 0)
        return -1;
    if (b->labels.n == 0)
        return 0;
    wcr_blob_info info = { 0 };
    info.digest = b->digest;
    info.labels = b->labels;
    char **paths = calloc(b->labels.n, sizeof *paths);
    int rc = paths ? 0 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < b->labels.n; i++)
        if (!(paths[i] = wcr_asprintf("labels.%s", b->labels.keys[i])))
            rc = wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    if (rc == 0)
        rc = wcr_content_update(im->ctd, &info, (const char *const *)paths, b->labels.n, NULL, err);
    for (size_t i = 0; paths && i < b->labels.n; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

/* Open the blob's ingest; *w stays NULL when the blob is there already. */
static int open_blob(wcr_import *im, imp_blob *b, wcr_content_writer **w, wcr_err *err)
{
    char ref[128];
    snprintf(ref, sizeof ref, "%s-%s", b->kind, b->digest);
    int64_t have = 0;
    wcr_err e = WCR_ERR_INIT;
    for (;;) {
        *w = wcr_content_writer_open(im->ctd, ref, b->size, b->digest, &have, &e);
        if (*w || e.code != WCR_E_UNAVAILABLE || imp_cancelled(im))
            break;
        /* Someone else (a pull, another import) is writing it: wait. */
        wcr_err_dispose(&e);
        wcr_os_sleep_ms(LOCKED_RETRY_MS);
    }
    if (!*w && e.code == WCR_E_EXISTS) {
        wcr_err_dispose(&e);
        return adopt(im, b, err);
    }
    if (!*w) {
        wcr_err_move(err, &e);
        return wcr_err_wrap(err, "store %s %s", b->kind, b->digest);
    }
    if (have != 0)
        wcr_content_writer_restart(*w); /* what an earlier try left is not trusted */
    return 0;
}

static int commit_blob(wcr_import *im, imp_blob *b, wcr_content_writer *w, wcr_err *err)
{
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_content_writer_commit(w, b->size, b->digest, &b->labels, &e);
    if (rc < 0 && e.code == WCR_E_EXISTS) {
        wcr_err_dispose(&e);
        return adopt(im, b, err);
    }
    if (rc < 0) {
        wcr_err_move(err, &e);
        return wcr_err_wrap(err, "store %s %s", b->kind, b->digest);
    }
    b->stored = true;
    return 0;
}

typedef struct store_state {
    wcr_import *im;
    imp_blob *b;
    wcr_content_writer *w;
    wcr_os_sha256 *h;
} store_state;

static int store_begin(void *ud, wcr_archive_entry *e, wcr_err *err)
{
    store_state *s = ud;
    if (e->blob < 0 || s->im->blobs[e->blob].stored)
        return 0;
    imp_blob *b = &s->im->blobs[e->blob];
    if (open_blob(s->im, b, &s->w, err) < 0)
        return -1;
    if (!s->w) {
        b->stored = true;
        return 0;
    }
    s->b = b;
    wcr_os_sha256_reset(s->h);
    return 1;
}

static int store_data(void *ud, const void *data, size_t len, wcr_err *err)
{
    store_state *s = ud;
    wcr_os_sha256_update(s->h, data, len);
    return wcr_content_writer_write(s->w, data, len, err);
}

static int store_end(void *ud, wcr_err *err)
{
    store_state *s = ud;
    uint8_t sum[32];
    char digest[WCR_DIGEST_SHA256_LEN + 1];
    wcr_os_sha256_final(s->h, sum);
    wcr_digest_sha256_format(sum, digest);
    int rc;
    if (strcmp(digest, s->b->digest) != 0) {
        /* Checked in the first pass: the file changed since. */
        wcr_content_writer_abort(s->w, NULL);
        rc = wcr_err_set(err, WCR_E_DIGEST, "%s now hashes to %s, not %s: the file changed while it was read",
                         s->b->entry->name, digest, s->b->digest);
    } else {
        rc = commit_blob(s->im, s->b, s->w, err);
    }
    wcr_content_writer_free(s->w);
    s->w = NULL;
    s->b = NULL;
    return rc;
}

static bool store_cancelled(void *ud)
{
    store_state *s = ud;
    return imp_cancelled(s->im);
}

static int store_archive_blobs(wcr_import *im, wcr_err *err)
{
    store_state s = { .im = im };
    if (!(s.h = wcr_os_sha256_new(err)))
        return -1;
    wcr_archive_visitor v = { &s, store_begin, store_data, store_end, store_cancelled };
    int rc = wcr_archive_stream(&im->arc, &v, err);
    wcr_content_writer_free(s.w);
    wcr_os_sha256_free(s.h);
    for (size_t i = 0; rc == 0 && i < im->nblobs; i++)
        if (im->blobs[i].entry && !im->blobs[i].stored)
            rc = wcr_err_set(err, WCR_E_INVALID, "%s was not there the second time: the file changed",
                             im->blobs[i].entry->name);
    return rc;
}

/* The documents made here (docker save manifests and index). */
static int store_made_blobs(wcr_import *im, wcr_err *err)
{
    for (size_t i = 0; i < im->nblobs; i++) {
        imp_blob *b = &im->blobs[i];
        wcr_content_writer *w;
        if (!b->data || b->stored)
            continue;
        if (open_blob(im, b, &w, err) < 0)
            return -1;
        int rc = w ? wcr_content_writer_write(w, b->data, (size_t)b->size, err) : 0;
        if (rc == 0 && w)
            rc = commit_blob(im, b, w, err);
        wcr_content_writer_free(w);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---- records and unpacking ------------------------------------------------------------ */

static int record_image(wcr_import *im, const imp_image *x, wcr_err *err)
{
    wcr_image rec = { 0 };
    rec.name = x->name;
    rec.target.media_type = (char *)x->media_type;
    rec.target.digest = (char *)x->digest;
    rec.target.size = x->size;
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_images_create(im->ctd, &rec, NULL, &e);
    if (rc < 0 && e.code == WCR_E_EXISTS) {
        static const char *const paths[] = { "target" };
        wcr_err_dispose(&e);
        rc = wcr_images_update(im->ctd, &rec, paths, 1, NULL, &e);
    }
    if (rc < 0) {
        wcr_err_move(err, &e);
        wcr_err_wrap(err, "record image %s", x->name);
    }
    wcr_err_dispose(&e);
    return rc;
}

static int unpack_image(wcr_import *im, imp_image *x, wcr_err *err)
{
    wcr_local_image img;
    if (wcr_local_image_load(im->ctd, x->name, im->want_is_host ? NULL : &im->want, WCR_ISOLATION_DEFAULT,
                             &img, err) < 0)
        return -1;
    int rc = wcr_local_image_unpack(im->ctd, &img, im->snapshotter, err);
    if (rc == 0)
        x->platform = img.config.platform;
    wcr_local_image_dispose(&img);
    return rc;
}

static int fill_result(wcr_import *im, wcr_import_result *out, wcr_err *err)
{
    if (!(out->images = calloc(im->nimages ? im->nimages : 1, sizeof *out->images)))
        return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < im->nimages; i++) {
        const imp_image *x = &im->images[i];
        wcr_import_image *r = &out->images[out->n++];
        char plat[WCR_PLATFORM_STRLEN] = "";
        if (x->has_platform)
            wcr_platform_format(&x->platform, plat, sizeof plat);
        r->name = wcr_strdup(x->name);
        r->digest = wcr_strdup(x->digest);
        r->platform = wcr_strdup(plat);
        r->unpacked = x->unpack;
        if (!r->name || !r->digest || !r->platform) {
            wcr_import_result_dispose(out);
            return wcr_err_set(err, WCR_E_NOMEM, "out of memory");
        }
    }
    return 0;
}

int wcr_import_run(wcr_import *im, wcr_import_result *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = wcr_archive_scan(&im->arc, im->o->path, cancel_cb, im, err);
    if (rc == 0)
        rc = imp_plan(im, err);
    if (rc == 0)
        rc = take_lease(im, err);
    if (rc == 0)
        rc = store_archive_blobs(im, err);
    if (rc == 0)
        rc = store_made_blobs(im, err);
    for (size_t i = 0; rc == 0 && i < im->nimages; i++)
        rc = record_image(im, &im->images[i], err);
    for (size_t i = 0; rc == 0 && i < im->nimages; i++) {
        imp_image *x = &im->images[i];
        /* The whole index is unpacked only when it is all there is. */
        if (x->whole_index && im->nimages > 1)
            x->unpack = false;
        if (x->unpack && unpack_image(im, x, err) < 0)
            rc = wcr_err_wrap(err, "unpack %s", x->name);
    }
    release_lease(im, rc < 0);
    if (rc == 0)
        rc = fill_result(im, out, err);
    if (rc < 0 && imp_cancelled(im))
        wcr_err_set(err, WCR_E_CANCELLED, "interrupted");
    return rc < 0 ? wcr_err_wrap(err, "import %s", im->o->path) : 0;
}
