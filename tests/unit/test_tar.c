/* Tests of src/core/tar.c: archives written by GNU tar 1.34 in its gnu,
 * pax and ustar formats (made once with
 *   tar --format=F --owner=0 --group=0 --numeric-owner --mtime=@1700000000
 *       --sort=name -C src -cf F.tar .
 * over a tree with a 140-byte path, a 1000-byte file, an empty file, a
 * symlink and one with a 140-byte target (not in ustar), then gzip -9n),
 * fed whole, a byte at a time and split at every position; and headers
 * built here for the corner cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gzip.h"
#include "core/tar.h"
#include "tar_build.h"
#include "test.h"

/* gnu.tar.gz (373 bytes) */
static const unsigned char gnu_tgz[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xd8,
    0x4d, 0x4e, 0xc3, 0x30, 0x10, 0x86, 0x61, 0xaf, 0x39, 0x45, 0x2e, 0xd0,
    0xc4, 0xff, 0xde, 0xb2, 0x27, 0x97, 0x28, 0x6a, 0x28, 0x11, 0xe9, 0x8f,
    0x4a, 0x90, 0xca, 0xed, 0x31, 0x91, 0x58, 0x90, 0x40, 0x4b, 0x41, 0x8e,
    0x4a, 0xf2, 0x3e, 0x9b, 0x54, 0xdd, 0x8e, 0xe7, 0xf3, 0x78, 0xf2, 0x42,
    0x24, 0x27, 0xa3, 0xe0, 0x5c, 0xf7, 0x8d, 0xfa, 0xdf, 0xee, 0xb7, 0xb2,
    0x4e, 0xdb, 0x10, 0xa4, 0xed, 0xfe, 0xf7, 0x4a, 0x5a, 0x91, 0x39, 0x31,
    0x82, 0x97, 0xe7, 0x76, 0x79, 0xc8, 0x32, 0x31, 0x53, 0x79, 0xb1, 0xfa,
    0x83, 0x22, 0x4d, 0xfd, 0xb5, 0x0a, 0xd6, 0x50, 0xff, 0x71, 0xea, 0x9f,
    0x17, 0xb7, 0xe5, 0x6e, 0xbb, 0x2e, 0xeb, 0xed, 0x53, 0xc2, 0xfe, 0xf7,
    0xd6, 0x7e, 0x5b, 0x7f, 0x15, 0xdc, 0xa7, 0xb3, 0x10, 0x4f, 0x4b, 0x08,
    0x5e, 0x64, 0x25, 0xf5, 0xbf, 0xf6, 0xfe, 0x4f, 0x1f, 0x1e, 0xf8, 0xf7,
    0xf5, 0xbf, 0x38, 0xff, 0x8d, 0x52, 0x3a, 0x90, 0xff, 0x73, 0xc9, 0xff,
    0x78, 0xdd, 0x0f, 0xf3, 0xdf, 0x90, 0xff, 0x53, 0xcf, 0xff, 0x26, 0x1e,
    0xbb, 0xc5, 0x43, 0xdd, 0x54, 0x8b, 0xed, 0x72, 0x53, 0xe5, 0xed, 0xb1,
    0x25, 0x8f, 0xa7, 0x9a, 0xff, 0xa7, 0xfa, 0x5f, 0x4a, 0x37, 0xcc, 0xff,
    0xf8, 0xfe, 0x93, 0xf4, 0x7f, 0x72, 0xab, 0xaa, 0xda, 0xdf, 0xd0, 0x06,
    0x73, 0xee, 0xff, 0xfa, 0x90, 0x78, 0x12, 0xff, 0xc5, 0xfe, 0xc7, 0x7b,
    0xcd, 0xfc, 0x37, 0x5e, 0xfd, 0xef, 0xeb, 0x75, 0xc2, 0xeb, 0xf7, 0x4c,
    0xfe, 0xc7, 0xe7, 0x7f, 0xaf, 0xfe, 0x4a, 0x2a, 0x1f, 0xc8, 0xff, 0x31,
    0x1c, 0x01, 0x4c, 0xde, 0xe9, 0xfc, 0x7f, 0xac, 0x9a, 0x66, 0x97, 0xec,
    0x06, 0x38, 0x3f, 0xff, 0xfb, 0x7e, 0xfe, 0x3b, 0xad, 0xc9, 0xff, 0x31,
    0x74, 0x95, 0xe7, 0x01, 0x30, 0xf3, 0xf9, 0xbf, 0x49, 0xb7, 0xfc, 0xfb,
    0x98, 0xff, 0x43, 0xf8, 0xf9, 0xfc, 0xaf, 0x94, 0x95, 0x46, 0x64, 0x3a,
    0x6d, 0x2c, 0xd1, 0xff, 0xd7, 0xb2, 0xff, 0xd5, 0x72, 0xb0, 0xff, 0xf5,
    0x56, 0x64, 0x77, 0xe4, 0x7f, 0xfa, 0xfa, 0xb3, 0x00, 0x26, 0xff, 0xbb,
    0x42, 0xa4, 0xbb, 0x03, 0x2e, 0xce, 0x7f, 0x63, 0x9c, 0x7a, 0xcf, 0xff,
    0x31, 0x0e, 0xe7, 0xec, 0xf3, 0xbf, 0xda, 0xec, 0xdb, 0xd7, 0xe4, 0xfb,
    0xbf, 0xd3, 0xf3, 0x7f, 0x7f, 0xff, 0x17, 0x94, 0x33, 0xcc, 0xff, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x5f, 0x79, 0x03, 0xb0, 0xe0, 0xf6, 0xda, 0x00, 0x50, 0x00,
    0x00,
};

/* pax.tar.gz (621 bytes) */
static const unsigned char pax_tgz[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0x9b,
    0x4d, 0x92, 0xda, 0x30, 0x10, 0x85, 0xbd, 0xe6, 0x14, 0xbe, 0xc0, 0x98,
    0x56, 0xab, 0x25, 0x99, 0xc5, 0xec, 0xb3, 0xcc, 0x15, 0x3c, 0xc1, 0x61,
    0x5c, 0x31, 0x3f, 0xc5, 0x38, 0x55, 0xe4, 0xf6, 0x23, 0x48, 0x2a, 0x61,
    0x6c, 0x12, 0xec, 0x80, 0x6c, 0x30, 0xef, 0x6d, 0x44, 0x61, 0x28, 0xa0,
    0xda, 0xef, 0xeb, 0x6e, 0xb5, 0x48, 0xa6, 0x9f, 0xb3, 0xdd, 0xa7, 0x3c,
    0x9b, 0xe7, 0xdb, 0xb7, 0x69, 0x12, 0x05, 0x11, 0x79, 0x59, 0x91, 0xc3,
    0xea, 0x55, 0x5f, 0x89, 0x9c, 0x44, 0x4a, 0x0c, 0x8b, 0x73, 0x24, 0xfb,
    0xe7, 0x15, 0x69, 0xab, 0xa2, 0x78, 0x17, 0xf5, 0xa0, 0xef, 0x6f, 0x55,
    0xb6, 0xf5, 0x5f, 0x25, 0x7a, 0x4c, 0x69, 0x8a, 0xb3, 0xaa, 0x58, 0xe6,
    0xcf, 0xca, 0xcd, 0x8c, 0x9e, 0x19, 0x26, 0x49, 0xc8, 0x19, 0x23, 0xa2,
    0x48, 0x26, 0xfe, 0xea, 0x97, 0xc6, 0x55, 0x9b, 0x9a, 0x74, 0x66, 0x24,
    0x9d, 0x44, 0xd0, 0xdd, 0x2b, 0x99, 0x86, 0xff, 0x8c, 0x83, 0xc5, 0x8d,
    0xf9, 0xbb, 0xff, 0xfd, 0xe3, 0x0f, 0xfe, 0xf7, 0x40, 0x20, 0x89, 0x62,
    0x73, 0x4f, 0xfe, 0xaf, 0xff, 0xb8, 0xbb, 0x89, 0xff, 0x11, 0xff, 0xe7,
    0x17, 0xe8, 0x9a, 0xfc, 0x67, 0x21, 0xab, 0xc1, 0xff, 0xe1, 0xf8, 0xcf,
    0xbf, 0x08, 0x7f, 0x9a, 0xff, 0x02, 0xfe, 0x8f, 0x88, 0xff, 0x97, 0x98,
    0x7e, 0xda, 0x1a, 0x8d, 0x9d, 0xf8, 0xcf, 0x9a, 0x45, 0x83, 0xff, 0x77,
    0x10, 0xff, 0x56, 0xc9, 0xe3, 0x1c, 0xff, 0x35, 0xf1, 0xc7, 0xf8, 0x6b,
    0xc5, 0xfb, 0xfc, 0x0f, 0xfe, 0x87, 0x97, 0xd2, 0x12, 0x6f, 0xb2, 0xea,
    0xf5, 0xf9, 0xc2, 0x1b, 0xe1, 0xa2, 0x37, 0x4f, 0x90, 0x85, 0xee, 0xd4,
    0xff, 0xad, 0x5e, 0xd5, 0x99, 0xff, 0x1e, 0xff, 0xec, 0xc0, 0xff, 0x31,
    0xc5, 0xff, 0x9f, 0xfc, 0x67, 0xa9, 0xf3, 0x5f, 0xfb, 0x05, 0xfc, 0xef,
    0x83, 0xff, 0x86, 0x87, 0xe7, 0x7f, 0xb9, 0x5e, 0x2d, 0x9e, 0xbe, 0x16,
    0x65, 0xfe, 0xb4, 0xca, 0x96, 0x79, 0x52, 0xed, 0x2a, 0x64, 0x84, 0x07,
    0xf2, 0x3f, 0x91, 0x69, 0xf2, 0xdf, 0xd7, 0x7f, 0x04, 0xfe, 0x07, 0xd7,
    0x3c, 0xcf, 0x37, 0x30, 0xcc, 0x23, 0xfb, 0xff, 0xb8, 0x85, 0x2b, 0xb6,
    0xa1, 0xf6, 0x7f, 0xbb, 0xcd, 0x7f, 0x14, 0xf9, 0x96, 0x10, 0xf9, 0x7f,
    0x90, 0xfd, 0x3f, 0x97, 0x18, 0xb1, 0x96, 0x79, 0xa6, 0x4f, 0xe5, 0x59,
    0x7f, 0x55, 0xa7, 0x3a, 0x15, 0xd2, 0x06, 0xd8, 0x18, 0x47, 0xfe, 0x2f,
    0xb6, 0x81, 0x67, 0x40, 0x9d, 0xfb, 0x3f, 0x45, 0xca, 0x32, 0xfa, 0xbf,
    0xfe, 0xe2, 0x7f, 0x94, 0x03, 0x5e, 0x8a, 0xc5, 0xbe, 0x00, 0x1f, 0x96,
    0xff, 0x8c, 0xf9, 0xff, 0x60, 0xfc, 0x3f, 0xdf, 0x67, 0x61, 0xfe, 0x3f,
    0x36, 0xfe, 0x07, 0x30, 0x7d, 0x7b, 0xff, 0x2b, 0x67, 0xea, 0xfc, 0x57,
    0x62, 0x1d, 0xfa, 0xbf, 0x3e, 0xb4, 0x83, 0x20, 0x68, 0xf4, 0x6a, 0x5d,
    0xff, 0xbd, 0xe6, 0x65, 0xb9, 0xbe, 0x6e, 0x32, 0xf8, 0x8f, 0xfa, 0xcf,
    0x31, 0xce, 0xff, 0xdc, 0x6a, 0xfd, 0x67, 0x2c, 0xea, 0xbf, 0x91, 0xd5,
    0x7f, 0x01, 0x4c, 0xdf, 0xc5, 0xff, 0x64, 0xeb, 0xfe, 0x27, 0x66, 0xd4,
    0x7f, 0x7d, 0xe8, 0x10, 0x79, 0x38, 0xf9, 0xc1, 0xfd, 0x7f, 0x94, 0xff,
    0xcb, 0x62, 0xf5, 0xad, 0x6f, 0xff, 0x37, 0xf7, 0xff, 0x9d, 0x76, 0xc8,
    0xff, 0xb7, 0xba, 0xff, 0x83, 0x39, 0xfb, 0xd8, 0xfc, 0x1f, 0xc0, 0xf4,
    0x35, 0xff, 0x3b, 0xe7, 0x3a, 0xec, 0xff, 0xb3, 0x23, 0x5f, 0xff, 0x73,
    0xd8, 0xb2, 0x04, 0xf9, 0xff, 0x24, 0xff, 0xd7, 0xab, 0xc5, 0x95, 0x6f,
    0x87, 0xb3, 0xe7, 0xbf, 0xb4, 0xaa, 0xc7, 0xdf, 0x2a, 0xf4, 0x7f, 0xbd,
    0x48, 0x19, 0x17, 0xef, 0xc3, 0xfd, 0xf3, 0x0c, 0xd8, 0xcd, 0x1f, 0x02,
    0xc3, 0x70, 0x3a, 0x0c, 0xff, 0xaf, 0x6f, 0xfa, 0x4b, 0xf8, 0xaf, 0x0d,
    0xed, 0xfd, 0xcf, 0x7d, 0xdc, 0x8f, 0xf8, 0xff, 0xdf, 0x1f, 0xf6, 0xe7,
    0xcb, 0x4d, 0xf5, 0x63, 0x80, 0xfe, 0xbf, 0x59, 0xff, 0x6b, 0x8b, 0xf3,
    0x3f, 0xc3, 0xd5, 0xff, 0xbf, 0x27, 0xbc, 0x98, 0xff, 0x8e, 0x9f, 0xff,
    0x81, 0x4c, 0xdf, 0x69, 0xff, 0xaf, 0x71, 0xfe, 0x47, 0x8c, 0xc6, 0xfe,
    0x1f, 0x04, 0x41, 0x10, 0x04, 0x41, 0x10, 0x04, 0x41, 0xd0, 0x35, 0xf5,
    0x0e, 0x5b, 0x95, 0x47, 0x7b, 0x00, 0x50, 0x00, 0x00,
};

/* ustar.tar.gz (287 bytes) */
static const unsigned char ustar_tgz[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xed, 0xd7,
    0x41, 0x6e, 0x83, 0x30, 0x10, 0x05, 0x50, 0xaf, 0x7b, 0x0a, 0x2e, 0x10,
    0xb0, 0xc7, 0x63, 0xe6, 0x3c, 0xa9, 0xe2, 0xa6, 0xa8, 0x0e, 0x89, 0x52,
    0x2a, 0xa5, 0xb7, 0x2f, 0xf2, 0xaa, 0xa5, 0x12, 0x6d, 0x9a, 0x8c, 0x25,
    0xca, 0x7f, 0x1b, 0x10, 0x1b, 0x84, 0xbe, 0xfd, 0x19, 0xd7, 0x8d, 0x51,
    0x67, 0x47, 0x12, 0x42, 0xbe, 0x8e, 0xa6, 0xd7, 0x7c, 0xef, 0x38, 0x10,
    0x8b, 0x58, 0xce, 0xcf, 0x85, 0x2d, 0x9b, 0x2a, 0x98, 0x02, 0xde, 0x5e,
    0x87, 0xed, 0x79, 0x7c, 0xe5, 0x3d, 0x3e, 0xf2, 0xf3, 0xc7, 0x2d, 0x44,
    0xdd, 0xec, 0x6e, 0xd0, 0xe8, 0xe4, 0x4f, 0x9e, 0xd8, 0x23, 0xff, 0x12,
    0xf4, 0xd3, 0xff, 0x43, 0xfe, 0x5e, 0xc6, 0x25, 0xb0, 0xf0, 0xfc, 0x6f,
    0xdb, 0x58, 0xc5, 0xf2, 0x4f, 0xc7, 0x7e, 0xbf, 0x79, 0xea, 0x52, 0xdc,
    0xf4, 0xdb, 0x43, 0xac, 0x87, 0xcb, 0xa0, 0xd3, 0xff, 0x2d, 0xf3, 0x4c,
    0xfe, 0xe1, 0x6b, 0xfe, 0x4c, 0x3e, 0x38, 0x53, 0xd9, 0xf5, 0xe6, 0x5f,
    0x6c, 0xf1, 0xec, 0x62, 0x3c, 0x3d, 0x18, 0x58, 0xab, 0x71, 0x99, 0x76,
    0x67, 0xe5, 0x19, 0xf0, 0xea, 0xfe, 0x77, 0xd6, 0xb5, 0x84, 0xff, 0x7f,
    0xb9, 0xfc, 0x1f, 0xbb, 0xbd, 0x4e, 0xf5, 0xff, 0xa6, 0xff, 0x9d, 0x84,
    0x69, 0xfe, 0x8e, 0x5b, 0x59, 0x78, 0xff, 0x2f, 0xc4, 0x05, 0x00, 0xfe,
    0xbd, 0xf9, 0xfe, 0x7f, 0x8e, 0x29, 0x1d, 0xd5, 0xfe, 0x00, 0x3f, 0xcf,
    0xff, 0xed, 0xa4, 0xff, 0xc9, 0x12, 0xa1, 0xff, 0x4b, 0xc8, 0xc9, 0xe3,
    0x00, 0xb0, 0xf2, 0xf9, 0x3f, 0x75, 0xfd, 0x8b, 0xf2, 0xfc, 0x2f, 0x72,
    0xc5, 0xfc, 0x4f, 0x62, 0xbd, 0xa9, 0x48, 0xb7, 0x96, 0xb0, 0xff, 0x73,
    0xfe, 0xf1, 0x70, 0x1a, 0xde, 0xd5, 0xcf, 0x7f, 0xf3, 0xfd, 0xff, 0xed,
    0xfc, 0xc7, 0xc1, 0xa3, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xee, 0xe5, 0x03, 0xda, 0xe2, 0xb3, 0x7b, 0x00, 0x28, 0x00, 0x00,
};
#define D60 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
#define LONG_DIR "./" D60 "/" D60 "/"

/* ---- helpers ------------------------------------------------------------ */

static void gunzip_all(const unsigned char *gz, size_t n, wcr_buf *out)
{
    wcr_buf_init(out, "tar", (size_t)1 << 20);
    wcr_gunzip *g = wcr_gunzip_new(NULL);
    size_t off = 0, used, made;
    unsigned char chunk[4096];
    do {
        if (!g || wcr_gunzip_run(g, gz + off, n - off, &used, chunk, sizeof chunk, &made, NULL) < 0)
            break;
        off += used;
        wcr_buf_append(out, chunk, made);
    } while (made == sizeof chunk || off < n);
    if (!g || wcr_gunzip_finish(g, NULL) < 0)
        wcr_buf_dispose(out);
    wcr_gunzip_free(g);
}

static char type_char(wcr_tar_type t)
{
    switch (t) {
    case WCR_TAR_FILE: return '0';
    case WCR_TAR_HARDLINK: return '1';
    case WCR_TAR_SYMLINK: return '2';
    case WCR_TAR_CHAR: return '3';
    case WCR_TAR_BLOCKDEV: return '4';
    case WCR_TAR_DIR: return '5';
    case WCR_TAR_FIFO: return '6';
    case WCR_TAR_OTHER: break;
    }
    return '?';
}

/* One line per entry: "name|type|size|link|data" (data: its length, and
 * the bytes themselves when short and printable), then "END". The first
 * piece fed is `first` bytes, the rest go in pieces of `step` (0: whole).
 * Checks on the way that data points into the input. */
static int transcript(const uint8_t *a, size_t n, size_t first, size_t step, wcr_buf *out, wcr_err *err)
{
    wcr_tar t;
    wcr_tar_init(&t);
    wcr_buf data = WCR_BUF_INIT("data", (size_t)1 << 20);
    size_t pos = 0;
    int rc = 0;
    bool first_piece = true;
    while (rc == 0 && (pos < n || first_piece)) {
        size_t len = first_piece ? first : step ? step : n - pos;
        if (len > n - pos)
            len = n - pos;
        first_piece = false;
        size_t off = 0, used;
        wcr_tar_event ev;
        for (;;) {
            if ((rc = wcr_tar_next(&t, a + pos + off, len - off, &used, &ev, err)) < 0)
                break;
            off += used;
            if (ev.kind == WCR_TAR_NEED_MORE)
                break;
            if (ev.kind == WCR_TAR_HEADER) {
                wcr_buf_printf(out, "%s|%c|%llu|%s|", ev.entry->name, type_char(ev.entry->type),
                               (unsigned long long)ev.entry->size, ev.entry->linkname);
                wcr_buf_reset(&data);
            } else if (ev.kind == WCR_TAR_DATA) {
                if (ev.data < a + pos || ev.data + ev.len > a + pos + len)
                    test_fail(__FILE__, __LINE__, "data outside the input piece");
                wcr_buf_append(&data, ev.data, ev.len);
            } else if (ev.kind == WCR_TAR_ENTRY_END) {
                bool show = data.len <= 16;
                for (size_t i = 0; show && i < data.len; i++)
                    show = data.data[i] >= 0x20 && data.data[i] < 0x7f;
                wcr_buf_printf(out, "%zu%s%s\n", data.len, show && data.len ? ":" : "",
                               show ? wcr_buf_cstr(&data) : "");
            } else if (ev.kind == WCR_TAR_END) {
                wcr_buf_puts(out, "END\n");
            }
        }
        pos += len;
    }
    if (rc == 0)
        rc = wcr_tar_finish(&t, err);
    wcr_buf_dispose(&data);
    wcr_tar_dispose(&t);
    return rc;
}

static const char want_gnu[] =
    "./|5|0||0\n"
    "./" D60 "/|5|0||0\n"
    LONG_DIR "|5|0||0\n"
    LONG_DIR "long-file-name.txt|0|5||5\n"
    "./dir/|5|0||0\n"
    "./dir/big.txt|0|1000||1000\n"
    "./dir/hello.txt|0|6||6\n"
    "./dir/link|2|0|hello.txt|0\n"
    "./dir/longlink|2|0|../" D60 "/" D60 "/long-file-name.txt|0\n"
    "./empty|0|0||0\n"
    "END\n";

static const char want_ustar[] =
    "./|5|0||0\n"
    "./" D60 "/|5|0||0\n"
    LONG_DIR "|5|0||0\n"
    LONG_DIR "long-file-name.txt|0|5||5\n"
    "./dir/|5|0||0\n"
    "./dir/big.txt|0|1000||1000\n"
    "./dir/hello.txt|0|6||6\n"
    "./dir/link|2|0|hello.txt|0\n"
    "./empty|0|0||0\n"
    "END\n";

static void check_archive(const unsigned char *gz, size_t gzlen, const char *want)
{
    wcr_buf tar;
    gunzip_all(gz, gzlen, &tar);
    REQUIRE(tar.len > 0 && tar.len % 512 == 0);
    const uint8_t *a = (const uint8_t *)tar.data;
    wcr_buf whole = WCR_BUF_INIT("t", (size_t)1 << 20);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(transcript(a, tar.len, tar.len, 0, &whole, &err), 0);
    CHECK_STR(wcr_buf_cstr(&whole), want);
    wcr_buf bytes = WCR_BUF_INIT("t", (size_t)1 << 20);
    CHECK_INT(transcript(a, tar.len, 1, 1, &bytes, &err), 0);
    CHECK_STR(wcr_buf_cstr(&bytes), want);
    for (size_t split = 0; split <= tar.len && !test_failed_now(); split++) {
        wcr_buf two = WCR_BUF_INIT("t", (size_t)1 << 20);
        CHECK_INT(transcript(a, tar.len, split, 0, &two, &err), 0);
        if (strcmp(wcr_buf_cstr(&two), want) != 0)
            test_fail(__FILE__, __LINE__, "split at %zu: %s", split, wcr_buf_cstr(&two));
        wcr_buf_dispose(&two);
    }
    wcr_err_dispose(&err);
    wcr_buf_dispose(&bytes);
    wcr_buf_dispose(&whole);
    wcr_buf_dispose(&tar);
}

TEST(gnu_format_long_names_and_long_link_names)
{
    check_archive(gnu_tgz, sizeof gnu_tgz, want_gnu);
}

TEST(pax_format_path_and_linkpath_records)
{
    check_archive(pax_tgz, sizeof pax_tgz, want_gnu);
}

TEST(ustar_format_prefix_and_name)
{
    check_archive(ustar_tgz, sizeof ustar_tgz, want_ustar);
}

TEST(file_data_is_passed_through_whole)
{
    wcr_buf tar;
    gunzip_all(gnu_tgz, sizeof gnu_tgz, &tar);
    REQUIRE(tar.len > 0);
    wcr_tar t;
    wcr_tar_init(&t);
    size_t off = 0, used, xs = 0;
    wcr_tar_event ev;
    bool in_big = false;
    while (wcr_tar_next(&t, tar.data + off, tar.len - off, &used, &ev, NULL) == 0) {
        off += used;
        if (ev.kind == WCR_TAR_NEED_MORE)
            break;
        if (ev.kind == WCR_TAR_HEADER)
            in_big = strcmp(ev.entry->name, "./dir/big.txt") == 0;
        for (size_t i = 0; in_big && ev.kind == WCR_TAR_DATA && i < ev.len; i++)
            xs += ev.data[i] == 'x';
    }
    CHECK_INT(xs, 1000);
    CHECK_INT(wcr_tar_finish(&t, NULL), 0);
    wcr_tar_dispose(&t);
    wcr_buf_dispose(&tar);
}

/* ---- archives built here -------------------------------------------------- */

static void pax(wcr_buf *out, char type, const char *records)
{
    tb_header(out, "./PaxHeaders/x", type, strlen(records), NULL);
    tb_body(out, records, strlen(records));
}

static int run(const wcr_buf *a, wcr_buf *out, wcr_err *err)
{
    const uint8_t *p = (const uint8_t *)a->data;
    for (size_t step = 1; step <= a->len; step = step < 8 ? step + 1 : step * 3) {
        wcr_buf o = WCR_BUF_INIT("t", (size_t)1 << 20);
        wcr_err e = WCR_ERR_INIT;
        int rc = transcript(p, a->len, step, step, &o, &e);
        int rc_whole = transcript(p, a->len, a->len, 0, out, err);
        if (rc != rc_whole || strcmp(wcr_buf_cstr(&o), wcr_buf_cstr(out)) != 0 ||
            (rc < 0 && strcmp(e.msg, err->msg) != 0))
            test_fail(__FILE__, __LINE__, "pieces of %zu differ: %s / %s", step, wcr_buf_cstr(&o),
                      wcr_buf_cstr(out));
        wcr_err_dispose(&e);
        wcr_buf_dispose(&o);
        if (step < a->len) {
            wcr_buf_reset(out);
            wcr_err_dispose(err);
        } else {
            return rc_whole;
        }
    }
    return transcript(p, a->len, a->len, 0, out, err);
}

TEST(pax_records_override_the_header)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    pax(&a, 'x', "30 path=a/b/c/from-pax-record\n12 size=700\n13 mtime=1.5\n");
    tb_header(&a, "short", '0', 3, NULL); /* the pax size wins: 700 bytes follow */
    uint8_t data[700];
    memset(data, 'z', sizeof data);
    tb_body(&a, data, sizeof data);
    tb_header(&a, "next", '0', 1, NULL); /* overrides apply to one entry only */
    tb_body(&a, "n", 1);
    tb_end(&a);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "a/b/c/from-pax-record|0|700||700\nnext|0|1||1:n\nEND\n");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

TEST(global_pax_headers_are_ignored)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    pax(&a, 'g', "52 comment=8a3f0c1e7d2b4a6f9e0d1c2b3a4f5e6d7c8b9a0f\n13 path=nope\n");
    tb_header(&a, "file", '0', 2, NULL);
    tb_body(&a, "hi", 2);
    tb_end(&a);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "file|0|2||2:hi\nEND\n");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

TEST(empty_pax_value_removes_an_override)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    tb_header(&a, "././@LongLink", 'L', 9, NULL);
    tb_body(&a, "gnu-name", 9);
    pax(&a, 'x', "12 path=pax\n8 path=\n");
    tb_header(&a, "hdr", '0', 0, NULL);
    tb_end(&a);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "gnu-name|0|0||0\nEND\n");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

static void expect_error(const wcr_buf *a, wcr_err_code code, const char *needle)
{
    wcr_buf out = WCR_BUF_INIT("o", 1 << 20);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(a, &out, &err), -1);
    CHECK_INT(err.code, code);
    if (!err.msg || !strstr(err.msg, needle))
        test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", err.msg ? err.msg : "", needle);
    wcr_err_dispose(&err);
    wcr_buf_dispose(&out);
}

TEST(malformed_pax_records_are_refused)
{
    static const char *const bad[] = {
        "12 path=abc",         /* no newline at the end */
        "13 path=abc\n",       /* length says one byte more than there is */
        "10 path=abc\n",       /* ... or fewer */
        "x path=abc\n",        /* no length */
        "9 =value\n",          /* no keyword */
        "9 keyword\n",         /* no '=' */
        "11 size=12a\n",       /* not a number */
        "31 size=99999999999999999999\n",
        "3 \n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
        pax(&a, 'x', bad[i]);
        tb_header(&a, "f", '0', 0, NULL);
        tb_end(&a);
        expect_error(&a, WCR_E_PARSE, "pax header at byte 0");
        wcr_buf_dispose(&a);
    }
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_header(&a, "./PaxHeaders/x", 'x', 12, NULL);
    tb_body(&a, "12 path=a\0b\n", 12);
    tb_header(&a, "f", '0', 0, NULL);
    tb_end(&a);
    expect_error(&a, WCR_E_PARSE, "path holds a NUL");
    wcr_buf_dispose(&a);
}

TEST(names_and_pax_headers_over_their_caps_are_refused)
{
    wcr_buf a = WCR_BUF_INIT("a", 4 << 20);
    tb_header(&a, "././@LongLink", 'L', WCR_TAR_MAX_NAME + 2, NULL);
    char *big = malloc(WCR_TAR_MAX_PAX + 1);
    REQUIRE(big);
    memset(big, 'n', WCR_TAR_MAX_PAX + 1);
    tb_body(&a, big, WCR_TAR_MAX_NAME + 2);
    tb_end(&a);
    expect_error(&a, WCR_E_LIMIT, "header at byte 0: long name");
    wcr_buf_reset(&a);
    tb_header(&a, "./PaxHeaders/x", 'x', WCR_TAR_MAX_PAX + 1, NULL);
    tb_body(&a, big, WCR_TAR_MAX_PAX + 1);
    tb_end(&a);
    expect_error(&a, WCR_E_LIMIT, "pax header of 1048577 bytes");
    free(big);
    wcr_buf_dispose(&a);
}

TEST(bad_checksum_is_refused_and_the_error_sticks)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_header(&a, "f", '0', 1, NULL);
    tb_body(&a, "x", 1);
    a.data[0] = 'g'; /* the name changed after the checksum was made */
    tb_end(&a);
    expect_error(&a, WCR_E_PARSE, "header at byte 0: checksum mismatch (not a tar archive?)");
    wcr_tar t;
    wcr_tar_init(&t);
    size_t used;
    wcr_tar_event ev;
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_tar_next(&t, a.data, a.len, &used, &ev, &err), -1);
    wcr_err_dispose(&err);
    CHECK_INT(wcr_tar_next(&t, a.data + 1024, 512, &used, &ev, &err), -1);
    CHECK(err.msg && strstr(err.msg, "checksum mismatch"));
    wcr_err_dispose(&err);
    CHECK_INT(wcr_tar_finish(&t, &err), -1);
    wcr_err_dispose(&err);
    wcr_tar_dispose(&t);
    wcr_buf_dispose(&a);
}

TEST(signed_checksums_of_old_writers_are_accepted)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    tb_header(&a, "caf\xc3\xa9", '0', 0, NULL);
    uint8_t *b = (uint8_t *)a.data;
    memset(b + 148, ' ', 8);
    int sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += (signed char)b[i];
    snprintf((char *)b + 148, 8, "%06o", (unsigned)sum);
    tb_end(&a);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "caf\xc3\xa9|0|0||0\nEND\n");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

TEST(truncation_is_reported_with_where_it_happened)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_header(&a, "layer.tar", '0', 1000, NULL);
    char data[1000];
    memset(data, 'd', sizeof data);
    tb_body(&a, data, sizeof data);
    tb_end(&a);
    wcr_buf cut = WCR_BUF_INIT("c", 1 << 20);
    wcr_buf_append(&cut, a.data, 700);
    expect_error(&cut, WCR_E_PARSE,
                 "truncated: the archive ends at byte 700 inside \"layer.tar\" (188 of its 1000 bytes)");
    wcr_buf_reset(&cut);
    wcr_buf_append(&cut, a.data, 1536);
    expect_error(&cut, WCR_E_PARSE,
                 "truncated: the archive ends at byte 1536 without its end-of-archive block");
    wcr_buf_reset(&cut);
    wcr_buf_append(&cut, a.data, 1600);
    expect_error(&cut, WCR_E_PARSE, "ends at byte 1600 inside a header");
    wcr_buf_reset(&cut);
    wcr_buf_append(&cut, a.data, 1520);
    expect_error(&cut, WCR_E_PARSE, "ends at byte 1520 inside padding");
    wcr_buf_reset(&cut);
    expect_error(&cut, WCR_E_PARSE, "ends at byte 0 without its end-of-archive block");
    wcr_buf_reset(&cut);
    tb_header(&cut, "././@LongLink", 'L', 5, NULL);
    tb_body(&cut, "name", 5);
    expect_error(&cut, WCR_E_PARSE, "ends at byte 1024 after a metadata header");
    tb_end(&cut);
    expect_error(&cut, WCR_E_PARSE, "the metadata header at byte 0 belongs to no entry");
    wcr_buf_dispose(&cut);
    wcr_buf_dispose(&a);
}

TEST(the_first_zero_block_ends_the_archive)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    tb_header(&a, "one", '0', 0, NULL);
    static const uint8_t zero[512];
    wcr_buf_append(&a, zero, sizeof zero); /* a lone zero block */
    wcr_buf_append(&a, "garbage after the end", 21);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "one|0|0||0\nEND\n");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

TEST(entries_without_data_ignore_their_size_field)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    tb_header(&a, "dir/", '5', 4096, NULL); /* no data follows, whatever size says */
    tb_header(&a, "hard", '1', 77, "target");
    tb_header(&a, "fifo", '6', 0, NULL);
    tb_header(&a, "dev", '3', 0, NULL);
    tb_header(&a, "bdev", '4', 0, NULL);
    tb_header(&a, "vendor", 'Z', 3, NULL); /* unknown types keep their data */
    tb_body(&a, "abc", 3);
    tb_header(&a, "contig", '7', 1, NULL);
    tb_body(&a, "c", 1);
    tb_end(&a);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "dir/|5|0||0\nhard|1|0|target|0\nfifo|6|0||0\ndev|3|0||0\n"
                                  "bdev|4|0||0\nvendor|?|3||3:abc\ncontig|0|1||1:c\nEND\n");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

TEST(base256_sizes_and_v7_headers)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20), out = WCR_BUF_INIT("o", 1 << 20);
    tb_header(&a, "big", '0', 0, NULL);
    uint8_t *b = (uint8_t *)a.data;
    memset(b + 124, 0, 12);
    b[124] = 0x80;
    b[134] = 0x02; /* 0x0203 = 515 bytes, in GNU's base-256 */
    b[135] = 0x03;
    tb_checksum(b);
    char data[515];
    memset(data, 'b', sizeof data);
    tb_body(&a, data, sizeof data);
    size_t v7 = a.len;
    tb_header(&a, "old", '0', 2, NULL);
    memset(a.data + v7 + 257, 0, 8); /* no magic: a v7 header */
    memcpy(a.data + v7 + 345, "ignored", 7);
    tb_checksum((uint8_t *)a.data + v7);
    tb_body(&a, "ok", 2);
    tb_end(&a);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(run(&a, &out, &err), 0);
    CHECK_STR(wcr_buf_cstr(&out), "big|0|515||515\nold|0|2||2:ok\nEND\n");
    wcr_buf_reset(&a);
    tb_header(&a, "neg", '0', 0, NULL);
    memset(a.data + 124, 0xff, 12);
    tb_checksum((uint8_t *)a.data);
    tb_end(&a);
    expect_error(&a, WCR_E_PARSE, "header at byte 0: invalid size field");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&a);
    wcr_buf_dispose(&out);
}

TEST(gnu_sparse_files_are_refused)
{
    wcr_buf a = WCR_BUF_INIT("a", 1 << 20);
    tb_header(&a, "sparse", 'S', 0, NULL);
    tb_end(&a);
    expect_error(&a, WCR_E_UNSUPPORTED, "GNU sparse files are not supported");
    wcr_buf_reset(&a);
    pax(&a, 'x', "22 GNU.sparse.major=1\n");
    tb_header(&a, "sparse", '0', 0, NULL);
    tb_end(&a);
    expect_error(&a, WCR_E_UNSUPPORTED, "GNU sparse files are not supported");
    wcr_buf_dispose(&a);
}

TEST(type_names_for_messages)
{
    CHECK_STR(wcr_tar_type_name(WCR_TAR_SYMLINK), "symbolic link");
    CHECK_STR(wcr_tar_type_name(WCR_TAR_HARDLINK), "hard link");
    CHECK_STR(wcr_tar_type_name(WCR_TAR_OTHER), "special entry");
}

TEST_MAIN()
