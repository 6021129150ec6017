/* Layers into snapshots, shared by pull (as layers arrive) and by images
 * already in the content store (import, run of a --no-unpack pull). */
#ifndef WCR_IMAGE_UNPACK_H
#define WCR_IMAGE_UNPACK_H

#include <stdbool.h>

#include "containerd/client.h"
#include "image/manifest.h"

/* Whether a snapshot exists; false also on errors, which go to err (may
 * be NULL) unless it is "not found". */
bool wcr_snapshot_exists(wcr_ctd *c, const char *snapshotter, const char *name, wcr_err *err);

/* Apply layer d (in the content store) on the snapshot `parent` ("" for
 * none) and commit it as `chain`; its uncompressed digest must be
 * diff_id. A chain someone else committed meanwhile is success. */
int wcr_layer_apply(wcr_ctd *c, const char *snapshotter, const wcr_descriptor *d, const char *diff_id,
                    const char *chain, const char *parent, wcr_err *err);

#endif
