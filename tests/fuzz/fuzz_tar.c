/* Fuzz target for the tar reader (and, for inputs that start like gzip,
 * the gzip decompressor in front of it). The input is read twice: whole,
 * and in pieces whose sizes come from the input itself; both readings
 * must give the same entries, data and outcome. Events must come in
 * order (HEADER, DATA..., ENTRY_END; END last), data must lie inside the
 * bytes given and add up to the entry's size, and errors must be the
 * documented kinds with messages that say "tar:" or "gzip:". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/gzip.h"
#include "core/tar.h"
#include "fuzz.h"

#define MAX_PLAIN ((size_t)4 << 20)

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_tar: %s\n", what);
    abort();
}

/* Read a with the tar reader in pieces: piece i is sizes[i % n] bytes
 * (n == 0: all at once). Returns the outcome; *out gets a transcript. */
static int read_tar(const uint8_t *a, size_t len, const uint8_t *sizes, size_t n, wcr_buf *out,
                    wcr_err *err)
{
    wcr_tar t;
    wcr_tar_init(&t);
    size_t pos = 0, k = 0;
    uint64_t got = 0;
    int rc = 0;
    enum { OUTSIDE, INSIDE, ENDED } where = OUTSIDE;
    do {
        size_t piece = n ? (size_t)sizes[k++ % n] + 1 : len - pos;
        if (piece > len - pos)
            piece = len - pos;
        size_t off = 0, used;
        wcr_tar_event ev;
        for (;;) {
            if ((rc = wcr_tar_next(&t, a + pos + off, piece - off, &used, &ev, err)) < 0)
                break;
            if (used > piece - off)
                fail("used more than given");
            off += used;
            if (ev.kind == WCR_TAR_NEED_MORE) {
                if (off != piece)
                    fail("NEED_MORE with bytes left");
                break;
            }
            if (where == ENDED)
                fail("event after END");
            switch (ev.kind) {
            case WCR_TAR_HEADER:
                if (where != OUTSIDE || !ev.entry || !ev.entry->name || !ev.entry->linkname)
                    fail("bad HEADER");
                if (ev.entry->size > INT64_MAX)
                    fail("size over INT64_MAX");
                where = INSIDE;
                got = 0;
                wcr_buf_printf(out, "H %s %d %llu %s\n", ev.entry->name, (int)ev.entry->type,
                               (unsigned long long)ev.entry->size, ev.entry->linkname);
                break;
            case WCR_TAR_DATA:
                if (where != INSIDE || ev.len == 0 || ev.data < a + pos || ev.data + ev.len > a + pos + piece)
                    fail("bad DATA");
                got += ev.len;
                if (got > ev.entry->size)
                    fail("more data than the size");
                wcr_buf_append(out, ev.data, ev.len);
                break;
            case WCR_TAR_ENTRY_END:
                if (where != INSIDE || got != ev.entry->size)
                    fail("bad ENTRY_END");
                where = OUTSIDE;
                wcr_buf_puts(out, "\nE\n");
                break;
            case WCR_TAR_END:
                if (where != OUTSIDE)
                    fail("END inside an entry");
                where = ENDED;
                break;
            case WCR_TAR_NEED_MORE:
                break;
            }
        }
        pos += piece;
    } while (rc == 0 && pos < len);
    if (rc == 0)
        rc = wcr_tar_finish(&t, err);
    if ((rc == 0) != (where == ENDED))
        fail("finish disagrees with END");
    if (rc < 0) {
        if (err->code != WCR_E_PARSE && err->code != WCR_E_LIMIT && err->code != WCR_E_UNSUPPORTED &&
            err->code != WCR_E_NOMEM)
            fail("unexpected error code");
        if (!err->msg || strncmp(err->msg, "tar: ", 5) != 0)
            fail("error without tar: prefix");
    }
    wcr_tar_dispose(&t);
    return rc;
}

static void check_tar(const uint8_t *a, size_t len, const uint8_t *sizes, size_t n)
{
    wcr_buf whole = WCR_BUF_INIT("whole", WCR_BUF_NO_LIMIT), pieces = WCR_BUF_INIT("pieces", WCR_BUF_NO_LIMIT);
    wcr_err e1 = WCR_ERR_INIT, e2 = WCR_ERR_INIT;
    int r1 = read_tar(a, len, NULL, 0, &whole, &e1);
    int r2 = read_tar(a, len, sizes, n, &pieces, &e2);
    if (r1 != r2 || whole.len != pieces.len || (whole.len && memcmp(whole.data, pieces.data, whole.len) != 0))
        fail("pieces and whole disagree");
    if (r1 < 0 && (e1.code != e2.code || strcmp(e1.msg, e2.msg) != 0))
        fail("pieces and whole fail differently");
    wcr_err_dispose(&e1);
    wcr_err_dispose(&e2);
    wcr_buf_dispose(&whole);
    wcr_buf_dispose(&pieces);
}

/* gzip in front: output room from the input, total capped. */
static void check_gzip(const uint8_t *data, size_t size)
{
    wcr_gunzip *g = wcr_gunzip_new(NULL);
    if (!g)
        return;
    wcr_buf plain = WCR_BUF_INIT("plain", MAX_PLAIN);
    size_t room_size = 1 + (data[size - 1] % 64) * 97, off = 0, used, made;
    uint8_t *room = malloc(room_size);
    wcr_err err = WCR_ERR_INIT;
    int rc = room ? 0 : -1;
    while (rc == 0) {
        rc = wcr_gunzip_run(g, data + off, size - off, &used, room, room_size, &made, &err);
        if (rc == 0 && (made > room_size || used > size - off))
            fail("gunzip overran");
        if (rc == 0 && used == 0 && made == 0 && off < size)
            fail("gunzip made no progress");
        off += used;
        if (rc == 0 && wcr_buf_append(&plain, room, made) < 0)
            break; /* a bomb: enough */
        if (rc == 0 && off == size && made < room_size) {
            rc = wcr_gunzip_finish(g, &err);
            if (rc == 0 && plain.len > 0)
                check_tar((const uint8_t *)plain.data, plain.len, data, size < 16 ? size : 16);
            break;
        }
    }
    if (rc < 0 && room && (!err.msg || strncmp(err.msg, "gzip: ", 6) != 0 ||
                           (err.code != WCR_E_PARSE && err.code != WCR_E_NOMEM)))
        fail("unexpected gzip error");
    wcr_err_dispose(&err);
    free(room);
    wcr_buf_dispose(&plain);
    wcr_gunzip_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    /* Piece sizes: the input's last bytes, read backwards, so the archive
     * at the front stays a plausible archive. */
    uint8_t sizes[16];
    size_t n = size < sizeof sizes ? size : sizeof sizes;
    for (size_t i = 0; i < n; i++)
        sizes[i] = data[size - 1 - i];
    check_tar(data, size, sizes, n);
    if (wcr_gzip_magic(data, size))
        check_gzip(data, size);
    return 0;
}
