/* Tests of src/core/pb.c and pb_wkt.c: the protobuf wire codec. Vectors
 * marked "docs" are the examples of protobuf's encoding guide
 * (protobuf.dev/programming-guides/encoding). tests/tools/pb-oracle.sh
 * holds the same code against protoc. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pb.h"
#include "test.h"

/* --- helpers -------------------------------------------------------------------- */

/* "08 96 01" -> bytes; returns the count. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    unsigned v;
    int used;
    while (n < cap && sscanf(hex, " %2x%n", &v, &used) == 1) {
        out[n++] = (uint8_t)v;
        hex += used;
    }
    return n;
}

static void check_hex(const char *file, int line, const wcr_buf *b, const char *hex)
{
    uint8_t want[512];
    size_t n = unhex(hex, want, sizeof want);
    if (b->failed == WCR_E_OK && b->len == n && memcmp(b->data, want, n) == 0)
        return;
    char got[1600] = "";
    for (size_t i = 0; i < b->len && i < 500; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%02x ",
                 (unsigned)(uint8_t)b->data[i]);
    test_fail(file, line, "bytes: want %s, got %s(len %zu, failed %d)", hex, got, b->len,
              (int)b->failed);
}

#define CHECK_HEX(b, hex) check_hex(__FILE__, __LINE__, (b), (hex))

static wcr_buf newbuf(void)
{
    return (wcr_buf)WCR_BUF_INIT("test message", WCR_BUF_NO_LIMIT);
}

/* The first field of a message given in hex. */
static int first_field(const char *hex, uint8_t *store, size_t cap, wcr_pb_field *f,
                       wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_reader_init(&r, store, unhex(hex, store, cap));
    return wcr_pb_next(&r, f, err);
}

/* Walking the whole message given in hex fails with `code` and a message
 * that contains `text`. */
static void check_bad(const char *file, int line, const char *hex, wcr_err_code code,
                      const char *text)
{
    uint8_t data[256];
    wcr_pb_reader r;
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_reader_init(&r, data, unhex(hex, data, sizeof data));
    int rc = wcr_pb_skip_all(&r, &err);
    if (rc != -1 || err.code != code || !err.msg || !strstr(err.msg, text))
        test_fail(file, line, "%s: rc %d, code %d, message \"%s\"; wanted code %d, \"%s\"",
                  hex, rc, (int)err.code, err.msg ? err.msg : "(none)", (int)code, text);
    wcr_err_dispose(&err);
}

#define CHECK_BAD(hex, code, text) check_bad(__FILE__, __LINE__, (hex), (code), (text))

static void check_err(const char *file, int line, int rc, wcr_err *err, wcr_err_code code,
                      const char *text)
{
    if (rc != -1 || err->code != code || !err->msg || !strstr(err->msg, text))
        test_fail(file, line, "rc %d, code %d, message \"%s\"; wanted code %d, \"%s\"", rc,
                  (int)err->code, err->msg ? err->msg : "(none)", (int)code, text);
    wcr_err_dispose(err);
}

#define CHECK_ERR(rc, err, code, text) check_err(__FILE__, __LINE__, (rc), (err), (code), (text))

/* --- encoding: the guide's examples ---------------------------------------------- */

TEST(docs_int32_150_is_08_96_01)
{
    wcr_buf b = newbuf();
    wcr_pb_put_int32(&b, 1, 150);
    CHECK_HEX(&b, "08 96 01");
    wcr_buf_dispose(&b);
}

TEST(docs_string_testing_in_field_2)
{
    wcr_buf b = newbuf();
    wcr_pb_put_string(&b, 2, "testing");
    CHECK_HEX(&b, "12 07 74 65 73 74 69 6e 67");
    wcr_buf_dispose(&b);
}

TEST(docs_embedded_message_has_its_length_in_front)
{
    wcr_buf b = newbuf();
    size_t m = wcr_pb_begin(&b, 3);
    wcr_pb_put_int32(&b, 1, 150);
    wcr_pb_end(&b, m);
    CHECK_HEX(&b, "1a 03 08 96 01");
    wcr_buf_dispose(&b);
}

TEST(docs_packed_repeated_int32)
{
    wcr_buf b = newbuf();
    wcr_pb_put_packed_int32(&b, 6, (const int32_t[]){ 3, 270, 86942 }, 3);
    CHECK_HEX(&b, "32 06 03 8e 02 9e a7 05");
    wcr_buf_dispose(&b);
}

TEST(docs_negative_int32_takes_ten_bytes)
{
    wcr_buf b = newbuf();
    wcr_pb_put_int32(&b, 1, -1);
    CHECK_HEX(&b, "08 ff ff ff ff ff ff ff ff ff 01");
    wcr_buf_reset(&b);
    wcr_pb_put_enum(&b, 1, -2);
    CHECK_HEX(&b, "08 fe ff ff ff ff ff ff ff ff 01");
    wcr_buf_reset(&b);
    wcr_pb_put_packed_int32(&b, 1, (const int32_t[]){ INT32_MIN }, 1);
    CHECK_HEX(&b, "0a 0a 80 80 80 80 f8 ff ff ff ff 01");
    wcr_buf_dispose(&b);
}

TEST(docs_zigzag_table)
{
    CHECK(wcr_pb_zigzag32(0) == 0);
    CHECK(wcr_pb_zigzag32(-1) == 1);
    CHECK(wcr_pb_zigzag32(1) == 2);
    CHECK(wcr_pb_zigzag32(-2) == 3);
    CHECK(wcr_pb_zigzag32(INT32_MAX) == UINT32_C(4294967294));
    CHECK(wcr_pb_zigzag32(INT32_MIN) == UINT32_C(4294967295));
    CHECK(wcr_pb_zigzag64(INT64_MAX) == UINT64_MAX - 1);
    CHECK(wcr_pb_zigzag64(INT64_MIN) == UINT64_MAX);
    CHECK(wcr_pb_zigzag64(-2) == 3);
    const int32_t v32[] = { 0, -1, 1, -2, 2, INT32_MAX, INT32_MIN, 12345, -12345 };
    for (size_t i = 0; i < sizeof v32 / sizeof v32[0]; i++)
        CHECK_INT(wcr_pb_unzigzag32(wcr_pb_zigzag32(v32[i])), v32[i]);
    const int64_t v64[] = { 0, -1, 1, INT64_MAX, INT64_MIN, INT64_C(-1234567890123) };
    for (size_t i = 0; i < sizeof v64 / sizeof v64[0]; i++)
        CHECK(wcr_pb_unzigzag64(wcr_pb_zigzag64(v64[i])) == v64[i]);
}

TEST(sint_fields_use_zigzag)
{
    wcr_buf b = newbuf();
    wcr_pb_put_sint32(&b, 1, -1);
    wcr_pb_put_sint32(&b, 2, INT32_MIN);
    wcr_pb_put_sint64(&b, 3, INT64_MIN);
    CHECK_HEX(&b, "08 01 10 ff ff ff ff 0f 18 ff ff ff ff ff ff ff ff ff 01");
    wcr_buf_dispose(&b);
}

/* --- encoding: every scalar and its limits -------------------------------------- */

TEST(varints_at_their_boundaries)
{
    wcr_buf b = newbuf();
    wcr_pb_write_varint(&b, 0);
    wcr_pb_write_varint(&b, 127);
    wcr_pb_write_varint(&b, 128);
    wcr_pb_write_varint(&b, 16383);
    wcr_pb_write_varint(&b, 16384);
    CHECK_HEX(&b, "00 7f 80 01 ff 7f 80 80 01");
    wcr_buf_reset(&b);
    wcr_pb_put_uint64(&b, 1, UINT64_MAX);
    wcr_pb_put_int64(&b, 2, INT64_MIN);
    wcr_pb_put_uint32(&b, 3, UINT32_MAX);
    CHECK_HEX(&b, "08 ff ff ff ff ff ff ff ff ff 01 10 80 80 80 80 80 80 80 80 80 01"
                  " 18 ff ff ff ff 0f");
    CHECK_INT(wcr_pb_varint_size(0), 1);
    CHECK_INT(wcr_pb_varint_size(127), 1);
    CHECK_INT(wcr_pb_varint_size(128), 2);
    CHECK_INT(wcr_pb_varint_size(UINT64_MAX), 10);
    wcr_buf_dispose(&b);
}

TEST(fixed_width_values_are_little_endian)
{
    wcr_buf b = newbuf();
    wcr_pb_put_fixed32(&b, 1, UINT32_C(0x12345678));
    wcr_pb_put_sfixed32(&b, 2, -2);
    wcr_pb_put_float(&b, 3, 1.5f);
    CHECK_HEX(&b, "0d 78 56 34 12 15 fe ff ff ff 1d 00 00 c0 3f");
    wcr_buf_reset(&b);
    wcr_pb_put_fixed64(&b, 1, UINT64_C(0x0123456789abcdef));
    wcr_pb_put_sfixed64(&b, 2, INT64_MIN);
    wcr_pb_put_double(&b, 3, -2.0);
    CHECK_HEX(&b, "09 ef cd ab 89 67 45 23 01 11 00 00 00 00 00 00 00 80"
                  " 19 00 00 00 00 00 00 00 c0");
    wcr_buf_dispose(&b);
}

TEST(bool_and_bytes)
{
    wcr_buf b = newbuf();
    wcr_pb_put_bool(&b, 1, true);
    wcr_pb_put_bool(&b, 2, false);
    wcr_pb_put_bytes(&b, 3, "\0\xff", 2);
    wcr_pb_put_string(&b, 4, NULL);
    wcr_pb_put_string_len(&b, 5, "ab\0c", 4);
    CHECK_HEX(&b, "08 01 10 00 1a 02 00 ff 22 00 2a 04 61 62 00 63");
    wcr_buf_dispose(&b);
}

TEST(highest_field_number_has_a_five_byte_tag)
{
    wcr_buf b = newbuf();
    wcr_pb_put_uint64(&b, WCR_PB_FIELD_MAX, 1);
    CHECK_HEX(&b, "f8 ff ff ff 0f 01");
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_reader_init(&r, b.data, b.len);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    CHECK(f.number == WCR_PB_FIELD_MAX);
    CHECK_INT(f.wire, WCR_PB_VARINT);
    CHECK(f.value == 1);
    wcr_buf_dispose(&b);
}

TEST(opt_writers_leave_out_proto3_defaults)
{
    wcr_buf b = newbuf();
    wcr_pb_put_int32_opt(&b, 1, 0);
    wcr_pb_put_int64_opt(&b, 1, 0);
    wcr_pb_put_uint32_opt(&b, 1, 0);
    wcr_pb_put_uint64_opt(&b, 1, 0);
    wcr_pb_put_sint32_opt(&b, 1, 0);
    wcr_pb_put_sint64_opt(&b, 1, 0);
    wcr_pb_put_bool_opt(&b, 1, false);
    wcr_pb_put_enum_opt(&b, 1, 0);
    wcr_pb_put_fixed32_opt(&b, 1, 0);
    wcr_pb_put_fixed64_opt(&b, 1, 0);
    wcr_pb_put_sfixed32_opt(&b, 1, 0);
    wcr_pb_put_sfixed64_opt(&b, 1, 0);
    wcr_pb_put_float_opt(&b, 1, 0.0f);
    wcr_pb_put_double_opt(&b, 1, 0.0);
    wcr_pb_put_bytes_opt(&b, 1, NULL, 0);
    wcr_pb_put_string_opt(&b, 1, NULL);
    wcr_pb_put_string_opt(&b, 1, "");
    wcr_pb_put_packed_uint64(&b, 1, NULL, 0);
    CHECK_INT(b.len, 0);
    CHECK(wcr_buf_check(&b, NULL) == 0);
    wcr_buf_dispose(&b);
}

TEST(opt_writers_send_everything_else)
{
    wcr_buf b = newbuf();
    wcr_pb_put_int32_opt(&b, 1, -1);
    CHECK_INT(b.len, 11);
    wcr_buf_reset(&b);
    wcr_pb_put_bool_opt(&b, 1, true);
    wcr_pb_put_string_opt(&b, 2, "x");
    wcr_pb_put_sfixed32_opt(&b, 3, -1);
    CHECK_HEX(&b, "08 01 12 01 78 1d ff ff ff ff");
    wcr_buf_reset(&b);
    /* -0.0 is not the default: protobuf compares bits. */
    wcr_pb_put_float_opt(&b, 1, -0.0f);
    wcr_pb_put_double_opt(&b, 2, -0.0);
    CHECK_HEX(&b, "0d 00 00 00 80 11 00 00 00 00 00 00 00 80");
    wcr_buf_reset(&b);
    wcr_pb_put_double_opt(&b, 1, NAN);
    CHECK_INT(b.len, 9);
    wcr_buf_reset(&b);
    wcr_pb_put_uint32_opt(&b, 1, 1);
    wcr_pb_put_uint64_opt(&b, 2, 1);
    wcr_pb_put_sint32_opt(&b, 3, -1);
    wcr_pb_put_sint64_opt(&b, 4, 1);
    wcr_pb_put_enum_opt(&b, 5, 1);
    wcr_pb_put_int64_opt(&b, 6, 1);
    wcr_pb_put_bytes_opt(&b, 7, "", 1);
    CHECK_HEX(&b, "08 01 10 01 18 01 20 02 28 01 30 01 3a 01 00");
    wcr_buf_reset(&b);
    wcr_pb_put_fixed32_opt(&b, 1, 1);
    wcr_pb_put_fixed64_opt(&b, 2, 1);
    wcr_pb_put_sfixed64_opt(&b, 3, -1);
    wcr_pb_put_float_opt(&b, 4, 1.0f);
    CHECK_HEX(&b, "0d 01 00 00 00 11 01 00 00 00 00 00 00 00 19 ff ff ff ff ff ff ff ff"
                  " 25 00 00 80 3f");
    wcr_buf_dispose(&b);
}

/* --- encoding: nesting ------------------------------------------------------------- */

TEST(nested_length_takes_as_many_bytes_as_needed)
{
    static const size_t sizes[] = { 0, 1, 127, 128, 300, 16383, 16384, 70000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        wcr_buf b = newbuf();
        wcr_pb_put_uint32(&b, 1, 5); /* something before */
        size_t m = wcr_pb_begin(&b, 2);
        for (size_t k = 0; k < n; k++)
            wcr_buf_putc(&b, (char)('a' + k % 26));
        wcr_pb_end(&b, m);
        wcr_pb_put_uint32(&b, 3, 6); /* something after */
        REQUIRE(wcr_buf_check(&b, NULL) == 0);
        size_t lenlen = wcr_pb_varint_size(n);
        CHECK_INT(b.len, 2 + 1 + lenlen + n + 2);
        /* The same bytes as writing the body at once. */
        wcr_buf want = newbuf();
        wcr_pb_put_uint32(&want, 1, 5);
        wcr_pb_put_bytes(&want, 2, b.data + 3 + lenlen, n);
        wcr_pb_put_uint32(&want, 3, 6);
        CHECK_MEM(b.data, b.len, want.data, want.len);
        for (size_t k = 0; k < n; k++)
            if (b.data[3 + lenlen + k] != (char)('a' + k % 26)) {
                CHECK(!"body moved intact");
                break;
            }
        wcr_buf_dispose(&want);
        wcr_buf_dispose(&b);
    }
}

TEST(deep_nesting_with_long_bodies)
{
    /* Three levels around a 200-byte string: every length takes 2 bytes. */
    char name[201];
    memset(name, 'n', 200);
    name[200] = '\0';
    wcr_buf b = newbuf();
    size_t m1 = wcr_pb_begin(&b, 1);
    size_t m2 = wcr_pb_begin(&b, 2);
    size_t m3 = wcr_pb_begin(&b, 3);
    wcr_pb_put_string(&b, 4, name);
    wcr_pb_end(&b, m3);
    wcr_pb_end(&b, m2);
    wcr_pb_end(&b, m1);
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    /* 4: 22 c8 01 + 200 = 203; 3: 1a cb 01 + 203 = 206; 2: 12 ce 01 ...; 1: 0a d1 01 */
    CHECK_INT(b.len, 212);
    uint8_t head[12];
    memcpy(head, b.data, sizeof head);
    CHECK_MEM(head, 12, "\x0a\xd1\x01\x12\xce\x01\x1a\xcb\x01\x22\xc8\x01", 12);

    wcr_pb_reader r, s2, s3, s4;
    wcr_pb_field f;
    const char *s;
    size_t len;
    wcr_pb_reader_init(&r, b.data, b.len);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1 && wcr_pb_get_message(&f, &s2, NULL) == 0);
    REQUIRE(wcr_pb_next(&s2, &f, NULL) == 1 && wcr_pb_get_message(&f, &s3, NULL) == 0);
    REQUIRE(wcr_pb_next(&s3, &f, NULL) == 1 && wcr_pb_get_message(&f, &s4, NULL) == 0);
    REQUIRE(wcr_pb_next(&s4, &f, NULL) == 1 && wcr_pb_get_string(&f, &s, &len, NULL) == 0);
    CHECK_MEM(s, len, name, 200);
    CHECK_INT(s4.depth, 3);
    CHECK_INT(wcr_pb_next(&r, &f, NULL), 0);
    wcr_buf_dispose(&b);
}

TEST(nesting_under_long_tags)
{
    /* Tags of 2 and 5 bytes in front of the kept length byte. */
    wcr_buf b = newbuf();
    size_t m1 = wcr_pb_begin(&b, WCR_PB_FIELD_MAX);
    size_t m2 = wcr_pb_begin(&b, 16);
    for (int i = 0; i < 130; i++)
        wcr_buf_putc(&b, 'z');
    wcr_pb_end(&b, m2);
    wcr_pb_end(&b, m1);
    wcr_pb_end_opt(&b, wcr_pb_begin(&b, 2048));
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    CHECK_INT(b.len, 5 + 2 + 2 + 2 + 130);
    uint8_t head[12];
    memcpy(head, b.data, sizeof head);
    CHECK_MEM(head, 12, "\xfa\xff\xff\xff\x0f\x86\x01\x82\x01\x82\x01z", 12);
    wcr_buf_dispose(&b);
}

TEST(end_opt_drops_empty_fields_only)
{
    wcr_buf b = newbuf();
    wcr_pb_put_uint32(&b, 1, 1);
    wcr_pb_end_opt(&b, wcr_pb_begin(&b, 2));
    CHECK_HEX(&b, "08 01");
    size_t m = wcr_pb_begin(&b, 2);
    wcr_pb_put_uint32(&b, 1, 1);
    wcr_pb_end_opt(&b, m);
    wcr_pb_end(&b, wcr_pb_begin(&b, 3)); /* an empty message is still sent */
    CHECK_HEX(&b, "08 01 12 02 08 01 1a 00");
    wcr_buf_dispose(&b);
}

TEST(encoder_failures_are_sticky_through_nesting)
{
    wcr_buf b = WCR_BUF_INIT("small message", 8);
    size_t m = wcr_pb_begin(&b, 1);
    wcr_pb_put_string(&b, 1, "far too long for eight bytes");
    size_t m2 = wcr_pb_begin(&b, 2);
    wcr_pb_end(&b, m2);
    wcr_pb_end(&b, m);
    wcr_pb_end_opt(&b, m);
    wcr_err err = WCR_ERR_INIT;
    CHECK_ERR(wcr_buf_check(&b, &err), &err, WCR_E_LIMIT, "small message");

    /* A length that outgrows the limit only when it is written. */
    wcr_buf c = WCR_BUF_INIT("tight", 130);
    m = wcr_pb_begin(&c, 1);
    for (int i = 0; i < 128; i++)
        wcr_buf_putc(&c, 'x');
    CHECK(wcr_buf_check(&c, NULL) == 0);
    wcr_pb_end(&c, m);
    CHECK_ERR(wcr_buf_check(&c, &err), &err, WCR_E_LIMIT, "tight");
    wcr_buf_dispose(&b);
    wcr_buf_dispose(&c);
}

TEST(packed_writers)
{
    wcr_buf b = newbuf();
    wcr_pb_put_packed_uint32(&b, 1, (const uint32_t[]){ 1, 128 }, 2);
    wcr_pb_put_packed_sint32(&b, 2, (const int32_t[]){ -1, 1 }, 2);
    wcr_pb_put_packed_bool(&b, 3, (const bool[]){ true, false }, 2);
    wcr_pb_put_packed_fixed32(&b, 4, (const uint32_t[]){ 1 }, 1);
    wcr_pb_put_packed_sfixed64(&b, 5, (const int64_t[]){ -1 }, 1);
    wcr_pb_put_packed_float(&b, 6, (const float[]){ 1.5f }, 1);
    CHECK_HEX(&b, "0a 03 01 80 01 12 02 01 02 1a 02 01 00 22 04 01 00 00 00"
                  " 2a 08 ff ff ff ff ff ff ff ff 32 04 00 00 c0 3f");
    wcr_buf_reset(&b);
    wcr_pb_put_packed_int64(&b, 1, (const int64_t[]){ -1 }, 1);
    wcr_pb_put_packed_uint64(&b, 2, (const uint64_t[]){ 300 }, 1);
    wcr_pb_put_packed_sint64(&b, 3, (const int64_t[]){ -2 }, 1);
    wcr_pb_put_packed_fixed64(&b, 4, (const uint64_t[]){ 2 }, 1);
    wcr_pb_put_packed_sfixed32(&b, 5, (const int32_t[]){ -2 }, 1);
    wcr_pb_put_packed_double(&b, 6, (const double[]){ -2.0 }, 1);
    CHECK_HEX(&b, "0a 0a ff ff ff ff ff ff ff ff ff 01 12 02 ac 02 1a 01 03"
                  " 22 08 02 00 00 00 00 00 00 00 2a 04 fe ff ff ff"
                  " 32 08 00 00 00 00 00 00 00 c0");
    wcr_buf_dispose(&b);
}

TEST(map_string_entry_writes_key_and_value)
{
    wcr_buf b = newbuf();
    wcr_pb_put_map_string(&b, 5, "a", "b");
    wcr_pb_put_map_string(&b, 5, "k", "");
    CHECK_HEX(&b, "2a 06 0a 01 61 12 01 62 2a 05 0a 01 6b 12 00");
    wcr_buf_dispose(&b);
}

/* --- decoding ------------------------------------------------------------------------ */

TEST(every_scalar_round_trips)
{
    wcr_buf b = newbuf();
    wcr_pb_put_int32(&b, 1, INT32_MIN);
    wcr_pb_put_int64(&b, 2, INT64_MIN);
    wcr_pb_put_uint32(&b, 3, UINT32_MAX);
    wcr_pb_put_uint64(&b, 4, UINT64_MAX);
    wcr_pb_put_sint32(&b, 5, INT32_MIN);
    wcr_pb_put_sint64(&b, 6, INT64_MAX);
    wcr_pb_put_bool(&b, 7, true);
    wcr_pb_put_enum(&b, 8, -3);
    wcr_pb_put_fixed32(&b, 9, UINT32_MAX);
    wcr_pb_put_fixed64(&b, 10, UINT64_MAX);
    wcr_pb_put_sfixed32(&b, 11, INT32_MIN);
    wcr_pb_put_sfixed64(&b, 12, INT64_MIN);
    wcr_pb_put_float(&b, 13, -1.25f);
    wcr_pb_put_double(&b, 14, 1e300);
    wcr_pb_put_bytes(&b, 15, "\0\1", 2);
    wcr_pb_put_string(&b, 16, "h\xc3\xa9");
    wcr_pb_put_int64(&b, 17, -1);
    REQUIRE(wcr_buf_check(&b, NULL) == 0);

    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    int32_t i32 = 0;
    int64_t i64 = 0;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    bool bo = false;
    float fl = 0;
    double db = 0;
    const uint8_t *data;
    const char *s;
    size_t len;
    wcr_pb_reader_init(&r, b.data, b.len);
#define NEXT(n) REQUIRE(wcr_pb_next(&r, &f, &err) == 1 && f.number == (n))
    NEXT(1); CHECK(wcr_pb_get_int32(&f, &i32, &err) == 0 && i32 == INT32_MIN);
    NEXT(2); CHECK(wcr_pb_get_int64(&f, &i64, &err) == 0 && i64 == INT64_MIN);
    NEXT(3); CHECK(wcr_pb_get_uint32(&f, &u32, &err) == 0 && u32 == UINT32_MAX);
    NEXT(4); CHECK(wcr_pb_get_uint64(&f, &u64, &err) == 0 && u64 == UINT64_MAX);
    NEXT(5); CHECK(wcr_pb_get_sint32(&f, &i32, &err) == 0 && i32 == INT32_MIN);
    NEXT(6); CHECK(wcr_pb_get_sint64(&f, &i64, &err) == 0 && i64 == INT64_MAX);
    NEXT(7); CHECK(wcr_pb_get_bool(&f, &bo, &err) == 0 && bo);
    NEXT(8); CHECK(wcr_pb_get_enum(&f, &i32, &err) == 0 && i32 == -3);
    NEXT(9); CHECK(wcr_pb_get_fixed32(&f, &u32, &err) == 0 && u32 == UINT32_MAX);
    NEXT(10); CHECK(wcr_pb_get_fixed64(&f, &u64, &err) == 0 && u64 == UINT64_MAX);
    NEXT(11); CHECK(wcr_pb_get_sfixed32(&f, &i32, &err) == 0 && i32 == INT32_MIN);
    NEXT(12); CHECK(wcr_pb_get_sfixed64(&f, &i64, &err) == 0 && i64 == INT64_MIN);
    NEXT(13); CHECK(wcr_pb_get_float(&f, &fl, &err) == 0 && fl == -1.25f);
    NEXT(14); CHECK(wcr_pb_get_double(&f, &db, &err) == 0 && db == 1e300);
    NEXT(15); CHECK(wcr_pb_get_bytes(&f, &data, &len, &err) == 0);
    CHECK_MEM(data, len, "\0\1", 2);
    NEXT(16); CHECK(wcr_pb_get_string(&f, &s, &len, &err) == 0);
    CHECK_MEM(s, len, "h\xc3\xa9", 3);
    NEXT(17); CHECK(wcr_pb_get_int64(&f, &i64, &err) == 0 && i64 == -1);
#undef NEXT
    CHECK_INT(wcr_pb_next(&r, &f, &err), 0);
    CHECK_INT(wcr_pb_next(&r, &f, &err), 0);
    CHECK(err.code == WCR_E_OK);
    wcr_buf_dispose(&b);
}

TEST(narrow_types_keep_the_low_bits_as_protobuf_does)
{
    uint8_t store[32];
    wcr_pb_field f;
    int32_t i32;
    uint32_t u32;
    bool bo;
    /* 2^32 + 5 read as int32/uint32 is 5; a 10-byte -1 read as int32 is -1. */
    REQUIRE(first_field("08 85 80 80 80 10", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_int32(&f, &i32, NULL) == 0 && i32 == 5);
    CHECK(wcr_pb_get_uint32(&f, &u32, NULL) == 0 && u32 == 5);
    CHECK(wcr_pb_get_bool(&f, &bo, NULL) == 0 && bo);
    REQUIRE(first_field("08 ff ff ff ff ff ff ff ff ff 01", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_int32(&f, &i32, NULL) == 0 && i32 == -1);
    CHECK(wcr_pb_get_uint32(&f, &u32, NULL) == 0 && u32 == UINT32_MAX);
    /* A negative int32 written in 5 bytes (some old encoders) is read too. */
    REQUIRE(first_field("08 ff ff ff ff 0f", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_int32(&f, &i32, NULL) == 0 && i32 == -1);
    REQUIRE(first_field("08 02", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_bool(&f, &bo, NULL) == 0 && bo);
}

TEST(non_minimal_varints_are_accepted)
{
    uint8_t store[32];
    wcr_pb_field f;
    uint64_t v;
    REQUIRE(first_field("08 96 81 80 00", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_uint64(&f, &v, NULL) == 0 && v == 150);
    /* A padded tag and length, too. */
    REQUIRE(first_field("8a 80 00 82 00 61 62", store, sizeof store, &f, NULL) == 1);
    CHECK(f.number == 1 && f.wire == WCR_PB_LEN && f.len == 2);
}

TEST(empty_input_has_no_fields)
{
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_reader_init(&r, NULL, 0);
    CHECK_INT(wcr_pb_next(&r, &f, NULL), 0);
    CHECK_INT(wcr_pb_skip_all(&r, NULL), 0);
}

TEST(unknown_fields_are_skipped_by_ignoring_them)
{
    /* 1: varint, 99: fixed64, 100: bytes, 101: group with a nested field,
     * 102: fixed32, then the known field 2. */
    uint8_t data[64];
    size_t n = unhex("08 01 99 06 01 02 03 04 05 06 07 08 a2 06 02 aa bb"
                     " ab 06 08 05 ac 06 b5 06 01 02 03 04 10 2a", data, sizeof data);
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_reader_init(&r, data, n);
    int32_t seen = 0, count = 0;
    int rc;
    while ((rc = wcr_pb_next(&r, &f, NULL)) > 0) {
        count++;
        if (f.number == 2)
            CHECK(wcr_pb_get_int32(&f, &seen, NULL) == 0);
    }
    CHECK_INT(rc, 0);
    CHECK_INT(count, 6);
    CHECK_INT(seen, 42);
}

/* --- decoding: malformed input ------------------------------------------------------- */

TEST(truncated_varints_are_errors)
{
    CHECK_BAD("80", WCR_E_PARSE, "tag: truncated varint at byte 0");
    CHECK_BAD("08 01 08", WCR_E_PARSE, "field 1: truncated varint at byte 3");
    CHECK_BAD("08 96", WCR_E_PARSE, "field 1: truncated varint at byte 1");
    CHECK_BAD("0a", WCR_E_PARSE, "field 1: truncated varint at byte 1");
    CHECK_BAD("0a 80", WCR_E_PARSE, "field 1: truncated varint at byte 1");
}

TEST(varints_longer_than_ten_bytes_are_errors)
{
    CHECK_BAD("08 ff ff ff ff ff ff ff ff ff 81 01", WCR_E_PARSE,
              "field 1: varint longer than 10 bytes at byte 1");
    CHECK_BAD("08 80 80 80 80 80 80 80 80 80 80 00", WCR_E_PARSE, "longer than 10 bytes");
    CHECK_BAD("ff ff ff ff ff ff ff ff ff ff 01", WCR_E_PARSE,
              "tag: varint longer than 10 bytes at byte 0");
    /* The 10th byte may carry only bit 63. */
    CHECK_BAD("08 ff ff ff ff ff ff ff ff ff 02", WCR_E_PARSE,
              "field 1: varint overflows 64 bits at byte 1");
    CHECK_BAD("08 80 80 80 80 80 80 80 80 80 7f", WCR_E_PARSE, "overflows 64 bits");
}

TEST(lengths_past_the_end_are_errors)
{
    CHECK_BAD("0a 05 61 62", WCR_E_PARSE,
              "field 1: length 5 runs past the end at byte 2 (2 bytes left)");
    CHECK_BAD("12 ff ff ff ff ff ff ff ff ff 01 00", WCR_E_PARSE,
              "field 2: length 18446744073709551615 runs past the end");
    CHECK_BAD("12 80 80 80 80 10", WCR_E_PARSE, "field 2: length 4294967296 runs past");
    /* Nested: the length is checked against the message holding it. */
    uint8_t data[16];
    size_t n = unhex("0a 03 12 05 61 62 63", data, sizeof data);
    wcr_pb_reader r, sub;
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_reader_init(&r, data, n);
    REQUIRE(wcr_pb_next(&r, &f, &err) == 1 && wcr_pb_get_message(&f, &sub, &err) == 0);
    CHECK_ERR(wcr_pb_next(&sub, &f, &err), &err, WCR_E_PARSE,
              "field 2: length 5 runs past the end at byte 4 (1 bytes left)");
}

TEST(field_numbers_out_of_range_are_errors)
{
    CHECK_BAD("00 00", WCR_E_PARSE, "field number 0 out of range 1..536870911 at byte 0");
    CHECK_BAD("08 01 02 00", WCR_E_PARSE, "field number 0 out of range");
    CHECK_BAD("07", WCR_E_PARSE, "field number 0");
    /* 2^29 << 3 = 2^32. */
    CHECK_BAD("80 80 80 80 10 00", WCR_E_PARSE, "field number 536870912 out of range");
    CHECK_BAD("f8 ff ff ff ff ff ff ff ff 01 00", WCR_E_PARSE, "out of range");
    CHECK_BAD("f8 ff ff ff 0f", WCR_E_PARSE, "field 536870911: truncated varint at byte 5");
}

TEST(wire_types_6_and_7_are_errors)
{
    CHECK_BAD("0e 00", WCR_E_PARSE, "field 1: invalid wire type 6 at byte 0");
    CHECK_BAD("08 00 17", WCR_E_PARSE, "field 2: invalid wire type 7 at byte 2");
    CHECK_BAD("0b 0f 0c", WCR_E_PARSE, "field 1: invalid wire type 7 at byte 1");
}

TEST(truncated_fixed_values_are_errors)
{
    CHECK_BAD("0d 01 02 03", WCR_E_PARSE, "field 1: truncated fixed32 at byte 1");
    CHECK_BAD("09 01 02 03 04 05 06 07", WCR_E_PARSE, "field 1: truncated fixed64 at byte 1");
    CHECK_BAD("0d", WCR_E_PARSE, "truncated fixed32");
}

/* --- groups ---------------------------------------------------------------------------- */

TEST(groups_are_skipped_whole)
{
    /* group 1 { 2: 1, group 3 { 4: "ab" } } then 5: 7 */
    uint8_t data[32];
    size_t n = unhex("0b 10 01 1b 22 02 61 62 1c 0c 28 07", data, sizeof data);
    wcr_pb_reader r;
    wcr_pb_field f;
    uint32_t v;
    wcr_pb_reader_init(&r, data, n);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    CHECK(f.number == 1 && f.wire == WCR_PB_SGROUP);
    CHECK(f.data == data + 1 && f.len == 8);
    wcr_err err = WCR_ERR_INIT;
    CHECK_ERR(wcr_pb_get_uint32(&f, &v, &err), &err, WCR_E_PARSE,
              "field 1: expected varint for uint32, found start-group");
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    CHECK(f.number == 5 && wcr_pb_get_uint32(&f, &v, NULL) == 0 && v == 7);
    CHECK_INT(wcr_pb_next(&r, &f, NULL), 0);
    /* An empty group. */
    n = unhex("0b 0c", data, sizeof data);
    wcr_pb_reader_init(&r, data, n);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    CHECK(f.wire == WCR_PB_SGROUP && f.len == 0);
}

TEST(broken_groups_are_errors)
{
    CHECK_BAD("0c", WCR_E_PARSE, "field 1: end-group without a start-group at byte 0");
    CHECK_BAD("08 01 14", WCR_E_PARSE, "field 2: end-group without a start-group at byte 2");
    CHECK_BAD("0b 14", WCR_E_PARSE, "field 2: end-group inside group 1 at byte 1");
    CHECK_BAD("0b 1b 0c 1c", WCR_E_PARSE, "field 1: end-group inside group 3 at byte 2");
    CHECK_BAD("0b 10 01", WCR_E_PARSE, "field 1: group not closed at byte 3");
    CHECK_BAD("0b 1b 1c", WCR_E_PARSE, "field 1: group not closed");
    CHECK_BAD("0b 12 05 61", WCR_E_PARSE, "field 2: length 5 runs past the end");
}

static void check_nested_groups(size_t depth, int want_rc)
{
    uint8_t *data = malloc(2 * depth);
    REQUIRE(data);
    for (size_t i = 0; i < depth; i++) {
        data[i] = 0x0b;             /* start group 1 */
        data[2 * depth - 1 - i] = 0x0c; /* end group 1 */
    }
    wcr_pb_reader r;
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_reader_init(&r, data, 2 * depth);
    int rc = wcr_pb_skip_all(&r, &err);
    CHECK_INT(rc, want_rc);
    if (want_rc < 0)
        CHECK_ERR(rc, &err, WCR_E_LIMIT, "nested deeper than 100 levels");
    wcr_err_dispose(&err);
    free(data);
}

TEST(group_nesting_is_limited)
{
    /* A group in a message that is already at the depth limit. */
    uint8_t data[2] = { 0x0b, 0x0c };
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_reader_init(&r, data, 2);
    r.depth = WCR_PB_MAX_DEPTH;
    CHECK_ERR(wcr_pb_next(&r, &f, &err), &err, WCR_E_LIMIT, "nested deeper");

    check_nested_groups(WCR_PB_MAX_DEPTH, 0);
    check_nested_groups(WCR_PB_MAX_DEPTH + 1, -1);
    check_nested_groups(100000, -1);
}

/* --- accessors check the wire type ------------------------------------------------------- */

TEST(wire_type_mismatch_names_the_field)
{
    uint8_t store[32];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    const char *s;
    size_t len;
    int32_t i32;
    float fl;
    double db;
    wcr_pb_reader sub;
    REQUIRE(first_field("38 01", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_string(&f, &s, &len, &err), &err, WCR_E_PARSE,
              "protobuf: field 7: expected length-delimited for string, found varint");
    CHECK_ERR(wcr_pb_get_message(&f, &sub, &err), &err, WCR_E_PARSE, "field 7");
    CHECK_ERR(wcr_pb_get_float(&f, &fl, &err), &err, WCR_E_PARSE,
              "field 7: expected fixed32 for float, found varint");
    REQUIRE(first_field("3a 01 61", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_int32(&f, &i32, &err), &err, WCR_E_PARSE,
              "field 7: expected varint for int32, found length-delimited");
    REQUIRE(first_field("3d 00 00 00 00", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_double(&f, &db, &err), &err, WCR_E_PARSE,
              "field 7: expected fixed64 for double, found fixed32");
    /* Failed accessors leave the output alone. */
    i32 = 99;
    CHECK(wcr_pb_get_sint32(&f, &i32, NULL) == -1 && i32 == 99);
}

/* --- strings ------------------------------------------------------------------------------ */

TEST(strings_must_be_utf8)
{
    uint8_t store[32];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    const char *s = "untouched";
    size_t len = 0;
    const uint8_t *data;
    REQUIRE(first_field("12 04 61 c3 28 62", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_string(&f, &s, &len, &err), &err, WCR_E_PARSE,
              "field 2: string is not valid UTF-8 at byte 3");
    CHECK_STR(s, "untouched");
    CHECK(wcr_pb_get_bytes(&f, &data, &len, NULL) == 0 && len == 4);
    /* Overlong, surrogate, above U+10FFFF, truncated. */
    static const char *const bad[] = { "12 02 c0 80", "12 03 ed a0 80", "12 04 f4 90 80 80",
                                       "12 02 e2 82" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        REQUIRE(first_field(bad[i], store, sizeof store, &f, NULL) == 1);
        CHECK_ERR(wcr_pb_get_string(&f, &s, &len, &err), &err, WCR_E_PARSE, "UTF-8");
    }
    REQUIRE(first_field("12 06 f0 9f 90 b3 c3 a9", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_string(&f, &s, &len, NULL) == 0 && len == 6);
}

TEST(string_dup_gives_c_strings_and_refuses_nul)
{
    uint8_t store[32];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    const char *s;
    size_t len;
    char *out = NULL;
    REQUIRE(first_field("0a 03 61 00 62", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_string(&f, &s, &len, NULL) == 0 && len == 3); /* U+0000 is UTF-8 */
    CHECK_ERR(wcr_pb_get_string_dup(&f, &out, &err), &err, WCR_E_PARSE,
              "field 1: string contains a NUL byte");
    CHECK(out == NULL);
    REQUIRE(first_field("0a 02 68 69", store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_string_dup(&f, &out, NULL) == 0);
    CHECK_STR(out, "hi");
    /* A repeated field replaces the earlier value (last one wins). */
    REQUIRE(first_field("0a 00", store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_string_dup(&f, &out, NULL) == 0);
    CHECK_STR(out, "");
    /* Failure keeps the old value. */
    REQUIRE(first_field("0a 01 ff", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_string_dup(&f, &out, NULL) == -1);
    CHECK_STR(out, "");
    free(out);
}

/* --- nested messages ----------------------------------------------------------------------- */

/* depth levels of field 1 holding the next, innermost empty. */
static wcr_buf nest(size_t depth)
{
    wcr_buf b = newbuf();
    size_t *marks = malloc(depth * sizeof *marks);
    for (size_t i = 0; marks && i < depth; i++)
        marks[i] = wcr_pb_begin(&b, 1);
    for (size_t i = depth; marks && i-- > 0;)
        wcr_pb_end(&b, marks[i]);
    free(marks);
    return b;
}

static int walk_depth(wcr_pb_reader *r, size_t *deepest, wcr_err *err)
{
    wcr_pb_field f;
    wcr_pb_reader sub;
    int rc;
    if (r->depth > *deepest)
        *deepest = r->depth;
    while ((rc = wcr_pb_next(r, &f, err)) > 0)
        if (wcr_pb_get_message(&f, &sub, err) < 0 || walk_depth(&sub, deepest, err) < 0)
            return -1;
    return rc;
}

TEST(message_nesting_is_limited)
{
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_reader r;
    size_t deepest = 0;
    wcr_buf ok = nest(WCR_PB_MAX_DEPTH);
    REQUIRE(wcr_buf_check(&ok, NULL) == 0);
    wcr_pb_reader_init(&r, ok.data, ok.len);
    CHECK_INT(walk_depth(&r, &deepest, &err), 0);
    CHECK_INT(deepest, WCR_PB_MAX_DEPTH);
    wcr_buf deep = nest(WCR_PB_MAX_DEPTH + 1);
    wcr_pb_reader_init(&r, deep.data, deep.len);
    CHECK_ERR(walk_depth(&r, &deepest, &err), &err, WCR_E_LIMIT,
              "field 1: nested deeper than 100 levels");
    wcr_buf_dispose(&ok);
    wcr_buf_dispose(&deep);
}

TEST(errors_in_nested_messages_give_the_absolute_offset)
{
    uint8_t data[16];
    size_t n = unhex("08 01 12 04 1a 02 0e 00", data, sizeof data);
    wcr_pb_reader r, s1, s2;
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_reader_init(&r, data, n);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1 && wcr_pb_get_message(&f, &s1, NULL) == 0);
    REQUIRE(wcr_pb_next(&s1, &f, NULL) == 1 && wcr_pb_get_message(&f, &s2, NULL) == 0);
    CHECK_ERR(wcr_pb_next(&s2, &f, &err), &err, WCR_E_PARSE,
              "field 1: invalid wire type 6 at byte 6");
}

/* --- repeated scalars ----------------------------------------------------------------------- */

/* Every element of field 4, whichever way it came. */
static size_t collect_uint32(const uint8_t *data, size_t n, wcr_pb_wire elem, uint32_t *out,
                             size_t cap, wcr_err *err)
{
    wcr_pb_reader r;
    wcr_pb_field f, e;
    wcr_pb_packed it;
    size_t count = 0;
    int rc, rc2;
    wcr_pb_reader_init(&r, data, n);
    while ((rc = wcr_pb_next(&r, &f, err)) > 0) {
        if (f.number != 4)
            continue;
        if (wcr_pb_packed_init(&it, &f, elem, err) < 0)
            return SIZE_MAX;
        while ((rc2 = wcr_pb_packed_next(&it, &e, err)) > 0 && count < cap) {
            int ok = elem == WCR_PB_I32 ? wcr_pb_get_fixed32(&e, &out[count], err)
                                        : wcr_pb_get_uint32(&e, &out[count], err);
            if (ok < 0)
                return SIZE_MAX;
            count++;
        }
        if (rc2 < 0)
            return SIZE_MAX;
    }
    return rc < 0 ? SIZE_MAX : count;
}

TEST(repeated_scalars_are_read_packed_unpacked_or_mixed)
{
    uint8_t data[64];
    uint32_t v[8];
    size_t n;
    /* docs: packed 3, 270, 86942 */
    n = unhex("22 06 03 8e 02 9e a7 05", data, sizeof data);
    REQUIRE(collect_uint32(data, n, WCR_PB_VARINT, v, 8, NULL) == 3);
    CHECK(v[0] == 3 && v[1] == 270 && v[2] == 86942);
    n = unhex("20 03 08 09 20 8e 02", data, sizeof data);
    REQUIRE(collect_uint32(data, n, WCR_PB_VARINT, v, 8, NULL) == 2);
    CHECK(v[0] == 3 && v[1] == 270);
    n = unhex("20 01 22 02 02 03 20 04 22 00", data, sizeof data);
    REQUIRE(collect_uint32(data, n, WCR_PB_VARINT, v, 8, NULL) == 4);
    CHECK(v[0] == 1 && v[1] == 2 && v[2] == 3 && v[3] == 4);
    n = unhex("22 08 01 00 00 00 02 00 00 00 25 03 00 00 00", data, sizeof data);
    REQUIRE(collect_uint32(data, n, WCR_PB_I32, v, 8, NULL) == 3);
    CHECK(v[0] == 1 && v[1] == 2 && v[2] == 3);
}

TEST(broken_packed_fields_are_errors)
{
    uint8_t data[64];
    uint32_t v[8];
    size_t n;
    wcr_err err = WCR_ERR_INIT;
    n = unhex("22 02 01 80", data, sizeof data);
    CHECK(collect_uint32(data, n, WCR_PB_VARINT, v, 8, &err) == SIZE_MAX);
    CHECK_ERR(-1, &err, WCR_E_PARSE, "field 4: truncated varint at byte 3");
    n = unhex("22 05 01 00 00 00 02", data, sizeof data);
    CHECK(collect_uint32(data, n, WCR_PB_I32, v, 8, &err) == SIZE_MAX);
    CHECK_ERR(-1, &err, WCR_E_PARSE, "field 4: truncated fixed32 at byte 6");
    n = unhex("21 00 00 00 00 00 00 00 00", data, sizeof data);
    CHECK(collect_uint32(data, n, WCR_PB_VARINT, v, 8, &err) == SIZE_MAX);
    CHECK_ERR(-1, &err, WCR_E_PARSE,
              "field 4: expected varint or length-delimited (packed) for a repeated field, "
              "found fixed64");
    n = unhex("22 00", data, sizeof data);
    CHECK(collect_uint32(data, n, WCR_PB_LEN, v, 8, &err) == SIZE_MAX);
    CHECK_ERR(-1, &err, WCR_E_INVALID, "packed fields hold");
}

/* --- maps ------------------------------------------------------------------------------------ */

TEST(map_string_entries)
{
    uint8_t store[64];
    wcr_pb_field f;
    const char *k, *v;
    size_t kl, vl;
    REQUIRE(first_field("2a 06 0a 01 61 12 01 62", store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, NULL) == 0);
    CHECK_MEM(k, kl, "a", 1);
    CHECK_MEM(v, vl, "b", 1);
    /* Missing key and value read as "", value before key, unknown fields,
     * a repeated key (last wins). */
    REQUIRE(first_field("2a 00", store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, NULL) == 0);
    CHECK(k != NULL && kl == 0 && v != NULL && vl == 0);
    REQUIRE(first_field("2a 10 12 01 76 18 07 0a 01 61 0a 01 62 25 00 00 00 00",
                        store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, NULL) == 0);
    CHECK_MEM(k, kl, "b", 1);
    CHECK_MEM(v, vl, "v", 1);
}

TEST(bad_map_entries_are_errors)
{
    uint8_t store[64];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    const char *k = "k0", *v = "v0";
    size_t kl = 0, vl = 0;
    char *dk = NULL, *dv = NULL;
    REQUIRE(first_field("2a 02 08 01", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, &err), &err, WCR_E_PARSE,
              "field 1: expected length-delimited for a map key, found varint");
    REQUIRE(first_field("2a 03 12 01 ff", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, &err), &err, WCR_E_PARSE, "UTF-8");
    CHECK_STR(k, "k0");
    REQUIRE(first_field("2a 02 0a 05", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, &err), &err, WCR_E_PARSE,
              "runs past the end");
    REQUIRE(first_field("28 01", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_map_string(&f, &k, &kl, &v, &vl, &err), &err, WCR_E_PARSE,
              "field 5: expected length-delimited");
    /* dup: both or neither. */
    REQUIRE(first_field("2a 06 0a 01 61 12 01 00", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_map_string_dup(&f, &dk, &dv, &err), &err, WCR_E_PARSE, "NUL");
    CHECK(dk == NULL && dv == NULL);
    CHECK_INT(vl, 0);
}

TEST(map_string_dup_replaces_both)
{
    uint8_t store[64];
    wcr_pb_field f;
    char *k = NULL, *v = NULL;
    REQUIRE(first_field("2a 06 0a 01 61 12 01 62", store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_string_dup(&f, &k, &v, NULL) == 0);
    CHECK_STR(k, "a");
    CHECK_STR(v, "b");
    REQUIRE(first_field("2a 03 0a 01 63", store, sizeof store, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_string_dup(&f, &k, &v, NULL) == 0);
    CHECK_STR(k, "c");
    CHECK_STR(v, "");
    free(k);
    free(v);
}

TEST(map_entries_of_other_types)
{
    /* map<int32, Inner>: 5 -> { 1: "x" } and an entry with neither. */
    wcr_buf b = newbuf();
    size_t m = wcr_pb_begin(&b, 3);
    wcr_pb_put_int32(&b, 1, 5);
    size_t v = wcr_pb_begin(&b, 2);
    wcr_pb_put_string(&b, 1, "x");
    wcr_pb_end(&b, v);
    wcr_pb_end(&b, m);
    wcr_pb_end(&b, wcr_pb_begin(&b, 3));
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    wcr_pb_reader r, sub;
    wcr_pb_field f, key, value, g;
    int32_t k;
    const char *s;
    size_t len;
    wcr_pb_reader_init(&r, b.data, b.len);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_entry(&f, WCR_PB_VARINT, WCR_PB_LEN, &key, &value, NULL) == 0);
    CHECK(wcr_pb_get_int32(&key, &k, NULL) == 0 && k == 5);
    REQUIRE(wcr_pb_get_message(&value, &sub, NULL) == 0);
    REQUIRE(wcr_pb_next(&sub, &g, NULL) == 1 && wcr_pb_get_string(&g, &s, &len, NULL) == 0);
    CHECK_MEM(s, len, "x", 1);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_map_entry(&f, WCR_PB_VARINT, WCR_PB_LEN, &key, &value, NULL) == 0);
    CHECK(wcr_pb_get_int32(&key, &k, NULL) == 0 && k == 0);
    REQUIRE(wcr_pb_get_message(&value, &sub, NULL) == 0);
    CHECK_INT(wcr_pb_next(&sub, &g, NULL), 0);
    wcr_buf_dispose(&b);
}

/* --- well-known types -------------------------------------------------------------------------- */

TEST(any_round_trips)
{
    static const char url[] = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
    wcr_buf b = newbuf();
    wcr_pb_put_any(&b, 3, url, "{\"ociVersion\":\"1.1.0\"}", 22);
    wcr_pb_put_any(&b, 4, NULL, NULL, 0);
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_any any;
    wcr_pb_reader_init(&r, b.data, b.len);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1 && wcr_pb_get_any(&f, &any, NULL) == 0);
    CHECK(wcr_pb_any_is(&any, url));
    CHECK(!wcr_pb_any_is(&any, "types.containerd.io/opencontainers/runtime-spec/1/Spe"));
    CHECK_MEM(any.value, any.value_len, "{\"ociVersion\":\"1.1.0\"}", 22);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1 && wcr_pb_get_any(&f, &any, NULL) == 0);
    CHECK(any.type_url_len == 0 && any.value_len == 0 && any.type_url && any.value);
    CHECK(wcr_pb_any_is(&any, ""));
    CHECK_HEX(&b, "1a 50 0a 36 74 79 70 65 73 2e 63 6f 6e 74 61 69 6e 65 72 64 2e 69 6f 2f"
                  " 6f 70 65 6e 63 6f 6e 74 61 69 6e 65 72 73 2f 72 75 6e 74 69 6d 65 2d 73"
                  " 70 65 63 2f 31 2f 53 70 65 63 12 16 7b 22 6f 63 69 56 65 72 73 69 6f 6e"
                  " 22 3a 22 31 2e 31 2e 30 22 7d 22 00");
    wcr_buf_dispose(&b);
}

TEST(any_with_wrong_types_is_an_error)
{
    uint8_t store[32];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    wcr_pb_any any = { "keep", 4, NULL, 0 };
    REQUIRE(first_field("0a 02 08 01", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_any(&f, &any, &err), &err, WCR_E_PARSE,
              "field 1: expected length-delimited for string, found varint");
    REQUIRE(first_field("0a 02 10 01", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_any(&f, &any, &err), &err, WCR_E_PARSE, "field 2: expected");
    CHECK(any.type_url_len == 4);
}

TEST(timestamp_round_trips_and_leaves_out_zeros)
{
    wcr_buf b = newbuf();
    wcr_pb_timestamp t1 = { 1700000000, 123456789 }, t0 = { 0, 0 };
    wcr_pb_timestamp tmin = { WCR_PB_TIMESTAMP_MIN_SECONDS, 0 };
    wcr_pb_timestamp tmax = { WCR_PB_TIMESTAMP_MAX_SECONDS, 999999999 };
    wcr_pb_put_timestamp(&b, 1, &t1);
    wcr_pb_put_timestamp(&b, 2, &t0);
    wcr_pb_put_timestamp(&b, 3, &tmin);
    wcr_pb_put_timestamp(&b, 4, &tmax);
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    CHECK(memcmp(b.data, "\x0a\x0b\x08\x80\xe2\xcf\xaa\x06\x10\x95\x9a\xef\x3a\x12\x00", 15) == 0);
    wcr_pb_reader r;
    wcr_pb_field f;
    wcr_pb_timestamp got;
    const wcr_pb_timestamp *want[] = { &t1, &t0, &tmin, &tmax };
    wcr_pb_reader_init(&r, b.data, b.len);
    for (size_t i = 0; i < 4; i++) {
        REQUIRE(wcr_pb_next(&r, &f, NULL) == 1 && wcr_pb_get_timestamp(&f, &got, NULL) == 0);
        CHECK(got.seconds == want[i]->seconds && got.nanos == want[i]->nanos);
    }
    wcr_buf_dispose(&b);
}

TEST(timestamps_out_of_range_are_errors)
{
    const wcr_pb_timestamp bad[] = {
        { 0, -1 }, { 0, 1000000000 }, { 0, INT32_MIN },
        { WCR_PB_TIMESTAMP_MIN_SECONDS - 1, 0 }, { WCR_PB_TIMESTAMP_MAX_SECONDS + 1, 0 },
        { INT64_MIN, 0 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(!wcr_pb_timestamp_valid(&bad[i]));
        wcr_buf b = newbuf();
        wcr_pb_put_timestamp(&b, 1, &bad[i]); /* writing does not check */
        wcr_pb_reader r;
        wcr_pb_field f;
        wcr_pb_timestamp got = { 7, 7 };
        wcr_err err = WCR_ERR_INIT;
        wcr_pb_reader_init(&r, b.data, b.len);
        REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
        CHECK_ERR(wcr_pb_get_timestamp(&f, &got, &err), &err, WCR_E_PARSE,
                  "protobuf: timestamp");
        CHECK(got.seconds == 7 && got.nanos == 7);
        wcr_buf_dispose(&b);
    }
    /* nanos as a 10-byte negative varint, and a wrong wire type */
    uint8_t store[32];
    wcr_pb_field f;
    wcr_pb_timestamp got;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(first_field("0a 0b 10 ff ff ff ff ff ff ff ff ff 01", store, sizeof store, &f,
                        NULL) == 1);
    CHECK_ERR(wcr_pb_get_timestamp(&f, &got, &err), &err, WCR_E_PARSE, "-1 ns");
    REQUIRE(first_field("0a 02 0a 00", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_timestamp(&f, &got, &err), &err, WCR_E_PARSE,
              "field 1: expected varint for int64");
}

TEST(empty_is_a_field_with_no_body)
{
    wcr_buf b = newbuf();
    wcr_pb_put_empty(&b, 7);
    CHECK_HEX(&b, "3a 00");
    wcr_buf_dispose(&b);
    uint8_t store[32];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(first_field("3a 00", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_empty(&f, NULL) == 0);
    REQUIRE(first_field("3a 02 08 01", store, sizeof store, &f, NULL) == 1);
    CHECK(wcr_pb_get_empty(&f, NULL) == 0); /* unknown fields: skipped */
    REQUIRE(first_field("3a 01 08", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_empty(&f, &err), &err, WCR_E_PARSE, "truncated varint");
    REQUIRE(first_field("38 00", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_empty(&f, &err), &err, WCR_E_PARSE, "field 7");
}

TEST(field_mask_round_trips)
{
    const char *paths[] = { "labels", "spec", "labels.\"a.b\"" };
    wcr_buf b = newbuf();
    wcr_pb_put_field_mask(&b, 2, paths, 3);
    wcr_pb_put_field_mask(&b, 3, NULL, 0);
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    wcr_pb_reader r;
    wcr_pb_field f;
    char **got = NULL;
    size_t n = 99;
    wcr_pb_reader_init(&r, b.data, b.len);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_field_mask(&f, &got, &n, NULL) == 0);
    REQUIRE(n == 3);
    for (size_t i = 0; i < 3; i++)
        CHECK_STR(got[i], paths[i]);
    CHECK(got[3] == NULL);
    REQUIRE(wcr_pb_next(&r, &f, NULL) == 1);
    REQUIRE(wcr_pb_get_field_mask(&f, &got, &n, NULL) == 0); /* replaces */
    CHECK(n == 0 && got && got[0] == NULL);
    wcr_pb_strv_free(got);
    wcr_pb_strv_free(NULL);
    wcr_buf_dispose(&b);
}

TEST(bad_field_masks_allocate_nothing)
{
    uint8_t store[32];
    wcr_pb_field f;
    wcr_err err = WCR_ERR_INIT;
    char **got = NULL;
    size_t n = 5;
    REQUIRE(first_field("0a 08 0a 01 61 0a 03 62 00 63", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_field_mask(&f, &got, &n, &err), &err, WCR_E_PARSE, "NUL");
    REQUIRE(first_field("0a 06 0a 01 61 0a 01 ff", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_field_mask(&f, &got, &n, &err), &err, WCR_E_PARSE, "UTF-8");
    REQUIRE(first_field("0a 05 0a 01 61 0a 05", store, sizeof store, &f, NULL) == 1);
    CHECK_ERR(wcr_pb_get_field_mask(&f, &got, &n, &err), &err, WCR_E_PARSE,
              "runs past the end");
    CHECK(got == NULL && n == 5);
}

/* --- every prefix of a real message ----------------------------------------------------------- */

/* Walks everything, nested messages included; counts the fields. */
static int walk_all(wcr_pb_reader *r, size_t *count, wcr_err *err)
{
    wcr_pb_field f;
    wcr_pb_reader sub;
    int rc;
    while ((rc = wcr_pb_next(r, &f, err)) > 0) {
        (*count)++;
        if (f.wire == WCR_PB_LEN && f.number == 3 && wcr_pb_get_message(&f, &sub, err) == 0 &&
            walk_all(&sub, count, err) < 0)
            return -1;
    }
    return rc;
}

TEST(every_truncation_fails_cleanly_or_reads_a_prefix)
{
    wcr_buf b = newbuf();
    wcr_pb_put_string(&b, 1, "name");
    size_t m = wcr_pb_begin(&b, 3);
    wcr_pb_put_uint64(&b, 1, UINT64_MAX);
    wcr_pb_put_fixed64(&b, 2, 1);
    wcr_pb_put_fixed32(&b, 4, 1);
    wcr_pb_end(&b, m);
    wcr_pb_put_packed_int32(&b, 4, (const int32_t[]){ -1, 2 }, 2);
    wcr_pb_put_uint32(&b, WCR_PB_FIELD_MAX, 1);
    REQUIRE(wcr_buf_check(&b, NULL) == 0);
    size_t full = 0;
    wcr_pb_reader r;
    wcr_pb_reader_init(&r, b.data, b.len);
    REQUIRE(walk_all(&r, &full, NULL) == 0);
    CHECK_INT(full, 7);
    for (size_t cut = 0; cut < b.len; cut++) {
        /* A copy of exactly `cut` bytes, so ASan sees any read past it. */
        uint8_t *copy = malloc(cut ? cut : 1);
        REQUIRE(copy);
        memcpy(copy, b.data, cut);
        size_t count = 0;
        wcr_err err = WCR_ERR_INIT;
        wcr_pb_reader_init(&r, copy, cut);
        int rc = walk_all(&r, &count, &err);
        CHECK(rc == 0 || (rc == -1 && err.code == WCR_E_PARSE));
        CHECK(count < full);
        wcr_err_dispose(&err);
        free(copy);
    }
    wcr_buf_dispose(&b);
}

TEST(wire_names)
{
    CHECK_STR(wcr_pb_wire_name(WCR_PB_VARINT), "varint");
    CHECK_STR(wcr_pb_wire_name(WCR_PB_LEN), "length-delimited");
    CHECK_STR(wcr_pb_wire_name(WCR_PB_I32), "fixed32");
    CHECK_STR(wcr_pb_wire_name(7), "invalid wire type");
}

TEST_MAIN()
