/* containerd.services.version.v1.Version/Version: Empty → {version = 1,
 * revision = 2}. */
#include <stdlib.h>

#include "containerd/version.h"
#include "core/pb.h"

int wcr_ctd_version_decode(wcr_ctd_version *out, const void *data, size_t len, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    int rc;
    wcr_pb_reader_init(&r, data, len);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number == 1)
            rc = wcr_pb_get_string_dup(&f, &out->version, err);
        else if (f.number == 2)
            rc = wcr_pb_get_string_dup(&f, &out->revision, err);
        if (rc < 0)
            break;
    }
    return rc < 0 ? wcr_err_wrap(err, "VersionResponse") : 0;
}

static int decode(const void *data, size_t len, void *out, wcr_err *err)
{
    return wcr_ctd_version_decode(out, data, len, err);
}

int wcr_ctd_version_get(wcr_ctd *c, wcr_ctd_version *out, wcr_err *err)
{
    wcr_buf req = WCR_BUF_INIT("request", 0);
    if (wcr_ctd_call(c, "/containerd.services.version.v1.Version/Version", &req, decode, out, err) < 0)
        return wcr_err_wrap(err, "server version");
    return 0;
}

void wcr_ctd_version_dispose(wcr_ctd_version *v)
{
    if (!v)
        return;
    free(v->version);
    free(v->revision);
    v->version = v->revision = NULL;
}
