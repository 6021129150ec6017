/* Images already in containerd: the record, its index, manifest and
 * config read back from the content store, the platform chosen as a pull
 * would, and unpacking what is not unpacked yet. Used by run, spec,
 * images ls/inspect and import. */
#ifndef WCR_IMAGE_LOCAL_H
#define WCR_IMAGE_LOCAL_H

#include <stdbool.h>

#include "containerd/client.h"
#include "containerd/types.h"
#include "image/manifest.h"
#include "image/platform.h"
#include "image/reference.h"

/* Read a whole blob (at most limit bytes) and check its digest. */
int wcr_content_read_blob(wcr_ctd *c, const char *digest, size_t limit, wcr_buf *out, wcr_err *err);

typedef struct wcr_local_image {
    char *name;                /* the record's name */
    wcr_ctd_descriptor target; /* what it points to */
    char manifest_digest[WCR_DIGEST_SHA256_LEN + 1];
    wcr_buf manifest_raw, config_raw;
    wcr_manifest manifest;
    wcr_image_config config;
    char (*chain_ids)[WCR_DIGEST_SHA256_LEN + 1];
    size_t n_layers;
    bool have_manifest, have_config;
} wcr_local_image;

void wcr_local_image_dispose(wcr_local_image *img);

/* Find an image by name (normalised as references are: "busybox" finds
 * docker.io/library/busybox:latest) and load the manifest for the
 * platform (want NULL: the host's). WCR_E_NOT_FOUND when there is no such
 * record; WCR_E_PLATFORM as a pull would refuse. */
int wcr_local_image_load(wcr_ctd *c, const char *name, const wcr_platform *want,
                         wcr_isolation isolation, wcr_local_image *out, wcr_err *err);

/* The chain ID of the top layer: the snapshot a container starts from. */
const char *wcr_local_image_top(const wcr_local_image *img);

/* Whether every layer is unpacked in snapshotter. */
bool wcr_local_image_unpacked(wcr_ctd *c, const wcr_local_image *img, const char *snapshotter,
                              wcr_err *err);

/* Unpack the layers that are not yet, and label the config so the
 * garbage collector keeps the snapshots while the image exists. */
int wcr_local_image_unpack(wcr_ctd *c, const wcr_local_image *img, const char *snapshotter,
                           wcr_err *err);

/* The platforms an image offers (from its index, or its config), and its
 * size for the host's platform (manifest, config and layers; -1 when some
 * of that content is missing), as `ctr images ls` shows them. */
int wcr_local_image_summary(wcr_ctd *c, const wcr_ctd_descriptor *target, wcr_buf *platforms,
                            int64_t *size, wcr_err *err);

#endif
