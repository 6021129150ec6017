/* containerd.services.diff.v1.Diff: field numbers from
 * api/services/diff/v1/diff.proto. */
#include "containerd/diff.h"
#include "containerd/rpc.h"

void wcr_diff_encode_apply(wcr_buf *b, const wcr_ctd_descriptor *diff, const wcr_mounts *mounts,
                           const wcr_ctd_any_map *payloads)
{
    wcr_ctd_descriptor_put(b, 1, diff);
    wcr_mounts_put(b, 2, mounts);
    wcr_ctd_any_map_put(b, 3, payloads);
}

int wcr_diff_decode_apply(const void *data, size_t len, wcr_ctd_descriptor *out, wcr_err *err)
{
    return wcr_ctd_decode_field(data, len, 1, &wcr_ctd_descriptor_type, out, err);
}

static int decode_apply(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_diff_decode_apply(data, len, out, err);
}

int wcr_diff_apply(wcr_ctd *c, const wcr_ctd_descriptor *diff, const wcr_mounts *mounts,
                   const wcr_ctd_any_map *payloads, wcr_ctd_descriptor *applied, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", WCR_BUF_NO_LIMIT);
    wcr_diff_encode_apply(&req, diff, mounts, payloads);
    if (wcr_ctd_rpc_wait(c, "/containerd.services.diff.v1.Diff/Apply", &req, decode_apply,
                         applied, err) < 0)
        return wcr_err_wrap(err, "apply layer %s", diff->digest ? diff->digest : "");
    return 0;
}
