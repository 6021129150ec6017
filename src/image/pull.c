/* A pull from beginning to end: resolve the reference, choose the
 * platform, take a lease, store the documents, download and unpack the
 * layers, record the image, release the lease. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/images.h"
#include "containerd/leases.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timefmt.h"
#include "image/pull_internal.h"

#define LEASE_EXPIRY_SECONDS 3600 /* a killed pull's lease frees its content */
#define CANCEL_FLUSH_NS 1500000000ull /* how long Ctrl+C waits for downloads to save */

void wcr_pull_result_dispose(wcr_pull_result *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->digest);
    free(r->platform);
    free(r->chain_id);
    memset(r, 0, sizeof *r);
}

static void write_progress(void *ud, const char *text, size_t len)
{
    wcr_pull *p = ud;
    p->o->write(p->o->write_ud, text, len);
}

wcr_pull *wcr_pull_new(wcr_ctd *c, const wcr_pull_options *o, wcr_err *err)
{
    wcr_pull *p = calloc(1, sizeof *p);
    if (!p) {
        wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
        return NULL;
    }
    p->ctd = c;
    p->o = o;
    p->snapshotter = o->snapshotter && o->snapshotter[0] ? o->snapshotter : wcr_os_default_snapshotter();
    if (!(p->mu = wcr_os_mutex_new(err)) || !(p->changed = wcr_os_cond_new(err)))
        goto fail;
    if (o->write && o->progress != WCR_PROGRESS_QUIET &&
        !(p->progress = wcr_progress_new(o->progress, o->width, write_progress, p, wcr_os_monotonic_ns, err)))
        goto fail;
    if (wcr_ref_parse(&p->ref, o->ref, err) < 0)
        goto fail;
    if (!(p->name = wcr_ref_string(&p->ref))) {
        wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
        goto fail;
    }
    return p;
fail:
    wcr_pull_free(p);
    return NULL;
}

/* Under p->mu. */
static bool downloads_active(const wcr_pull *p)
{
    for (size_t i = 0; i < p->nlayers; i++)
        if (p->layers[i].state == LAYER_ACTIVE)
            return true;
    return false;
}

void wcr_pull_cancel(wcr_pull *p)
{
    if (!p)
        return;
    wcr_os_mutex_lock(p->mu);
    p->cancelled = true;
    wcr_reg_conn_cancel(p->conn);
    for (size_t i = 0; i < p->nworkers; i++)
        wcr_reg_conn_cancel(p->conns[i]);
    wcr_os_cond_broadcast(p->changed);
    /* Give the downloads a moment to hand containerd what they gathered,
     * so the next pull resumes from there; then stop waiting on it. */
    uint64_t deadline = wcr_os_monotonic_ns() + CANCEL_FLUSH_NS;
    while (downloads_active(p) && wcr_os_cond_wait(p->changed, p->mu, deadline))
        ;
    wcr_os_mutex_unlock(p->mu);
    wcr_ctd_cancel_all(p->ctd);
}

static void target_dispose(pull_target *t)
{
    wcr_fetched_dispose(&t->manifest_raw);
    wcr_manifest_dispose(&t->manifest);
    wcr_buf_dispose(&t->config_raw);
    wcr_image_config_dispose(&t->config);
    free(t->chain_ids);
}

void wcr_pull_free(wcr_pull *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ntargets; i++)
        target_dispose(&p->targets[i]);
    free(p->targets);
    free(p->layers);
    if (p->have_index)
        wcr_index_dispose(&p->index);
    wcr_fetched_dispose(&p->top);
    wcr_reg_conn_free(p->conn);
    wcr_registry_free(p->reg);
    wcr_progress_free(p->progress);
    wcr_err_dispose(&p->failure);
    wcr_os_cond_free(p->changed);
    wcr_os_mutex_free(p->mu);
    wcr_ref_dispose(&p->ref);
    free(p->name);
    free(p->lease);
    free(p);
}

/* ---- resolving ------------------------------------------------------------- */

static bool insecure_host(const wcr_pull_options *o, const char *host)
{
    for (size_t i = 0; i < o->n_insecure; i++)
        if (wcr_str_caseeq(o->insecure[i], host))
            return true;
    return false;
}

static int connect_registry(wcr_pull *p, wcr_err *err)
{
    wcr_registry_options ro = WCR_REGISTRY_OPTIONS_INIT;
    ro.host = p->ref.domain;
    ro.insecure = insecure_host(p->o, p->ref.domain);
    ro.creds = p->o->creds;
    ro.docker_config = p->o->docker_config;
    if (!(p->reg = wcr_registry_new(&ro, err)))
        return -1;
    wcr_reg_conn *conn = wcr_reg_conn_new(p->reg, err);
    if (!conn)
        return -1;
    wcr_os_mutex_lock(p->mu);
    p->conn = conn;
    if (p->cancelled)
        wcr_reg_conn_cancel(conn);
    wcr_os_mutex_unlock(p->mu);
    return 0;
}

static int add_target(wcr_pull *p, const wcr_descriptor *d, wcr_err *err)
{
    pull_target *grown = realloc(p->targets, (p->ntargets + 1) * sizeof *grown);
    if (!grown)
        return wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
    p->targets = grown;
    pull_target *t = &grown[p->ntargets++];
    memset(t, 0, sizeof *t);
    t->desc = *d;
    snprintf(t->digest, sizeof t->digest, "%s", d->digest);
    t->desc.digest = t->digest;
    return 0;
}

/* Which manifests to fetch: the platform's (refused here, before any
 * layer, when the tag has none that fits), or every one. */
static int choose(wcr_pull *p, const wcr_platform *want, bool want_is_host, wcr_err *err)
{
    const char *repo = wcr_ref_repository(&p->ref);
    const char *ref = p->ref.digest ? p->ref.digest : p->ref.tag;
    if (wcr_registry_get_manifest(p->conn, repo, ref, NULL, &p->top, err) < 0)
        return -1;
    if (wcr_manifest_detect(&p->top_kind, p->name, p->top.media_type, p->top.body.data,
                            p->top.body.len, err) < 0)
        return -1;
    if (!wcr_doc_kind_is_index(p->top_kind)) {
        wcr_descriptor d = { 0 };
        d.media_type = wcr_doc_kind_media_type(p->top_kind);
        d.digest = p->top.digest;
        d.size = (int64_t)p->top.body.len;
        return add_target(p, &d, err);
    }
    if (wcr_index_parse(&p->index, p->name, p->top.media_type, p->top.body.data, p->top.body.len,
                        err) < 0)
        return -1;
    p->have_index = true;
    size_t chosen = SIZE_MAX;
    wcr_err why = WCR_ERR_INIT;
    if (wcr_index_choose(&p->index, want, want_is_host, p->o->isolation, &chosen, &why) < 0) {
        /* --all-platforms fetches everything even when nothing fits, as
         * import does: then nothing is unpacked. */
        if (!p->o->all_platforms || why.code != WCR_E_PLATFORM) {
            wcr_err_move(err, &why);
            return wcr_err_wrap(err, "%s", p->name);
        }
        char *text = wcr_err_format(&why, false);
        pull_progress_message(p, "%s: %s; --all-platforms: fetching every platform, unpacking none", p->name,
                              text ? text : "nothing fits this host");
        free(text);
        chosen = SIZE_MAX;
    }
    wcr_err_dispose(&why);
    if (chosen != SIZE_MAX) {
        if (add_target(p, &p->index.manifests[chosen], err) < 0)
            return -1;
        p->targets[0].unpack = true;
    }
    for (size_t i = 0; p->o->all_platforms && i < p->index.n_manifests; i++) {
        const wcr_descriptor *d = &p->index.manifests[i];
        if (i != chosen && d->has_platform && wcr_media_type_is_manifest(d->media_type) &&
            add_target(p, d, err) < 0)
            return -1;
    }
    if (p->ntargets == 0)
        return wcr_err_set(err, WCR_E_PLATFORM, "%s: the index names no image manifest", p->name);
    return 0;
}

/* Fetch a target's manifest and config and check they make an image. */
static int load_target(wcr_pull *p, pull_target *t, const wcr_platform *want, bool want_is_host,
                       wcr_err *err)
{
    const char *repo = wcr_ref_repository(&p->ref);
    if (!p->have_index) {
        /* The tag named the manifest itself: it is already here. */
        wcr_buf_init(&t->manifest_raw.body, "manifest", WCR_MANIFEST_MAX_SIZE);
        snprintf(t->manifest_raw.digest, sizeof t->manifest_raw.digest, "%s", p->top.digest);
        if (wcr_buf_append(&t->manifest_raw.body, p->top.body.data, p->top.body.len) < 0)
            return wcr_buf_check(&t->manifest_raw.body, err);
    } else if (wcr_registry_get_manifest(p->conn, repo, t->digest, t->digest, &t->manifest_raw, err) < 0) {
        return -1;
    }
    char what[128];
    snprintf(what, sizeof what, "manifest %s", t->digest);
    if (wcr_manifest_parse(&t->manifest, what, t->desc.media_type ? t->desc.media_type : t->manifest_raw.media_type,
                           t->manifest_raw.body.data, t->manifest_raw.body.len, err) < 0 ||
        wcr_manifest_check_image(&t->manifest, what, err) < 0)
        return -1;
    const wcr_descriptor *cd = &t->manifest.config;
    if (cd->size > (int64_t)WCR_CONFIG_MAX_SIZE)
        return wcr_err_set(err, WCR_E_LIMIT, "%s: the config is %lld bytes, more than allowed", what,
                           (long long)cd->size);
    if (wcr_registry_get_small_blob(p->conn, repo, cd->digest, WCR_CONFIG_MAX_SIZE, &t->config_raw, err) < 0)
        return -1;
    snprintf(what, sizeof what, "config %s", cd->digest);
    if (wcr_image_config_parse(&t->config, what, t->config_raw.data, t->config_raw.len, err) < 0 ||
        wcr_image_check(&t->manifest, &t->config, what, err) < 0)
        return -1;
    if (!p->have_index) {
        /* A lone manifest: its config says what platform it is for. */
        size_t only;
        if (wcr_platform_choose(want, want_is_host, p->o->isolation, &t->config.platform, 1, &only, err) < 0)
            return wcr_err_wrap(err, "%s", p->name);
        t->unpack = true;
    }
    t->chain_ids = calloc(t->config.n_diff_ids ? t->config.n_diff_ids : 1, sizeof *t->chain_ids);
    if (!t->chain_ids)
        return wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
    return wcr_image_chain_ids(t->config.diff_ids, t->config.n_diff_ids, t->chain_ids, err);
}

/* Every layer of every target, once. Published under mu: Ctrl+C looks. */
static int collect_layers(wcr_pull *p, wcr_err *err)
{
    size_t total = 0, n = 0;
    for (size_t i = 0; i < p->ntargets; i++)
        total += p->targets[i].manifest.n_layers;
    pull_layer *layers = calloc(total ? total : 1, sizeof *layers);
    if (!layers)
        return wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
    wcr_os_mutex_lock(p->mu);
    for (size_t i = 0; i < p->ntargets; i++) {
        const wcr_manifest *m = &p->targets[i].manifest;
        for (size_t k = 0; k < m->n_layers; k++) {
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = strcmp(layers[j].desc->digest, m->layers[k].digest) == 0;
            if (seen)
                continue;
            pull_layer *l = &layers[n++];
            l->desc = &m->layers[k];
            if (p->progress) {
                char id[16];
                const char *hex = strchr(l->desc->digest, ':');
                snprintf(id, sizeof id, "%.12s", hex ? hex + 1 : l->desc->digest);
                l->item = wcr_progress_add(p->progress, id, (uint64_t)l->desc->size);
            }
        }
    }
    p->layers = layers;
    p->nlayers = n;
    wcr_os_mutex_unlock(p->mu);
    return 0;
}

/* ---- the documents in the content store ---------------------------------- */

static int set_label_index(wcr_labels *l, const char *prefix, size_t i, const char *value, wcr_err *err)
{
    char key[96];
    snprintf(key, sizeof key, "%s%zu", prefix, i);
    return wcr_labels_set(l, key, value, err);
}

/* Children first; the labels tell containerd's garbage collector what each
 * document keeps alive, as containerd's own client sets them. */
static int store_documents(wcr_pull *p, wcr_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->ntargets; i++) {
        pull_target *t = &p->targets[i];
        wcr_labels cl = { 0 }, ml = { 0 };
        rc = pull_source_labels(p, &cl, err);
        if (rc == 0 && t->unpack && t->manifest.n_layers > 0) {
            char key[96];
            snprintf(key, sizeof key, "containerd.io/gc.ref.snapshot.%s", p->snapshotter);
            rc = wcr_labels_set(&cl, key, t->chain_ids[t->manifest.n_layers - 1], err);
        }
        if (rc == 0)
            rc = pull_store_blob(p, "config", t->manifest.config.digest, t->config_raw.data,
                                 t->config_raw.len, &cl, err);
        if (rc == 0)
            rc = pull_source_labels(p, &ml, err);
        if (rc == 0)
            rc = wcr_labels_set(&ml, "containerd.io/gc.ref.content.config", t->manifest.config.digest, err);
        for (size_t k = 0; rc == 0 && k < t->manifest.n_layers; k++)
            rc = set_label_index(&ml, "containerd.io/gc.ref.content.l.", k, t->manifest.layers[k].digest, err);
        if (rc == 0)
            rc = pull_store_blob(p, "manifest", t->digest, t->manifest_raw.body.data,
                                 t->manifest_raw.body.len, &ml, err);
        wcr_labels_dispose(&cl);
        wcr_labels_dispose(&ml);
    }
    if (rc == 0 && p->have_index) {
        wcr_labels il = { 0 };
        rc = pull_source_labels(p, &il, err);
        for (size_t k = 0; rc == 0 && k < p->index.n_manifests; k++)
            rc = set_label_index(&il, "containerd.io/gc.ref.content.m.", k, p->index.manifests[k].digest, err);
        if (rc == 0)
            rc = pull_store_blob(p, "index", p->top.digest, p->top.body.data, p->top.body.len, &il, err);
        wcr_labels_dispose(&il);
    }
    return rc;
}

/* Create the image record, or point an existing one at what we pulled. */
static int record_image(wcr_pull *p, wcr_err *err)
{
    wcr_image im = { 0 };
    im.name = p->name;
    im.target.media_type = (char *)wcr_doc_kind_media_type(p->top_kind);
    im.target.digest = p->have_index ? p->top.digest : p->targets[0].digest;
    im.target.size = p->have_index ? (int64_t)p->top.body.len : (int64_t)p->targets[0].manifest_raw.body.len;
    wcr_err e = WCR_ERR_INIT;
    int rc = wcr_images_create(p->ctd, &im, NULL, &e);
    if (rc < 0 && e.code == WCR_E_EXISTS) {
        static const char *const paths[] = { "target" };
        wcr_err_dispose(&e);
        rc = wcr_images_update(p->ctd, &im, paths, 1, NULL, &e);
    }
    if (rc < 0) {
        wcr_err_move(err, &e);
        wcr_err_wrap(err, "record image %s", p->name);
    }
    wcr_err_dispose(&e);
    return rc;
}

/* ---- the lease --------------------------------------------------------------- */

static int take_lease(wcr_pull *p, wcr_err *err)
{
    unsigned char r[8];
    if (wcr_os_random(r, sizeof r, err) < 0)
        return -1;
    char id[48];
    snprintf(id, sizeof id, "wcr-pull-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4],
             r[5], r[6], r[7]);
    int64_t now;
    int32_t nanos;
    wcr_os_wall_time(&now, &nanos);
    char expire[WCR_TIME_TEXT_MAX];
    wcr_time_format(now + LEASE_EXPIRY_SECONDS, 0, expire);
    wcr_labels l = { 0 };
    int rc = wcr_labels_set(&l, "containerd.io/gc.expire", expire, err);
    if (rc == 0)
        rc = wcr_leases_create(p->ctd, id, &l, NULL, err);
    wcr_labels_dispose(&l);
    if (rc < 0)
        return wcr_err_wrap(err, "take a lease");
    if (!(p->lease = wcr_strdup(id)) || wcr_ctd_set_lease(p->ctd, id, err) < 0)
        return wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
    return 0;
}

/* The layers' download leases go when the pull is done, or when the
 * registry sent bad bytes (nothing of such a pull is kept). After any
 * other failure (Ctrl+C, a network or containerd error) they stay, and
 * expire by themselves: the next pull finds those layers already in. */
static void drop_ingest_leases(wcr_pull *p, bool sync)
{
    for (size_t i = 0; i < p->nlayers; i++) {
        char id[PULL_INGEST_LEASE_MAX];
        pull_ingest_lease_id(p->layers[i].desc->digest, id);
        wcr_leases_delete(p->ctd, id, sync, NULL);
    }
}

/* After a failure the delete is synchronous: containerd's GC runs before we
 * return, so a refused pull leaves no committed blob behind. */
static void release_lease(wcr_pull *p, bool failed, bool bad_content)
{
    if (!p->lease)
        return;
    wcr_ctd_set_lease(p->ctd, NULL, NULL);
    if (!failed || bad_content)
        drop_ingest_leases(p, false);
    wcr_err e = WCR_ERR_INIT;
    if (wcr_leases_delete(p->ctd, p->lease, failed, &e) < 0)
        wcr_log_debug("pull: release lease %s: %s (it expires by itself)", p->lease, e.msg ? e.msg : "");
    wcr_err_dispose(&e);
    free(p->lease);
    p->lease = NULL;
}

/* ---- the whole pull ------------------------------------------------------------ */

/* After a failure: the downloads still running end now. */
static void stop_workers(wcr_pull *p)
{
    wcr_os_mutex_lock(p->mu);
    p->failed = true;
    for (size_t i = 0; i < p->nworkers; i++)
        wcr_reg_conn_cancel(p->conns[i]);
    wcr_os_cond_broadcast(p->changed);
    wcr_os_mutex_unlock(p->mu);
}

static int fill_result(wcr_pull *p, const pull_target *chosen, wcr_pull_result *out, wcr_err *err)
{
    char plat[WCR_PLATFORM_STRLEN];
    wcr_platform_format(&chosen->config.platform, plat, sizeof plat);
    out->name = wcr_strdup(p->name);
    out->digest = wcr_strdup(p->have_index ? p->top.digest : chosen->digest);
    out->platform = wcr_strdup(plat);
    size_t n = chosen->manifest.n_layers;
    out->chain_id = wcr_strdup(n ? chosen->chain_ids[n - 1] : "");
    out->unpacked = chosen->unpack;
    if (!out->name || !out->digest || !out->platform || !out->chain_id) {
        wcr_pull_result_dispose(out);
        return wcr_err_set(err, WCR_E_NOMEM, "pull: out of memory");
    }
    return 0;
}

int wcr_pull_run(wcr_pull *p, wcr_pull_result *out, wcr_err *err)
{
    memset(out, 0, sizeof *out);
    wcr_platform want;
    bool want_is_host = !p->o->platform || !p->o->platform[0];
    int rc = want_is_host ? wcr_platform_host(&want, err) : wcr_platform_parse(&want, p->o->platform, err);
    if (rc == 0)
        rc = connect_registry(p, err);
    if (rc == 0)
        rc = choose(p, &want, want_is_host, err);
    for (size_t i = 0; rc == 0 && i < p->ntargets; i++)
        rc = load_target(p, &p->targets[i], &want, want_is_host, err);
    pull_target *chosen = rc == 0 ? &p->targets[0] : NULL;
    if (chosen) {
        char plat[WCR_PLATFORM_STRLEN];
        wcr_platform_format(&chosen->config.platform, plat, sizeof plat);
        pull_progress_message(p, "%s: platform %s, manifest %s", p->name, plat, chosen->digest);
        /* Layers for another OS are fetched and recorded, not unpacked. */
        bool same_os = strcmp(chosen->config.platform.os, wcr_os_name()) == 0;
        if (!same_os || p->o->no_unpack)
            chosen->unpack = false;
        if (!same_os)
            pull_progress_message(p, "%s is a %s image: fetched, not unpacked (wcr runs on %s)",
                                  p->name, chosen->config.platform.os, wcr_os_name());
        rc = collect_layers(p, err);
    }
    if (rc == 0)
        rc = take_lease(p, err);
    if (rc == 0)
        rc = pull_start_workers(p, err);
    if (rc == 0 && chosen->unpack)
        rc = pull_unpack(p, chosen, err);
    if (p->nworkers) {
        if (rc < 0)
            stop_workers(p);
        wcr_err werr = WCR_ERR_INIT;
        int jrc = pull_join_workers(p, &werr);
        if (rc == 0 && jrc < 0) {
            wcr_err_move(err, &werr);
            rc = -1;
        }
        wcr_err_dispose(&werr);
    }
    if (rc == 0)
        rc = store_documents(p, err);
    if (rc == 0)
        rc = record_image(p, err);
    release_lease(p, rc < 0, rc < 0 && err && err->code == WCR_E_DIGEST);
    if (p->progress) {
        wcr_os_mutex_lock(p->mu);
        wcr_progress_flush(p->progress);
        wcr_os_mutex_unlock(p->mu);
    }
    if (rc == 0)
        rc = fill_result(p, chosen, out, err);
    if (rc < 0 && pull_cancelled(p))
        wcr_err_set(err, WCR_E_CANCELLED, "interrupted");
    return rc < 0 ? wcr_err_wrap(err, "pull %s", p->name) : 0;
}
