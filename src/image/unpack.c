/* Unpacking: each layer becomes a committed snapshot named by its chain
 * ID (Snapshots.Prepare on the parent chain, Diff.Apply, Snapshots.Commit),
 * as containerd's own unpacker does, so its snapshots and ours are one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/diff.h"
#include "containerd/snapshots.h"
#include "core/str.h"
#include "image/pull_internal.h"
#include "image/unpack.h"

/* containerd names unpack keys "extract-<unique> <chainID>"; the Windows
 * snapshotter skips making a scratch VHD for keys with that prefix. */
static int unpack_key(char *out, size_t size, const char *chain, wcr_err *err)
{
    unsigned char r[8];
    if (wcr_os_random(r, sizeof r, err) < 0)
        return -1;
    snprintf(out, size, "extract-%02x%02x%02x%02x%02x%02x%02x%02x %s", r[0], r[1], r[2], r[3], r[4],
             r[5], r[6], r[7], chain);
    return 0;
}

bool wcr_snapshot_exists(wcr_ctd *c, const char *snapshotter, const char *name, wcr_err *err)
{
    wcr_snapshot_info info = { 0 };
    wcr_err e = WCR_ERR_INIT;
    bool ok = wcr_snapshots_stat(c, snapshotter, name, &info, &e) == 0;
    if (!ok && e.code != WCR_E_NOT_FOUND)
        wcr_err_move(err, &e);
    wcr_err_dispose(&e);
    wcr_snapshot_info_dispose(&info);
    return ok;
}

int wcr_layer_apply(wcr_ctd *c, const char *snapshotter, const wcr_descriptor *d, const char *diff_id,
                    const char *chain, const char *parent, wcr_err *err)
{
    char key[128];
    if (unpack_key(key, sizeof key, chain, err) < 0)
        return -1;
    wcr_labels labels = { 0 };
    wcr_mounts mounts = { 0 };
    int rc = wcr_labels_set(&labels, "containerd.io/snapshot.ref", chain, err);
    if (rc == 0)
        rc = wcr_snapshots_prepare(c, snapshotter, key, parent, &labels, &mounts, err);
    if (rc < 0) {
        wcr_labels_dispose(&labels);
        return wcr_err_wrap(err, "prepare snapshot");
    }
    wcr_ctd_descriptor diff = { (char *)d->media_type, (char *)d->digest, d->size, { 0 } };
    wcr_ctd_descriptor applied = { 0 };
    rc = wcr_diff_apply(c, &diff, &mounts, NULL, &applied, err);
    if (rc < 0)
        wcr_err_wrap(err, "apply");
    else if (!applied.digest || strcmp(applied.digest, diff_id) != 0)
        rc = wcr_err_set(err, WCR_E_DIGEST, "the unpacked layer has digest %s, but the image config says %s",
                         applied.digest ? applied.digest : "(none)", diff_id);
    if (rc == 0) {
        wcr_err e = WCR_ERR_INIT;
        rc = wcr_snapshots_commit(c, snapshotter, chain, key, &labels, &e);
        if (rc < 0 && e.code == WCR_E_EXISTS) /* another pull got there first */
            rc = 0;
        else if (rc < 0)
            wcr_err_move(err, &e);
        wcr_err_dispose(&e);
    }
    /* The key is gone after a commit; after a failure it must go. */
    if (rc < 0 || wcr_snapshot_exists(c, snapshotter, key, NULL))
        wcr_snapshots_remove(c, snapshotter, key, NULL);
    wcr_ctd_descriptor_dispose(&applied);
    wcr_mounts_dispose(&mounts);
    wcr_labels_dispose(&labels);
    return rc;
}

int pull_unpack(wcr_pull *p, pull_target *t, wcr_err *err)
{
    const wcr_manifest *m = &t->manifest;
    for (size_t i = 0; i < m->n_layers; i++) {
        const wcr_descriptor *d = &m->layers[i];
        const char *chain = t->chain_ids[i], *parent = i ? t->chain_ids[i - 1] : "";
        size_t item = pull_layer_item(p, d->digest);
        wcr_err e = WCR_ERR_INIT;
        if (wcr_snapshot_exists(p->ctd, p->snapshotter, chain, &e)) {
            pull_progress_state(p, item, "Already unpacked", true);
            continue;
        }
        if (e.code) {
            wcr_err_move(err, &e);
            return wcr_err_wrap(err, "unpack layer %zu (%s)", i, d->digest);
        }
        if (pull_wait_layer(p, d->digest, err) < 0)
            return -1;
        pull_progress_state(p, item, "Extracting", false);
        if (wcr_layer_apply(p->ctd, p->snapshotter, d, t->config.diff_ids[i], chain, parent, err) < 0)
            return wcr_err_wrap(err, "unpack layer %zu (%s)", i, d->digest);
        pull_progress_state(p, item, "Pull complete", true);
    }
    return 0;
}
