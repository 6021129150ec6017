/* Importing image archives into containerd: an OCI image layout or a
 * `docker save` archive, as a tar file, plain or gzip-compressed.
 *
 * The file is read twice and never held in memory. The first reading
 * checks everything before anything is written: entry names and types
 * (links, devices, absolute paths and ".." are refused, naming the
 * entry), the documents, and every blob the images need against its
 * digest. The second streams those blobs into the content store (each
 * checked again before its commit), with the garbage-collection labels a
 * pull sets. Then the image records are made and the images for the
 * platform are unpacked.
 *
 * Names: OCI layouts name images in index.json with the annotation
 * io.containerd.image.name (what containerd and Docker write), or else
 * org.opencontainers.image.ref.name; docker save archives with RepoTags.
 * Each name is read as a reference and normalised as Docker does
 * ("busybox:1" -> docker.io/library/busybox:1; a bare "bb", as umoci and
 * skopeo write a tag, -> docker.io/library/bb:latest). Images without a
 * name are imported only into the image that index_name names (the whole
 * index.json, or for docker save an index made of its images).
 *
 * Platforms: like a pull, each image must offer the wanted platform (the
 * host's, or `platform`); only that manifest's content is imported, unless
 * all_platforms imports every manifest in the archive. What is imported for
 * the host's OS is unpacked, unless no_unpack.
 */
#ifndef WCR_IMAGE_IMPORT_H
#define WCR_IMAGE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "containerd/client.h"
#include "wcr/err.h"

typedef struct wcr_import_options {
    unsigned version;        /* WCR_IMPORT_OPTIONS_VERSION */
    const char *path;        /* the archive file */
    const char *platform;    /* --platform; NULL: the host's */
    bool all_platforms;      /* import every platform's content */
    const char *snapshotter; /* NULL: the OS default */
    bool no_unpack;
    const char *index_name;  /* also record the archive's index under this name */
} wcr_import_options;

#define WCR_IMPORT_OPTIONS_VERSION 1
#define WCR_IMPORT_OPTIONS_INIT { .version = WCR_IMPORT_OPTIONS_VERSION }

typedef struct wcr_import_image {
    char *name;     /* the image record, e.g. docker.io/library/busybox:1 */
    char *digest;   /* what it points to (index or manifest) */
    char *platform; /* the platform unpacked (or that would be); "" for none */
    bool unpacked;
} wcr_import_image;

typedef struct wcr_import_result {
    wcr_import_image *images; /* in archive order; index_name's last */
    size_t n;
} wcr_import_result;

void wcr_import_result_dispose(wcr_import_result *r);

typedef struct wcr_import wcr_import;

wcr_import *wcr_import_new(wcr_ctd *c, const wcr_import_options *o, wcr_err *err);
/* Errors name the file: "import x.tar: archive entry \"../evil\" climbs
 * out of the archive with \"..\"". Nothing is recorded when the archive
 * is refused; content written before a later failure is left to the
 * garbage collector (it is held only by a lease that is released). */
int wcr_import_run(wcr_import *im, wcr_import_result *out, wcr_err *err);
/* Stop from any thread (Ctrl+C): the run returns WCR_E_CANCELLED. */
void wcr_import_cancel(wcr_import *im);
void wcr_import_free(wcr_import *im);

#endif
