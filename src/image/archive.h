/* Image archives on disk: tars (plain or gzip'd) of an OCI image layout
 * or of `docker save`, read twice without ever being held in memory.
 *
 * The first pass (wcr_archive_scan) lists the regular files with their
 * sizes and SHA-256 digests and keeps the small JSON documents (index.json,
 * manifest.json, manifests, configs), so an index.json that comes after
 * the blobs is no problem. It refuses, naming the entry, what an image
 * archive never holds and what could escape a directory if extracted:
 * absolute paths, "..", backslashes, drive letters, control characters,
 * names given twice, devices and FIFOs, and links that point outside the
 * archive. Links inside it (`docker save` and skopeo write a layer that
 * appears twice as a symbolic link to the first) are aliases: finding the
 * link's name finds the file it points to.
 *
 * The second pass (wcr_archive_stream) reads the files again in archive
 * order and hands the data of the ones the caller wants to it, in pieces.
 * If the file changed in between, it says so.
 */
#ifndef WCR_IMAGE_ARCHIVE_H
#define WCR_IMAGE_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/reference.h"
#include "wcr/err.h"

/* Regular files in one archive; an image has a few per layer. */
#define WCR_ARCHIVE_MAX_ENTRIES 100000
/* Small documents kept from the first pass, in all. */
#define WCR_ARCHIVE_MAX_KEPT ((size_t)64 << 20)
/* A file larger than this is no document (WCR_CONFIG_MAX_SIZE). */
#define WCR_ARCHIVE_MAX_DOC ((size_t)8 << 20)

typedef struct wcr_archive_entry {
    char *name;            /* normalised: "./" in front removed */
    uint64_t size;
    char digest[WCR_DIGEST_SHA256_LEN + 1]; /* of its data */
    uint8_t head[4];       /* its first bytes (compression magic) */
    size_t nhead;
    char *data;            /* the data, kept for small documents; else NULL */
    bool dropped;          /* a document not kept: over WCR_ARCHIVE_MAX_KEPT */
    long blob;             /* for the caller (the import's blob), -1 at first */
} wcr_archive_entry;

/* A symbolic or hard link, its target as a path from the archive's top. */
typedef struct wcr_archive_link {
    char *name;
    char *target;
} wcr_archive_link;

typedef struct wcr_archive {
    char *path;
    bool gzip;
    wcr_archive_entry *entries; /* sorted by name */
    size_t n;
    wcr_archive_link *links;    /* sorted by name */
    size_t nlinks;
    size_t kept;                /* bytes of data kept */
} wcr_archive;

/* Stop early (Ctrl+C): checked between reads. May be NULL. */
typedef bool (*wcr_archive_cancel_fn)(void *ud);

/* The first pass. On failure a is left empty. */
int wcr_archive_scan(wcr_archive *a, const char *path, wcr_archive_cancel_fn cancelled, void *ud,
                     wcr_err *err);
void wcr_archive_dispose(wcr_archive *a);

/* The regular file called name ("./" in front is ignored), following
 * links (a few hops at the most), or NULL. */
wcr_archive_entry *wcr_archive_find(const wcr_archive *a, const char *name);

/* Check a path an archive names (an entry's, or one in manifest.json):
 * relative, without "..", backslashes, drive letters or control
 * characters. `what` starts the message: `archive entry "../x": ...`. */
int wcr_archive_check_name(const char *name, const char *what, wcr_err *err);

typedef struct wcr_archive_visitor {
    void *ud;
    /* A regular file starts: 1 to get its data, 0 to skip it. */
    int (*begin)(void *ud, wcr_archive_entry *e, wcr_err *err);
    int (*data)(void *ud, const void *data, size_t len, wcr_err *err);
    /* Its data is complete (only after begin returned 1). */
    int (*end)(void *ud, wcr_err *err);
    wcr_archive_cancel_fn cancelled;
} wcr_archive_visitor;

/* The second pass. */
int wcr_archive_stream(const wcr_archive *a, const wcr_archive_visitor *v, wcr_err *err);

#endif
