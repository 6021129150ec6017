/* Tests of src/core/buf.c: growth, the named cap, sticky failure. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "test.h"

TEST(a_new_buffer_is_an_empty_string)
{
    wcr_buf b = WCR_BUF_INIT("test", WCR_BUF_NO_LIMIT);
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_STR(wcr_buf_cstr(&b), "");
    CHECK_INT(wcr_buf_check(&b, NULL), 0);
    wcr_buf_dispose(&b);

    wcr_buf c;
    wcr_buf_init(&c, "init", 10);
    CHECK_STR(c.name, "init");
    CHECK_INT(c.limit, 10);
    CHECK_INT(c.failed, WCR_E_OK);
    wcr_buf_dispose(&c);
}

TEST(appends_build_a_nul_terminated_string)
{
    wcr_buf b = WCR_BUF_INIT("test", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_buf_puts(&b, "hello"), 0);
    CHECK_INT(wcr_buf_putc(&b, ','), 0);
    CHECK_INT(wcr_buf_append(&b, " world!!", 6), 0);
    CHECK_INT(wcr_buf_append(&b, NULL, 0), 0);
    CHECK_STR(wcr_buf_cstr(&b), "hello, world");
    CHECK_INT(b.len, 12);
    CHECK_INT(b.data[b.len], 0);
    wcr_buf_dispose(&b);
}

TEST(binary_data_with_nuls_is_kept)
{
    wcr_buf b = WCR_BUF_INIT("bytes", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_buf_append(&b, "a\0b\0", 4), 0);
    CHECK_INT(b.len, 4);
    CHECK_MEM(b.data, b.len, "a\0b\0", 4);
    wcr_buf_dispose(&b);
}

TEST(printf_grows_the_buffer)
{
    wcr_buf b = WCR_BUF_INIT("test", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_buf_printf(&b, "%s=%d", "x", 42), 0);
    CHECK_STR(wcr_buf_cstr(&b), "x=42");
    /* Far past the first allocation, in one call and in many. */
    CHECK_INT(wcr_buf_printf(&b, "%1000s|", "r"), 0);
    CHECK_INT(b.len, 4 + 1001);
    CHECK(b.data[b.len - 1] == '|' && b.data[b.len - 2] == 'r' && b.data[4] == ' ');
    for (int i = 0; i < 1000; i++)
        wcr_buf_printf(&b, "%03d", i % 1000);
    CHECK_INT(b.len, 4 + 1001 + 3000);
    CHECK(memcmp(b.data + b.len - 6, "998999", 6) == 0);
    CHECK(b.cap > b.len);
    CHECK_INT(wcr_buf_check(&b, NULL), 0);
    CHECK_INT(wcr_buf_printf(&b, "%s", ""), 0);
    wcr_buf_dispose(&b);
}

TEST(reaching_the_limit_exactly_is_fine)
{
    wcr_buf b = WCR_BUF_INIT("frame", 8);
    CHECK_INT(wcr_buf_puts(&b, "12345678"), 0);
    CHECK_INT(wcr_buf_append(&b, "", 0), 0);
    CHECK_INT(wcr_buf_check(&b, NULL), 0);
    CHECK_STR(wcr_buf_cstr(&b), "12345678");
    wcr_buf_dispose(&b);
}

TEST(going_past_the_limit_fails_and_stays_failed)
{
    wcr_buf b = WCR_BUF_INIT("frame", 10);
    CHECK_INT(wcr_buf_puts(&b, "0123456789"), 0);
    CHECK_INT(wcr_buf_putc(&b, 'x'), -1);
    CHECK_INT(b.failed, WCR_E_LIMIT);
    CHECK_INT(b.len, 10); /* what was there stays, the failed append adds nothing */
    /* Sticky: later appends fail, even ones that would fit. */
    wcr_buf_truncate(&b, 2);
    CHECK_INT(wcr_buf_putc(&b, 'y'), -1);
    CHECK_INT(wcr_buf_printf(&b, "%d", 1), -1);
    CHECK_INT(wcr_buf_reserve(&b, 0), -1);
    CHECK_STR(wcr_buf_cstr(&b), "01");
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_buf_check(&b, &err), -1);
    CHECK(wcr_err_is(&err, WCR_E_LIMIT));
    wcr_err_dispose(&err);
    /* Reset forgets the failure. */
    wcr_buf_reset(&b);
    CHECK_INT(b.len, 0);
    CHECK_INT(wcr_buf_puts(&b, "ok"), 0);
    CHECK_INT(wcr_buf_check(&b, NULL), 0);
    wcr_buf_dispose(&b);
}

TEST(check_names_the_buffer_and_its_limit)
{
    wcr_buf b = WCR_BUF_INIT("gRPC message", (size_t)16 << 20);
    wcr_buf_reserve(&b, ((size_t)16 << 20) + 1);
    wcr_err err = WCR_ERR_INIT;
    CHECK_INT(wcr_buf_check(&b, &err), -1);
    CHECK_STR(err.msg, "gRPC message: exceeds the limit of 16.0 MiB");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&b);

    wcr_buf small = WCR_BUF_INIT(NULL, 100);
    wcr_buf_printf(&small, "%200s", "");
    CHECK_INT(wcr_buf_check(&small, &err), -1);
    CHECK_STR(err.msg, "buffer: exceeds the limit of 100 B");
    wcr_err_dispose(&err);
    wcr_buf_dispose(&small);
}

TEST(printf_past_the_limit_fails)
{
    wcr_buf b = WCR_BUF_INIT("header list", 20);
    CHECK_INT(wcr_buf_printf(&b, "%s", "0123456789"), 0);
    CHECK_INT(wcr_buf_printf(&b, "%s", "0123456789x"), -1);
    CHECK_INT(b.len, 10);
    CHECK_INT(b.failed, WCR_E_LIMIT);
    wcr_buf_dispose(&b);
}

TEST(a_huge_reserve_fails_without_overflow)
{
    wcr_buf b = WCR_BUF_INIT("unbounded", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "abc");
    /* len + extra + 1 would wrap around to a small size. */
    CHECK_INT(wcr_buf_reserve(&b, SIZE_MAX - 3), -1);
    CHECK(b.failed != WCR_E_OK);
    CHECK_INT(wcr_buf_check(&b, NULL), -1);
    wcr_buf_dispose(&b);

    wcr_buf c = WCR_BUF_INIT("unbounded", WCR_BUF_NO_LIMIT);
    CHECK_INT(wcr_buf_reserve(&c, SIZE_MAX), -1);
    wcr_buf_dispose(&c);
}

TEST(appending_part_of_itself_is_safe)
{
    wcr_buf b = WCR_BUF_INIT("self", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "0123456789");
    /* Doubling repeatedly forces the memory to move under the source. */
    for (int i = 0; i < 10; i++)
        CHECK_INT(wcr_buf_append(&b, b.data, b.len), 0);
    CHECK_INT(b.len, 10 << 10);
    bool same = true;
    for (size_t i = 0; i < b.len && same; i++)
        same = b.data[i] == (char)('0' + i % 10);
    CHECK(same);
    CHECK_INT(wcr_buf_append(&b, b.data + 3, 4), 0);
    CHECK(memcmp(b.data + b.len - 4, "3456", 4) == 0);
    wcr_buf_dispose(&b);
}

TEST(consume_drops_the_front)
{
    wcr_buf b = WCR_BUF_INIT("stream", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "frame1frame2");
    wcr_buf_consume(&b, 6);
    CHECK_STR(wcr_buf_cstr(&b), "frame2");
    CHECK_INT(b.len, 6);
    wcr_buf_consume(&b, 0);
    CHECK_STR(wcr_buf_cstr(&b), "frame2");
    wcr_buf_consume(&b, 6);
    CHECK_STR(wcr_buf_cstr(&b), "");
    CHECK_INT(b.len, 0);
    wcr_buf_puts(&b, "more");
    wcr_buf_consume(&b, 100); /* more than there is: everything */
    CHECK_INT(b.len, 0);
    wcr_buf_dispose(&b);

    wcr_buf empty = WCR_BUF_INIT("empty", WCR_BUF_NO_LIMIT);
    wcr_buf_consume(&empty, 0);
    CHECK_STR(wcr_buf_cstr(&empty), "");
    wcr_buf_dispose(&empty);
}

TEST(truncate_shortens_only)
{
    wcr_buf b = WCR_BUF_INIT("test", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "abcdef");
    wcr_buf_truncate(&b, 10); /* longer: nothing happens */
    CHECK_STR(wcr_buf_cstr(&b), "abcdef");
    wcr_buf_truncate(&b, 3);
    CHECK_STR(wcr_buf_cstr(&b), "abc");
    CHECK_INT(b.len, 3);
    wcr_buf_truncate(&b, 0);
    CHECK_STR(wcr_buf_cstr(&b), "");
    wcr_buf_dispose(&b);
}

TEST(detach_hands_over_the_memory)
{
    wcr_buf b = WCR_BUF_INIT("doc", 100);
    wcr_buf_puts(&b, "{\"a\":1}");
    size_t len = 0;
    char *s = wcr_buf_detach(&b, &len);
    CHECK_STR(s, "{\"a\":1}");
    CHECK_INT(len, 7);
    free(s);
    /* The buffer is empty again, with its name and limit. */
    CHECK(b.data == NULL);
    CHECK_INT(b.len, 0);
    CHECK_INT(b.limit, 100);
    CHECK_STR(b.name, "doc");
    /* An empty buffer detaches as "", never NULL. */
    s = wcr_buf_detach(&b, NULL);
    CHECK_STR(s, "");
    free(s);
    wcr_buf_puts(&b, "again");
    CHECK_STR(wcr_buf_cstr(&b), "again");
    wcr_buf_dispose(&b);
}

TEST(reset_keeps_the_memory)
{
    wcr_buf b = WCR_BUF_INIT("test", WCR_BUF_NO_LIMIT);
    wcr_buf_puts(&b, "some text");
    char *mem = b.data;
    size_t cap = b.cap;
    wcr_buf_reset(&b);
    CHECK(b.data == mem);
    CHECK_INT(b.cap, cap);
    CHECK_STR(wcr_buf_cstr(&b), "");
    wcr_buf_dispose(&b);
    wcr_buf_dispose(&b); /* twice is fine */
    wcr_buf_dispose(NULL);
}

TEST_MAIN()
