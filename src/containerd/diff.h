/* containerd.services.diff.v1.Diff: Apply unpacks a layer into mounts. */
#ifndef WCR_CONTAINERD_DIFF_H
#define WCR_CONTAINERD_DIFF_H

#include "containerd/client.h"
#include "containerd/types.h"

/* Apply the layer blob `diff` (media type, digest, size) onto mounts (a
 * snapshot's, from Prepare); applied gets the uncompressed layer's
 * descriptor (its digest is the diff ID). payloads (may be NULL) are
 * processor-specific. No deadline: a large layer takes minutes; Ctrl+C
 * (wcr_ctd_cancel_all) ends the wait. */
int wcr_diff_apply(wcr_ctd *c, const wcr_ctd_descriptor *diff, const wcr_mounts *mounts,
                   const wcr_ctd_any_map *payloads, wcr_ctd_descriptor *applied, wcr_err *err);

/* Messages, for tests against protoc. ApplyRequest: diff = 1, mounts = 2,
 * payloads = 3; containerd 2.0 (and late 1.7 releases) added sync_fs = 4,
 * which wcr does not send (older versions would ignore it). */
void wcr_diff_encode_apply(wcr_buf *b, const wcr_ctd_descriptor *diff, const wcr_mounts *mounts,
                           const wcr_ctd_any_map *payloads);
/* ApplyResponse: applied = 1. */
int wcr_diff_decode_apply(const void *data, size_t len, wcr_ctd_descriptor *out, wcr_err *err);

#endif
