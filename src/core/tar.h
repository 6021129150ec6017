/* A streaming tar reader: bytes in, entries and their data out.
 *
 * No I/O: the caller hands over bytes in pieces of any size (split inside
 * a header, a GNU long name or a pax record is fine) and gets, in archive
 * order, one event at a time: an entry's header, its data (pointing into
 * the caller's bytes, never copied), the end of its data, the end of the
 * archive. Only header blocks and the payloads of metadata entries (GNU
 * long names, pax headers) are buffered, each under a cap.
 *
 * Formats: POSIX ustar (name with prefix), GNU (long names 'L' and long
 * link names 'K'; base-256 numbers), pax extended headers 'x' (path,
 * linkpath and size are applied to the next entry; other keywords are
 * checked for syntax and skipped) and global headers 'g' (checked and
 * ignored: wcr has no use for the defaults they set), and old v7 headers
 * without a magic. Every header's checksum is verified (unsigned sum, or
 * the signed sum some old writers used). GNU sparse files ('S') are
 * refused: their data is not laid out as their size says.
 *
 * Links, directories, devices and FIFOs carry no data, whatever their size
 * field says (POSIX); their entry's size is 0. The archive ends at the
 * first all-zero block; what follows is ignored. Input that stops before
 * it (wcr_tar_finish) is a truncated archive.
 *
 * Errors are WCR_E_PARSE (malformed header, bad checksum, bad pax record)
 * or WCR_E_LIMIT (a name or pax header over its cap), name the byte offset
 * of the header concerned, and are sticky: the reader then only fails.
 */
#ifndef WCR_CORE_TAR_H
#define WCR_CORE_TAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "wcr/err.h"

#define WCR_TAR_BLOCK 512
/* Longest path or link target (GNU long name, pax path) accepted. */
#define WCR_TAR_MAX_NAME ((size_t)32 << 10)
/* Largest pax header payload accepted (xattrs can make them long). */
#define WCR_TAR_MAX_PAX ((size_t)1 << 20)

typedef enum wcr_tar_type {
    WCR_TAR_FILE,     /* '0', '\0' and '7' (contiguous file) */
    WCR_TAR_HARDLINK, /* '1' */
    WCR_TAR_SYMLINK,  /* '2' */
    WCR_TAR_CHAR,     /* '3' */
    WCR_TAR_BLOCKDEV, /* '4' */
    WCR_TAR_DIR,      /* '5' */
    WCR_TAR_FIFO,     /* '6' */
    WCR_TAR_OTHER     /* anything else (GNU 'D', 'V', vendor types); see typeflag */
} wcr_tar_type;

typedef struct wcr_tar_entry {
    const char *name;     /* the full path as written (pax, GNU long name, or prefix/name) */
    const char *linkname; /* a link's target; "" for other types */
    wcr_tar_type type;
    char typeflag;        /* as in the header */
    uint64_t size;        /* bytes of data that follow (0 for types without data) */
    uint32_t mode;
    int64_t mtime;
    uint64_t offset;      /* of the entry's first header (metadata headers included) */
} wcr_tar_entry;

typedef enum wcr_tar_event_kind {
    WCR_TAR_NEED_MORE, /* every byte given was used: give more, or call finish */
    WCR_TAR_HEADER,    /* a new entry: ev.entry (valid until the next call) */
    WCR_TAR_DATA,      /* a piece of its data: ev.data, ev.len (inside the input) */
    WCR_TAR_ENTRY_END, /* its data is complete (also after an entry without data) */
    WCR_TAR_END        /* the end-of-archive block: later bytes are skipped */
} wcr_tar_event_kind;

typedef struct wcr_tar_event {
    wcr_tar_event_kind kind;
    const wcr_tar_entry *entry;
    const uint8_t *data;
    size_t len;
} wcr_tar_event;

typedef enum wcr_tar_state {
    WCR_TAR_ST_HEADER,
    WCR_TAR_ST_META,    /* the payload of a 'L', 'K', 'x' or 'g' header */
    WCR_TAR_ST_DATA,
    WCR_TAR_ST_PAD,
    WCR_TAR_ST_END,
    WCR_TAR_ST_FAILED
} wcr_tar_state;

/* The reader's state; treat as private. */
typedef struct wcr_tar {
    wcr_tar_state state;
    uint8_t block[WCR_TAR_BLOCK];
    size_t have;          /* bytes of block filled */
    uint64_t offset;      /* bytes of input used so far */
    uint64_t entry_offset;
    uint64_t meta_offset; /* of the metadata header being read */
    bool in_entry;        /* metadata headers seen for the coming entry */
    char meta_type;       /* of the payload being collected */
    uint64_t meta_size;   /* its length */
    wcr_buf meta;         /* its bytes */
    uint64_t remaining;   /* data or padding bytes still to come */
    uint64_t data_size;   /* the current entry's size, for padding */
    /* overrides for the next entry; has_* set when given */
    wcr_buf long_name, long_link, pax_path, pax_link;
    bool has_long_name, has_long_link, has_pax_path, has_pax_link, has_pax_size;
    uint64_t pax_size;
    /* the entry handed out */
    wcr_buf name, link;
    wcr_tar_entry entry;
    wcr_err_code failed;
    char *why;            /* the sticky error's message */
} wcr_tar;

void wcr_tar_init(wcr_tar *t);
void wcr_tar_dispose(wcr_tar *t);

/* Use bytes from in (len may be 0) until an event happens or all are
 * used; *used says how many were. Call again with the rest (in + *used)
 * until the event is WCR_TAR_NEED_MORE. */
int wcr_tar_next(wcr_tar *t, const void *in, size_t len, size_t *used, wcr_tar_event *ev,
                 wcr_err *err);

/* The input has ended: 0 when the end-of-archive block was seen,
 * otherwise -1 (WCR_E_PARSE) saying where the archive was cut off. */
int wcr_tar_finish(wcr_tar *t, wcr_err *err);

/* The name of a type, for messages: "regular file", "symbolic link". */
const char *wcr_tar_type_name(wcr_tar_type type);

#endif
