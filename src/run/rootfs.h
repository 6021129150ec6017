/* Reading a file of a container's root file system before it runs (the
 * image's /etc/passwd and /etc/group), from the snapshot's mounts: the
 * layer directories of an overlay mount, top first, or a bind mount's
 * source. Only local snapshotters (overlayfs, native) are readable so. */
#ifndef WCR_RUN_ROOTFS_H
#define WCR_RUN_ROOTFS_H

#include "containerd/types.h"

/* A malloc'd, NUL-terminated copy of the file `rel` ("etc/passwd") into
 * *out; -1 (and *out NULL) when it cannot be found or read. */
int wcr_rootfs_read(const wcr_mounts *m, const char *rel, char **out);

#endif
