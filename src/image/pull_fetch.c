/* A pull's blobs: small documents and the download workers that stream
 * layers from the registry into containerd's content store. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/content.h"
#include "containerd/leases.h"
#include "core/timefmt.h"
#include "core/str.h"
#include "image/pull_internal.h"

#define LOCKED_RETRY_MS 200
/* containerd keeps an ingest made without a lease for 24 hours. */
#define INGEST_EXPIRY_SECONDS (24 * 3600)

/* ---- progress under the lock ------------------------------------------- */

void pull_progress_state(wcr_pull *p, size_t item, const char *state, bool announce)
{
    wcr_os_mutex_lock(p->mu);
    if (p->progress)
        wcr_progress_state(p->progress, item, state, announce);
    wcr_os_mutex_unlock(p->mu);
}

void pull_progress_message(wcr_pull *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = wcr_vasprintf(fmt, ap);
    va_end(ap);
    wcr_os_mutex_lock(p->mu);
    if (p->progress && text)
        wcr_progress_message(p->progress, "%s", text);
    wcr_os_mutex_unlock(p->mu);
    free(text);
}

bool pull_cancelled(wcr_pull *p)
{
    wcr_os_mutex_lock(p->mu);
    bool c = p->cancelled;
    wcr_os_mutex_unlock(p->mu);
    return c;
}

size_t pull_layer_item(wcr_pull *p, const char *digest)
{
    for (size_t i = 0; i < p->nlayers; i++)
        if (strcmp(p->layers[i].desc->digest, digest) == 0)
            return p->layers[i].item;
    return SIZE_MAX;
}

/* ---- small blobs ---------------------------------------------------------- */

int pull_source_labels(wcr_pull *p, wcr_labels *l, wcr_err *err)
{
    /* containerd's client records where a blob came from, per registry. */
    char key[320];
    snprintf(key, sizeof key, "containerd.io/distribution.source.%s", p->ref.domain);
    return wcr_labels_set(l, key, wcr_ref_repository(&p->ref), err);
}

/* Add labels to a blob that is already there (a blob is shared: other
 * images' labels stay). */
static int add_labels(wcr_pull *p, const char *digest, const wcr_labels *labels, wcr_err *err)
{
    if (!labels || labels->n == 0)
        return 0;
    wcr_blob_info info = { 0 };
    info.digest = (char *)digest;
    info.labels = *labels;
    char **paths = calloc(labels->n, sizeof *paths);
    int rc = paths ? 0 : wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < labels->n; i++)
        if (!(paths[i] = wcr_asprintf("labels.%s", labels->keys[i])))
            rc = wcr_err_set(err, WCR_E_NOMEM, "out of memory");
    if (rc == 0)
        rc = wcr_content_update(p->ctd, &info, (const char *const *)paths, labels->n, NULL, err);
    for (size_t i = 0; paths && i < labels->n; i++)
        free(paths[i]);
    free(paths);
    return rc;
}

int pull_store_blob(wcr_pull *p, const char *kind, const char *digest, const void *data,
                    size_t len, const wcr_labels *labels, wcr_err *err)
{
    char ref[128];
    snprintf(ref, sizeof ref, "%s-%s", kind, digest);
    int64_t have = 0;
    wcr_err e = WCR_ERR_INIT;
    wcr_content_writer *w = NULL;
    for (;;) {
        w = wcr_content_writer_open(p->ctd, ref, (int64_t)len, digest, &have, &e);
        if (w || e.code != WCR_E_UNAVAILABLE || pull_cancelled(p))
            break;
        /* Another pull is writing the same blob: wait for it. */
        wcr_err_dispose(&e);
        wcr_os_sleep_ms(LOCKED_RETRY_MS);
    }
    int rc = 0;
    if (!w) {
        if (e.code == WCR_E_EXISTS) {
            wcr_err_dispose(&e);
            return add_labels(p, digest, labels, err);
        }
        wcr_err_move(err, &e);
        return wcr_err_wrap(err, "store %s %s", kind, digest);
    }
    /* A small document is written whole, whatever an earlier try left. */
    if (have != 0)
        wcr_content_writer_restart(w);
    rc = wcr_content_writer_write(w, data, len, &e);
    if (rc == 0)
        rc = wcr_content_writer_commit(w, (int64_t)len, digest, labels, &e);
    if (rc < 0 && e.code == WCR_E_EXISTS) {
        wcr_err_dispose(&e);
        rc = add_labels(p, digest, labels, err);
    } else if (rc < 0) {
        wcr_err_move(err, &e);
        wcr_err_wrap(err, "store %s %s", kind, digest);
    }
    wcr_content_writer_free(w);
    return rc;
}

/* ---- layers ----------------------------------------------------------------- */

typedef struct layer_sink {
    wcr_pull *p;
    wcr_content_writer *w;
    size_t item;
} layer_sink;

static int to_content(void *ud, const void *data, size_t len, wcr_err *err)
{
    layer_sink *s = ud;
    if (wcr_content_writer_write(s->w, data, len, err) < 0)
        return -1;
    wcr_os_mutex_lock(s->p->mu);
    if (s->p->progress)
        wcr_progress_advance(s->p->progress, s->item, len);
    wcr_os_mutex_unlock(s->p->mu);
    return 0;
}

void pull_ingest_lease_id(const char *digest, char id[PULL_INGEST_LEASE_MAX])
{
    snprintf(id, PULL_INGEST_LEASE_MAX, "wcr-ingest-%s", wcr_digest_hex(digest));
}

/* A layer's download runs under a lease of its own that expires by
 * itself: containerd drops an ingest with the lease it was made under, so
 * under the pull's lease an interrupted download could not be resumed. */
static int ingest_lease(wcr_pull *p, const char *digest, char id[PULL_INGEST_LEASE_MAX], wcr_err *err)
{
    pull_ingest_lease_id(digest, id);
    int64_t now;
    int32_t nanos;
    wcr_os_wall_time(&now, &nanos);
    char expire[WCR_TIME_TEXT_MAX];
    wcr_time_format(now + INGEST_EXPIRY_SECONDS, 0, expire);
    wcr_labels l = { 0 };
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_labels_set(&l, "containerd.io/gc.expire", expire, err);
    if (rc == 0 && wcr_leases_create(p->ctd, id, &l, NULL, &e) < 0 && e.code != WCR_E_EXISTS) {
        wcr_err_move(err, &e);
        rc = -1;
    }
    wcr_err_dispose(&e);
    wcr_labels_dispose(&l);
    return rc;
}

/* The blob is in: the pull's lease holds it too. The download's lease
 * keeps holding it until the pull ends (pull_drop_ingest_leases), so an
 * interrupted pull keeps its finished layers for the next try. */
static int hand_over(wcr_pull *p, const char *digest, wcr_err *err)
{
    return wcr_leases_add_resource(p->ctd, p->lease, digest, "content", err);
}

/* Download one layer through conn into the content store. */
static int fetch_layer(wcr_pull *p, wcr_reg_conn *conn, pull_layer *l, wcr_err *err)
{
    const wcr_descriptor *d = l->desc;
    char ref[128], lease[PULL_INGEST_LEASE_MAX];
    snprintf(ref, sizeof ref, "layer-%s", d->digest);
    if (ingest_lease(p, d->digest, lease, err) < 0)
        return -1;
    int64_t have = 0;
    wcr_err e = WCR_ERR_INIT;
    wcr_content_writer *w;
    for (;;) {
        w = wcr_content_writer_open_lease(p->ctd, ref, d->size, d->digest, lease, &have, &e);
        if (w || e.code != WCR_E_UNAVAILABLE || pull_cancelled(p))
            break;
        pull_progress_state(p, l->item, "Waiting (another pull)", false);
        wcr_err_dispose(&e);
        wcr_os_sleep_ms(LOCKED_RETRY_MS);
    }
    if (!w) {
        if (e.code == WCR_E_EXISTS) {
            wcr_err_dispose(&e);
            pull_progress_state(p, l->item, "Already exists", true);
            return hand_over(p, d->digest, err);
        }
        wcr_err_move(err, &e);
        return -1;
    }
    if (have > d->size) {
        wcr_content_writer_restart(w); /* nonsense left behind: start over */
        have = 0;
    }
    wcr_os_mutex_lock(p->mu);
    if (p->progress) {
        wcr_progress_start_at(p->progress, l->item, (uint64_t)have);
        wcr_progress_state(p->progress, l->item, have ? "Resuming" : "Downloading", false);
    }
    wcr_os_mutex_unlock(p->mu);

    wcr_labels labels = { 0 };
    layer_sink sink = { p, w, l->item };
    int rc = pull_source_labels(p, &labels, err);
    /* A resumed ingest is checked by the commit; if what an earlier try
     * left was bad, the layer is downloaded once more from the start. */
    for (int attempt = 0; rc == 0; attempt++) {
        if (have < d->size)
            rc = wcr_registry_get_blob(conn, wcr_ref_repository(&p->ref), d->digest, (uint64_t)have,
                                       d->urls, d->n_urls, to_content, &sink, err);
        if (rc < 0)
            break;
        pull_progress_state(p, l->item, "Verifying", false);
        rc = wcr_content_writer_commit(w, d->size, d->digest, &labels, &e);
        if (rc == 0 || e.code == WCR_E_EXISTS) {
            rc = 0;
            break;
        }
        if (e.code == WCR_E_DIGEST && have > 0 && attempt == 0) {
            wcr_err_dispose(&e);
            wcr_content_writer_free(w);
            w = wcr_content_writer_open_lease(p->ctd, ref, d->size, d->digest, lease, &have, &e);
            if (!w) {
                rc = e.code == WCR_E_EXISTS ? 0 : -1;
                if (rc < 0)
                    wcr_err_move(err, &e);
                break;
            }
            wcr_content_writer_restart(w);
            have = 0;
            sink.w = w;
            wcr_os_mutex_lock(p->mu);
            if (p->progress)
                wcr_progress_start_at(p->progress, l->item, 0);
            wcr_os_mutex_unlock(p->mu);
            continue;
        }
        if (e.code == WCR_E_DIGEST) {
            /* Bad bytes must not be resumed from: drop the ingest. */
            wcr_content_writer_abort(w, NULL);
            wcr_leases_delete(p->ctd, lease, false, NULL);
            wcr_err_set_cause(err, WCR_E_DIGEST, e.cause, e.cause_code, e.msg,
                              "the registry sent content that does not match its digest; "
                              "nothing was committed");
        } else {
            wcr_err_move(err, &e);
        }
        break;
    }
    wcr_err_dispose(&e);
    wcr_labels_dispose(&labels);
    wcr_content_writer_free(w);
    if (rc == 0)
        rc = hand_over(p, d->digest, err);
    if (rc == 0)
        pull_progress_state(p, l->item, "Download complete", true);
    return rc;
}

typedef struct worker_arg {
    wcr_pull *p;
    wcr_reg_conn *conn;
} worker_arg;

static void worker_main(void *arg)
{
    worker_arg *a = arg;
    wcr_pull *p = a->p;
    for (;;) {
        wcr_os_mutex_lock(p->mu);
        if (p->cancelled || p->failed || p->next_layer >= p->nlayers) {
            wcr_os_mutex_unlock(p->mu);
            break;
        }
        pull_layer *l = &p->layers[p->next_layer++];
        l->state = LAYER_ACTIVE;
        wcr_os_mutex_unlock(p->mu);

        wcr_err e = WCR_ERR_INIT;
        int rc = fetch_layer(p, a->conn, l, &e);
        wcr_os_mutex_lock(p->mu);
        l->state = rc == 0 ? LAYER_DONE : LAYER_FAILED;
        if (rc < 0 && !p->failed) {
            p->failed = true;
            wcr_err_move(&p->failure, &e);
        }
        wcr_os_cond_broadcast(p->changed);
        wcr_os_mutex_unlock(p->mu);
        wcr_err_dispose(&e);
    }
    free(a);
}

int pull_start_workers(wcr_pull *p, wcr_err *err)
{
    unsigned want = p->o->max_downloads ? p->o->max_downloads : 3;
    size_t n = p->nlayers < want ? p->nlayers : want;
    p->conns = calloc(n ? n : 1, sizeof *p->conns);
    p->threads = calloc(n ? n : 1, sizeof *p->threads);
    if (!p->conns || !p->threads)
        return wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
    for (size_t i = 0; i < n; i++) {
        worker_arg *a = malloc(sizeof *a);
        wcr_reg_conn *conn = a ? wcr_reg_conn_new(p->reg, err) : NULL;
        if (!conn) {
            free(a);
            return a ? -1 : wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
        }
        a->p = p;
        a->conn = conn;
        /* Listed first, so a cancel from now on reaches it. */
        wcr_os_mutex_lock(p->mu);
        size_t slot = p->nworkers++;
        p->conns[slot] = conn;
        bool cancelled = p->cancelled;
        wcr_os_mutex_unlock(p->mu);
        if (cancelled)
            wcr_reg_conn_cancel(conn);
        if (wcr_os_thread_start(&p->threads[slot], worker_main, a, err) < 0) {
            free(a);
            return -1;
        }
    }
    return 0;
}

int pull_wait_layer(wcr_pull *p, const char *digest, wcr_err *err)
{
    pull_layer *l = NULL;
    for (size_t i = 0; i < p->nlayers && !l; i++)
        if (strcmp(p->layers[i].desc->digest, digest) == 0)
            l = &p->layers[i];
    if (!l)
        return wcr_err_set(err, WCR_E_INTERNAL, "layer %s is not being downloaded", digest);
    wcr_os_mutex_lock(p->mu);
    while (l->state != LAYER_DONE && !p->failed && !p->cancelled)
        wcr_os_cond_wait(p->changed, p->mu, 0);
    int rc = 0;
    if (p->cancelled) {
        rc = wcr_err_set(err, WCR_E_CANCELLED, "pull cancelled");
    } else if (l->state != LAYER_DONE) {
        /* The download that failed says why. */
        if (p->failure.code)
            wcr_err_copy(err, &p->failure);
        else
            wcr_err_set(err, WCR_E_CANCELLED, "stopped");
        rc = -1;
    }
    wcr_os_mutex_unlock(p->mu);
    return rc;
}

int pull_join_workers(wcr_pull *p, wcr_err *err)
{
    for (size_t i = 0; i < p->nworkers; i++)
        wcr_os_thread_join(p->threads[i]);
    for (size_t i = 0; i < p->nworkers; i++)
        wcr_reg_conn_free(p->conns[i]);
    free(p->threads);
    free(p->conns);
    p->threads = NULL;
    p->conns = NULL;
    p->nworkers = 0;
    if (p->cancelled)
        return wcr_err_set(err, WCR_E_CANCELLED, "pull cancelled");
    if (p->failed) {
        wcr_err_move(err, &p->failure);
        return -1;
    }
    return 0;
}
