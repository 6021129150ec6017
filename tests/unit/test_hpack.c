/* Tests of src/core/hpack.c and hpack_huffman.c: RFC 7541 Appendix C fed
 * whole, split at every octet and one octet at a time; the Huffman code both
 * ways; the encoder; every error the decoder must catch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/hpack.h"
#include "test.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Hex digits (spaces ignored) to bytes; returns the count. */
static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        int v;
        if (*p >= '0' && *p <= '9')
            v = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            v = *p - 'a' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else if (n < cap) {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}

/* What a decoder emitted, as "name: value\n" lines. */
typedef struct fields {
    wcr_buf text;
    int count;
    int fail_at;  /* the callback fails on this field (1-based); 0: never */
    bool unterminated;
} fields;

static void fields_init(fields *f)
{
    memset(f, 0, sizeof *f);
    wcr_buf_init(&f->text, "fields", WCR_BUF_NO_LIMIT);
}

static int collect(void *ud, const char *name, size_t name_len, const char *value,
                   size_t value_len, wcr_err *err)
{
    fields *f = ud;
    if (++f->count == f->fail_at)
        return wcr_err_set(err, WCR_E_CANCELLED, "callback says stop");
    if (name[name_len] != '\0' || value[value_len] != '\0')
        f->unterminated = true;
    wcr_buf_append(&f->text, name, name_len);
    wcr_buf_puts(&f->text, ": ");
    wcr_buf_append(&f->text, value, value_len);
    wcr_buf_putc(&f->text, '\n');
    return 0;
}

/* The dynamic table, newest first, as "name: value\n" lines. */
static char *table_text(const wcr_hpack_decoder *d)
{
    wcr_buf b = WCR_BUF_INIT("table", WCR_BUF_NO_LIMIT);
    const char *n, *v;
    size_t nl, vl;
    for (size_t i = 0; wcr_hpack_decoder_table_entry(d, i, &n, &nl, &v, &vl); i++) {
        wcr_buf_append(&b, n, nl);
        wcr_buf_puts(&b, ": ");
        wcr_buf_append(&b, v, vl);
        wcr_buf_putc(&b, '\n');
    }
    return wcr_buf_detach(&b, NULL);
}

enum feed_mode { FEED_WHOLE, FEED_SPLIT, FEED_BYTES };

/* Feed one header block: whole, in two pieces cut at `split`, or one
 * octet per call. */
static int feed(wcr_hpack_decoder *d, const uint8_t *in, size_t len, enum feed_mode mode,
                size_t split, fields *f, wcr_err *err)
{
    wcr_hpack_emit_fn emit = f ? collect : NULL;
    if (mode == FEED_SPLIT) {
        size_t s = split < len ? split : len;
        if (wcr_hpack_decode(d, in, s, false, emit, f, err) < 0)
            return -1;
        return wcr_hpack_decode(d, in + s, len - s, true, emit, f, err);
    }
    if (mode == FEED_BYTES && len > 0) {
        for (size_t i = 0; i < len; i++)
            if (wcr_hpack_decode(d, in + i, 1, i + 1 == len, emit, f, err) < 0)
                return -1;
        return 0;
    }
    return wcr_hpack_decode(d, in, len, true, emit, f, err);
}

/* Decode one block given in hex on a fresh decoder; returns the result. */
static int decode_hex(wcr_hpack_decoder *d, const char *hex, fields *f, wcr_err *err)
{
    uint8_t bytes[1024];
    size_t len = unhex(hex, bytes, sizeof bytes);
    return wcr_hpack_decode(d, bytes, len, true, f ? collect : NULL, f, err);
}

static bool err_has(const wcr_err *err, const char *text)
{
    return err->msg && strstr(err->msg, text) != NULL;
}

/* One block of an RFC example: its octets, the fields it gives, and the
 * dynamic table after it (newest first) with the table's size. */
typedef struct block_case {
    const char *hex;
    const char *fields;
    const char *table;
    size_t table_size;
} block_case;

/* Decode a sequence of blocks on one decoder, checking each; returns false
 * (after reporting) at the first difference. */
static bool run_blocks(const block_case *cases, size_t n, size_t table_max,
                       enum feed_mode mode, size_t split, int line)
{
    static const char *mode_names[] = { "whole", "split", "bytes" };
    wcr_hpack_decoder d;
    if (wcr_hpack_decoder_init(&d, table_max, 1 << 16, NULL) != 0) {
        test_fail(__FILE__, line, "decoder_init failed");
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        uint8_t bytes[512];
        size_t len = unhex(cases[i].hex, bytes, sizeof bytes);
        fields f;
        fields_init(&f);
        wcr_err err = WCR_ERR_INIT;
        int rc = feed(&d, bytes, len, mode, split, &f, &err);
        char *table = table_text(&d);
        if (rc != 0 || strcmp(wcr_buf_cstr(&f.text), cases[i].fields) != 0 ||
            strcmp(table, cases[i].table) != 0 ||
            wcr_hpack_decoder_table_size(&d) != cases[i].table_size || f.unterminated) {
            test_fail(__FILE__, line,
                      "block %zu fed %s (split at %zu): rc %d %s\n  fields:\n%s  table "
                      "(size %zu):\n%s",
                      i + 1, mode_names[mode], split, rc, err.msg ? err.msg : "",
                      wcr_buf_cstr(&f.text), wcr_hpack_decoder_table_size(&d), table);
            ok = false;
        }
        free(table);
        wcr_buf_dispose(&f.text);
        wcr_err_dispose(&err);
    }
    wcr_hpack_decoder_dispose(&d);
    return ok;
}

/* Whole, one octet at a time, and cut in two at every position. */
static void run_all_feeds(const block_case *cases, size_t n, size_t table_max, int line)
{
    if (!run_blocks(cases, n, table_max, FEED_WHOLE, 0, line))
        return;
    if (!run_blocks(cases, n, table_max, FEED_BYTES, 0, line))
        return;
    size_t longest = 0;
    for (size_t i = 0; i < n; i++)
        longest = strlen(cases[i].hex) > longest ? strlen(cases[i].hex) : longest;
    for (size_t split = 0; split <= longest / 2; split++)
        if (!run_blocks(cases, n, table_max, FEED_SPLIT, split, line))
            return;
}

#define RUN_ALL_FEEDS(cases, table_max) \
    run_all_feeds(cases, sizeof cases / sizeof cases[0], table_max, __LINE__)

/* ------------------------------------------------------------------ */
/* RFC 7541 Appendix C                                                 */

TEST(c1_integers_encode_as_in_the_rfc)
{
    wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
    wcr_hpack_encode_int(&b, 0x00, 5, 10); /* C.1.1 */
    CHECK_MEM(b.data, b.len, "\x0a", 1);
    wcr_buf_reset(&b);
    wcr_hpack_encode_int(&b, 0x00, 5, 1337); /* C.1.2 */
    CHECK_MEM(b.data, b.len, "\x1f\x9a\x0a", 3);
    wcr_buf_reset(&b);
    wcr_hpack_encode_int(&b, 0x00, 8, 42); /* C.1.3 */
    CHECK_MEM(b.data, b.len, "\x2a", 1);
    wcr_buf_reset(&b);
    wcr_hpack_encode_int(&b, 0xe0, 5, 30); /* bits above the prefix kept */
    CHECK_MEM(b.data, b.len, "\xfe", 1);
    wcr_buf_reset(&b);
    wcr_hpack_encode_int(&b, 0x00, 5, 31); /* exactly the prefix: one 0 octet */
    CHECK_MEM(b.data, b.len, "\x1f\x00", 2);
    wcr_buf_dispose(&b);
}

TEST(c1_integers_decode_as_in_the_rfc)
{
    /* The 5-bit prefix examples read as size updates (001 + prefix). */
    static const uint8_t ten[] = { 0x20 | 0x0a };
    static const uint8_t big[] = { 0x20 | 0x1f, 0x9a, 0x0a };
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(wcr_hpack_decode(&d, ten, sizeof ten, true, NULL, NULL, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_max(&d), 10);
    for (size_t i = 0; i < sizeof big; i++)
        CHECK_INT(wcr_hpack_decode(&d, big + i, 1, i + 1 == sizeof big, NULL, NULL, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_max(&d), 1337);
    CHECK(err.msg == NULL);
    wcr_hpack_decoder_dispose(&d);
}

TEST(c2_1_literal_with_indexing)
{
    static const block_case c[] = {
        { "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
          "custom-key: custom-header\n", "custom-key: custom-header\n", 55 },
    };
    RUN_ALL_FEEDS(c, 4096);
}

TEST(c2_2_literal_without_indexing)
{
    static const block_case c[] = {
        { "040c 2f73 616d 706c 652f 7061 7468", ":path: /sample/path\n", "", 0 },
    };
    RUN_ALL_FEEDS(c, 4096);
}

TEST(c2_3_literal_never_indexed)
{
    static const block_case c[] = {
        { "1008 7061 7373 776f 7264 0673 6563 7265 74", "password: secret\n", "", 0 },
    };
    RUN_ALL_FEEDS(c, 4096);
}

TEST(c2_4_indexed_field)
{
    static const block_case c[] = { { "82", ":method: GET\n", "", 0 } };
    RUN_ALL_FEEDS(c, 4096);
}

static const char c3_fields1[] =
    ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n";
static const char c3_fields2[] = ":method: GET\n:scheme: http\n:path: /\n"
                                 ":authority: www.example.com\ncache-control: no-cache\n";
static const char c3_fields3[] = ":method: GET\n:scheme: https\n:path: /index.html\n"
                                 ":authority: www.example.com\ncustom-key: custom-value\n";
static const char c3_table1[] = ":authority: www.example.com\n";
static const char c3_table2[] = "cache-control: no-cache\n:authority: www.example.com\n";
static const char c3_table3[] =
    "custom-key: custom-value\ncache-control: no-cache\n:authority: www.example.com\n";

TEST(c3_requests_without_huffman)
{
    static const block_case c[] = {
        { "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", c3_fields1, c3_table1, 57 },
        { "8286 84be 5808 6e6f 2d63 6163 6865", c3_fields2, c3_table2, 110 },
        { "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
          c3_fields3, c3_table3, 164 },
    };
    RUN_ALL_FEEDS(c, 4096);
}

TEST(c4_requests_with_huffman)
{
    static const block_case c[] = {
        { "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", c3_fields1, c3_table1, 57 },
        { "8286 84be 5886 a8eb 1064 9cbf", c3_fields2, c3_table2, 110 },
        { "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", c3_fields3,
          c3_table3, 164 },
    };
    RUN_ALL_FEEDS(c, 4096);
}

static const char c5_fields1[] = ":status: 302\ncache-control: private\n"
                                 "date: Mon, 21 Oct 2013 20:13:21 GMT\n"
                                 "location: https://www.example.com\n";
static const char c5_fields2[] = ":status: 307\ncache-control: private\n"
                                 "date: Mon, 21 Oct 2013 20:13:21 GMT\n"
                                 "location: https://www.example.com\n";
static const char c5_fields3[] =
    ":status: 200\ncache-control: private\ndate: Mon, 21 Oct 2013 20:13:22 GMT\n"
    "location: https://www.example.com\ncontent-encoding: gzip\n"
    "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n";
static const char c5_table1[] = "location: https://www.example.com\n"
                                "date: Mon, 21 Oct 2013 20:13:21 GMT\n"
                                "cache-control: private\n:status: 302\n";
static const char c5_table2[] = ":status: 307\nlocation: https://www.example.com\n"
                                "date: Mon, 21 Oct 2013 20:13:21 GMT\n"
                                "cache-control: private\n";
static const char c5_table3[] =
    "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1\n"
    "content-encoding: gzip\ndate: Mon, 21 Oct 2013 20:13:22 GMT\n";

TEST(c5_responses_without_huffman_evict)
{
    static const block_case c[] = {
        { "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
          "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70"
          "6c65 2e63 6f6d",
          c5_fields1, c5_table1, 222 },
        { "4803 3330 37c1 c0bf", c5_fields2, c5_table2, 222 },
        { "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d"
          "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049"
          "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e"
          "3d31",
          c5_fields3, c5_table3, 215 },
    };
    RUN_ALL_FEEDS(c, 256);
}

TEST(c6_responses_with_huffman_evict)
{
    static const block_case c[] = {
        { "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
          "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
          c5_fields1, c5_table1, 222 },
        { "4883 640e ffc1 c0bf", c5_fields2, c5_table2, 222 },
        { "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab"
          "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f"
          "9587 3160 65c0 03ed 4ee5 b106 3d50 07",
          c5_fields3, c5_table3, 215 },
    };
    RUN_ALL_FEEDS(c, 256);
}

/* ------------------------------------------------------------------ */
/* Dynamic table behaviour                                             */

TEST(entry_larger_than_the_table_empties_it)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    REQUIRE(wcr_hpack_decoder_init(&d, 100, 4096, &err) == 0);
    /* custom-key: custom-header (55) fits; a 70-octet value does not. */
    CHECK_INT(decode_hex(&d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
                         &f, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_count(&d), 1);
    uint8_t block[80] = { 0x40 | 0x3b /* index 59: vary */, 70 };
    memset(block + 2, 'x', 70);
    CHECK_INT(wcr_hpack_decode(&d, block, 72, true, collect, &f, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_count(&d), 0);
    CHECK_INT(wcr_hpack_decoder_table_size(&d), 0);
    CHECK_INT(f.count, 2);
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
}

TEST(new_entry_may_use_the_name_of_the_entry_it_evicts)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    /* Room for one 55-octet entry: the second names entry 62, which has
     * to go to make room for the second. */
    REQUIRE(wcr_hpack_decoder_init(&d, 60, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
                         &f, &err), 0);
    CHECK_INT(decode_hex(&d, "7e 0e 6375 7374 6f6d 2d68 6561 6465 7232", &f, &err), 0);
    CHECK_STR(wcr_buf_cstr(&f.text), "custom-key: custom-header\ncustom-key: custom-header2\n");
    char *t = table_text(&d);
    CHECK_STR(t, "custom-key: custom-header2\n");
    free(t);
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
}

TEST(many_entries_grow_and_wrap_the_table)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    /* 200 entries "kNNN: v" of 37 octets; 110 fit in 4096. */
    for (int i = 0; i < 200; i++) {
        uint8_t block[8] = { 0x40, 4, 'k', 0, 0, 0, 1, 'v' };
        block[3] = (uint8_t)('0' + i / 100);
        block[4] = (uint8_t)('0' + i / 10 % 10);
        block[5] = (uint8_t)('0' + i % 10);
        REQUIRE(wcr_hpack_decode(&d, block, sizeof block, true, NULL, NULL, &err) == 0);
        CHECK_INT(wcr_hpack_decoder_table_count(&d), i < 110 ? i + 1 : 110);
    }
    CHECK_INT(wcr_hpack_decoder_table_size(&d), 110 * 37);
    for (size_t i = 0; i < 110; i++) {
        const char *n, *v;
        size_t nl, vl;
        char want[8];
        snprintf(want, sizeof want, "k%03zu", 199 - i);
        REQUIRE(wcr_hpack_decoder_table_entry(&d, i, &n, &nl, &v, &vl));
        CHECK_STR(n, want);
        CHECK_STR(v, "v");
    }
    /* Index 62 is the newest, 171 the oldest, 172 is gone. */
    fields f;
    fields_init(&f);
    CHECK_INT(decode_hex(&d, "be ff2c", &f, &err), 0);
    CHECK_STR(wcr_buf_cstr(&f.text), "k199: v\nk090: v\n");
    CHECK_INT(decode_hex(&d, "ff2d", &f, &err), -1);
    CHECK(err_has(&err, "index 172 is beyond the tables (61 static + 110 dynamic entries)"));
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
}

TEST(size_updates_evict_and_may_come_several_at_block_start)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", &f, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_count(&d), 1);
    /* To 0 (empties the table), back to 4096, then a field. */
    CHECK_INT(decode_hex(&d, "20 3fe11f 82", &f, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_count(&d), 0);
    CHECK_INT(wcr_hpack_decoder_table_max(&d), 4096);
    /* A block of nothing but an update is fine too. */
    CHECK_INT(decode_hex(&d, "3f 45", &f, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_max(&d), 100);
    CHECK(err.msg == NULL);
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
}

TEST(lowered_setting_requires_a_size_update_first)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_table_size(&d, 100);
    CHECK_INT(decode_hex(&d, "82", NULL, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_PROTO));
    CHECK(err_has(&err, "size update to 100 or less"));
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);

    /* An update above the new setting is refused; one to it is accepted. */
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_table_size(&d, 100);
    CHECK_INT(decode_hex(&d, "3f 46", NULL, &err), -1); /* 101 */
    CHECK(err_has(&err, "update to 101 exceeds the limit of 100"));
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);

    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_table_size(&d, 100);
    CHECK_INT(decode_hex(&d, "3f 45 82", NULL, &err), 0);
    CHECK_INT(decode_hex(&d, "82", NULL, &err), 0); /* only the first block */
    wcr_hpack_decoder_dispose(&d);

    /* Lowered then raised: the smallest value must be signalled first. */
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_table_size(&d, 0);
    wcr_hpack_decoder_set_max_table_size(&d, 4096);
    CHECK_INT(decode_hex(&d, "3fe11f 82", NULL, &err), -1);
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_table_size(&d, 0);
    wcr_hpack_decoder_set_max_table_size(&d, 4096);
    CHECK_INT(decode_hex(&d, "20 3fe11f 82", NULL, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_max(&d), 4096);
    CHECK(err.msg == NULL);
    wcr_hpack_decoder_dispose(&d);
}

TEST(raised_setting_allows_larger_updates)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "3f e1 3f", NULL, &err), -1); /* 8192 > 4096 */
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_table_size(&d, 8192);
    CHECK_INT(decode_hex(&d, "82", NULL, &err), 0); /* no update needed */
    CHECK_INT(decode_hex(&d, "3f e1 3f", NULL, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_max(&d), 8192);
    wcr_hpack_decoder_dispose(&d);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* Decode one block on a fresh decoder (4096/4096) and expect a failure. */
static void expect_error(const char *hex, wcr_err_code code, const char *text, int line)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    if (wcr_hpack_decoder_init(&d, 4096, 4096, &err) != 0)
        return;
    uint8_t bytes[1024];
    size_t len = unhex(hex, bytes, sizeof bytes);
    for (int mode = FEED_WHOLE; mode <= FEED_BYTES; mode++) {
        int rc = feed(&d, bytes, len, (enum feed_mode)mode, len / 2, NULL, &err);
        if (rc != -1 || !wcr_err_is(&err, code) || !err_has(&err, text))
            test_fail(__FILE__, line, "%s (mode %d): rc %d, code %s, message \"%s\"", hex,
                      mode, rc, wcr_err_code_name(err.code), err.msg ? err.msg : "");
        /* Unusable from now on, but disposable. */
        if (wcr_hpack_decode(&d, bytes, 1, true, NULL, NULL, &err) != -1)
            test_fail(__FILE__, line, "decoder went on after an error");
        wcr_hpack_decoder_dispose(&d);
        wcr_err_dispose(&err);
        wcr_hpack_decoder_init(&d, 4096, 4096, &err);
    }
    wcr_hpack_decoder_dispose(&d);
}

#define EXPECT_ERROR(hex, code, text) expect_error(hex, code, text, __LINE__)

TEST(index_zero_is_an_error)
{
    EXPECT_ERROR("80", WCR_E_PROTO, "index 0 is not valid");
}

TEST(index_beyond_the_tables_is_an_error)
{
    EXPECT_ERROR("be", WCR_E_PROTO, "index 62 is beyond the tables (61 static + 0 dynamic");
    EXPECT_ERROR("7f 00", WCR_E_PROTO, "index 63 is beyond"); /* literal's name */
    EXPECT_ERROR("0f 30 00", WCR_E_PROTO, "index 63 is beyond");
    EXPECT_ERROR("ff 80 ff ff ff 0f", WCR_E_PROTO, "index 4294967295 is beyond");

    /* With entries in the table, the message says how many. */
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", NULL, &err), 0);
    CHECK_INT(decode_hex(&d, "8286 84be 5808 6e6f 2d63 6163 6865", NULL, &err), 0);
    CHECK_INT(decode_hex(&d, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d "
                             "7661 6c75 65", NULL, &err), 0);
    CHECK_INT(decode_hex(&d, "c0", NULL, &err), 0); /* 64: the oldest */
    CHECK_INT(decode_hex(&d, "c6", NULL, &err), -1);
    CHECK_STR(err.msg, "HPACK: index 70 is beyond the tables (61 static + 3 dynamic entries)");
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
}

TEST(size_update_above_the_setting_is_an_error)
{
    EXPECT_ERROR("3f e2 1f", WCR_E_PROTO,
                 "dynamic table size update to 4097 exceeds the limit of 4096");
}

TEST(size_update_after_a_field_is_an_error)
{
    EXPECT_ERROR("82 20", WCR_E_PROTO, "size update after the first field");
    EXPECT_ERROR("20 82 3f e1 1f", WCR_E_PROTO, "size update after the first field");
    EXPECT_ERROR("00 02 6162 00 20", WCR_E_PROTO, "size update after the first field");
}

TEST(block_ending_inside_a_representation_is_an_error)
{
    EXPECT_ERROR("7f", WCR_E_PROTO, "ends inside a field representation");
    EXPECT_ERROR("3f", WCR_E_PROTO, "ends inside");         /* size update */
    EXPECT_ERROR("41", WCR_E_PROTO, "ends inside");         /* no value length */
    EXPECT_ERROR("41 0f 77 77", WCR_E_PROTO, "ends inside"); /* short value */
    EXPECT_ERROR("40 03 61", WCR_E_PROTO, "ends inside");   /* short name */
    EXPECT_ERROR("40 01 61", WCR_E_PROTO, "ends inside");   /* name, no value */
    EXPECT_ERROR("82 41 8c f1e3", WCR_E_PROTO, "ends inside"); /* in Huffman */

    /* Fields before the cut are still delivered. */
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "82 41", &f, &err), -1);
    CHECK_STR(wcr_buf_cstr(&f.text), ":method: GET\n");
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
}

TEST(integer_overflow_is_an_error)
{
    EXPECT_ERROR("7f ff ff ff ff ff ff ff ff ff ff", WCR_E_PROTO, "integer exceeds");
    EXPECT_ERROR("3f ff ff ff ff 7f", WCR_E_PROTO, "integer exceeds");
    EXPECT_ERROR("00 7f ff ff ff ff 7f", WCR_E_PROTO, "integer exceeds");
    /* Zero padding beyond five octets. */
    EXPECT_ERROR("ff 80 80 80 80 80 00", WCR_E_PROTO, "integer has too many octets");
    /* The largest accepted value, 2^32 - 1, then a size update over it. */
    EXPECT_ERROR("3f e0 ff ff ff 0f", WCR_E_PROTO, "update to 4294967295 exceeds");
}

TEST(huffman_with_eos_is_an_error)
{
    /* Literal name of four octets: 30 ones are EOS. */
    EXPECT_ERROR("00 84 ffff ffff 00", WCR_E_PROTO, "contains EOS");
    /* 'a' (00011) then EOS. */
    EXPECT_ERROR("00 85 1fff ffff ff 00", WCR_E_PROTO, "contains EOS");
}

TEST(huffman_bad_padding_is_an_error)
{
    /* "a" padded correctly is fine: 00011 111. */
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "00 81 1f 81 1f", &f, &err), 0);
    CHECK_STR(wcr_buf_cstr(&f.text), "a: a\n");
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);

    EXPECT_ERROR("00 82 1f ff 00", WCR_E_PROTO, "padding is longer than 7 bits");
    EXPECT_ERROR("00 81 ff 00", WCR_E_PROTO, "padding is longer than 7 bits");
    EXPECT_ERROR("00 81 18 00", WCR_E_PROTO, "padding is not all ones");
    EXPECT_ERROR("00 81 1e 00", WCR_E_PROTO, "padding is not all ones");
    EXPECT_ERROR("00 01 61 81 1d", WCR_E_PROTO, "padding is not all ones"); /* value */
}

TEST(header_list_over_the_cap_is_an_error)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    /* :method GET (42) + :scheme http (43) = 85; :path / (38) passes 100. */
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 100, &err) == 0);
    CHECK_INT(decode_hex(&d, "82 86", &f, &err), 0);
    CHECK_INT(decode_hex(&d, "82 86", &f, &err), 0); /* the count is per block */
    CHECK_INT(decode_hex(&d, "82 86 84", &f, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    CHECK(err_has(&err, "header list exceeds the limit of 100 bytes"));
    CHECK_INT(f.count, 6);
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
}

TEST(string_over_the_cap_is_an_error)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_string(&d, 10);
    CHECK_INT(decode_hex(&d, "00 0a 6161 6161 6161 6161 6161 00", NULL, &err), 0);
    CHECK_INT(decode_hex(&d, "00 01 61 0b", NULL, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    CHECK(err_has(&err, "HPACK header value: 11 bytes exceed the limit of 10 B"));
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);

    /* Eight Huffman octets of '0' (5 bits each) decode to 12 > 10. */
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    wcr_hpack_decoder_set_max_string(&d, 10);
    CHECK_INT(decode_hex(&d, "00 88 0000 0000 0000 0000 00", NULL, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    CHECK(err_has(&err, "HPACK header name: exceeds the limit"));
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);

    /* A length past the header list cap fails before any octet of it. */
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(wcr_hpack_decode(&d, (const uint8_t *)"\x00\x7f\xff\xff\x03", 5, false,
                               NULL, NULL, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
}

TEST(callback_failure_stops_the_decoder)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    fields f;
    fields_init(&f);
    f.fail_at = 2;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "82 86 84", &f, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_CANCELLED));
    CHECK_STR(err.msg, "callback says stop");
    CHECK_INT(decode_hex(&d, "82", &f, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_INVALID));
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
    wcr_err_dispose(&err);
}

TEST(dispose_after_failing_mid_string_frees_everything)
{
    /* Run under ASan: the name buffer and table entries must be freed. */
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
                         NULL, &err), 0);
    CHECK_INT(wcr_hpack_decode(&d, (const uint8_t *)"\x40\x85\xf1\xe3", 4, true, NULL, NULL,
                               &err), -1);
    wcr_hpack_decoder_dispose(&d);
    wcr_hpack_decoder_dispose(&d); /* twice is harmless */
    wcr_err_dispose(&err);
}

TEST(emit_may_be_null_and_empty_blocks_are_fine)
{
    wcr_hpack_decoder d;
    wcr_err err = WCR_ERR_INIT;
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(wcr_hpack_decode(&d, NULL, 0, true, NULL, NULL, &err), 0);
    CHECK_INT(decode_hex(&d, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", NULL, &err), 0);
    CHECK_INT(wcr_hpack_decoder_table_count(&d), 1);
    /* Empty name and value, Huffman-flagged or not. */
    fields f;
    fields_init(&f);
    CHECK_INT(decode_hex(&d, "00 00 00 00 80 80", &f, &err), 0);
    CHECK_STR(wcr_buf_cstr(&f.text), ": \n: \n");
    CHECK(!f.unterminated);
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);

    /* An empty value as the first string a decoder reads is terminated. */
    fields_init(&f);
    REQUIRE(wcr_hpack_decoder_init(&d, 4096, 4096, &err) == 0);
    CHECK_INT(decode_hex(&d, "0c 00", &f, &err), 0);
    CHECK_STR(wcr_buf_cstr(&f.text), ":status: \n");
    CHECK(!f.unterminated);
    wcr_buf_dispose(&f.text);
    wcr_hpack_decoder_dispose(&d);
}

/* ------------------------------------------------------------------ */
/* Huffman code                                                        */

static void check_huff_round_trip(const uint8_t *s, size_t len, int line)
{
    wcr_buf enc = WCR_BUF_INIT("enc", WCR_BUF_NO_LIMIT);
    wcr_buf dec = WCR_BUF_INIT("dec", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    wcr_hpack_huff_encode(&enc, s, len);
    if (enc.len != wcr_hpack_huff_encoded_len(s, len))
        test_fail(__FILE__, line, "encoded %zu octets, predicted %zu", enc.len,
                  wcr_hpack_huff_encoded_len(s, len));
    /* Decode in two pieces cut in the middle. */
    wcr_hpack_huff h = WCR_HPACK_HUFF_INIT;
    size_t half = enc.len / 2;
    const uint8_t *e = (const uint8_t *)wcr_buf_cstr(&enc);
    if (wcr_hpack_huff_decode(&h, e, half, &dec, &err) < 0 ||
        wcr_hpack_huff_decode(&h, e + half, enc.len - half, &dec, &err) < 0 ||
        wcr_hpack_huff_finish(&h, &err) < 0)
        test_fail(__FILE__, line, "decoding failed: %s", err.msg);
    else if (dec.len != len || (len && memcmp(dec.data, s, len) != 0))
        test_fail(__FILE__, line, "round trip of %zu octets gave %zu different ones", len,
                  dec.len);
    wcr_buf_dispose(&enc);
    wcr_buf_dispose(&dec);
    wcr_err_dispose(&err);
}

TEST(huffman_encodes_the_rfc_strings)
{
    static const struct {
        const char *s, *hex;
    } v[] = {
        { "www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff" },
        { "no-cache", "a8eb 1064 9cbf" },
        { "custom-key", "25a8 49e9 5ba9 7d7f" },
        { "custom-value", "25a8 49e9 5bb8 e8b4 bf" },
        { "302", "6402" },
        { "307", "640e ff" },
        { "private", "aec3 771a 4b" },
        { "Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff" },
        { "https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3" },
        { "gzip", "9bd9 ab" },
        { "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
          "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 "
          "3160 65c0 03ed 4ee5 b106 3d50 07" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t want[128];
        size_t n = unhex(v[i].hex, want, sizeof want);
        wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
        wcr_hpack_huff_encode(&b, v[i].s, strlen(v[i].s));
        CHECK_MEM(b.data, b.len, want, n);
        CHECK_INT(wcr_hpack_huff_encoded_len(v[i].s, strlen(v[i].s)), n);
        wcr_buf_dispose(&b);
        check_huff_round_trip((const uint8_t *)v[i].s, strlen(v[i].s), __LINE__);
    }
}

TEST(huffman_round_trips_every_byte_value)
{
    uint8_t all[256];
    for (int i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
        check_huff_round_trip(all + i, 1, __LINE__);
    }
    check_huff_round_trip(all, sizeof all, __LINE__);
    /* Each symbol repeated, so every alignment of every code occurs. */
    for (int i = 0; i < 256; i++) {
        uint8_t run[9];
        memset(run, i, sizeof run);
        check_huff_round_trip(run, sizeof run, __LINE__);
    }
    check_huff_round_trip(all, 0, __LINE__);
}

/* xorshift: reproducible pseudo-random numbers. */
static uint32_t rnd(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

TEST(huffman_round_trips_random_strings)
{
    uint32_t seed = 0x5eed1234;
    uint8_t s[300];
    for (int n = 0; n < 2000; n++) {
        size_t len = rnd(&seed) % sizeof s;
        bool text = n % 2 == 0;
        for (size_t i = 0; i < len; i++)
            s[i] = text ? (uint8_t)(0x20 + rnd(&seed) % 95) : (uint8_t)rnd(&seed);
        check_huff_round_trip(s, len, __LINE__);
        if (test_failed_now())
            return;
    }
}

TEST(huffman_decoder_rejects_eos_and_bad_padding)
{
    static const struct {
        const char *hex;
        bool ok;
    } v[] = {
        { "", true },
        { "1f", true },         /* a + 111 */
        { "ff", false },        /* 8 bits of padding */
        { "fe", false },        /* 8 bits: a longer code cut short */
        { "b8 00 7f", true },   /* ':' '0' '0' + 7 ones */
        { "b8 00 7e", false },  /* ':' '0' '0' + 7 bits, not all ones */
        { "ffff fffc", false }, /* EOS then 00 */
        { "0000 ffff ffff", false },
        { "00", false },        /* "0" + 000 */
        { "07", true },         /* "0" + 00111: "0" and then padding 111 */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t in[16];
        size_t n = unhex(v[i].hex, in, sizeof in);
        wcr_buf out = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
        wcr_err err = WCR_ERR_INIT;
        wcr_hpack_huff h = WCR_HPACK_HUFF_INIT;
        int rc = wcr_hpack_huff_decode(&h, in, n, &out, &err);
        if (rc == 0)
            rc = wcr_hpack_huff_finish(&h, &err);
        if ((rc == 0) != v[i].ok)
            test_fail(__FILE__, __LINE__, "\"%s\": rc %d (%s)", v[i].hex, rc,
                      err.msg ? err.msg : "");
        wcr_buf_dispose(&out);
        wcr_err_dispose(&err);
    }
}

/* ------------------------------------------------------------------ */
/* Encoder                                                             */

static void check_encoding(const char *name, const char *value, unsigned flags,
                           const char *hex, int line)
{
    uint8_t want[256];
    size_t n = unhex(hex, want, sizeof want);
    wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
    wcr_err err = WCR_ERR_INIT;
    if (wcr_hpack_encode_field(&b, name, strlen(name), value, strlen(value), flags, &err) < 0)
        test_fail(__FILE__, line, "%s: %s: %s", name, value, err.msg);
    else if (b.len != n || memcmp(b.data, want, n) != 0)
        test_fail(__FILE__, line, "%s: %s: encoded differently (%zu octets, want %zu)", name,
                  value, b.len, n);
    wcr_buf_dispose(&b);
    wcr_err_dispose(&err);
}

#define CHECK_ENCODING(name, value, flags, hex) \
    check_encoding(name, value, flags, hex, __LINE__)

TEST(encoder_uses_the_static_table)
{
    CHECK_ENCODING(":method", "POST", 0, "83");
    CHECK_ENCODING(":method", "GET", 0, "82");
    CHECK_ENCODING(":scheme", "http", 0, "86");
    CHECK_ENCODING(":path", "/", 0, "84");
    CHECK_ENCODING("accept", "", 0, "93");
    CHECK_ENCODING(":path", "/foo", WCR_HPACK_NO_HUFFMAN, "04 04 2f66 6f6f");
    CHECK_ENCODING("content-type", "application/grpc", WCR_HPACK_NO_HUFFMAN,
                   "0f 10 10 6170 706c 6963 6174 696f 6e2f 6772 7063");
    CHECK_ENCODING("user-agent", "wcr", WCR_HPACK_NO_HUFFMAN, "0f 2b 03 7763 72");
    /* te is not in the static table. */
    CHECK_ENCODING("te", "trailers", WCR_HPACK_NO_HUFFMAN, "00 02 7465 08 7472 6169 6c65 7273");
    /* Huffman when shorter (C.4.1's value). */
    CHECK_ENCODING(":authority", "www.example.com", 0, "01 8c f1e3 c2e5 f23a 6ba0 ab90 f4ff");
    /* ... and not when longer: '~' takes 13 bits. */
    CHECK_ENCODING("x", "~~", 0, "00 01 78 02 7e7e");
}

TEST(encoder_never_indexed_fields_keep_the_flag)
{
    CHECK_ENCODING("authorization", "secret", WCR_HPACK_NEVER_INDEX | WCR_HPACK_NO_HUFFMAN,
                   "1f 08 06 7365 6372 6574");
    CHECK_ENCODING("authorization", "secret", WCR_HPACK_NO_HUFFMAN, "0f 08 06 7365 6372 6574");
    /* Even an exact static match is sent as a literal. */
    CHECK_ENCODING(":method", "GET", WCR_HPACK_NEVER_INDEX | WCR_HPACK_NO_HUFFMAN,
                   "12 03 4745 54");
    CHECK_ENCODING("password", "secret", WCR_HPACK_NEVER_INDEX | WCR_HPACK_NO_HUFFMAN,
                   "1008 7061 7373 776f 7264 0673 6563 7265 74"); /* C.2.3 */
}

TEST(encoder_size_update)
{
    wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_hpack_encode_size_update(&b, 0, NULL), 0);
    CHECK_INT(wcr_hpack_encode_size_update(&b, 4096, NULL), 0);
    CHECK_MEM(b.data, b.len, "\x20\x3f\xe1\x1f", 4);
    wcr_buf_dispose(&b);
}

TEST(encoder_rejects_invalid_names_and_values)
{
    static const struct {
        const char *name, *value, *text;
    } v[] = {
        { "Content-Type", "x", "\"Content-Type\" has upper-case letters" },
        { "", "x", "name is empty" },
        { "a b", "x", "octet 0x20" },
        { "caf\xc3\xa9", "x", "octet 0xc3" },
        { "x-evil", "a\r\nb", "contains NUL, CR or LF" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
        wcr_buf_puts(&b, "keep");
        wcr_err err = WCR_ERR_INIT;
        CHECK_INT(wcr_hpack_encode_field(&b, v[i].name, strlen(v[i].name), v[i].value,
                                         strlen(v[i].value), 0, &err), -1);
        CHECK(wcr_err_is(&err, WCR_E_INVALID));
        CHECK(err_has(&err, v[i].text));
        CHECK_STR(wcr_buf_cstr(&b), "keep");
        wcr_buf_dispose(&b);
        wcr_err_dispose(&err);
    }
    /* A NUL inside the value counts too (lengths, not C strings). */
    wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_hpack_encode_field(&b, "a", 1, "x\0y", 3, 0, NULL), -1);
    CHECK_INT(b.len, 0);
    wcr_buf_dispose(&b);
}

TEST(encoder_failure_leaves_the_buffer_as_it_was)
{
    wcr_buf b = WCR_BUF_INIT("HTTP/2 frame", 8);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_hpack_encode_field(&b, ":method", 7, "POST", 4, 0, &err), 0);
    CHECK_INT(wcr_hpack_encode_field(&b, "x-long", 6, "a value too long", 16, 0, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    CHECK_INT(b.len, 1);
    wcr_buf_dispose(&b);
    wcr_err_dispose(&err);
}

TEST(encoder_output_decodes_to_the_same_fields)
{
    static const char *const f[][2] = {
        { ":method", "POST" },
        { ":scheme", "http" },
        { ":path", "/containerd.services.version.v1.Version/Version" },
        { ":authority", "localhost" },
        { "content-type", "application/grpc" },
        { "te", "trailers" },
        { "user-agent", "wcr/0.1.0" },
        { "grpc-timeout", "9999999m" },
        { "containerd-namespace", "default" },
        { "accept", "" },
        { "x-binary", "\x01\x7f\xff\x80 ~~~~" },
        { "authorization", "Bearer abc" },
    };
    size_t n = sizeof f / sizeof f[0];
    wcr_buf want = WCR_BUF_INIT("want", WCR_BUF_NO_LIMIT);
    char longv[700];
    memset(longv, 'v', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    for (unsigned flags = 0; flags < 4; flags++) {
        wcr_buf b = WCR_BUF_INIT("out", WCR_BUF_NO_LIMIT);
        wcr_buf_reset(&want);
        CHECK_INT(wcr_hpack_encode_size_update(&b, 0, NULL), 0);
        for (size_t i = 0; i < n; i++) {
            CHECK_INT(wcr_hpack_encode_field(&b, f[i][0], strlen(f[i][0]), f[i][1],
                                             strlen(f[i][1]), flags, NULL), 0);
            wcr_buf_printf(&want, "%s: %s\n", f[i][0], f[i][1]);
        }
        CHECK_INT(wcr_hpack_encode_field(&b, "x-long", 6, longv, strlen(longv), flags, NULL), 0);
        wcr_buf_printf(&want, "x-long: %s\n", longv);

        wcr_hpack_decoder d;
        wcr_err err = WCR_ERR_INIT;
        fields got;
        fields_init(&got);
        REQUIRE(wcr_hpack_decoder_init(&d, 4096, 1 << 16, &err) == 0);
        CHECK_INT(feed(&d, (const uint8_t *)b.data, b.len, FEED_BYTES, 0, &got, &err), 0);
        CHECK_STR(wcr_buf_cstr(&got.text), wcr_buf_cstr(&want));
        CHECK_INT(wcr_hpack_decoder_table_count(&d), 0);
        CHECK_INT(wcr_hpack_decoder_table_max(&d), 0);
        wcr_buf_dispose(&got.text);
        wcr_hpack_decoder_dispose(&d);
        wcr_err_dispose(&err);
        wcr_buf_dispose(&b);
    }
    wcr_buf_dispose(&want);
}

TEST_MAIN()
