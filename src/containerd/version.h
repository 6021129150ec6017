/* containerd.services.version.v1.Version. */
#ifndef WCR_CONTAINERD_VERSION_H
#define WCR_CONTAINERD_VERSION_H

#include "containerd/client.h"

typedef struct wcr_ctd_version {
    char *version;
    char *revision;
} wcr_ctd_version;

int wcr_ctd_version_get(wcr_ctd *c, wcr_ctd_version *out, wcr_err *err);
int wcr_ctd_version_decode(wcr_ctd_version *out, const void *data, size_t len, wcr_err *err);
void wcr_ctd_version_dispose(wcr_ctd_version *v);

#endif
