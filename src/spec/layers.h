/* A snapshot's layers, read from the mounts containerd's snapshotters
 * return (Snapshots.Prepare/View/Mounts, or `ctr snapshots prepare
 * --mounts` printed as JSON).
 *
 * Windows (snapshotter "windows"): one mount of type "windows-layer" whose
 * Source is the snapshot's own directory (the scratch layer of an active
 * snapshot) and whose options hold "parentLayerPaths=<JSON array>", the
 * parent layers ordered immediate parent first, base last; the option is
 * absent when there are no parents. The runtime spec's
 * windows.layerFolders is that array followed by the Source:
 *   parents 24, 23 and scratch 25  ->  layerFolders [24, 23, 25]
 * which is hcsshim's own reading of the mount (ParseWCOWLayers), and the
 * shim wants at least two entries.
 *
 * Linux (overlayfs): a mount of type "overlay" with options
 * "lowerdir=A:B:C" (topmost lower first), "upperdir=", "workdir=" (both
 * absent for a read-only view); a snapshot of a single layer is a "bind"
 * mount of that layer's directory ("rw" when it is writable).
 */
#ifndef WCR_SPEC_LAYERS_H
#define WCR_SPEC_LAYERS_H

#include <stddef.h>

#include "containerd/types.h"
#include "wcr/err.h"

/* Cap on a mounts JSON file. */
#define WCR_MOUNTS_JSON_MAX ((size_t)1 << 20)

typedef enum wcr_layers_kind {
    WCR_LAYERS_WINDOWS = 1, /* windows-layer */
    WCR_LAYERS_OVERLAY,     /* overlay */
    WCR_LAYERS_BIND         /* a single directory */
} wcr_layers_kind;

typedef struct wcr_layers {
    wcr_layers_kind kind;
    /* Read-only layers, topmost first: Windows parentLayerPaths, overlay
     * lowerdirs, a read-only bind's directory. */
    wcr_strv lower;
    /* The writable layer: Windows scratch (the mount's Source), overlay
     * upperdir, a writable bind's directory; NULL when there is none. */
    char *upper;
    char *work; /* overlay workdir, or NULL */
} wcr_layers;

void wcr_layers_dispose(wcr_layers *l);

/* Read the layers from a snapshot's mounts: exactly one mount of a type
 * above. Other types and shapes are refused (WCR_E_UNSUPPORTED, naming
 * the type), as are malformed options (WCR_E_PARSE). */
int wcr_layers_from_mounts(wcr_layers *out, const wcr_mounts *m, wcr_err *err);

/* windows.layerFolders for a Windows snapshot's mounts: parentLayerPaths
 * in order, then the mount's Source. Fewer than two entries (a snapshot
 * without parents) is refused with WCR_E_INVALID, as the shim would. */
int wcr_layers_folders(wcr_strv *out, const wcr_mounts *m, wcr_err *err);

/* Parse mounts as `ctr snapshots prepare --mounts` and `wcr snapshots
 * mounts` print them: a JSON array of {"Type", "Source", "Target",
 * "Options"} (Options may be null; keys match without case, as Go reads
 * them; a single object is taken too). The text may start with a UTF-8
 * byte order mark, or be UTF-16LE with its mark (what PowerShell 5's `>`
 * writes). `name` (a file name) prefixes errors. */
int wcr_mounts_parse_json(wcr_mounts *out, const char *name, const char *data, size_t len,
                          wcr_err *err);

#endif
