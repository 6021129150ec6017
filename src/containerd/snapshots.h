/* containerd.services.snapshots.v1.Snapshots. */
#ifndef WCR_CONTAINERD_SNAPSHOTS_H
#define WCR_CONTAINERD_SNAPSHOTS_H

#include "containerd/client.h"
#include "containerd/types.h"
#include "core/pb.h"

typedef enum wcr_snapshot_kind {
    WCR_SNAPSHOT_UNKNOWN = 0,
    WCR_SNAPSHOT_VIEW = 1,
    WCR_SNAPSHOT_ACTIVE = 2,
    WCR_SNAPSHOT_COMMITTED = 3,
} wcr_snapshot_kind;

/* "View", "Active", "Committed", "Unknown" — as ctr prints them. */
const char *wcr_snapshot_kind_name(int kind);

typedef struct wcr_snapshot_info {
    char *name;
    char *parent;
    int kind;
    wcr_pb_timestamp created, updated;
    wcr_labels labels;
} wcr_snapshot_info;

typedef struct wcr_snapshot_infos {
    wcr_snapshot_info *items;
    size_t n;
} wcr_snapshot_infos;

void wcr_snapshot_info_dispose(wcr_snapshot_info *i);
void wcr_snapshot_infos_dispose(wcr_snapshot_infos *l);

/* Prepare an active snapshot (View: a read-only one) on parent ("" or
 * NULL: none); out gets its mounts. labels may be NULL. */
int wcr_snapshots_prepare(wcr_ctd *c, const char *snapshotter, const char *key,
                          const char *parent, const wcr_labels *labels, wcr_mounts *out,
                          wcr_err *err);
int wcr_snapshots_view(wcr_ctd *c, const char *snapshotter, const char *key, const char *parent,
                       const wcr_labels *labels, wcr_mounts *out, wcr_err *err);
int wcr_snapshots_mounts(wcr_ctd *c, const char *snapshotter, const char *key, wcr_mounts *out,
                         wcr_err *err);
int wcr_snapshots_commit(wcr_ctd *c, const char *snapshotter, const char *name, const char *key,
                         const wcr_labels *labels, wcr_err *err);
int wcr_snapshots_remove(wcr_ctd *c, const char *snapshotter, const char *key, wcr_err *err);
int wcr_snapshots_stat(wcr_ctd *c, const char *snapshotter, const char *key,
                       wcr_snapshot_info *out, wcr_err *err);
/* Set labels (only the "labels" field is updated): out gets the result. */
int wcr_snapshots_update_labels(wcr_ctd *c, const char *snapshotter, const char *key,
                                const wcr_labels *labels, wcr_snapshot_info *out, wcr_err *err);
int wcr_snapshots_list(wcr_ctd *c, const char *snapshotter, const char *const *filters,
                       size_t nfilters, wcr_snapshot_infos *out, wcr_err *err);
int wcr_snapshots_usage(wcr_ctd *c, const char *snapshotter, const char *key, int64_t *size,
                        int64_t *inodes, wcr_err *err);

/* Messages, for tests against protoc. */
void wcr_snapshots_encode_prepare(wcr_buf *b, const char *snapshotter, const char *key,
                                  const char *parent, const wcr_labels *labels);
void wcr_snapshots_encode_commit(wcr_buf *b, const char *snapshotter, const char *name,
                                 const char *key, const wcr_labels *labels);
void wcr_snapshots_encode_key(wcr_buf *b, const char *snapshotter, const char *key);
int wcr_snapshots_decode_info(wcr_pb_reader *r, wcr_snapshot_info *out, wcr_err *err);
/* PrepareSnapshotResponse, ViewSnapshotResponse and MountsResponse. */
int wcr_snapshots_decode_mounts(const void *data, size_t len, wcr_mounts *out, wcr_err *err);

#endif
