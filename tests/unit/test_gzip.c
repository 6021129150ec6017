/* Tests of src/core/gzip.c: members written by `gzip -9n`, streams made
 * here with zlib's deflate, fed in every split and with tiny output room. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/gzip.h"
#include "test.h"

/* printf 'hello\n' | gzip -9n */
static const unsigned char hello_gz[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd,
    0xc9, 0xc9, 0xe7, 0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00,
};
/* printf 'world\n' | gzip -9n */
static const unsigned char world_gz[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x2b, 0xcf, 0x2f,
    0xca, 0x49, 0xe1, 0x02, 0x00, 0xa8, 0x61, 0x38, 0xdd, 0x06, 0x00, 0x00, 0x00,
};

/* Decompress in: the first piece is `first` bytes, the rest in pieces of
 * `step`; out_room bytes of output per call. */
static int gunzip(const void *in, size_t n, size_t first, size_t step, size_t out_room, wcr_buf *out,
                  wcr_err *err)
{
    wcr_gunzip *g = wcr_gunzip_new(err);
    if (!g)
        return -1;
    unsigned char *room = malloc(out_room);
    const unsigned char *p = in;
    size_t pos = 0;
    int rc = room ? 0 : -1;
    bool first_piece = true;
    while (rc == 0 && (pos < n || first_piece)) {
        size_t len = first_piece ? first : step;
        if (len > n - pos)
            len = n - pos;
        first_piece = false;
        size_t off = 0, used, made;
        do {
            rc = wcr_gunzip_run(g, p + pos + off, len - off, &used, room, out_room, &made, err);
            if (made > out_room)
                test_fail(__FILE__, __LINE__, "wrote %zu bytes into %zu", made, out_room);
            off += used;
            wcr_buf_append(out, room, made);
        } while (rc == 0 && (off < len || made == out_room));
        pos += len;
    }
    if (rc == 0)
        rc = wcr_gunzip_finish(g, err);
    free(room);
    wcr_gunzip_free(g);
    return rc;
}

static void gzip_bytes(const void *data, size_t len, int level, wcr_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return;
    size_t bound = deflateBound(&z, (uLong)len);
    wcr_buf_reserve(out, bound);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)bound;
    if (deflate(&z, Z_FINISH) == Z_STREAM_END)
        out->len += bound - z.avail_out;
    deflateEnd(&z);
}

TEST(magic_bytes_say_gzip)
{
    CHECK(wcr_gzip_magic(hello_gz, sizeof hello_gz));
    CHECK(!wcr_gzip_magic(hello_gz, 2));
    CHECK(!wcr_gzip_magic("ustar", 5));
    CHECK(!wcr_gzip_magic("\x1f\x8b\x07", 3));
}

TEST(a_member_by_gzip_decompresses_in_every_split)
{
    for (size_t split = 0; split <= sizeof hello_gz; split++) {
        for (size_t room = 1; room <= 8; room += 7) {
            wcr_buf out = WCR_BUF_INIT("o", 1024);
            wcr_err err = WCR_ERR_INIT;
            CHECK_INT(gunzip(hello_gz, sizeof hello_gz, split, sizeof hello_gz, room, &out, &err), 0);
            CHECK_STR(wcr_buf_cstr(&out), "hello\n");
            wcr_err_dispose(&err);
            wcr_buf_dispose(&out);
        }
    }
}

TEST(members_follow_one_another)
{
    wcr_buf in = WCR_BUF_INIT("i", 1024);
    wcr_buf_append(&in, hello_gz, sizeof hello_gz);
    wcr_buf_append(&in, world_gz, sizeof world_gz);
    wcr_buf_append(&in, hello_gz, sizeof hello_gz);
    for (size_t step = 1; step <= in.len; step++) {
        wcr_buf out = WCR_BUF_INIT("o", 1024);
        CHECK_INT(gunzip(in.data, in.len, step, step, 3, &out, NULL), 0);
        CHECK_STR(wcr_buf_cstr(&out), "hello\nworld\nhello\n");
        wcr_buf_dispose(&out);
    }
    wcr_buf_dispose(&in);
}

TEST(zero_padding_after_the_last_member_is_ignored)
{
    wcr_buf in = WCR_BUF_INIT("i", 4096);
    wcr_buf_append(&in, hello_gz, sizeof hello_gz);
    static const char zeros[512];
    wcr_buf_append(&in, zeros, sizeof zeros);
    wcr_buf out = WCR_BUF_INIT("o", 1024);
    CHECK_INT(gunzip(in.data, in.len, 7, 100, 64, &out, NULL), 0);
    CHECK_STR(wcr_buf_cstr(&out), "hello\n");
    wcr_buf_dispose(&out);
    wcr_buf_append(&in, "x", 1);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(gunzip(in.data, in.len, in.len, 0, 64, &out, &err), -1);
    CHECK_INT(err.code, WCR_E_PARSE);
    CHECK_STR(err.msg, "gzip: unexpected data at byte 538 after the end of the gzip data");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&out);
    wcr_buf_dispose(&in);
}

TEST(garbage_after_a_member_is_not_a_member)
{
    wcr_buf in = WCR_BUF_INIT("i", 4096);
    wcr_buf_append(&in, hello_gz, sizeof hello_gz);
    wcr_buf_append(&in, "PK\3\4", 4);
    wcr_buf out = WCR_BUF_INIT("o", 1024);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(gunzip(in.data, in.len, in.len, 0, 64, &out, &err), -1);
    CHECK(err.msg && strstr(err.msg, "gzip: corrupt data") && strstr(err.msg, "incorrect header check"));
    wcr_err_dispose(&err);
    wcr_buf_dispose(&out);
    wcr_buf_dispose(&in);
}

TEST(truncated_and_empty_input_are_errors)
{
    for (size_t cut = 1; cut < sizeof hello_gz; cut++) {
        wcr_buf out = WCR_BUF_INIT("o", 1024);
        wcr_err err = WCR_ERR_INIT;
        CHECK_INT(gunzip(hello_gz, cut, cut, 0, 64, &out, &err), -1);
        CHECK_INT(err.code, WCR_E_PARSE);
        CHECK(err.msg && strstr(err.msg, "gzip: truncated: the data ends at byte"));
        wcr_err_dispose(&err);
        wcr_buf_dispose(&out);
    }
    wcr_buf out = WCR_BUF_INIT("o", 1024);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(gunzip("", 0, 0, 0, 64, &out, &err), -1);
    CHECK_STR(err.msg, "gzip: no data");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&out);
}

TEST(corrupt_data_and_checksums_are_refused)
{
    unsigned char bad[sizeof hello_gz];
    memcpy(bad, hello_gz, sizeof bad);
    bad[sizeof bad - 6] ^= 1; /* CRC-32 */
    wcr_buf out = WCR_BUF_INIT("o", 1024);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(gunzip(bad, sizeof bad, sizeof bad, 0, 64, &out, &err), -1);
    CHECK(err.msg && strstr(err.msg, "incorrect data check"));
    wcr_err_dispose(&err);
    memcpy(bad, hello_gz, sizeof bad);
    bad[sizeof bad - 2] ^= 1; /* ISIZE */
    CHECK_INT(gunzip(bad, sizeof bad, sizeof bad, 0, 64, &out, &err), -1);
    CHECK(err.msg && strstr(err.msg, "incorrect length check"));
    wcr_err_dispose(&err);
    /* Not gzip at all: a zlib stream. */
    CHECK_INT(gunzip("\x78\x9c\x03\x00\x00\x00\x00\x01", 8, 8, 0, 64, &out, &err), -1);
    CHECK(err.msg && strstr(err.msg, "incorrect header check"));
    wcr_err_dispose(&err);
    /* The error sticks. */
    wcr_gunzip *g = wcr_gunzip_new(NULL);
    size_t used, made;
    char room[16];
    CHECK_INT(wcr_gunzip_run(g, "\x1f\x8b\x09\x00", 4, &used, room, sizeof room, &made, &err), -1);
    wcr_err_dispose(&err);
    CHECK_INT(wcr_gunzip_run(g, hello_gz, sizeof hello_gz, &used, room, sizeof room, &made, &err), -1);
    CHECK_INT(wcr_gunzip_finish(g, &err), -1);
    wcr_err_dispose(&err);
    wcr_gunzip_free(g);
    wcr_gunzip_free(NULL);
    wcr_buf_dispose(&out);
}

TEST(output_room_bounds_each_call_however_well_the_input_compresses)
{
    size_t n = (size_t)4 << 20;
    char *plain = calloc(1, n); /* zeros: about 1000 to 1 */
    REQUIRE(plain);
    for (size_t i = 0; i < n; i += 4093)
        plain[i] = (char)(i * 7);
    wcr_buf gz = WCR_BUF_INIT("gz", (size_t)8 << 20);
    gzip_bytes(plain, n, 9, &gz);
    REQUIRE(gz.len > 0 && gz.len < n / 50);
    wcr_buf out = WCR_BUF_INIT("o", (size_t)8 << 20);
    CHECK_INT(gunzip(gz.data, gz.len, gz.len, 0, 1000, &out, NULL), 0);
    CHECK_MEM(out.data, out.len, plain, n);
    wcr_buf_reset(&out);
    CHECK_INT(gunzip(gz.data, gz.len, 1, 997, 65536, &out, NULL), 0);
    CHECK_MEM(out.data, out.len, plain, n);
    wcr_gunzip *g = wcr_gunzip_new(NULL);
    size_t used, made;
    char room[4096];
    CHECK_INT(wcr_gunzip_run(g, gz.data, gz.len, &used, room, sizeof room, &made, NULL), 0);
    CHECK_INT(made, sizeof room);
    CHECK(used < gz.len);
    CHECK_INT(wcr_gunzip_total_out(g), sizeof room);
    CHECK_INT(wcr_gunzip_total_in(g), used);
    wcr_gunzip_free(g);
    wcr_buf_dispose(&out);
    wcr_buf_dispose(&gz);
    free(plain);
}

TEST_MAIN()
