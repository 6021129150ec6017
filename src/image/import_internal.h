/* The parts of an import (import_plan.c: from the archive's documents to
 * the blobs and records to make; import.c: writing them), and the state
 * they share. */
#ifndef WCR_IMAGE_IMPORT_INTERNAL_H
#define WCR_IMAGE_IMPORT_INTERNAL_H

#include "containerd/types.h"
#include "image/archive.h"
#include "image/import.h"
#include "image/manifest.h"
#include "image/platform.h"
#include "os/os.h"

/* A blob for the content store: from the archive, or a document made
 * here (the manifests and index of a docker save archive). */
typedef struct imp_blob {
    char digest[WCR_DIGEST_SHA256_LEN + 1];
    int64_t size;
    const char *kind;        /* "layer", "config", "manifest", "index": ingest refs */
    wcr_labels labels;       /* what it keeps alive (GC labels) */
    wcr_archive_entry *entry;
    char *data;              /* a made document, or NULL */
    bool stored;
} imp_blob;

/* An image record to make. */
typedef struct imp_image {
    char *name;
    char media_type[128];
    char digest[WCR_DIGEST_SHA256_LEN + 1];
    int64_t size;
    bool has_platform;       /* the manifest chosen for the wanted platform */
    wcr_platform platform;
    bool unpack;
    bool whole_index;        /* the index_name record */
} imp_image;

struct wcr_import {
    wcr_ctd *ctd;
    const wcr_import_options *o;
    const char *snapshotter;
    wcr_platform want;
    bool want_is_host;
    wcr_archive arc;
    imp_blob *blobs;
    size_t nblobs;
    imp_image *images;
    size_t nimages;
    char *lease;
    wcr_os_mutex *mu;
    bool cancelled;          /* under mu */
};

/* From the scanned archive to im->blobs and im->images, checking every
 * document and blob. Nothing is written to containerd. */
int imp_plan(wcr_import *im, wcr_err *err);
/* The same for a docker save archive, from its manifest.json. */
int imp_plan_docker(wcr_import *im, wcr_archive_entry *manifest_json, wcr_err *err);

/* Helpers of the planners (import_plan.c). */

/* Add a blob to store once (the same digest again gives the first);
 * *data, when given, is taken over. */
int imp_add_blob(wcr_import *im, const char *digest, int64_t size, const char *kind,
                 wcr_archive_entry *e, char **data, imp_blob **out, wcr_err *err);
/* Add a record; found: the platform it offers for the wanted one. */
int imp_add_image(wcr_import *im, const char *name, const char *media_type, const char *digest,
                  int64_t size, const wcr_platform *found, bool whole_index, wcr_err *err);
/* Label "<prefix><i>" = value. */
int imp_label_index(wcr_labels *l, const char *prefix, size_t i, const char *value, wcr_err *err);
/* A manifest's GC labels: its config and layers. */
int imp_manifest_labels(imp_blob *b, const char *config, const char *const *layers, size_t n,
                        wcr_err *err);
/* A name from the archive as a full reference (malloc'd). */
int imp_full_name(const char *name, const char *what, char **out, wcr_err *err);
/* An entry's data as a document (kept by the scan), or NULL with err. */
const char *imp_doc(const wcr_archive_entry *e, const char *what, wcr_err *err);
/* An entry at blobs/sha256/<hex> must hash to that digest. */
int imp_check_blob_path(const wcr_archive_entry *e, const char *what, wcr_err *err);

bool imp_cancelled(wcr_import *im);

#endif
