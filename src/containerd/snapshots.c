/* containerd.services.snapshots.v1.Snapshots: field numbers from
 * api/services/snapshots/v1/snapshots.proto. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "containerd/rpc.h"
#include "containerd/snapshots.h"

#define SVC "/containerd.services.snapshots.v1.Snapshots/"

const char *wcr_snapshot_kind_name(int kind)
{
    switch (kind) {
    case WCR_SNAPSHOT_VIEW: return "View";
    case WCR_SNAPSHOT_ACTIVE: return "Active";
    case WCR_SNAPSHOT_COMMITTED: return "Committed";
    default: return "Unknown";
    }
}

void wcr_snapshot_info_dispose(wcr_snapshot_info *i)
{
    if (!i)
        return;
    free(i->name);
    free(i->parent);
    wcr_labels_dispose(&i->labels);
    memset(i, 0, sizeof *i);
}

void wcr_snapshot_infos_dispose(wcr_snapshot_infos *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        wcr_snapshot_info_dispose(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* PrepareSnapshotRequest and ViewSnapshotRequest: snapshotter = 1, key = 2,
 * parent = 3, labels = 4. */
void wcr_snapshots_encode_prepare(wcr_buf *b, const char *snapshotter, const char *key,
                                  const char *parent, const wcr_labels *labels)
{
    wcr_pb_put_string_opt(b, 1, snapshotter);
    wcr_pb_put_string_opt(b, 2, key);
    wcr_pb_put_string_opt(b, 3, parent);
    wcr_labels_put(b, 4, labels);
}

/* CommitSnapshotRequest: snapshotter = 1, name = 2, key = 3, labels = 4. */
void wcr_snapshots_encode_commit(wcr_buf *b, const char *snapshotter, const char *name,
                                 const char *key, const wcr_labels *labels)
{
    wcr_pb_put_string_opt(b, 1, snapshotter);
    wcr_pb_put_string_opt(b, 2, name);
    wcr_pb_put_string_opt(b, 3, key);
    wcr_labels_put(b, 4, labels);
}

/* MountsRequest, RemoveSnapshotRequest, StatSnapshotRequest, UsageRequest. */
void wcr_snapshots_encode_key(wcr_buf *b, const char *snapshotter, const char *key)
{
    wcr_pb_put_string_opt(b, 1, snapshotter);
    wcr_pb_put_string_opt(b, 2, key);
}

int wcr_snapshots_decode_mounts(const void *data, size_t len, wcr_mounts *out, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0)
        if (f.number == 1 && wcr_mounts_add(out, &f, err) < 0)
            return -1;
    return rc;
}

/* Info: name = 1, parent = 2, kind = 3, created_at = 4, updated_at = 5,
 * labels = 6. */
int wcr_snapshots_decode_info(wcr_pb_reader *r, wcr_snapshot_info *out, wcr_err *err)
{
    wcr_pb_field f;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        switch (f.number) {
        case 1: rc = wcr_pb_get_string_dup(&f, &out->name, err); break;
        case 2: rc = wcr_pb_get_string_dup(&f, &out->parent, err); break;
        case 3: rc = wcr_pb_get_enum(&f, &out->kind, err); break;
        case 4: rc = wcr_pb_get_timestamp(&f, &out->created, err); break;
        case 5: rc = wcr_pb_get_timestamp(&f, &out->updated, err); break;
        case 6: rc = wcr_labels_add_entry(&out->labels, &f, err); break;
        default: rc = 0; break;
        }
        if (rc < 0)
            return wcr_err_wrap(err, "snapshot info");
    }
    return rc;
}

/* A response whose field 1 is an Info. */
static int decode_info_response(const void *data, size_t len, void *out, wcr_err *err)
{
    wcr_pb_reader r, sub;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number != 1)
            continue;
        if (wcr_pb_get_message(&f, &sub, err) < 0 || wcr_snapshots_decode_info(&sub, out, err) < 0)
            return -1;
    }
    return rc;
}

static int decode_mounts(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_snapshots_decode_mounts(data, len, out, err);
}

/* Call Snapshots/<method> with req (released whatever happens). */
static int call(wcr_ctd *c, const char *method, wcr_buf *req, wcr_ctd_decode_fn decode, void *out,
                wcr_err *err)
{
    char path[128];
    snprintf(path, sizeof path, SVC "%s", method);
    return wcr_ctd_rpc(c, path, req, decode, out, err);
}

int wcr_snapshots_prepare(wcr_ctd *c, const char *snapshotter, const char *key,
                          const char *parent, const wcr_labels *labels, wcr_mounts *out,
                          wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_snapshots_encode_prepare(&req, snapshotter, key, parent, labels);
    return call(c, "Prepare", &req, decode_mounts, out, err);
}

int wcr_snapshots_view(wcr_ctd *c, const char *snapshotter, const char *key, const char *parent,
                       const wcr_labels *labels, wcr_mounts *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_snapshots_encode_prepare(&req, snapshotter, key, parent, labels);
    return call(c, "View", &req, decode_mounts, out, err);
}

int wcr_snapshots_mounts(wcr_ctd *c, const char *snapshotter, const char *key, wcr_mounts *out,
                         wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_snapshots_encode_key(&req, snapshotter, key);
    return call(c, "Mounts", &req, decode_mounts, out, err);
}

int wcr_snapshots_commit(wcr_ctd *c, const char *snapshotter, const char *name, const char *key,
                         const wcr_labels *labels, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_snapshots_encode_commit(&req, snapshotter, name, key, labels);
    return call(c, "Commit", &req, NULL, NULL, err);
}

int wcr_snapshots_remove(wcr_ctd *c, const char *snapshotter, const char *key, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_snapshots_encode_key(&req, snapshotter, key);
    return call(c, "Remove", &req, NULL, NULL, err);
}

int wcr_snapshots_stat(wcr_ctd *c, const char *snapshotter, const char *key,
                       wcr_snapshot_info *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_snapshots_encode_key(&req, snapshotter, key);
    return call(c, "Stat", &req, decode_info_response, out, err);
}

/* UpdateSnapshotRequest: snapshotter = 1, info = 2, update_mask = 3. */
int wcr_snapshots_update_labels(wcr_ctd *c, const char *snapshotter, const char *key,
                                const wcr_labels *labels, wcr_snapshot_info *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_pb_put_string_opt(&req, 1, snapshotter);
    size_t m = wcr_pb_begin(&req, 2);
    wcr_pb_put_string_opt(&req, 1, key);
    wcr_labels_put(&req, 6, labels);
    wcr_pb_end(&req, m);
    const char *paths[] = { "labels" };
    wcr_pb_put_field_mask(&req, 3, paths, 1);
    return call(c, "Update", &req, out ? decode_info_response : NULL, out, err);
}

static int push_info(wcr_snapshot_infos *out, const wcr_pb_field *f, wcr_err *err)
{
    wcr_pb_reader sub;
    if (wcr_pb_get_message(f, &sub, err) < 0)
        return -1;
    wcr_snapshot_info *items = realloc(out->items, (out->n + 1) * sizeof *items);
    if (!items)
        return wcr_err_set(err, WCR_E_NOMEM, "snapshots: out of memory");
    out->items = items;
    memset(&items[out->n], 0, sizeof items[0]);
    if (wcr_snapshots_decode_info(&sub, &items[out->n], err) < 0) {
        wcr_snapshot_info_dispose(&items[out->n]);
        return -1;
    }
    out->n++;
    return 0;
}

/* List streams ListSnapshotsResponse {repeated Info info = 1}. */
static int add_infos(void *ud, const void *data, size_t len, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0)
        if (f.number == 1 && push_info(ud, &f, err) < 0)
            return -1;
    return rc;
}

int wcr_snapshots_list(wcr_ctd *c, const char *snapshotter, const char *const *filters,
                       size_t nfilters, wcr_snapshot_infos *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_pb_put_string_opt(&req, 1, snapshotter);
    for (size_t i = 0; i < nfilters; i++)
        wcr_pb_put_string(&req, 2, filters[i]);
    return wcr_ctd_rpc_stream(c, SVC "List", &req, add_infos, out, err);
}

/* UsageResponse: size = 1, inodes = 2. */
static int decode_usage(const void *data, size_t len, void *out, wcr_err *err)
{
    int64_t *v = out; /* size, inodes */
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0)
        if ((f.number == 1 || f.number == 2) && wcr_pb_get_int64(&f, &v[f.number - 1], err) < 0)
            return -1;
    return rc;
}

int wcr_snapshots_usage(wcr_ctd *c, const char *snapshotter, const char *key, int64_t *size,
                        int64_t *inodes, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    int64_t v[2] = { 0, 0 };
    wcr_snapshots_encode_key(&req, snapshotter, key);
    int rc = call(c, "Usage", &req, decode_usage, v, err);
    *size = v[0];
    *inodes = v[1];
    return rc;
}
